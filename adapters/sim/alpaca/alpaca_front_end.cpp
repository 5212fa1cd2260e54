#include "adapters/sim/alpaca/alpaca_front_end.hpp"

#include "adapters/sim/alpaca/alpaca_state.hpp"

#include <cstdio>
#include <cstdlib>
#include <set>

namespace troupe::sim {
namespace alpaca_detail {

State::State(const SimConfig& config_in, const Clock& clock_in)
    : config(config_in), clock(&clock_in), market(config, engine) {
  for (const std::string& symbol : engine.symbols()) {
    symbols[symbol].instrument = engine.instrument(symbol);
  }
}

void State::send(const Session& session, std::string text) {
  Outgoing out{session.socket, std::move(text), false};
  if (now() < stall_until_ns) {
    held.push_back(std::move(out));
    return;
  }
  release_stalled(*this, now());  // what a finished Stall held goes first
  outbox.push_back(std::move(out));
}

void State::close(const Session& session) {
  if (now() < stall_until_ns) {
    held.push_back(Outgoing{session.socket, {}, true});
    return;
  }
  release_stalled(*this, now());
  outbox.push_back(Outgoing{session.socket, {}, true});
}

void State::close_now(const Session& session) {
  outbox.push_back(Outgoing{session.socket, {}, true});
}

// One thread at a time drains the queue in order; a thread that finds another draining leaves
// its frames to it. The re-check after releasing the flag catches frames queued just before.
void State::flush() {
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

void State::log(const std::string& text) { fault_log.push_back("alpaca: " + text); }

}  // namespace alpaca_detail

namespace {

using alpaca_detail::State;

tl::expected<void, std::string> validate_instrument(const SimInstrumentConfig& c,
                                                    const std::string& key) {
  const Instrument& i = c.instrument;
  auto fail = [&](const std::string& field, const std::string& what) {
    return tl::make_unexpected(key + "." + field + ": " + what);
  };
  if (i.id.symbol.empty()) return fail("instrument.symbol", "must not be empty");
  if (i.price_precision > 8 || i.size_precision > 8) {
    return fail("instrument.price_precision/size_precision", "must be at most 8");
  }
  auto tick = i.tick_size.rescaled(i.price_precision);
  if (!tick || !tick->is_positive()) {
    return fail(
        "instrument.tick_size",
        "must be positive with at most price_precision decimals, got " + i.tick_size.to_string());
  }
  auto lot = i.lot_size.rescaled(i.size_precision);
  if (!lot || !lot->is_positive()) {
    return fail(
        "instrument.lot_size",
        "must be positive with at most size_precision decimals, got " + i.lot_size.to_string());
  }
  if (c.start_price.is_negative()) return fail("start_price", "must not be negative");
  if (!(c.volatility_bps >= 0.0 && c.volatility_bps < 10000.0)) {
    return fail("volatility_bps", "must be in [0, 10000)");
  }
  if (!(c.vol_clustering >= 0.0 && c.vol_clustering < 1.0)) {
    return fail("vol_clustering", "must be in [0, 1)");
  }
  if (c.maker_levels > 1000) return fail("maker_levels", "must be at most 1000");
  if (c.maker_size.is_negative() || c.taker_size.is_negative()) {
    return fail("maker_size/taker_size", "must not be negative");
  }
  return {};
}

}  // namespace

tl::expected<void, std::string> AlpacaFrontEnd::validate(const SimConfig& config) {
  if (config.step_ms <= 0) {
    return tl::make_unexpected("sim.step_ms: must be positive, got " +
                               std::to_string(config.step_ms));
  }
  if (config.api_key.empty()) return tl::make_unexpected("sim.api_key: must not be empty");
  if (config.api_secret.empty()) return tl::make_unexpected("sim.api_secret: must not be empty");
  if (config.instruments.empty()) return tl::make_unexpected("sim.instruments: must not be empty");
  std::set<std::string> symbols;
  for (std::size_t n = 0; n < config.instruments.size(); ++n) {
    const std::string key = "sim.instruments[" + std::to_string(n) + "]";
    if (auto ok = validate_instrument(config.instruments[n], key); !ok) return ok;
    if (!symbols.insert(config.instruments[n].instrument.id.symbol).second) {
      return tl::make_unexpected(key + ".instrument.symbol: duplicate symbol " +
                                 config.instruments[n].instrument.id.symbol);
    }
  }
  return {};
}

AlpacaFrontEnd::AlpacaFrontEnd(const SimConfig& config, const Clock& clock) {
  if (auto ok = validate(config); !ok) {
    std::fprintf(stderr, "troupe::sim::AlpacaFrontEnd: invalid configuration: %s\n",
                 ok.error().c_str());
    std::abort();
  }
  state_ = std::make_unique<State>(config, clock);
}

AlpacaFrontEnd::~AlpacaFrontEnd() = default;

net::HttpResponse AlpacaFrontEnd::handle(const net::HttpRequest& request) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  net::HttpResponse response;
  if (state_->now() < state_->throttle_until_ns) {
    // §1.12: the Trading/Data REST limit answers 429.
    response.status = 429;
    response.body = R"({"code":42910000,"message":"rate limit exceeded"})";
  } else {
    response.status = 404;
    response.body = R"({"code":40410000,"message":"endpoint not found"})";
  }
  return response;
}

std::shared_ptr<net::ServerWebSocketHandler> AlpacaFrontEnd::accept_websocket(
    const net::HttpRequest& request, std::shared_ptr<net::ServerWebSocket> socket) {
  std::shared_ptr<net::ServerWebSocketHandler> handler;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    const std::string_view path = request.path();
    if (path != "/v2/iex" && path != "/v2/sip") return nullptr;
    handler =
        alpaca_detail::accept_session(*state_, std::string(path.substr(4)), std::move(socket));
  }
  state_->flush();
  return handler;
}

void AlpacaFrontEnd::step(TimestampNs now) {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->market.step(now);
    ++state_->counters.steps;
    alpaca_detail::release_stalled(*state_, now);
    alpaca_detail::publish_step(*state_, now);
    alpaca_detail::expire_unauthenticated(*state_, now);
  }
  state_->flush();
}

BookSnapshot AlpacaFrontEnd::book(const std::string& symbol, std::size_t /*depth*/) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  BookSnapshot out;
  const Instrument* instrument = state_->engine.instrument(symbol);
  if (instrument == nullptr) return out;
  out.instrument = instrument->id;
  if (auto bid = state_->engine.best_bid(symbol)) out.bids.push_back(*bid);
  if (auto ask = state_->engine.best_ask(symbol)) out.asks.push_back(*ask);
  out.ts_event = state_->now();
  out.ts_init = out.ts_event;
  return out;
}

FaultReport AlpacaFrontEnd::inject(const FaultSpec& fault) {
  FaultReport report;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    report = alpaca_detail::inject_fault(*state_, fault);
  }
  state_->flush();
  return report;
}

std::vector<FaultKind> AlpacaFrontEnd::supported_faults() const {
  return {FaultKind::Drop,  FaultKind::Duplicate,  FaultKind::Reorder, FaultKind::Malformed,
          FaultKind::Stall, FaultKind::Disconnect, FaultKind::Throttle};
}

std::vector<std::string> AlpacaFrontEnd::fault_log() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->fault_log;
}

AlpacaCounters AlpacaFrontEnd::counters() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->counters;
}

}  // namespace troupe::sim
