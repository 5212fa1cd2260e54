// Publishing: l2_data snapshots and per-step updates (with the armed Drop / Duplicate / Reorder
// faults), market_trades snapshots and 250 ms batches, heartbeats once per second.

#include "adapters/sim/coinbase/coinbase_json.hpp"
#include "adapters/sim/coinbase/coinbase_state.hpp"

#include <variant>

namespace troupe::sim::coinbase_detail {
namespace {

// Snapshots carry event_time 1970-01-01T00:00:00Z (§3.4); clients must fall back to the
// envelope timestamp.
constexpr std::string_view kSnapshotEventTime = "1970-01-01T00:00:00Z";

std::vector<LevelText> take_levels(ProductState& product, std::uint8_t price_precision) {
  std::vector<LevelText> levels;
  levels.reserve(product.bids.size() + product.asks.size());
  for (auto it = product.bids.rbegin(); it != product.bids.rend(); ++it)
    levels.push_back({Side::Buy, Price::from_raw(it->first, price_precision), it->second});
  for (const auto& [raw, size] : product.asks)
    levels.push_back({Side::Sell, Price::from_raw(raw, price_precision), size});
  product.bids.clear();
  product.asks.clear();
  return levels;
}

std::string update_frame(Connection& connection, const std::string& events_json, TimestampNs now) {
  return envelope("l2_data", now, connection.next_sequence++, events_json);
}

void send_update(CoinbaseState& state, Connection& connection, std::string frame) {
  ++state.counters.l2_updates;
  deliver(state, connection, std::move(frame));
}

// Sends one l2_data update of `product` to its subscribers, applying the armed fault if any.
void publish_update(CoinbaseState& state, const std::string& product, ProductState& ps,
                    const std::string& events_json, TimestampNs now) {
  std::size_t affected = 0;
  if (ps.reorder_holding) {
    // The second update of a Reorder goes first, then the held first one (with its older
    // sequence_num), on every connection that holds one.
    ps.reorder_holding = false;
    for (auto& [id, connection] : state.connections) {
      if (connection.level2.count(product) != 0)
        send_update(state, connection, update_frame(connection, events_json, now));
      auto held = connection.reordered.find(product);
      if (held == connection.reordered.end()) continue;
      send_update(state, connection, std::move(held->second));
      connection.reordered.erase(held);
      ++affected;
    }
    ++state.counters.faults;
    state.log("coinbase: reorder carried out for " + product + ": the held l2_data update sent " +
              "after its successor on " + std::to_string(affected) + " connection(s)");
    return;
  }
  const std::optional<FaultKind> fault =
      ps.armed.empty() ? std::nullopt : std::optional<FaultKind>(ps.armed.front());
  if (fault) ps.armed.pop_front();
  for (auto& [id, connection] : state.connections) {
    if (connection.level2.count(product) == 0) continue;
    ++affected;
    std::string frame = update_frame(connection, events_json, now);
    if (fault == FaultKind::Drop) continue;  // its sequence_num is used up: a gap
    if (fault == FaultKind::Reorder) {
      connection.reordered[product] = std::move(frame);
      continue;
    }
    if (fault == FaultKind::Duplicate) send_update(state, connection, frame);
    send_update(state, connection, std::move(frame));
  }
  if (!fault) return;
  if (*fault == FaultKind::Reorder) {
    // Counted once carried out, when the next update releases the held one.
    ps.reorder_holding = true;
    state.log("coinbase: reorder holding an l2_data update of " + product + " on " +
              std::to_string(affected) + " connection(s) until the next one");
    return;
  }
  ++state.counters.faults;
  const std::string what = *fault == FaultKind::Drop ? "withheld (its sequence_num skipped)"
                                                     : "sent twice (same sequence_num)";
  state.log("coinbase: " + std::string(to_string(*fault)) + " carried out for " + product +
            ": l2_data update " + what + " on " + std::to_string(affected) + " connection(s)");
}

void publish_trades(CoinbaseState& state, TimestampNs now) {
  if (state.pending_trades.empty() || now - state.trade_batch_start_ns < kTradeBatchNs) return;
  for (auto& [id, connection] : state.connections) {
    if (connection.market_trades.empty()) continue;
    std::vector<const TradeRecord*> trades;
    for (const TradeRecord& trade : state.pending_trades)
      if (connection.market_trades.count(trade.product) != 0) trades.push_back(&trade);
    if (trades.empty()) continue;
    ++state.counters.trade_messages;
    deliver(
        state, connection,
        envelope("market_trades", now, connection.next_sequence++, trade_events(false, trades)));
  }
  state.pending_trades.clear();
}

void publish_heartbeats(CoinbaseState& state, TimestampNs now) {
  if (now < state.next_heartbeat_ns) return;
  state.next_heartbeat_ns += kHeartbeatNs;
  if (state.next_heartbeat_ns <= now) state.next_heartbeat_ns = now + kHeartbeatNs;
  const std::uint64_t counter = ++state.heartbeat_counter;
  const std::string events = heartbeat_events(go_time(now, state.started_ns), counter);
  for (auto& [id, connection] : state.connections) {
    if (!connection.heartbeats) continue;
    ++state.counters.heartbeats;
    deliver(state, connection, envelope("heartbeats", now, connection.next_sequence++, events));
  }
}

}  // namespace

void collect_events(CoinbaseState& state, TimestampNs now) {
  for (EngineEvent& event : state.engine.take_events()) {
    if (auto* change = std::get_if<LevelChange>(&event)) {
      auto found = state.products.find(change->symbol);
      if (found == state.products.end()) continue;
      auto& side = change->side == Side::Buy ? found->second.bids : found->second.asks;
      side[change->price.raw()] = change->quantity;
    } else if (auto* trade = std::get_if<PublicTrade>(&event)) {
      auto found = state.products.find(trade->symbol);
      if (found == state.products.end()) continue;
      TradeRecord record{trade->symbol,
                         trade->trade_id,
                         trade->price,
                         trade->quantity,
                         trade->aggressor == Side::Buy ? Side::Sell : Side::Buy,
                         now};
      if (state.pending_trades.empty()) state.trade_batch_start_ns = now;
      state.pending_trades.push_back(record);
      found->second.recent.push_back(std::move(record));
      while (found->second.recent.size() > kRecentTrades) found->second.recent.pop_front();
    }
  }
}

void publish(CoinbaseState& state, TimestampNs now) {
  const std::string event_time = rfc3339(now, 6);
  for (auto& [product, ps] : state.products) {
    if (ps.bids.empty() && ps.asks.empty()) continue;
    const Instrument* instrument = state.engine.instrument(product);
    const std::string events =
        l2_events(false, product, take_levels(ps, instrument->price_precision), event_time);
    publish_update(state, product, ps, events, now);
  }
  publish_trades(state, now);
  publish_heartbeats(state, now);
}

void send_snapshot(CoinbaseState& state, Connection& connection, const std::string& product) {
  const DepthSnapshot book = state.engine.snapshot(product, 0);
  std::vector<LevelText> levels;
  levels.reserve(book.bids.size() + book.asks.size());
  for (const BookLevel& level : book.bids) levels.push_back({Side::Buy, level.price, level.size});
  for (const BookLevel& level : book.asks) levels.push_back({Side::Sell, level.price, level.size});
  ++state.counters.snapshots;
  deliver(state, connection,
          envelope("l2_data", state.now(), connection.next_sequence++,
                   l2_events(true, product, levels, kSnapshotEventTime)));
}

void send_trade_snapshot(CoinbaseState& state, Connection& connection,
                         const std::set<std::string>& products) {
  std::vector<const TradeRecord*> trades;
  for (const std::string& product : products) {
    auto found = state.products.find(product);
    if (found == state.products.end()) continue;
    for (const TradeRecord& trade : found->second.recent) trades.push_back(&trade);
  }
  ++state.counters.trade_messages;
  deliver(state, connection,
          envelope("market_trades", state.now(), connection.next_sequence++,
                   trade_events(true, trades)));
}

}  // namespace troupe::sim::coinbase_detail
