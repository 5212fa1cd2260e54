// Fault injection (sim::FaultKind) for the Coinbase market-data streams. Drop, Duplicate and
// Reorder arm the product's next l2_data update(s) (carried out in coinbase_publish.cpp);
// Malformed, Stall, Throttle and Disconnect act now.

#include "adapters/sim/coinbase/coinbase_json.hpp"
#include "adapters/sim/coinbase/coinbase_state.hpp"

namespace troupe::sim::coinbase_detail {
namespace {

std::string prefix(const FaultSpec& fault) {
  return "coinbase: " + std::string(to_string(fault.kind));
}

FaultReport arm(CoinbaseState& state, const FaultSpec& fault) {
  auto found = state.products.find(fault.symbol);
  if (found == state.products.end())
    return {false, prefix(fault) + ": unknown product id \"" + fault.symbol + "\""};
  found->second.armed.push_back(fault.kind);
  const std::string what = fault.kind == FaultKind::Drop ? "withhold the next l2_data update"
                           : fault.kind == FaultKind::Duplicate
                               ? "send the next l2_data update twice with the same sequence_num"
                               : "swap the next two l2_data updates";
  std::string text = prefix(fault) + " armed for " + fault.symbol + ": " + what;
  state.log(text);
  return {true, std::move(text)};
}

FaultReport malformed(CoinbaseState& state, const FaultSpec& fault) {
  if (state.products.count(fault.symbol) == 0)
    return {false, prefix(fault) + ": unknown product id \"" + fault.symbol + "\""};
  std::size_t sent = 0;
  for (auto& [id, connection] : state.connections) {
    if (connection.level2.count(fault.symbol) == 0) continue;
    // An l2_data message cut off mid-object: it uses up a sequence_num like any message.
    std::string frame = envelope("l2_data", state.now(), connection.next_sequence++,
                                 R"([{"type":"update","product_id":")" + fault.symbol + "\"}]");
    frame.resize(frame.size() - 6);
    deliver(state, connection, std::move(frame));
    ++sent;
  }
  if (sent == 0) return {false, prefix(fault) + ": no level2 subscriber of " + fault.symbol};
  ++state.counters.faults;
  std::string text = prefix(fault) + ": sent a truncated l2_data frame for " + fault.symbol +
                     " on " + std::to_string(sent) + " connection(s)";
  state.log(text);
  return {true, std::move(text)};
}

FaultReport timed(CoinbaseState& state, const FaultSpec& fault) {
  if (fault.duration_ms <= 0)
    return {false, prefix(fault) + ": duration_ms must be positive, got " +
                       std::to_string(fault.duration_ms)};
  const TimestampNs until = state.now() + fault.duration_ms * 1'000'000;
  TimestampNs& slot =
      fault.kind == FaultKind::Stall ? state.stall_until_ns : state.throttle_until_ns;
  if (until > slot) slot = until;
  ++state.counters.faults;
  std::string text =
      prefix(fault) + " for " + std::to_string(fault.duration_ms) + " ms: " +
      (fault.kind == FaultKind::Stall
           ? "no frames (heartbeats included) on any market-data socket, sockets kept open"
           : "subscribe/unsubscribe get the rate-limit error, new connections are refused");
  state.log(text);
  return {true, std::move(text)};
}

FaultReport disconnect(CoinbaseState& state, const FaultSpec& fault) {
  const std::size_t count = state.connections.size();
  for (auto& [id, connection] : state.connections) state.close(connection.socket);
  state.connections.clear();
  ++state.counters.faults;
  std::string text = prefix(fault) + ": closed " + std::to_string(count) + " market-data socket(s)";
  state.log(text);
  return {true, std::move(text)};
}

}  // namespace

FaultReport inject_fault(CoinbaseState& state, const FaultSpec& fault) {
  switch (fault.kind) {
    case FaultKind::Drop:
    case FaultKind::Duplicate:
    case FaultKind::Reorder:
      return arm(state, fault);
    case FaultKind::CorruptChecksum:
      return {false,
              prefix(fault) + ": not supported: Coinbase level2 messages carry no checksum (§3.4)"};
    case FaultKind::Malformed:
      return malformed(state, fault);
    case FaultKind::Stall:
    case FaultKind::Throttle:
      return timed(state, fault);
    case FaultKind::Disconnect:
      return disconnect(state, fault);
  }
  return {false, "coinbase: unknown fault kind"};
}

}  // namespace troupe::sim::coinbase_detail
