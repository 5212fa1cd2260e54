#pragma once
// A hand-written ApiBackend for the API tests: canned read models, one instrument table, and a
// submit() that records the order and answers with a chosen outcome.

#include "actors/api_backend.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace troupe::api::testing {

/// BTCUSDT at "sim": prices with 2 decimals on a 0.01 tick, sizes with 3 decimals on a 0.001 lot.
inline Instrument btc_instrument() {
  Instrument instrument;
  instrument.id = InstrumentId(VenueId("sim"), "BTCUSDT");
  instrument.base = "BTC";
  instrument.quote = "USDT";
  instrument.price_precision = 2;
  instrument.size_precision = 3;
  instrument.tick_size = Price::from_raw(1, 2);
  instrument.lot_size = Quantity::from_raw(1, 3);
  return instrument;
}

class FakeApiBackend final : public ApiBackend {
 public:
  FakeApiBackend() {
    instruments.emplace("BTCUSDT", btc_instrument());
    auto halted = btc_instrument();
    halted.id.symbol = "HALTUSDT";
    halted.tradable = false;
    instruments.emplace("HALTUSDT", halted);
  }

  HealthReport health() override {
    if (throw_on_health) throw std::runtime_error("backend unavailable");
    return health_report;
  }
  PortfolioSnapshot portfolio() override { return portfolio_snapshot; }
  std::vector<OrderRecord> orders() override { return order_list; }
  const Instrument* find_instrument(const std::string& symbol) override {
    const auto it = instruments.find(symbol);
    return it == instruments.end() ? nullptr : &it->second;
  }
  /// Records the order; answers `outcome` when set, else an accepted record of the order.
  SubmitOutcome submit(SubmitOrder order) override {
    std::lock_guard lock(mutex);
    submitted.push_back(order);
    if (outcome) return *outcome;
    OrderRecord record;
    order.account = AccountId("paper-sim");
    order.strategy = StrategyId("api");
    if (order.client_order_id.empty()) order.client_order_id = ClientOrderId("paper-sim-1-7");
    record.order = order;
    record.status = OrderStatus::Submitted;
    record.filled_quantity = Quantity::from_raw(0, 3);
    record.ts_created = record.ts_updated = 1'709'294'400'000'000'000;  // 2024-03-01T12:00:00Z
    return record;
  }
  BookView book(const std::string& venue, const std::string& symbol, std::size_t depth) override {
    last_book_depth = depth;
    last_book_symbol = symbol;
    if (venue != "sim" || symbol != "BTCUSDT") return {};
    BookView view = book_view;
    view.found = true;
    return view;
  }
  std::optional<ConsolidatedBook> consolidated(const std::string& asset) override {
    if (consolidated_view && consolidated_view->asset == asset) return consolidated_view;
    return std::nullopt;
  }
  std::vector<std::string> consolidated_assets() override {
    if (consolidated_view) return {consolidated_view->asset};
    return {};
  }
  std::string metrics_text() override { return metrics; }

  HealthReport health_report{"node-a", "paper", "live", TradingState::Active, 12'345, true};
  PortfolioSnapshot portfolio_snapshot;
  std::vector<OrderRecord> order_list;
  std::map<std::string, Instrument> instruments;
  std::optional<SubmitOutcome> outcome;
  std::vector<SubmitOrder> submitted;
  std::string metrics =
      "# TYPE troupe_orders_submitted_total counter\n"
      "troupe_orders_submitted_total 3\n";
  bool throw_on_health = false;
  BookView book_view;  ///< returned for sim/BTCUSDT (found is set)
  std::size_t last_book_depth = 0;
  std::string last_book_symbol;
  std::optional<ConsolidatedBook> consolidated_view;  ///< served for its asset
  std::mutex mutex;
};

}  // namespace troupe::api::testing
