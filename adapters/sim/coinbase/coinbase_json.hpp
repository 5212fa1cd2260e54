#pragma once
// Private to the Coinbase front end: the wire texts it sends (exchange-protocols.md §3.2-§3.6):
// the message envelope, the events of l2_data, market_trades, heartbeats and subscriptions,
// error messages, and the time formats.

#include "messages/data.hpp"
#include "runtime/clock.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace troupe::sim::coinbase_detail {

struct TradeRecord;

/// RFC 3339 UTC with `fraction_digits` (0-9) digits: "2024-06-03T14:30:00.500000000Z".
std::string rfc3339(TimestampNs ns, int fraction_digits);

/// The heartbeat `current_time`, Go's time.String() as the venue sends it (§0.1 rule 4):
/// "2024-06-03 14:30:01.000101 +0000 UTC m=+3600.000000001" (`m` = seconds since `start`).
std::string go_time(TimestampNs ns, TimestampNs start);

/// `{"channel":…,"client_id":"","timestamp":…,"sequence_num":…,"events":<events>}` (§3.2).
std::string envelope(std::string_view channel, TimestampNs timestamp, std::uint64_t sequence_num,
                     std::string_view events_json);

/// A level as l2_data sends it: side "bid"/"offer", price at the instrument's precision and the
/// new absolute size ("0" removes the level).
struct LevelText {
  Side side = Side::Buy;
  Price price;
  Quantity size;
};

/// `[{"type":"snapshot"|"update","product_id":…,"updates":[…]}]` (§3.4); `event_time` is the
/// same for every level.
std::string l2_events(bool snapshot, std::string_view product, const std::vector<LevelText>& levels,
                      std::string_view event_time);

/// `[{"type":"snapshot"|"update","trades":[…]}]` (§3.6), trades oldest first.
std::string trade_events(bool snapshot, const std::vector<const TradeRecord*>& trades);

/// `[{"current_time":…,"heartbeat_counter":…}]` (§3.3; the counter as a number, as captured).
std::string heartbeat_events(std::string_view current_time, std::uint64_t counter);

/// `[{"subscriptions":{"level2":[…],"market_trades":[…],"heartbeats":["heartbeats"]}}]`; channels
/// without subscriptions are left out.
std::string subscription_events(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& channels);

/// `{"type":"error","message":…}` (§3.2 [obs]); no envelope, so no sequence_num.
std::string error_message(std::string_view message);

}  // namespace troupe::sim::coinbase_detail
