// JSON-mode frames of the Alpaca data v2 stream (exchange-protocols.md §1.11). Prices and sizes
// are JSON numbers written from the exact fixed-point text, never through double.

#include "adapters/json/json_writer.hpp"
#include "adapters/sim/alpaca/alpaca_state.hpp"

#include <cstdio>

namespace troupe::sim::alpaca_detail {
namespace {

// Howard Hinnant's civil_from_days: days since 1970-01-01 → year, month, day.
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

void list(json::JsonWriter& out, std::string_view key, const std::set<std::string>& symbols) {
  out.key(key).begin_array();
  for (const std::string& symbol : symbols) out.value(symbol);
  out.end_array();
}

/// A decimal as a JSON number: the exact fixed-point text.
template <class Tag>
void number(json::JsonWriter& out, std::string_view key, const FixedPoint<Tag>& value) {
  out.key(key).raw(value.to_string());
}

}  // namespace

std::string rfc3339(TimestampNs ns, bool fraction) {
  const std::int64_t seconds = ns / 1'000'000'000;
  const std::int64_t nanos = ns % 1'000'000'000;
  std::int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  civil_from_days(seconds / 86400, year, month, day);
  const std::int64_t in_day = seconds % 86400;
  char text[48];
  int n =
      std::snprintf(text, sizeof text, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                    static_cast<long long>(year), month, day, static_cast<long long>(in_day / 3600),
                    static_cast<long long>(in_day / 60 % 60), static_cast<long long>(in_day % 60));
  if (fraction) {
    n += std::snprintf(text + n, sizeof text - n, ".%09lld", static_cast<long long>(nanos));
  }
  std::snprintf(text + n, sizeof text - n, "Z");
  return text;
}

std::string success_frame(std::string_view msg) {
  json::JsonWriter out;
  return out.begin_array()
      .begin_object()
      .field("T", "success")
      .field("msg", msg)
      .end_object()
      .end_array()
      .take();
}

std::string error_frame(int code, std::string_view msg) {
  json::JsonWriter out;
  return out.begin_array()
      .begin_object()
      .field("T", "error")
      .field("code", code)
      .field("msg", msg)
      .end_object()
      .end_array()
      .take();
}

std::string subscription_frame(const Session& session) {
  json::JsonWriter out;
  out.begin_array().begin_object().field("T", "subscription");
  list(out, "trades", session.trades);
  list(out, "quotes", session.quotes);
  list(out, "bars", session.bars);
  for (const char* empty : {"updatedBars", "dailyBars", "statuses", "lulds"}) {
    out.key(empty).begin_array().end_array();
  }
  // §1.11 [sdk mock]: corrections and cancel errors follow the trade subscription.
  list(out, "corrections", session.trades);
  list(out, "cancelErrors", session.trades);
  return out.end_object().end_array().take();
}

std::string quote_json(const std::string& symbol, const Top& top, TimestampNs now) {
  json::JsonWriter out;
  out.begin_object().field("T", "q").field("S", symbol).field("bx", "V");
  // An empty side is sent as price 0 and size 0.
  if (top.bid) {
    number(out, "bp", top.bid->price);
    number(out, "bs", top.bid->size);
  } else {
    out.field("bp", 0).field("bs", 0);
  }
  out.field("ax", "V");
  if (top.ask) {
    number(out, "ap", top.ask->price);
    number(out, "as", top.ask->size);
  } else {
    out.field("ap", 0).field("as", 0);
  }
  out.field("t", rfc3339(now)).key("c").begin_array().value("R").end_array().field("z", "C");
  return out.end_object().take();
}

std::string trade_json(const PublicTrade& trade, TimestampNs now) {
  json::JsonWriter out;
  out.begin_object()
      .field("T", "t")
      .field("S", trade.symbol)
      .field("i", trade.trade_id)
      .field("x", "V");
  number(out, "p", trade.price);
  number(out, "s", trade.quantity);
  out.field("t", rfc3339(now)).key("c").begin_array().value("@").end_array().field("z", "C");
  return out.end_object().take();
}

std::string bar_json(const std::string& symbol, const BarBuilder& bar,
                     std::uint8_t price_precision) {
  json::JsonWriter out;
  out.begin_object().field("T", "b").field("S", symbol);
  number(out, "o", bar.open);
  number(out, "h", bar.high);
  number(out, "l", bar.low);
  number(out, "c", bar.close);
  number(out, "v", bar.volume);
  out.field("t", rfc3339(bar.minute_start, false)).field("n", bar.trade_count);
  // VWAP at the price precision, truncated: sum(p×s) / sum(s) in integers.
  const __int128 volume_raw = bar.volume.raw();
  const auto vwap_raw =
      static_cast<std::int64_t>(volume_raw > 0 ? bar.notional_raw / volume_raw : 0);
  number(out, "vw", Price::from_raw(vwap_raw, price_precision));
  return out.end_object().take();
}

}  // namespace troupe::sim::alpaca_detail
