#pragma once
// Client-side pacing for venue limits (exchange-protocols.md §2.8, §3.8, §4.5): a token bucket
// driven by the injected Clock, and a Pacer that runs actions through it in FIFO order, waiting
// on the transport's timers when the budget is spent. No wall clock, no threads: a backtest on a
// SimulatedClock replays exactly.
//
// Venues state limits as "at most N per window" (8 messages per second, 6000 weight per minute).
// A bucket with capacity N refilling N per window does not honour that: it lets a full bucket
// out at once and then refills N - 1 more inside the same window (almost 2N). A RateBudget
// therefore sizes the bucket as capacity = burst and refill = (count - burst) per window: any
// window then sees at most burst + (count - burst) = count, and the sustained rate is
// (count - burst) per window.
//
// Threading: not thread-safe; owned by one port and used on its transport's thread.

#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace troupe::venues {

/// "At most `count` tokens in any `window_ms` window, up to `burst` of them back to back".
/// count == 0 means unlimited.
struct RateBudget {
  /// Tokens (messages, connections, request weight) allowed in any window; 0 = no limit.
  std::int64_t count = 0;
  /// The window the venue counts in (ms).
  std::int64_t window_ms = 1000;
  /// Tokens that may go out at once after a quiet spell (the bucket's capacity); 1..count-1.
  std::int64_t burst = 1;

  /// No limit configured.
  bool unlimited() const { return count <= 0; }
};

/// Checks `budget`; the error names `option` ("coinbase market data: subscribe_budget.burst ...").
tl::expected<void, std::string> check_budget(const RateBudget& budget, std::string_view option);

/// A token bucket: holds at most `capacity` tokens and gains `refill_tokens` every
/// `refill_period`, continuously, measured on the injected clock. Integer arithmetic (tokens are
/// counted in 1/refill_period_ns parts), so the same times always give the same answers.
class RateLimiter {
 public:
  /// Unlimited: every acquire succeeds at once.
  RateLimiter() = default;
  /// Starts full. `clock` must outlive the limiter. capacity and refill_tokens must be positive,
  /// refill_period at least 1 ms.
  RateLimiter(std::int64_t capacity, std::int64_t refill_tokens,
              std::chrono::milliseconds refill_period, const Clock& clock);
  /// The bucket for `budget` (see the file comment); unlimited when budget.count == 0.
  static RateLimiter for_budget(const RateBudget& budget, const Clock& clock);

  /// No limit: try_acquire() always succeeds, wait_for() is always zero.
  bool unlimited() const { return clock_ == nullptr; }
  /// Takes `cost` tokens if they are there now (and no hold is in force). A cost above the
  /// capacity is granted once the bucket is full and leaves it in debt, so it cannot block
  /// forever.
  bool try_acquire(std::int64_t cost = 1);
  /// How long until try_acquire(cost) would succeed (rounded up to whole ms); zero when now.
  std::chrono::milliseconds wait_for(std::int64_t cost = 1) const;
  /// Grants nothing before `until` (ns since epoch), e.g. for a venue's Retry-After. A later
  /// time extends the hold; an earlier one is ignored.
  void hold_until(TimestampNs until);
  /// Ends the hold now, e.g. when a per-connection limit starts afresh on a new connection.
  void release_hold() { hold_until_ns_ = 0; }
  /// End of the current hold (ns since epoch); 0 when none was set.
  TimestampNs held_until() const { return hold_until_ns_; }
  /// Whole tokens in the bucket now (may be negative after an oversized acquire).
  std::int64_t available() const;
  /// The bucket's capacity (0 when unlimited).
  std::int64_t capacity() const { return capacity_; }

 private:
  /// Token parts in the bucket at `now` without changing state.
  std::int64_t parts_at(TimestampNs now) const;
  /// Parts needed for `cost` tokens (cost above capacity: a full bucket).
  std::int64_t parts_needed(std::int64_t cost) const;

  const Clock* clock_ = nullptr;
  std::int64_t capacity_ = 0;
  std::int64_t refill_tokens_ = 0;  // per period
  std::int64_t period_ns_ = 1;      // one token = period_ns_ parts
  std::int64_t parts_ = 0;          // tokens * period_ns_, as of last_ns_
  TimestampNs last_ns_ = 0;
  TimestampNs hold_until_ns_ = 0;
};

/// Runs actions through a RateLimiter in submission order: an action whose cost fits the budget
/// (and finds nobody waiting ahead of it) runs inside submit(); the others queue and run from a
/// timer once their tokens are back. Owned by a port; `post` must run callbacks on the port's
/// transport thread and drop them once the port stopped.
class Pacer {
 public:
  /// Schedules `fn` after a delay (StreamSession::post or ClientTransport::post_after).
  using Post = std::function<void(std::chrono::milliseconds, std::function<void()>)>;

  Pacer(RateLimiter limiter, Post post);
  // Queued timers point at this object: it must stay where it is.
  Pacer(const Pacer&) = delete;
  Pacer& operator=(const Pacer&) = delete;

  /// Runs `action` now if `cost` tokens are free and the queue is empty, else queues it (FIFO).
  void submit(std::function<void()> action, std::int64_t cost = 1);
  /// Drops every queued action (reconnect: their generation is gone). Tokens already spent
  /// stay spent and a hold stays in force.
  void clear();
  /// Actions waiting for budget.
  std::size_t queued() const { return queue_.size(); }
  /// The limiter, e.g. to hold it after a venue said "too many requests".
  RateLimiter& limiter() { return limiter_; }
  const RateLimiter& limiter() const { return limiter_; }
  /// Re-checks the queue now (after a hold was shortened or the budget changed).
  void kick();

 private:
  struct Entry {
    std::function<void()> action;
    std::int64_t cost;
  };

  void drain();
  void arm();

  RateLimiter limiter_;
  Post post_;
  std::deque<Entry> queue_;
  bool armed_ = false;       ///< a timer will drain the queue
  std::uint64_t epoch_ = 0;  ///< bumps on clear(); older timers do nothing
};

}  // namespace troupe::venues
