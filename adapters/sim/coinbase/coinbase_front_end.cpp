#include "adapters/sim/coinbase/coinbase_front_end.hpp"

#include "adapters/json/json_writer.hpp"
#include "adapters/sim/coinbase/coinbase_state.hpp"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace troupe::sim {
namespace {

using coinbase_detail::CoinbaseState;

// "BTC-USD": upper-case letters and digits on both sides of one '-'.
bool is_product_id(const std::string& text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 == text.size() || text.size() > 32)
    return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (i == dash) continue;
    if (!(std::isupper(c) || std::isdigit(c))) return false;
  }
  return true;
}

tl::expected<void, std::string> validate_instrument(const SimInstrumentConfig& c,
                                                    const std::string& key) {
  const Instrument& i = c.instrument;
  auto fail = [&](const std::string& field, const std::string& what) {
    return tl::make_unexpected(key + "." + field + ": " + what);
  };
  if (!is_product_id(i.id.symbol))
    return fail("instrument.symbol",
                "must be a Coinbase product id such as BTC-USD, got \"" + i.id.symbol + "\"");
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

namespace coinbase_detail {

CoinbaseState::CoinbaseState(const SimConfig& config_in, const Clock& clock_in,
                             CoinbaseLimits limits_in)
    : config(config_in), clock(&clock_in), limits(limits_in), market(config, engine) {
  for (const std::string& symbol : engine.symbols()) products[symbol];
  started_ns = clock->now_ns();
  next_heartbeat_ns = started_ns + kHeartbeatNs;
}

void CoinbaseState::send(const std::shared_ptr<net::ServerWebSocket>& socket, std::string text) {
  outbox.push_back(Outgoing{socket, std::move(text), false});
}

void CoinbaseState::close(const std::shared_ptr<net::ServerWebSocket>& socket) {
  outbox.push_back(Outgoing{socket, {}, true});
}

// One thread at a time drains the queue in order; a thread that finds another draining leaves
// its frames to it. The re-check after releasing the flag catches frames queued just before.
void CoinbaseState::flush() {
  for (;;) {
    bool expected = false;
    if (!flushing.compare_exchange_strong(expected, true)) return;
    for (;;) {
      std::vector<Outgoing> batch;
      {
        std::lock_guard<std::mutex> lock(mutex);
        batch.swap(outbox);
      }
      if (batch.empty()) break;
      for (Outgoing& out : batch) {
        if (out.close) {
          out.socket->close();
        } else {
          out.socket->send(std::move(out.text));
        }
      }
    }
    flushing.store(false);
    std::lock_guard<std::mutex> lock(mutex);
    if (outbox.empty()) return;
  }
}

}  // namespace coinbase_detail

tl::expected<void, std::string> CoinbaseFrontEnd::validate(const SimConfig& config) {
  if (config.step_ms <= 0)
    return tl::make_unexpected("sim.step_ms: must be positive, got " +
                               std::to_string(config.step_ms));
  std::set<std::string> symbols;
  for (std::size_t n = 0; n < config.instruments.size(); ++n) {
    const std::string key = "sim.instruments[" + std::to_string(n) + "]";
    if (auto ok = validate_instrument(config.instruments[n], key); !ok) return ok;
    if (!symbols.insert(config.instruments[n].instrument.id.symbol).second)
      return tl::make_unexpected(key + ".instrument.symbol: duplicate product id " +
                                 config.instruments[n].instrument.id.symbol);
  }
  return {};
}

CoinbaseFrontEnd::CoinbaseFrontEnd(const SimConfig& config, const Clock& clock,
                                   CoinbaseLimits limits) {
  if (auto ok = validate(config); !ok) {
    std::fprintf(stderr, "troupe::sim::CoinbaseFrontEnd: invalid configuration: %s\n",
                 ok.error().c_str());
    std::abort();
  }
  state_ = std::make_unique<CoinbaseState>(config, clock, limits);
}

CoinbaseFrontEnd::~CoinbaseFrontEnd() = default;

net::HttpResponse CoinbaseFrontEnd::handle(const net::HttpRequest& request) {
  net::HttpResponse response;
  response.status = 404;
  json::JsonWriter w;
  response.body = w.begin_object()
                      .field("error", "NOT_FOUND")
                      .field("message",
                             "the simulated coinbase market-data host serves only the "
                             "WebSocket at / (no REST): " +
                                 std::string(request.path()))
                      .end_object()
                      .take();
  return response;
}

std::shared_ptr<net::ServerWebSocketHandler> CoinbaseFrontEnd::accept_websocket(
    const net::HttpRequest& request, std::shared_ptr<net::ServerWebSocket> socket) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (request.path() != kWebSocketTarget) {
    ++state_->counters.refused_connections;
    return nullptr;
  }
  return coinbase_detail::accept_connection(*state_, std::move(socket));
}

void CoinbaseFrontEnd::step(TimestampNs now) {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->market.step(now);
    ++state_->counters.steps;
    coinbase_detail::release_stalls(*state_);
    coinbase_detail::collect_events(*state_, now);
    coinbase_detail::publish(*state_, now);
    coinbase_detail::enforce_subscribe_deadline(*state_);
  }
  state_->flush();
}

BookSnapshot CoinbaseFrontEnd::book(const std::string& symbol, std::size_t depth) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  BookSnapshot out;
  const Instrument* instrument = state_->engine.instrument(symbol);
  if (instrument == nullptr) return out;
  DepthSnapshot snapshot = state_->engine.snapshot(symbol, depth);
  out.instrument = instrument->id;
  out.bids = std::move(snapshot.bids);
  out.asks = std::move(snapshot.asks);
  out.ts_event = state_->now();
  out.ts_init = out.ts_event;
  return out;
}

FaultReport CoinbaseFrontEnd::inject(const FaultSpec& fault) {
  FaultReport report;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    report = coinbase_detail::inject_fault(*state_, fault);
  }
  state_->flush();
  return report;
}

std::vector<FaultKind> CoinbaseFrontEnd::supported_faults() const {
  return {FaultKind::Drop,  FaultKind::Duplicate,  FaultKind::Reorder, FaultKind::Malformed,
          FaultKind::Stall, FaultKind::Disconnect, FaultKind::Throttle};
}

std::vector<std::string> CoinbaseFrontEnd::fault_log() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->fault_log;
}

CoinbaseCounters CoinbaseFrontEnd::counters() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->counters;
}

std::size_t CoinbaseFrontEnd::connection_count() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->connections.size();
}

}  // namespace troupe::sim
