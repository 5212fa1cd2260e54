// OrderManagerEngine (actors/oms/oms_engine.hpp): one order's life on the hot path, submit
// (assigns the client order id) + venue accept + one full fill, with the accept and fill events
// built in the loop as a venue session would. The reference is a floor rather than a rival:
// the same three steps on a bare hash map keyed by the same client order id text, with no
// validation, no events and no fill value bookkeeping.

#include "actors/oms/oms_engine.hpp"

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "bench/common/bench_fixtures.hpp"

namespace troupe::bench {
namespace {

// The engine keeps every order since start (for queries and replay), so a benchmark of
// millions of orders would measure a growing table. It starts over, untimed, after this many.
constexpr std::uint64_t kOrdersPerEngine = 65'536;

SubmitOrder limit_buy(const Instrument& instrument) {
  SubmitOrder o;
  o.account = AccountId{"paper"};
  o.strategy = StrategyId{"obi-btc"};
  o.instrument = instrument.id;
  o.side = Side::Buy;
  o.type = OrderType::Limit;
  o.quantity = Quantity::from_raw(400'000, 8);  // 0.004 BTC
  o.price = Price::from_raw(6'000'012, 2);      // 60000.12
  return o;
}

void oms_order_cycle(benchmark::State& state) {
  const Instrument instrument = btcusdt();
  const SubmitOrder command = limit_buy(instrument);
  SimulatedClock clock(1'700'000'000'000'000'000);
  auto oms = std::make_unique<OrderManagerEngine>(OmsConfig{}, 1, clock);
  std::uint64_t n = 0;
  for (auto _ : state) {
    if (++n % kOrdersPerEngine == 0) {
      state.PauseTiming();
      oms = std::make_unique<OrderManagerEngine>(OmsConfig{}, 1, clock);
      state.ResumeTiming();
    }
    auto submitted = oms->submit(command);
    if (!submitted) {
      state.SkipWithError(submitted.error().message.c_str());
      break;
    }
    const ClientOrderId& id = submitted->order.client_order_id;
    OrderAccepted accepted;
    accepted.account = command.account;
    accepted.client_order_id = id;
    accepted.venue_order_id = VenueOrderId{std::to_string(n)};
    accepted.instrument = instrument.id;
    accepted.ts_event = accepted.ts_init = clock.now_ns();
    auto accept = oms->apply(accepted);
    OrderFilled fill;
    fill.account = command.account;
    fill.client_order_id = id;
    fill.venue_order_id = accepted.venue_order_id;
    fill.trade_id = TradeId{std::to_string(n)};
    fill.instrument = instrument.id;
    fill.last_quantity = command.quantity;
    fill.last_price = command.price;
    fill.commission = Money::from_raw(24, 2);
    fill.commission_asset = "USDT";
    fill.liquidity = LiquiditySide::Maker;
    fill.ts_event = fill.ts_init = clock.now_ns();
    auto filled = oms->apply(fill);
    if (!accept || !filled) {
      state.SkipWithError("accept or fill ignored");
      break;
    }
    benchmark::DoNotOptimize(filled);
  }
  state.SetItemsProcessed(state.iterations());
}

/// The floor: what any id-keyed order table pays for the same three steps.
struct BareOrder {
  std::int64_t quantity = 0;
  std::int64_t filled = 0;
  std::uint8_t status = 0;
};

void hash_map_order_cycle(benchmark::State& state) {
  const std::string prefix = "paper-1-";
  auto table = std::make_unique<std::unordered_map<std::string, BareOrder>>();
  std::uint64_t n = 0;
  for (auto _ : state) {
    if (++n % kOrdersPerEngine == 0) {
      state.PauseTiming();
      table = std::make_unique<std::unordered_map<std::string, BareOrder>>();
      state.ResumeTiming();
    }
    std::string id = prefix + std::to_string(n);
    auto [it, inserted] = table->emplace(id, BareOrder{400'000, 0, 1});
    if (!inserted) {
      state.SkipWithError("duplicate id");
      break;
    }
    auto accept = table->find(id);
    accept->second.status = 2;
    auto fill = table->find(id);
    fill->second.filled += 400'000;
    fill->second.status = fill->second.filled == fill->second.quantity ? 4 : 3;
    benchmark::DoNotOptimize(fill->second);
  }
  state.SetItemsProcessed(state.iterations());
}

const bool kRegistered = [] {
  benchmark::RegisterBenchmark("oms/submit_accept_fill/troupe", oms_order_cycle);
  benchmark::RegisterBenchmark("oms/submit_accept_fill/hash_map_floor", hash_map_order_cycle);
  return true;
}();

}  // namespace
}  // namespace troupe::bench
