// RiskEngine::check (actors/risk/risk_engine.hpp) for orders that pass every check, with every
// limit enabled except the order rate (max_orders_per_second 0, or the benchmark would be
// denied after the first second's worth). Target: at most kRiskCheckTargetNs (targets.hpp) per
// check on this machine. There is no third-party reference, so the target is printed beside
// the figure instead.

#include "actors/risk/risk_engine.hpp"

#include <benchmark/benchmark.h>

#include <string>

#include "bench/common/bench_fixtures.hpp"
#include "bench/core/targets.hpp"

namespace troupe::bench {
namespace {

// Moves 5 s forward on every read: each check then expires the previous check's in-flight
// reservation (kReservationTimeoutNs), so the engine stays at one reservation instead of
// growing without bound, as it would if the order manager's OrderSubmitted never came.
class SteppingClock final : public Clock {
 public:
  TimestampNs now_ns() const override { return now_ += 5'000'000'001; }

 private:
  mutable TimestampNs now_ = 1'700'000'000'000'000'000;
};

RiskConfig limits() {
  RiskConfig config;
  config.account = AccountId{"paper"};
  config.max_order_notional = Money::from_raw(1'000'000'00, 2);    // 1,000,000.00 USDT
  config.max_order_quantity = Quantity::from_raw(10'00000000, 8);  // 10 BTC
  config.max_position = Quantity::from_raw(100'00000000, 8);       // 100 BTC
  config.max_orders_per_second = 0;                                // disabled, see above
  return config;
}

SubmitOrder order(const Instrument& instrument, OrderType type) {
  SubmitOrder o;
  o.account = AccountId{"paper"};
  o.strategy = StrategyId{"obi-btc"};
  o.client_order_id = ClientOrderId{"paper-1-123456"};
  o.instrument = instrument.id;
  o.side = Side::Buy;
  o.type = type;
  o.time_in_force = type == OrderType::Market ? TimeInForce::Ioc : TimeInForce::Gtc;
  o.quantity = Quantity::from_raw(400'000, 8);                            // 0.004 BTC
  if (type == OrderType::Limit) o.price = Price::from_raw(6'000'012, 2);  // 60000.12
  return o;
}

void risk_check(benchmark::State& state, OrderType type) {
  const Instrument instrument = btcusdt();
  SteppingClock clock;
  RiskEngine risk(limits(), {instrument}, clock);
  // Marks: a market order is valued at the best ask, so the book's top must be known.
  risk.on_book(deep_book(instrument, 10, 1));
  const SubmitOrder submit = order(instrument, type);
  for (auto _ : state) {
    auto decision = risk.check(submit);
    if (!decision) {
      state.SkipWithError(decision.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("target <= " + std::to_string(static_cast<int>(kRiskCheckTargetNs)) +
                 " ns per check");
}

const bool kRegistered = [] {
  benchmark::RegisterBenchmark("risk/check/limit_order", risk_check, OrderType::Limit);
  benchmark::RegisterBenchmark("risk/check/market_order", risk_check, OrderType::Market);
  return true;
}();

}  // namespace

}  // namespace troupe::bench
