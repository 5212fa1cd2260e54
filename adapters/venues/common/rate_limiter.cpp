#include "adapters/venues/common/rate_limiter.hpp"

#include <algorithm>

namespace troupe::venues {
namespace {

constexpr std::int64_t kNsPerMs = 1'000'000;

std::int64_t ceil_div(std::int64_t num, std::int64_t den) { return (num + den - 1) / den; }

}  // namespace

tl::expected<void, std::string> check_budget(const RateBudget& budget, std::string_view option) {
  if (budget.unlimited()) return {};
  const std::string name(option);
  if (budget.window_ms <= 0) {
    return tl::make_unexpected(name + ".window_ms must be positive (got " +
                               std::to_string(budget.window_ms) + ")");
  }
  if (budget.count < 2 || budget.burst < 1 || budget.burst >= budget.count) {
    return tl::make_unexpected(name + ".burst must be within 1.." +
                               std::to_string(budget.count - 1) +
                               " and count at least 2 (got count " + std::to_string(budget.count) +
                               ", burst " + std::to_string(budget.burst) + ")");
  }
  return {};
}

RateLimiter::RateLimiter(std::int64_t capacity, std::int64_t refill_tokens,
                         std::chrono::milliseconds refill_period, const Clock& clock)
    : clock_(&clock),
      capacity_(std::max<std::int64_t>(1, capacity)),
      refill_tokens_(std::max<std::int64_t>(1, refill_tokens)),
      period_ns_(std::max<std::int64_t>(1, refill_period.count()) * kNsPerMs),
      parts_(capacity_ * period_ns_),
      last_ns_(clock.now_ns()) {}

RateLimiter RateLimiter::for_budget(const RateBudget& budget, const Clock& clock) {
  if (budget.unlimited()) return RateLimiter();
  // check_budget() keeps 1 <= burst < count; clamp anyway so a bad value cannot stop refills.
  const std::int64_t burst = std::clamp<std::int64_t>(budget.burst, 1, budget.count);
  return RateLimiter(burst, std::max<std::int64_t>(1, budget.count - burst),
                     std::chrono::milliseconds(budget.window_ms), clock);
}

std::int64_t RateLimiter::parts_at(TimestampNs now) const {
  const std::int64_t full = capacity_ * period_ns_;
  const std::int64_t missing = full - parts_;
  if (missing <= 0) return parts_;
  const std::int64_t elapsed = std::max<std::int64_t>(0, now - last_ns_);
  // Compare before multiplying: elapsed * refill could overflow after a long quiet spell.
  if (elapsed >= ceil_div(missing, refill_tokens_)) return full;
  return parts_ + elapsed * refill_tokens_;
}

std::int64_t RateLimiter::parts_needed(std::int64_t cost) const {
  return std::min(cost, capacity_) * period_ns_;
}

bool RateLimiter::try_acquire(std::int64_t cost) {
  if (unlimited()) return true;
  const TimestampNs now = clock_->now_ns();
  if (now < hold_until_ns_) return false;
  const std::int64_t parts = parts_at(now);
  if (parts < parts_needed(cost)) return false;
  parts_ = parts - std::max<std::int64_t>(0, cost) * period_ns_;
  last_ns_ = std::max(last_ns_, now);
  return true;
}

std::chrono::milliseconds RateLimiter::wait_for(std::int64_t cost) const {
  if (unlimited()) return std::chrono::milliseconds(0);
  const TimestampNs now = clock_->now_ns();
  const std::int64_t hold_ns = std::max<std::int64_t>(0, hold_until_ns_ - now);
  const std::int64_t deficit = parts_needed(cost) - parts_at(now);
  const std::int64_t refill_ns = deficit <= 0 ? 0 : ceil_div(deficit, refill_tokens_);
  return std::chrono::milliseconds(ceil_div(std::max(hold_ns, refill_ns), kNsPerMs));
}

void RateLimiter::hold_until(TimestampNs until) {
  hold_until_ns_ = std::max(hold_until_ns_, until);
}

std::int64_t RateLimiter::available() const {
  if (unlimited()) return 0;
  const std::int64_t parts = parts_at(clock_->now_ns());
  // Round toward minus infinity so a bucket in debt never reads as holding a token.
  return parts >= 0 ? parts / period_ns_ : -ceil_div(-parts, period_ns_);
}

Pacer::Pacer(RateLimiter limiter, Post post)
    : limiter_(std::move(limiter)), post_(std::move(post)) {}

void Pacer::submit(std::function<void()> action, std::int64_t cost) {
  if (queue_.empty() && limiter_.try_acquire(cost)) {
    action();
    return;
  }
  queue_.push_back(Entry{std::move(action), cost});
  arm();
}

void Pacer::clear() {
  queue_.clear();
  ++epoch_;
  armed_ = false;
}

void Pacer::kick() {
  drain();
  arm();
}

void Pacer::drain() {
  // Pop before running: an action may submit more (queued behind) or clear the queue.
  while (!queue_.empty() && limiter_.try_acquire(queue_.front().cost)) {
    std::function<void()> action = std::move(queue_.front().action);
    queue_.pop_front();
    action();
  }
}

void Pacer::arm() {
  if (armed_ || queue_.empty()) return;
  armed_ = true;
  const auto wait = std::max(std::chrono::milliseconds(1), limiter_.wait_for(queue_.front().cost));
  post_(wait, [this, epoch = epoch_] {
    if (epoch != epoch_) return;
    armed_ = false;
    drain();
    arm();
  });
}

}  // namespace troupe::venues
