#include "adapters/sim/kraken/kraken_front_end.hpp"

#include "adapters/sim/http_params.hpp"
#include "adapters/sim/kraken/kraken_state.hpp"
#include "adapters/sim/random.hpp"

#include <cstdio>
#include <cstdlib>
#include <set>

namespace troupe::sim {
namespace {

using kraken_detail::KrakenState;

tl::expected<void, std::string> validate_instrument(const SimInstrumentConfig& c,
                                                    const std::string& key) {
  const Instrument& i = c.instrument;
  auto fail = [&](const std::string& field, const std::string& what) {
    return tl::make_unexpected(key + "." + field + ": " + what);
  };
  const std::string& symbol = i.id.symbol;
  const std::size_t slash = symbol.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == symbol.size() ||
      symbol.find('/', slash + 1) != std::string::npos)
    return fail("instrument.symbol", "must be BASE/QUOTE (Kraken WS v2), got '" + symbol + "'");
  if (i.price_precision > 8 || i.size_precision > 8)
    return fail("instrument.price_precision/size_precision", "must be at most 8");
  auto tick = i.tick_size.rescaled(i.price_precision);
  if (!tick || !tick->is_positive())
    return fail("instrument.tick_size",
                "must be positive with at most price_precision decimals, "
                "got " +
                    i.tick_size.to_string());
  auto lot = i.lot_size.rescaled(i.size_precision);
  if (!lot || !lot->is_positive())
    return fail("instrument.lot_size",
                "must be positive with at most size_precision decimals, "
                "got " +
                    i.lot_size.to_string());
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

/// Receives the messages of one /v2 socket.
class SessionHandler final : public net::ServerWebSocketHandler {
 public:
  SessionHandler(KrakenState& state, std::uint64_t id) : state_(&state), id_(id) {}

  void on_message(std::string_view payload) override {
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      kraken_detail::on_client_message(*state_, id_, payload);
    }
    state_->flush();
  }

  // Runs when the client is gone; must not flush (it may be called from inside a send).
  void on_close() override {
    std::lock_guard<std::mutex> lock(state_->mutex);
    auto found = state_->sessions.find(id_);
    if (found == state_->sessions.end()) return;
    std::vector<std::string> symbols;
    for (const auto& [symbol, depth] : found->second.books) symbols.push_back(symbol);
    state_->sessions.erase(found);
    for (const std::string& symbol : symbols) kraken_detail::prune_groups(*state_, symbol);
  }

 private:
  KrakenState* state_;
  std::uint64_t id_;
};

net::HttpResponse kraken_rest_error(int status, const std::string& error) {
  net::HttpResponse response;
  response.status = status;
  response.body = "{\"error\":[\"" + error + "\"]}";
  return response;
}

}  // namespace

namespace kraken_detail {

KrakenState::KrakenState(const SimConfig& config_in, const Clock& clock_in)
    : config(config_in), clock(&clock_in), market(config, engine) {
  for (const std::string& symbol : engine.symbols())
    feeds[symbol].instrument = engine.instrument(symbol);
}

void KrakenState::send(const std::shared_ptr<net::ServerWebSocket>& socket, std::string text) {
  outbox.push_back(Outgoing{socket, std::move(text), false});
}

bool KrakenState::send_market(Session& session, std::string text) {
  if (stalled()) {
    ++counters.stalled_frames;
    return false;
  }
  session.last_sent_ns = now();
  send(session.socket, std::move(text));
  return true;
}

void KrakenState::close(const std::shared_ptr<net::ServerWebSocket>& socket) {
  outbox.push_back(Outgoing{socket, {}, true});
}

// As the Binance front end: one thread at a time drains the queue in order; a thread that finds
// another draining leaves its frames to it. The re-check after releasing the flag catches frames
// queued just before.
void KrakenState::flush() {
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

FaultReport KrakenState::done(std::string text) {
  ++counters.faults_injected;
  fault_log.push_back(text);
  return {true, std::move(text)};
}

}  // namespace kraken_detail

tl::expected<void, std::string> KrakenFrontEnd::validate(const SimConfig& config) {
  if (config.step_ms <= 0)
    return tl::make_unexpected("sim.step_ms: must be positive, got " +
                               std::to_string(config.step_ms));
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

KrakenFrontEnd::KrakenFrontEnd(const SimConfig& config, const Clock& clock) {
  if (auto ok = validate(config); !ok) {
    std::fprintf(stderr, "troupe::sim::KrakenFrontEnd: invalid configuration: %s\n",
                 ok.error().c_str());
    std::abort();
  }
  state_ = std::make_unique<KrakenState>(config, clock);
}

KrakenFrontEnd::~KrakenFrontEnd() = default;

net::HttpResponse KrakenFrontEnd::handle(const net::HttpRequest& request) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (state_->throttled()) return kraken_rest_error(429, "EAPI:Rate limit exceeded");
  return kraken_rest_error(404, "EGeneral:Unknown method");
}

std::shared_ptr<net::ServerWebSocketHandler> KrakenFrontEnd::accept_websocket(
    const net::HttpRequest& request, std::shared_ptr<net::ServerWebSocket> socket) {
  std::shared_ptr<net::ServerWebSocketHandler> handler;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (split_target(request.target).first != "/v2") return nullptr;
    const std::uint64_t id = state_->next_session_id++;
    kraken_detail::Session session;
    session.socket = std::move(socket);
    // Stable per seed, so runs are reproducible; Kraken's ids are opaque integers.
    session.connection_id = derive_seed(state_->config.seed, id) >> 11;
    session.last_sent_ns = state_->now();
    // §4.1: a `status` message greets every connection.
    state_->send(session.socket,
                 "{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"version\":\"2.0.0\","
                 "\"system\":\"online\",\"api_version\":\"v2\",\"connection_id\":" +
                     std::to_string(session.connection_id) + "}]}");
    state_->sessions.emplace(id, std::move(session));
    ++state_->counters.connections;
    handler = std::make_shared<SessionHandler>(*state_, id);
  }
  state_->flush();
  return handler;
}

void KrakenFrontEnd::step(TimestampNs now) {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->market.step(now);
    ++state_->counters.steps;
    kraken_detail::publish_step(*state_, now);
  }
  state_->flush();
}

BookSnapshot KrakenFrontEnd::book(const std::string& symbol, std::size_t depth) const {
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

FaultReport KrakenFrontEnd::inject(const FaultSpec& fault) {
  FaultReport report;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    report = kraken_detail::inject_fault(*state_, fault);
  }
  state_->flush();
  return report;
}

std::vector<FaultKind> KrakenFrontEnd::supported_faults() const {
  return {
      FaultKind::Drop,      FaultKind::Duplicate, FaultKind::Reorder,    FaultKind::CorruptChecksum,
      FaultKind::Malformed, FaultKind::Stall,     FaultKind::Disconnect, FaultKind::Throttle};
}

std::vector<std::string> KrakenFrontEnd::fault_log() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->fault_log;
}

KrakenCounters KrakenFrontEnd::counters() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->counters;
}

}  // namespace troupe::sim
