#pragma once
// Process-wide metrics registry with Prometheus text exposition (format 0.0.4). CAF-free so that
// engines and adapters can count without pulling in the actor runtime. Registration takes a lock
// (do it once, keep the reference); updating a metric is lock-free.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace troupe {

/// Label pairs of one time series, e.g. {{"venue", "binance"}}. Order does not matter: the
/// registry sorts by label name.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// A monotonically increasing value (events, bytes). Prometheus type `counter`.
class Counter {
 public:
  /// Adds `v`; `v` must be >= 0 (a negative increment aborts: counters never go down).
  void inc(double v = 1.0);
  /// Current total.
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// A value that goes up and down (queue depth, connection state). Prometheus type `gauge`.
class Gauge {
 public:
  /// Replaces the value.
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  /// Adds `v` (may be negative).
  void inc(double v = 1.0) { value_.fetch_add(v, std::memory_order_relaxed); }
  /// Subtracts `v`.
  void dec(double v = 1.0) { value_.fetch_sub(v, std::memory_order_relaxed); }
  /// Current value.
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// Observations counted into fixed buckets (latencies, sizes). Prometheus type `histogram`.
class Histogram {
 public:
  /// `bounds` are the finite upper bounds, strictly increasing; +Inf is implicit.
  explicit Histogram(std::vector<double> bounds);

  /// Records one observation (NaN aborts: it would poison the sum).
  void observe(double v);
  /// Number of observations so far.
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  /// Sum of all observations.
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  /// The finite upper bounds, as given.
  const std::vector<double>& bounds() const { return bounds_; }
  /// Observations in slot `i` alone: (bounds()[i-1], bounds()[i]]; i == bounds().size() is the
  /// overflow slot above the last bound.
  std::uint64_t bucket_count(std::size_t i) const {
    return buckets_[i].load(std::memory_order_relaxed);
  }
  /// Observations <= bounds()[i] (cumulative); i == bounds().size() means +Inf.
  std::uint64_t cumulative_count(std::size_t i) const;

 private:
  std::vector<double> bounds_;
  // One slot per finite bound plus the +Inf overflow slot; non-cumulative.
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

/// Owns every metric of a process. Metrics are identified by name plus label set; asking again
/// for the same identity returns the same object. References stay valid for the registry's
/// lifetime. Thread-safe.
class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  /// The counter `name{labels}`; created on first use. `help` is kept from the first call.
  /// Aborts on an invalid metric or label name, or when `name` is registered as another type.
  Counter& counter(std::string name, std::string help, Labels labels = {});
  /// The gauge `name{labels}`; see counter() for the rules.
  Gauge& gauge(std::string name, std::string help, Labels labels = {});
  /// The histogram `name{labels}` with finite upper `buckets` (strictly increasing). All label
  /// sets of one name must use the same buckets; see counter() for the other rules.
  Histogram& histogram(std::string name, std::string help, std::vector<double> buckets,
                       Labels labels = {});

  /// All metrics in the Prometheus text format 0.0.4, families sorted by name.
  std::string exposition() const;

 private:
  enum class Kind : std::uint8_t { Counter, Gauge, Histogram };
  struct Family;
  Family& family(const std::string& name, std::string help, Kind kind);
  static const char* kind_name(Kind kind);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>> families_;
};

/// True when `name` matches `[a-zA-Z_:][a-zA-Z0-9_:]*`.
bool is_valid_metric_name(const std::string& name);
/// True when `name` matches `[a-zA-Z_][a-zA-Z0-9_]*` and does not start with "__" (reserved).
bool is_valid_label_name(const std::string& name);
/// A number as Prometheus writes it: "3", "0.25", "1e+21", "+Inf", "-Inf", "NaN".
std::string format_metric_value(double v);

}  // namespace troupe
