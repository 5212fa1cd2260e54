// Randomized interleavings of venue reports against the order manager's invariants.

#include "actors/oms/oms_engine.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "tests/unit/actors/oms/oms_test_support.hpp"

namespace troupe {
namespace {

// What the test saw applied per order (from the engine's own answers).
struct Seen {
  std::int64_t ordered = 0;
  std::int64_t applied_fill_sum = 0;
  std::set<std::string> trade_ids;
  std::int64_t min_price = INT64_MAX;
  std::int64_t max_price = 0;
  std::optional<OrderStatus> terminal;
};

class RandomRun {
 public:
  explicit RandomRun(std::uint64_t seed) : rng_(seed), engine_(test::oms_config(), 9, clock_) {}

  void step() {
    const int dice = static_cast<int>(rng_() % 100);
    if (dice < 12 || ids_.empty()) return submit();
    const std::string id = rng_() % 50 == 0 ? "unknown-" + std::to_string(rng_() % 5) : pick();
    if (dice < 25) return record(engine_.apply(test::accepted(id)));
    if (dice < 65) return fill(id);
    if (dice < 75) return record(engine_.request_cancel(test::cancel_request(id)));
    if (dice < 88) return record(engine_.apply(test::canceled(id)));
    record(engine_.apply(test::rejected(id)));
  }

  void check_invariants() {
    for (const auto& r : engine_.orders()) {
      Seen& s = seen_.at(r.order.client_order_id.value);
      ASSERT_LE(r.filled_quantity.raw(), s.ordered);
      ASSERT_EQ(r.filled_quantity.raw(), s.applied_fill_sum);
      if (s.terminal) {
        ASSERT_EQ(r.status, *s.terminal) << "terminal state changed";
      }
      if (is_terminal(r.status)) s.terminal = r.status;
      if (r.status == OrderStatus::Filled) {
        ASSERT_EQ(r.filled_quantity.raw(), s.ordered);
      }
      statuses_seen_.insert(r.status);
      if (s.applied_fill_sum > 0) {
        ASSERT_GE(r.average_fill_price.raw(), s.min_price);
        ASSERT_LE(r.average_fill_price.raw(), s.max_price);
      }
    }
  }

  const std::vector<OmsJournalEvent>& journal() const { return journal_; }
  const std::set<OmsIgnoreKind>& ignore_kinds() const { return ignore_kinds_; }
  const std::set<OrderStatus>& statuses_seen() const { return statuses_seen_; }
  const OrderManagerEngine& engine() const { return engine_; }

 private:
  void submit() {
    const int lots = 1 + static_cast<int>(rng_() % 10);
    SubmitOrder order = test::buy_limit("0.1", "100.00");
    order.quantity = Quantity::from_raw(lots * 10'000'000, 8);
    auto event = engine_.submit(order);
    ASSERT_TRUE(event.has_value());
    const std::string id = event->order.client_order_id.value;
    ids_.push_back(id);
    seen_[id].ordered = order.quantity.raw();
    journal_.emplace_back(*event);
  }

  std::string pick() { return ids_[rng_() % ids_.size()]; }

  void fill(const std::string& id) {
    auto it = seen_.find(id);
    std::string trade;
    if (it != seen_.end() && !it->second.trade_ids.empty() && rng_() % 4 == 0)
      trade = *std::next(it->second.trade_ids.begin(),
                         static_cast<long>(rng_() % it->second.trade_ids.size()));  // duplicate
    else
      trade = "T" + std::to_string(++trade_seq_);
    // Mostly within what is left of the order, sometimes beyond it (venue nonsense).
    std::int64_t lots = 1 + static_cast<std::int64_t>(rng_() % 6);
    if (it != seen_.end() && rng_() % 4 != 0) {
      const std::int64_t left = (it->second.ordered - it->second.applied_fill_sum) / 10'000'000;
      if (left > 0) lots = 1 + static_cast<std::int64_t>(rng_() % static_cast<std::uint64_t>(left));
    }
    const std::int64_t price = 9990 + static_cast<std::int64_t>(rng_() % 21);
    auto result = engine_.apply(test::filled(id, trade, Quantity::from_raw(lots * 10'000'000, 8),
                                             Price::from_raw(price, 2)));
    if (!result) {
      ignore_kinds_.insert(result.error().kind);
      return;
    }
    Seen& s = seen_.at(id);
    ASSERT_TRUE(s.trade_ids.insert(trade).second) << "fill counted twice: " << trade;
    s.applied_fill_sum += result->last_quantity.raw();
    s.min_price = std::min(s.min_price, price);
    s.max_price = std::max(s.max_price, price);
    ASSERT_EQ(result->cum_quantity.raw(), s.applied_fill_sum);
    ASSERT_EQ(result->leaves_quantity.raw(), s.ordered - s.applied_fill_sum);
    journal_.emplace_back(*result);
  }

  template <class Event>
  void record(const OmsResult<Event>& result) {
    if (result)
      journal_.emplace_back(*result);
    else
      ignore_kinds_.insert(result.error().kind);
  }

  std::mt19937_64 rng_;
  SimulatedClock clock_{1'000};
  OrderManagerEngine engine_;
  std::vector<std::string> ids_;
  std::map<std::string, Seen> seen_;
  std::vector<OmsJournalEvent> journal_;
  std::uint64_t trade_seq_ = 0;
  std::set<OmsIgnoreKind> ignore_kinds_;
  std::set<OrderStatus> statuses_seen_;
};

TEST(OrderManagerEngine, KeepsItsInvariantsUnderRandomInterleavingsAndReplaysExactly) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    RandomRun run(seed);
    for (int i = 0; i < 500; ++i) {
      run.step();
      if (::testing::Test::HasFatalFailure()) return;
      run.check_invariants();
      if (::testing::Test::HasFatalFailure()) return;
    }
    SimulatedClock other_clock(5'000'000);
    OrderManagerEngine restored(test::oms_config(), 9, other_clock);
    for (const auto& event : run.journal()) ASSERT_TRUE(restored.replay(event));
    EXPECT_EQ(test::describe(restored), test::describe(run.engine()));
    // The interleavings reach every state and every kind of ignored report.
    EXPECT_EQ(run.ignore_kinds().size(), 4u);
    for (auto status : {OrderStatus::Submitted, OrderStatus::Accepted, OrderStatus::PartiallyFilled,
                        OrderStatus::PendingCancel, OrderStatus::Filled, OrderStatus::Canceled,
                        OrderStatus::Rejected})
      EXPECT_EQ(run.statuses_seen().count(status), 1u) << to_string(status);
  }
}

}  // namespace
}  // namespace troupe
