// The data feed of the simulated Alpaca venue: minute bars at minute boundaries of venue time,
// trades as the engine reports them, one quote per symbol whose top of book changed, and the
// fault injections that act on them (exchange-protocols.md §1.11, §5).

#include "adapters/sim/alpaca/alpaca_state.hpp"

#include <algorithm>

namespace troupe::sim::alpaca_detail {
namespace {

constexpr TimestampNs kMinuteNs = 60'000'000'000;

bool wants(const std::set<std::string>& subscribed, const std::string& symbol) {
  return subscribed.count(symbol) > 0 || subscribed.count("*") > 0;
}

bool wants(const Session& session, const Item& item) {
  switch (item.channel) {
    case Channel::Trades:
      return wants(session.trades, item.symbol);
    case Channel::Quotes:
      return wants(session.quotes, item.symbol);
    case Channel::Bars:
      return wants(session.bars, item.symbol);
  }
  return false;
}

void add_to_bar(BarBuilder& bar, const PublicTrade& trade, TimestampNs minute) {
  if (bar.trade_count == 0) {
    bar.minute_start = minute;
    bar.open = bar.high = bar.low = trade.price;
    bar.volume = Quantity::from_raw(0, trade.quantity.precision());
  }
  bar.high = std::max(bar.high, trade.price);
  bar.low = std::min(bar.low, trade.price);
  bar.close = trade.price;
  bar.volume += trade.quantity;
  ++bar.trade_count;
  bar.notional_raw += static_cast<__int128>(trade.price.raw()) * trade.quantity.raw();
}

/// Turns a changed top of book into quote items, applying the symbol's armed faults.
void quote(State& state, const std::string& symbol, SymbolFeed& feed, TimestampNs now,
           std::vector<Item>& items) {
  Top top{state.engine.best_bid(symbol), state.engine.best_ask(symbol)};
  if (top == feed.published) return;
  feed.published = top;
  ++state.counters.quotes_generated;
  std::string json = quote_json(symbol, top, now);
  if (feed.drop_next) {
    feed.drop_next = false;
    ++state.counters.quotes_withheld;
    state.log("withheld a quote of " + symbol + " (drop)");
    return;
  }
  if (feed.reorder_next) {
    feed.reorder_next = false;
    feed.held = std::move(json);
    state.log("holding a quote of " + symbol + " back until the next one (reorder)");
    return;
  }
  items.push_back(Item{Channel::Quotes, symbol, json});
  if (feed.duplicate_next) {
    feed.duplicate_next = false;
    items.push_back(Item{Channel::Quotes, symbol, json});
    state.log("sent a quote of " + symbol + " twice (duplicate)");
  }
  if (feed.held) {
    items.push_back(Item{Channel::Quotes, symbol, std::move(*feed.held)});
    feed.held.reset();
    state.log("sent the held quote of " + symbol + " after the newer one (reorder)");
  }
}

/// One frame per authenticated session with the items it subscribed to (§1.11: data batched).
void send_items(State& state, const std::vector<Item>& items) {
  if (items.empty()) return;
  for (auto& [id, session] : state.sessions) {
    if (!session.authenticated) continue;
    std::string frame;
    for (const Item& item : items) {
      if (!wants(session, item)) continue;
      frame.append(frame.empty() ? "[" : ",").append(item.json);
    }
    if (frame.empty()) continue;
    frame.push_back(']');
    state.send(session, std::move(frame));
  }
}

FaultReport malformed(State& state, const std::string& symbol) {
  // Truncated mid-object: no JSON parser accepts it.
  const std::string garbage = R"([{"T":"q","S":")" + symbol + R"(","bp":)";
  std::size_t sessions = 0;
  for (auto& [id, session] : state.sessions) {
    if (!session.authenticated ||
        (!wants(session.quotes, symbol) && !wants(session.trades, symbol))) {
      continue;
    }
    ++sessions;
    state.send(session, garbage);
  }
  if (sessions == 0)
    return {false, "alpaca: no subscribers of " + symbol + " for a malformed frame"};
  return {true, "sent a malformed frame for " + symbol + " on " + std::to_string(sessions) +
                    " connection(s)"};
}

FaultReport disconnect(State& state) {
  const std::size_t count = state.sessions.size();
  for (auto& [id, session] : state.sessions) {
    const auto socket = session.socket;
    std::erase_if(state.held, [&](const Outgoing& out) { return out.socket == socket; });
    state.close_now(session);
  }
  state.sessions.clear();
  return {true, "closed " + std::to_string(count) + " stream connection(s)"};
}

}  // namespace

void publish_step(State& state, TimestampNs now) {
  std::vector<Item> items;
  const TimestampNs minute = now - now % kMinuteNs;
  for (auto& [symbol, feed] : state.symbols) {
    if (feed.bar.trade_count == 0 || feed.bar.minute_start >= minute) continue;
    items.push_back(
        Item{Channel::Bars, symbol, bar_json(symbol, feed.bar, feed.instrument->price_precision)});
    ++state.counters.bars;
    feed.bar = BarBuilder{};
  }
  for (EngineEvent& event : state.engine.take_events()) {
    const auto* trade = std::get_if<PublicTrade>(&event);
    if (trade == nullptr) continue;
    auto it = state.symbols.find(trade->symbol);
    if (it == state.symbols.end()) continue;
    add_to_bar(it->second.bar, *trade, minute);
    items.push_back(Item{Channel::Trades, trade->symbol, trade_json(*trade, now)});
    ++state.counters.trades;
  }
  for (auto& [symbol, feed] : state.symbols) quote(state, symbol, feed, now, items);
  send_items(state, items);
}

void release_stalled(State& state, TimestampNs now) {
  if (now < state.stall_until_ns || state.held.empty()) return;
  state.outbox.insert(state.outbox.end(), std::make_move_iterator(state.held.begin()),
                      std::make_move_iterator(state.held.end()));
  state.held.clear();
}

FaultReport inject_fault(State& state, const FaultSpec& fault) {
  const TimestampNs now = state.now();
  FaultReport report{true, ""};
  SymbolFeed* feed = nullptr;
  if (fault.kind == FaultKind::Drop || fault.kind == FaultKind::Duplicate ||
      fault.kind == FaultKind::Reorder || fault.kind == FaultKind::Malformed) {
    auto it = state.symbols.find(fault.symbol);
    if (it == state.symbols.end()) {
      return {false, "alpaca: " + std::string(to_string(fault.kind)) + ": unknown symbol '" +
                         fault.symbol + "'"};
    }
    feed = &it->second;
  }
  if ((fault.kind == FaultKind::Stall || fault.kind == FaultKind::Throttle) &&
      fault.duration_ms <= 0) {
    return {false, "alpaca: " + std::string(to_string(fault.kind)) +
                       ": duration_ms must be positive, got " + std::to_string(fault.duration_ms)};
  }
  switch (fault.kind) {
    case FaultKind::Drop:
      feed->drop_next = true;
      report.description = "drop armed for " + fault.symbol + ": the next quote is withheld";
      break;
    case FaultKind::Duplicate:
      feed->duplicate_next = true;
      report.description = "duplicate armed for " + fault.symbol + ": the next quote goes twice";
      break;
    case FaultKind::Reorder:
      feed->reorder_next = true;
      report.description =
          "reorder armed for " + fault.symbol + ": the next two quotes go in swapped order";
      break;
    case FaultKind::CorruptChecksum:
      return {false,
              "alpaca: the data v2 stream has no checksum; corrupt_checksum is not "
              "supported"};
    case FaultKind::Malformed:
      report = malformed(state, fault.symbol);
      if (!report.done) return report;
      break;
    case FaultKind::Stall:
      state.stall_until_ns = std::max(state.stall_until_ns, now + fault.duration_ms * 1'000'000);
      report.description = "holding every stream frame for " + std::to_string(fault.duration_ms) +
                           " ms (sockets stay open)";
      break;
    case FaultKind::Disconnect:
      report = disconnect(state);
      break;
    case FaultKind::Throttle:
      state.throttle_until_ns = now + fault.duration_ms * 1'000'000;
      report.description =
          "refusing new connections with 406 for " + std::to_string(fault.duration_ms) + " ms";
      break;
  }
  ++state.counters.faults_injected;
  state.log(report.description);
  report.description = "alpaca: " + report.description;
  return report;
}

}  // namespace troupe::sim::alpaca_detail
