#pragma once
// Time source injected into every engine. Live in paper/live mode; simulated in backtests and
// tests, where the driver sets the time explicitly so that runs are reproducible.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace troupe {

/// Nanoseconds since the Unix epoch.
using TimestampNs = std::int64_t;

/// A source of the current time.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Current time, ns since the Unix epoch.
  virtual TimestampNs now_ns() const = 0;
};

/// Wall-clock time (std::chrono::system_clock).
class LiveClock final : public Clock {
 public:
  TimestampNs now_ns() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

/// Time that moves only when told to. Thread-safe reads; the owner advances it.
class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(TimestampNs start = 0) : now_(start) {}
  TimestampNs now_ns() const override { return now_.load(std::memory_order_acquire); }
  /// Sets the time; never moves backwards (a smaller value is ignored).
  void set(TimestampNs t) {
    auto cur = now_.load(std::memory_order_relaxed);
    while (t > cur && !now_.compare_exchange_weak(cur, t, std::memory_order_release)) {
    }
  }
  void advance(std::chrono::nanoseconds d) { set(now_ns() + d.count()); }

 private:
  std::atomic<TimestampNs> now_;
};

}  // namespace troupe
