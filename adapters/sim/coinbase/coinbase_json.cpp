#include "adapters/sim/coinbase/coinbase_json.hpp"

#include "adapters/json/json_writer.hpp"
#include "adapters/sim/coinbase/coinbase_state.hpp"

#include <cstdio>

namespace troupe::sim::coinbase_detail {
namespace {

constexpr TimestampNs kNsPerSecond = 1'000'000'000;

struct CivilTime {
  int year, month, day, hour, minute, second;
  TimestampNs nanos;
};

// Howard Hinnant's civil_from_days: days since 1970-01-01 → proleptic Gregorian date.
CivilTime civil(TimestampNs ns) {
  TimestampNs seconds = ns / kNsPerSecond;
  TimestampNs nanos = ns % kNsPerSecond;
  if (nanos < 0) {
    nanos += kNsPerSecond;
    --seconds;
  }
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int>(year),
          static_cast<int>(month),
          static_cast<int>(day),
          static_cast<int>(rest / 3600),
          static_cast<int>(rest / 60 % 60),
          static_cast<int>(rest % 60),
          nanos};
}

std::string fraction(TimestampNs nanos, int digits) {
  if (digits <= 0) return "";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%09lld", static_cast<long long>(nanos));
  return "." + std::string(buffer, static_cast<std::size_t>(digits > 9 ? 9 : digits));
}

std::string date_time(const CivilTime& t, char separator) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d%c%02d:%02d:%02d", t.year, t.month, t.day,
                separator, t.hour, t.minute, t.second);
  return buffer;
}

// §3.4: "0" removes a level; other sizes at the instrument's precision.
std::string size_text(const Quantity& size) { return size.is_zero() ? "0" : size.to_string(); }

}  // namespace

std::string rfc3339(TimestampNs ns, int fraction_digits) {
  const CivilTime t = civil(ns);
  return date_time(t, 'T') + fraction(t.nanos, fraction_digits) + "Z";
}

std::string go_time(TimestampNs ns, TimestampNs start) {
  const CivilTime t = civil(ns);
  const TimestampNs monotonic = ns > start ? ns - start : 0;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, " +0000 UTC m=+%lld.%09lld",
                static_cast<long long>(monotonic / kNsPerSecond),
                static_cast<long long>(monotonic % kNsPerSecond));
  return date_time(t, ' ') + fraction(t.nanos, 6) + buffer;
}

std::string envelope(std::string_view channel, TimestampNs timestamp, std::uint64_t sequence_num,
                     std::string_view events_json) {
  json::JsonWriter w;
  w.begin_object()
      .field("channel", channel)
      .field("client_id", "")
      .field("timestamp", rfc3339(timestamp, 9))
      .field("sequence_num", sequence_num)
      .key("events")
      .raw(events_json);
  return w.end_object().take();
}

std::string l2_events(bool snapshot, std::string_view product, const std::vector<LevelText>& levels,
                      std::string_view event_time) {
  json::JsonWriter w;
  w.begin_array().begin_object();
  w.field("type", snapshot ? "snapshot" : "update").field("product_id", product);
  w.key("updates").begin_array();
  for (const LevelText& level : levels) {
    w.begin_object()
        .field("side", level.side == Side::Buy ? "bid" : "offer")
        .field("event_time", event_time)
        .field("price_level", level.price.to_string())
        .field("new_quantity", size_text(level.size))
        .end_object();
  }
  return w.end_array().end_object().end_array().take();
}

std::string trade_events(bool snapshot, const std::vector<const TradeRecord*>& trades) {
  json::JsonWriter w;
  w.begin_array().begin_object().field("type", snapshot ? "snapshot" : "update");
  w.key("trades").begin_array();
  for (const TradeRecord* trade : trades) {
    w.begin_object()
        .field("trade_id", std::to_string(trade->trade_id))
        .field("product_id", trade->product)
        .field("price", trade->price.to_string())
        .field("size", trade->size.to_string())
        .field("side", trade->maker_side == Side::Buy ? "BUY" : "SELL")
        .field("time", rfc3339(trade->time, 6))
        .end_object();
  }
  return w.end_array().end_object().end_array().take();
}

std::string heartbeat_events(std::string_view current_time, std::uint64_t counter) {
  json::JsonWriter w;
  w.begin_array()
      .begin_object()
      .field("current_time", current_time)
      .field("heartbeat_counter", counter)
      .end_object();
  return w.end_array().take();
}

std::string subscription_events(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& channels) {
  json::JsonWriter w;
  w.begin_array().begin_object().key("subscriptions").begin_object();
  for (const auto& [channel, ids] : channels) {
    w.key(channel).begin_array();
    for (const std::string& id : ids) w.value(id);
    w.end_array();
  }
  return w.end_object().end_object().end_array().take();
}

std::string error_message(std::string_view message) {
  json::JsonWriter w;
  return w.begin_object().field("type", "error").field("message", message).end_object().take();
}

}  // namespace troupe::sim::coinbase_detail
