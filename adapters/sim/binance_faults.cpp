// The generic fault kinds of front_end.hpp on the Binance front end: arming Duplicate and
// Reorder (carried out when the next depth events are emitted, binance_depth.cpp), Stall and
// Throttle windows, and the dispatch of FaultSpec.

#include "adapters/sim/binance_state.hpp"

namespace troupe::sim::detail {
namespace {

constexpr std::int64_t kNsPerMs = 1'000'000;

FaultReport done(VenueState& state, std::string text) {
  ++state.counters.faults_injected;
  state.fault_log.push_back(text);
  return {true, std::move(text)};
}

FaultReport unknown_symbol(const std::string& symbol) {
  return {false, "binance: unknown symbol '" + symbol + "'"};
}

FaultReport bad_duration(FaultKind kind, std::int64_t duration_ms) {
  return {false, "binance: " + std::string(to_string(kind)) + " needs duration_ms > 0, got " +
                     std::to_string(duration_ms)};
}

}  // namespace

FaultReport duplicate(VenueState& state, const std::string& symbol) {
  auto found = state.symbols.find(symbol);
  if (found == state.symbols.end()) return unknown_symbol(symbol);
  found->second.duplicate_fast = true;
  return done(state, "duplicate armed for " + symbol +
                         ": the next depth event on @depth@100ms will be sent twice");
}

FaultReport reorder(VenueState& state, const std::string& symbol) {
  auto found = state.symbols.find(symbol);
  if (found == state.symbols.end()) return unknown_symbol(symbol);
  if (found->second.reorder_fast)
    return {false, "binance: a reorder is already pending for " + symbol};
  found->second.reorder_fast = true;
  return done(state, "reorder armed for " + symbol +
                         ": the next two depth events on @depth@100ms will be swapped");
}

FaultReport stall(VenueState& state, std::int64_t duration_ms) {
  if (duration_ms <= 0) return bad_duration(FaultKind::Stall, duration_ms);
  state.stalled_until_ns = state.now() + duration_ms * kNsPerMs;
  return done(state, "stall: market-data frames dropped for " + std::to_string(duration_ms) +
                         " ms; " + std::to_string(state.market_sessions.size()) +
                         " socket(s) stay open");
}

FaultReport throttle(VenueState& state, std::int64_t duration_ms) {
  if (duration_ms <= 0) return bad_duration(FaultKind::Throttle, duration_ms);
  state.throttled_until_ns = state.now() + duration_ms * kNsPerMs;
  return done(state,
              "throttle: REST answers 429 (-1003) and new market-data WebSockets are "
              "refused for " +
                  std::to_string(duration_ms) + " ms");
}

FaultReport inject_fault(VenueState& state, const FaultSpec& fault) {
  switch (fault.kind) {
    case FaultKind::Drop:
      return gap(state, fault.symbol);
    case FaultKind::Duplicate:
      return duplicate(state, fault.symbol);
    case FaultKind::Reorder:
      return reorder(state, fault.symbol);
    case FaultKind::CorruptChecksum:
      return {false,
              "binance: corrupt_checksum is not supported: binance depth streams carry no "
              "checksum"};
    case FaultKind::Malformed:
      return malformed_frame(state, fault.symbol);
    case FaultKind::Stall:
      return stall(state, fault.duration_ms);
    case FaultKind::Disconnect:
      return disconnect(state);
    case FaultKind::Throttle:
      return throttle(state, fault.duration_ms);
  }
  return {false, "binance: unknown fault kind"};
}

}  // namespace troupe::sim::detail
