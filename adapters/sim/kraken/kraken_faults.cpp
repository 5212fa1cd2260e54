// Fault injection on the Kraken front end (front_end.hpp): the book-update faults are armed
// here and carried out by the next step's feed (kraken_feed.cpp); Malformed, Disconnect, Stall
// and Throttle act at once or open a window of venue time.

#include "adapters/sim/kraken/kraken_state.hpp"

namespace troupe::sim::kraken_detail {
namespace {

constexpr std::int64_t kNsPerMs = 1'000'000;

FaultReport refused(std::string why) { return {false, "kraken: " + std::move(why)}; }

FaultReport arm(KrakenState& state, const FaultSpec& fault, bool SymbolFeed::*flag,
                const std::string& effect) {
  auto feed = state.feeds.find(fault.symbol);
  if (feed == state.feeds.end()) return refused("unknown symbol '" + fault.symbol + "'");
  if (feed->second.*flag)
    return refused(std::string(to_string(fault.kind)) + " already pending for " + fault.symbol);
  feed->second.*flag = true;
  return state.done("kraken: " + std::string(to_string(fault.kind)) + " armed for " + fault.symbol +
                    ": " + effect);
}

FaultReport malformed(KrakenState& state, const std::string& symbol) {
  if (state.feeds.count(symbol) == 0) return refused("unknown symbol '" + symbol + "'");
  // Cut off mid-object: no JSON parser accepts it.
  const std::string garbage = "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"" +
                              symbol + "\",\"bids\":[{\"price\":";
  std::size_t sockets = 0;
  for (auto& [id, session] : state.sessions) {
    if (session.books.count(symbol) == 0 && session.trades.count(symbol) == 0) continue;
    state.send_market(session, garbage);
    ++sockets;
  }
  if (sockets == 0) return refused("no subscribers of " + symbol + " to send a malformed frame to");
  return state.done("kraken: sent a malformed frame for " + symbol + " on " +
                    std::to_string(sockets) + " socket(s)");
}

FaultReport disconnect(KrakenState& state) {
  const std::size_t count = state.sessions.size();
  for (auto& [id, session] : state.sessions) state.close(session.socket);
  state.sessions.clear();
  for (auto& [symbol, feed] : state.feeds) feed.groups.clear();
  return state.done("kraken: closed " + std::to_string(count) + " WebSocket(s)");
}

FaultReport window(KrakenState& state, const FaultSpec& fault, TimestampNs& until,
                   const std::string& effect) {
  if (fault.duration_ms <= 0) {
    return refused(std::string(to_string(fault.kind)) + " needs duration_ms > 0, got " +
                   std::to_string(fault.duration_ms));
  }
  until = state.now() + fault.duration_ms * kNsPerMs;
  return state.done("kraken: " + std::string(to_string(fault.kind)) + " for " +
                    std::to_string(fault.duration_ms) + " ms: " + effect);
}

}  // namespace

FaultReport inject_fault(KrakenState& state, const FaultSpec& fault) {
  switch (fault.kind) {
    case FaultKind::Drop:
      return arm(state, fault, &SymbolFeed::drop,
                 "the next book update is withheld (the one after fails its checksum)");
    case FaultKind::Duplicate:
      return arm(state, fault, &SymbolFeed::duplicate, "the next book update is sent twice");
    case FaultKind::Reorder:
      return arm(state, fault, &SymbolFeed::reorder,
                 "the next two book updates are sent in swapped order");
    case FaultKind::CorruptChecksum:
      return arm(state, fault, &SymbolFeed::corrupt,
                 "the next book update carries a wrong checksum");
    case FaultKind::Malformed:
      return malformed(state, fault.symbol);
    case FaultKind::Stall:
      return window(state, fault, state.stalled_until_ns,
                    "every book, trade and heartbeat frame is dropped; sockets stay open");
    case FaultKind::Disconnect:
      return disconnect(state);
    case FaultKind::Throttle:
      return window(state, fault, state.throttled_until_ns,
                    "subscribe requests are answered \"Exceeded msg rate\"");
  }
  return refused("unknown fault kind");
}

}  // namespace troupe::sim::kraken_detail
