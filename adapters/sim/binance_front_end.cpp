#include "adapters/sim/binance_front_end.hpp"

#include "adapters/sim/binance_state.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <set>

namespace troupe::sim {
namespace {

using detail::VenueState;

tl::expected<void, std::string> validate_instrument(const SimInstrumentConfig& c,
                                                    const std::string& key) {
  const Instrument& i = c.instrument;
  auto fail = [&](const std::string& field, const std::string& what) {
    return tl::make_unexpected(key + "." + field + ": " + what);
  };
  if (i.id.symbol.empty()) return fail("instrument.symbol", "must not be empty");
  if (i.base.empty() || i.quote.empty()) return fail("instrument.base/quote", "must not be empty");
  if (i.price_precision > 8 || i.size_precision > 8)
    return fail("instrument.price_precision/size_precision", "must be at most 8");
  auto tick = i.tick_size.rescaled(i.price_precision);
  if (!tick || !tick->is_positive())
    return fail(
        "instrument.tick_size",
        "must be positive with at most price_precision decimals, got " + i.tick_size.to_string());
  auto lot = i.lot_size.rescaled(i.size_precision);
  if (!lot || !lot->is_positive())
    return fail(
        "instrument.lot_size",
        "must be positive with at most size_precision decimals, got " + i.lot_size.to_string());
  if (c.start_price.is_negative()) return fail("start_price", "must not be negative");
  if (!(c.volatility_bps >= 0.0 && c.volatility_bps < 10000.0))
    return fail("volatility_bps", "must be in [0, 10000)");
  if (!(c.vol_clustering >= 0.0 && c.vol_clustering < 1.0))
    return fail("vol_clustering", "must be in [0, 1)");
  if (c.maker_levels > 1000) return fail("maker_levels", "must be at most 1000");
  if (c.maker_size.is_negative() || c.taker_size.is_negative())
    return fail("maker_size/taker_size", "must not be negative");
  return {};
}

}  // namespace

tl::expected<void, std::string> BinanceFrontEnd::validate(const SimConfig& config) {
  if (config.step_ms <= 0)
    return tl::make_unexpected("sim.step_ms: must be positive, got " +
                               std::to_string(config.step_ms));
  if (config.api_key.empty()) return tl::make_unexpected("sim.api_key: must not be empty");
  if (config.api_secret.empty()) return tl::make_unexpected("sim.api_secret: must not be empty");
  Accounts probe;
  if (auto ok =
          probe.add_account({kUserAccount, config.api_key, config.api_secret}, config.balances);
      !ok)
    return tl::make_unexpected("sim.balances: " + ok.error());
  std::set<std::string> symbols;
  for (std::size_t n = 0; n < config.instruments.size(); ++n) {
    const std::string key = "sim.instruments[" + std::to_string(n) + "]";
    if (auto ok = validate_instrument(config.instruments[n], key); !ok) return ok;
    if (!symbols.insert(config.instruments[n].instrument.id.symbol).second)
      return tl::make_unexpected(key + ".instrument.symbol: duplicate symbol " +
                                 config.instruments[n].instrument.id.symbol);
  }
  return {};
}

BinanceFrontEnd::BinanceFrontEnd(const SimConfig& config, const Clock& clock) {
  if (auto ok = validate(config); !ok) {
    std::fprintf(stderr, "troupe::sim::BinanceFrontEnd: invalid configuration: %s\n",
                 ok.error().c_str());
    std::abort();
  }
  state_ = std::make_unique<VenueState>(config, clock);
  // Cannot fail: validate() added the same account to a probe.
  (void)state_->accounts.add_account({kUserAccount, config.api_key, config.api_secret},
                                     config.balances);
}

BinanceFrontEnd::~BinanceFrontEnd() = default;

net::HttpResponse BinanceFrontEnd::handle(const net::HttpRequest& request) {
  net::HttpResponse response;
  try {
    std::lock_guard<std::mutex> lock(state_->mutex);
    response = detail::route(*state_, request);
  } catch (const std::exception& e) {
    response = detail::error_response(
        detail::ApiError{500, -1000, std::string("Internal error: ") + e.what()});
  }
  state_->flush();
  return response;
}

std::shared_ptr<net::ServerWebSocketHandler> BinanceFrontEnd::accept_websocket(
    const net::HttpRequest& request, std::shared_ptr<net::ServerWebSocket> socket) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  const auto [path, query] = split_target(request.target);
  if (path == "/ws-api/v3") return detail::accept_api_session(*state_, std::move(socket));
  return detail::accept_market_stream(*state_, path, query, std::move(socket));
}

void BinanceFrontEnd::step(TimestampNs now) {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->market.step(now);
    ++state_->counters.steps;
    detail::process_events(*state_, now);
    detail::flush_depth(*state_, now);
  }
  state_->flush();
}

BookSnapshot BinanceFrontEnd::book(const std::string& symbol, std::size_t depth) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  BookSnapshot out;
  const Instrument* instrument = state_->engine.instrument(symbol);
  if (instrument == nullptr) return out;
  DepthSnapshot snapshot = state_->engine.snapshot(symbol, depth);
  out.instrument = instrument->id;
  out.sequence = snapshot.last_update_id;
  out.bids = std::move(snapshot.bids);
  out.asks = std::move(snapshot.asks);
  out.ts_event = state_->now();
  out.ts_init = out.ts_event;
  return out;
}

std::vector<ReceivedOrderRequest> BinanceFrontEnd::received_order_requests() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return {state_->received.begin(), state_->received.end()};
}

FrontEndCounters BinanceFrontEnd::counters() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->counters;
}

FaultReport BinanceFrontEnd::inject_gap(const std::string& symbol) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return detail::gap(*state_, symbol);
}

FaultReport BinanceFrontEnd::inject_malformed_frame(const std::string& symbol) {
  FaultReport report;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    report = detail::malformed_frame(*state_, symbol);
  }
  state_->flush();
  return report;
}

FaultReport BinanceFrontEnd::inject_out_of_sequence(const std::string& symbol) {
  FaultReport report;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    report = detail::out_of_sequence(*state_, symbol);
  }
  state_->flush();
  return report;
}

FaultReport BinanceFrontEnd::disconnect_streams() {
  FaultReport report;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    report = detail::disconnect(*state_);
  }
  state_->flush();
  return report;
}

FaultReport BinanceFrontEnd::inject(const FaultSpec& fault) {
  FaultReport report;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    report = detail::inject_fault(*state_, fault);
  }
  state_->flush();
  return report;
}

std::vector<FaultKind> BinanceFrontEnd::supported_faults() const {
  return {FaultKind::Drop,  FaultKind::Duplicate,  FaultKind::Reorder, FaultKind::Malformed,
          FaultKind::Stall, FaultKind::Disconnect, FaultKind::Throttle};
}

std::vector<std::string> BinanceFrontEnd::fault_log() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->fault_log;
}

}  // namespace troupe::sim
