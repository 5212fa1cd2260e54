// The per-step feed: book updates per subscribed depth (only levels within that depth; no
// delete for a level that merely fell out of scope, §4.2), trade frames, heartbeats (§4.1), and
// the book-update faults (drop, duplicate, reorder, corrupt checksum) applied on the way out.

#include "adapters/json/json_writer.hpp"
#include "adapters/sim/kraken/kraken_state.hpp"

#include <type_traits>
#include <unordered_map>

namespace troupe::sim::kraken_detail {
namespace {

template <class Levels>
void fill(Levels& out, const std::vector<BookLevel>& levels, std::size_t depth) {
  out.clear();
  for (const BookLevel& level : levels) {
    if (depth != 0 && out.size() == depth) break;
    out.emplace(level.price.raw(), level.size);
  }
}

template <class Levels>
std::string levels_json(const Levels& levels, const Instrument& instrument) {
  std::string out;
  for (const auto& [price, qty] : levels) append_level(out, price, qty, instrument);
  return out;
}

// The levels to send so that a client holding `before`, applying them and truncating to the
// depth, holds `after`: every level of `after` that is new or changed, and qty 0 for levels of
// `before` that left the book. A level of `before` still in the book (`full`) but outside
// `after` was pushed out of scope by better ones: the client's truncation removes it.
template <class Levels>
std::string diff_json(const Levels& before, const Levels& after, const Levels& full,
                      const Instrument& instrument) {
  std::string out;
  for (const auto& [price, qty] : after) {
    auto old = before.find(price);
    if (old == before.end() || old->second != qty) append_level(out, price, qty, instrument);
  }
  for (const auto& [price, qty] : before) {
    if (after.count(price) == 0 && full.count(price) == 0)
      append_level(out, price, Quantity::from_raw(0, instrument.size_precision), instrument);
  }
  return out;
}

std::string_view side_text(Side side) { return side == Side::Buy ? "buy" : "sell"; }

std::string trade_item(const PublicTrade& trade, OrderType taker_type, TimestampNs now) {
  json::JsonWriter w;
  w.begin_object()
      .field("symbol", trade.symbol)
      .field("side", side_text(trade.aggressor))
      .key("price")
      .raw(trade.price.to_string())
      .key("qty")
      .raw(trade.quantity.to_string())
      .field("ord_type", taker_type == OrderType::Market ? "market" : "limit")
      .field("trade_id", trade.trade_id)
      .field("timestamp", rfc3339(now));
  return w.end_object().take();
}

std::string trade_frame(bool snapshot, const std::deque<std::string>& items) {
  std::string data;
  for (const std::string& item : items) {
    if (!data.empty()) data += ',';
    data += item;
  }
  return std::string("{\"channel\":\"trade\",\"type\":\"") + (snapshot ? "snapshot" : "update") +
         "\",\"data\":[" + data + "]}";
}

std::vector<std::uint64_t> book_subscribers(const KrakenState& state, const std::string& symbol,
                                            std::uint32_t depth) {
  std::vector<std::uint64_t> out;
  for (const auto& [id, session] : state.sessions) {
    auto found = session.books.find(symbol);
    if (found != session.books.end() && found->second == depth) out.push_back(id);
  }
  return out;
}

template <class Ids>
void send_update(KrakenState& state, const Ids& ids, const std::string& text,
                 const std::string& symbol, std::uint32_t depth) {
  for (std::uint64_t id : ids) {
    auto session = state.sessions.find(id);
    if (session == state.sessions.end()) continue;
    auto book = session->second.books.find(symbol);
    if (book == session->second.books.end() || book->second != depth) continue;
    if (state.send_market(session->second, text)) ++state.counters.book_updates;
  }
}

void log(KrakenState& state, std::string text) { state.fault_log.push_back(std::move(text)); }

// One step's book updates of one symbol, one per depth group whose top changed.
void publish_book(KrakenState& state, const std::string& symbol, SymbolFeed& feed,
                  TimestampNs now) {
  if (feed.groups.empty()) return;
  const Instrument& instrument = *feed.instrument;
  const DepthSnapshot full = state.engine.snapshot(symbol, 0);
  BidLevels all_bids;
  AskLevels all_asks;
  fill(all_bids, full.bids, 0);
  fill(all_asks, full.asks, 0);
  bool had_update = false;
  bool held_now = false;
  for (auto& [depth, group] : feed.groups) {
    BidLevels bids;
    AskLevels asks;
    fill(bids, full.bids, depth);
    fill(asks, full.asks, depth);
    const std::string bids_json = diff_json(group.bids, bids, all_bids, instrument);
    const std::string asks_json = diff_json(group.asks, asks, all_asks, instrument);
    group.bids = std::move(bids);
    group.asks = std::move(asks);
    if (bids_json.empty() && asks_json.empty()) continue;
    had_update = true;
    std::uint32_t checksum = book_checksum(group.bids, group.asks, instrument);
    const std::string where = symbol + " (depth " + std::to_string(depth) + ")";
    if (feed.corrupt) {
      checksum = ~checksum;
      log(state, "kraken: sent book update of " + where + " with checksum " +
                     std::to_string(checksum) + " instead of " + std::to_string(~checksum));
    }
    std::string text = book_frame(false, symbol, bids_json, asks_json, checksum, now);
    if (feed.drop) {
      log(state, "kraken: withheld book update of " + where);
      continue;
    }
    const auto ids = book_subscribers(state, symbol, depth);
    if (feed.reorder && !group.held) {
      group.held = HeldUpdate{std::move(text), {ids.begin(), ids.end()}};
      held_now = true;
      log(state, "kraken: held book update of " + where + " to send it after the next one");
      continue;
    }
    send_update(state, ids, text, symbol, depth);
    if (feed.duplicate) {
      send_update(state, ids, text, symbol, depth);
      log(state, "kraken: sent book update of " + where + " twice");
    }
    if (group.held) {
      send_update(state, group.held->sessions, group.held->text, symbol, depth);
      group.held.reset();
      log(state, "kraken: sent the held book update of " + where + " after the newer one");
    }
  }
  if (had_update) feed.drop = feed.duplicate = feed.corrupt = false;
  if (held_now) feed.reorder = false;
}

void heartbeats(KrakenState& state, TimestampNs now) {
  for (auto& [id, session] : state.sessions) {
    if (!session.subscribed() || now - session.last_sent_ns < kHeartbeatIntervalNs) continue;
    if (state.send_market(session, "{\"channel\":\"heartbeat\"}")) ++state.counters.heartbeats;
  }
}

}  // namespace

void current_top(const KrakenState& state, const std::string& symbol, std::uint32_t depth,
                 BidLevels& bids, AskLevels& asks) {
  const DepthSnapshot top = state.engine.snapshot(symbol, depth);
  fill(bids, top.bids, depth);
  fill(asks, top.asks, depth);
}

std::string book_snapshot(KrakenState& state, SymbolFeed& feed, std::uint32_t depth) {
  const std::string& symbol = feed.instrument->id.symbol;
  auto [group, created] = feed.groups.try_emplace(depth);
  // Later updates are diffs against the group's view, so a new subscriber starts from it.
  if (created) current_top(state, symbol, depth, group->second.bids, group->second.asks);
  const DepthGroup& view = group->second;
  return book_frame(true, symbol, levels_json(view.bids, *feed.instrument),
                    levels_json(view.asks, *feed.instrument),
                    book_checksum(view.bids, view.asks, *feed.instrument), state.now());
}

std::string trade_snapshot(const KrakenState& state, const SymbolFeed& feed) {
  (void)state;
  return trade_frame(true, feed.recent_trades);
}

void prune_groups(KrakenState& state, const std::string& symbol) {
  auto feed = state.feeds.find(symbol);
  if (feed == state.feeds.end()) return;
  auto& groups = feed->second.groups;
  for (auto it = groups.begin(); it != groups.end();) {
    it = book_subscribers(state, symbol, it->first).empty() ? groups.erase(it) : std::next(it);
  }
}

void publish_step(KrakenState& state, TimestampNs now) {
  std::unordered_map<OrderId, OrderType> taker_types;
  std::map<std::string, std::deque<std::string>> trades;
  std::set<std::string> touched;
  for (EngineEvent& event : state.engine.take_events()) {
    std::visit(
        [&](auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, OrderAccepted>) {
            taker_types[e.order_id] = e.request.type;
          } else if constexpr (std::is_same_v<T, PublicTrade>) {
            auto type = taker_types.find(e.taker_order_id);
            trades[e.symbol].push_back(
                trade_item(e, type == taker_types.end() ? OrderType::Limit : type->second, now));
          } else if constexpr (std::is_same_v<T, LevelChange>) {
            touched.insert(e.symbol);
          }
        },
        event);
  }
  for (auto& [symbol, feed] : state.feeds) {
    auto items = trades.find(symbol);
    if (items != trades.end()) {
      const std::string frame = trade_frame(false, items->second);
      for (auto& [id, session] : state.sessions) {
        if (session.trades.count(symbol) == 0) continue;
        if (state.send_market(session, frame)) ++state.counters.trade_frames;
      }
      for (std::string& item : items->second) feed.recent_trades.push_back(std::move(item));
      while (feed.recent_trades.size() > kRecentTrades) feed.recent_trades.pop_front();
    }
    if (touched.count(symbol) != 0) publish_book(state, symbol, feed, now);
  }
  heartbeats(state, now);
}

}  // namespace troupe::sim::kraken_detail
