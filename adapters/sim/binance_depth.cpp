// Stream publishing: depth batches (U/u from the engine's book update ids), trades, and the
// market-data fault injections.

#include "adapters/json/json_writer.hpp"
#include "adapters/sim/binance_json.hpp"
#include "adapters/sim/binance_state.hpp"

#include <cctype>

namespace troupe::sim::detail {
namespace {

constexpr TimestampNs kSlowDepthIntervalNs = 1'000'000'000;
constexpr std::size_t kRecentDepthEvents = 2;

std::string stream_name(const std::string& symbol, std::string_view suffix) {
  std::string out = symbol;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out + std::string(suffix);
}

std::string_view suffix(DepthSpeed speed) {
  return speed == DepthSpeed::Fast ? "@depth@100ms" : "@depth";
}

// Sends `payload` to every session subscribed to `stream`; returns how many got it.
std::size_t send_on_stream(VenueState& state, const std::string& stream,
                           const std::string& payload) {
  std::size_t count = 0;
  for (auto& [id, session] : state.market_sessions) {
    if (session.streams.count(stream) == 0) continue;
    if (stalled(state)) {  // a stalled feed: the frame is lost, the socket stays open
      ++state.stalled_frames;
      continue;
    }
    if (session.combined) {
      json::JsonWriter w;
      state.send(
          session.socket,
          w.begin_object().field("stream", stream).key("data").raw(payload).end_object().take());
    } else {
      state.send(session.socket, payload);
    }
    ++count;
  }
  return count;
}

void add_change(DepthBatch& batch, const LevelChange& change, TimestampNs now) {
  if (batch.first_update_id == 0) {
    batch.first_update_id = change.update_id;
    batch.started_ns = now;
  }
  batch.last_update_id = change.update_id;
  auto& side = change.side == Side::Buy ? batch.bids : batch.asks;
  side[change.price.raw()] = change.quantity;
}

void log_fault(VenueState& state, std::string text) { state.fault_log.push_back(std::move(text)); }

void remember(std::deque<SentDepth>& recent, SentDepth sent) {
  recent.push_back(std::move(sent));
  while (recent.size() > kRecentDepthEvents) recent.pop_front();
}

std::string range_text(std::uint64_t first, std::uint64_t last) {
  return "U=" + std::to_string(first) + " u=" + std::to_string(last);
}

void emit(VenueState& state, const std::string& symbol, DepthSpeed speed, TimestampNs now) {
  SymbolStreams& streams = state.symbols[symbol];
  const bool fast = speed == DepthSpeed::Fast;
  DepthBatch& batch = fast ? streams.fast : streams.slow;
  bool& gap_armed = fast ? streams.gap_fast : streams.gap_slow;
  const std::string name = stream_name(symbol, suffix(speed));
  SentDepth sent{depth_event(symbol, batch, *state.engine.instrument(symbol), now),
                 batch.first_update_id, batch.last_update_id};
  batch = DepthBatch{};
  if (gap_armed) {
    gap_armed = false;
    log_fault(state, "withheld depthUpdate " +
                         range_text(sent.first_update_id, sent.last_update_id) + " on " + name);
    return;
  }
  if (fast && streams.reorder_fast) {
    if (!streams.held_fast) {
      log_fault(state, "held depthUpdate " + range_text(sent.first_update_id, sent.last_update_id) +
                           " on " + name + " to send it after the next one");
      streams.held_fast = std::move(sent);
      return;
    }
    SentDepth held = std::move(*streams.held_fast);
    streams.held_fast.reset();
    streams.reorder_fast = false;
    log_fault(state, "sent depthUpdate " + range_text(sent.first_update_id, sent.last_update_id) +
                         " before the held " +
                         range_text(held.first_update_id, held.last_update_id) + " on " + name);
    state.counters.depth_events += send_on_stream(state, name, sent.json);
    remember(streams.recent_fast, std::move(sent));
    sent = std::move(held);
  }
  state.counters.depth_events += send_on_stream(state, name, sent.json);
  if (fast && streams.duplicate_fast) {
    streams.duplicate_fast = false;
    log_fault(state, "sent depthUpdate " + range_text(sent.first_update_id, sent.last_update_id) +
                         " twice on " + name);
    state.counters.depth_events += send_on_stream(state, name, sent.json);
  }
  remember(fast ? streams.recent_fast : streams.recent_slow, std::move(sent));
}

}  // namespace

void record_level_change(VenueState& state, const LevelChange& change, TimestampNs now) {
  SymbolStreams& streams = state.symbols[change.symbol];
  add_change(streams.fast, change, now);
  add_change(streams.slow, change, now);
}

void publish_trade(VenueState& state, const PublicTrade& trade, TimestampNs now) {
  state.counters.trade_events +=
      send_on_stream(state, stream_name(trade.symbol, "@trade"), trade_event(trade, now));
}

void flush_depth(VenueState& state, TimestampNs now) {
  for (auto& [symbol, streams] : state.symbols) {
    if (streams.fast.first_update_id != 0) emit(state, symbol, DepthSpeed::Fast, now);
    if (streams.slow.first_update_id != 0 && now - streams.slow.started_ns >= kSlowDepthIntervalNs)
      emit(state, symbol, DepthSpeed::Slow, now);
  }
}

FaultReport gap(VenueState& state, const std::string& symbol) {
  auto found = state.symbols.find(symbol);
  if (found == state.symbols.end()) return {false, "unknown symbol '" + symbol + "'"};
  found->second.gap_fast = true;
  found->second.gap_slow = true;
  ++state.counters.faults_injected;
  std::string text = "depth gap armed for " + symbol +
                     ": the next depth event on @depth@100ms and on @depth will be withheld";
  log_fault(state, text);
  return {true, text};
}

FaultReport malformed_frame(VenueState& state, const std::string& symbol) {
  if (state.symbols.count(symbol) == 0) return {false, "unknown symbol '" + symbol + "'"};
  // Truncated mid-object: no JSON parser accepts it.
  const std::string garbage = "{\"e\":\"depthUpdate\",\"E\":" + std::to_string(to_ms(state.now())) +
                              ",\"s\":\"" + symbol + "\",\"U\":";
  std::size_t sockets = 0;
  for (DepthSpeed speed : {DepthSpeed::Fast, DepthSpeed::Slow}) {
    const std::string name = stream_name(symbol, suffix(speed));
    for (auto& [id, session] : state.market_sessions) {
      if (session.streams.count(name) == 0) continue;
      ++sockets;
      if (stalled(state)) {
        ++state.stalled_frames;
        continue;
      }
      state.send(session.socket, garbage);
    }
  }
  if (sockets == 0) return {false, "no depth stream subscribers for " + symbol};
  ++state.counters.faults_injected;
  std::string text = "sent a malformed depth frame for " + symbol + " on " +
                     std::to_string(sockets) + " stream subscription(s)";
  log_fault(state, text);
  return {true, text};
}

FaultReport out_of_sequence(VenueState& state, const std::string& symbol) {
  auto found = state.symbols.find(symbol);
  if (found == state.symbols.end()) return {false, "unknown symbol '" + symbol + "'"};
  std::string text;
  for (DepthSpeed speed : {DepthSpeed::Fast, DepthSpeed::Slow}) {
    const auto& recent =
        speed == DepthSpeed::Fast ? found->second.recent_fast : found->second.recent_slow;
    if (recent.empty()) continue;
    const SentDepth& old = recent.front();
    const std::string name = stream_name(symbol, suffix(speed));
    const std::size_t count = send_on_stream(state, name, old.json);
    text += (text.empty() ? "" : "; ") + std::string("re-sent depthUpdate ") +
            range_text(old.first_update_id, old.last_update_id) + " on " + name + " to " +
            std::to_string(count) + " subscription(s)";
  }
  if (text.empty()) return {false, "no depth event sent yet for " + symbol};
  ++state.counters.faults_injected;
  log_fault(state, text);
  return {true, text};
}

FaultReport disconnect(VenueState& state) {
  const std::size_t count = state.market_sessions.size();
  for (auto& [id, session] : state.market_sessions) state.close(session.socket);
  state.market_sessions.clear();
  ++state.counters.faults_injected;
  std::string text = "closed " + std::to_string(count) + " market-data WebSocket(s)";
  log_fault(state, text);
  return {true, text};
}

}  // namespace troupe::sim::detail
