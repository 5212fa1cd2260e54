#include "adapters/api/api_json.hpp"

#include <chrono>
#include <cstdio>

namespace troupe::api {
namespace {

/// RFC 3339 text, or null for 0 (the read models use 0 for "not set").
void write_time(json::JsonWriter& out, std::string_view name, std::int64_t ns) {
  if (ns == 0) {
    out.null_field(name);
  } else {
    out.field(name, rfc3339(ns));
  }
  out.field(std::string(name) + "_ns", ns);
}

bool uses_limit_price(OrderType type) {
  return type == OrderType::Limit || type == OrderType::StopLimit;
}

bool uses_stop_price(OrderType type) {
  return type == OrderType::Stop || type == OrderType::StopLimit;
}

void write_position(json::JsonWriter& out, const PositionRecord& position) {
  out.begin_object()
      .field("symbol", position.instrument.symbol)
      .field("venue", position.instrument.venue.value)
      .field("quantity", position.quantity)
      .field("average_price", position.average_price)
      .field("mark_price", position.mark_price)
      .field("realized_pnl", position.realized_pnl)
      .field("unrealized_pnl", position.unrealized_pnl)
      .field("fees", position.fees)
      .end_object();
}

}  // namespace

std::string rfc3339(std::int64_t ns) {
  using namespace std::chrono;
  const sys_time<nanoseconds> time{nanoseconds(ns)};
  const auto day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%09lldZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()),
                static_cast<long long>(clock.subseconds().count()));
  return buffer;
}

void write_order(json::JsonWriter& out, const OrderRecord& record) {
  const auto& order = record.order;
  out.begin_object().field("client_order_id", order.client_order_id.value);
  if (record.venue_order_id.empty()) {
    out.null_field("venue_order_id");
  } else {
    out.field("venue_order_id", record.venue_order_id.value);
  }
  out.field("account", order.account.value)
      .field("strategy", order.strategy.value)
      .field("symbol", order.instrument.symbol)
      .field("venue", order.instrument.venue.value)
      .field("side", to_string(order.side))
      .field("type", to_string(order.type))
      .field("time_in_force", to_string(order.time_in_force))
      .field("qty", order.quantity);
  if (uses_limit_price(order.type)) {
    out.field("limit_price", order.price);
  } else {
    out.null_field("limit_price");
  }
  if (uses_stop_price(order.type)) {
    out.field("stop_price", order.trigger_price);
  } else {
    out.null_field("stop_price");
  }
  out.field("status", to_string(record.status)).field("filled_qty", record.filled_quantity);
  if (record.filled_quantity.is_zero()) {
    out.null_field("filled_avg_price");
  } else {
    out.field("filled_avg_price", record.average_fill_price);
  }
  if (record.reason.empty()) {
    out.null_field("reason");
  } else {
    out.field("reason", record.reason);
  }
  write_time(out, "created_at", record.ts_created);
  write_time(out, "updated_at", record.ts_updated);
  out.end_object();
}

std::string health_json(const HealthReport& health) {
  json::JsonWriter out;
  out.begin_object()
      .field("status", health.healthy ? "ok" : "degraded")
      .field("node", health.node_name)
      .field("mode", health.mode)
      .field("venue_state", health.venue_state)
      .field("trading_state", to_string(health.trading_state))
      .field("uptime_ms", health.uptime_ms)
      .end_object();
  return out.take();
}

std::string portfolio_json(const PortfolioSnapshot& portfolio) {
  json::JsonWriter out;
  out.begin_object().field("account", portfolio.account.value).key("positions").begin_array();
  for (const auto& position : portfolio.positions) write_position(out, position);
  out.end_array().key("cash").begin_array();
  for (const auto& cash : portfolio.cash)
    out.begin_object().field("currency", cash.currency).field("amount", cash.amount).end_object();
  out.end_array()
      .field("realized_pnl", portfolio.realized_pnl)
      .field("unrealized_pnl", portfolio.unrealized_pnl)
      .field("fees", portfolio.fees)
      .field("fill_count", portfolio.fill_count);
  write_time(out, "as_of", portfolio.ts);
  out.end_object();
  return out.take();
}

std::string orders_json(const std::vector<OrderRecord>& orders) {
  json::JsonWriter out;
  out.begin_array();
  for (const auto& order : orders) write_order(out, order);
  out.end_array();
  return out.take();
}

std::string order_json(const OrderRecord& order) {
  json::JsonWriter out;
  write_order(out, order);
  return out.take();
}

std::string book_json(const BookSnapshot& book) {
  json::JsonWriter out;
  out.begin_object()
      .field("venue", book.instrument.venue.value)
      .field("symbol", book.instrument.symbol)
      .field("sequence", book.sequence);
  write_time(out, "ts_event", book.ts_event);
  for (const auto* side : {&book.bids, &book.asks}) {
    out.key(side == &book.bids ? "bids" : "asks").begin_array();
    for (const auto& level : *side)
      out.begin_array().value(level.price).value(level.size).end_array();
    out.end_array();
  }
  out.end_object();
  return out.take();
}

std::string consolidated_json(const ConsolidatedBook& view) {
  json::JsonWriter out;
  out.begin_object().field("asset", view.asset);
  auto best = [&](const char* key, std::int32_t index, bool bid) {
    out.key(key);
    if (index < 0) {
      out.null();
      return;
    }
    const auto& v = view.venues[static_cast<std::size_t>(index)];
    const auto& level = bid ? v.bid : v.ask;
    out.begin_object()
        .field("venue", v.instrument.venue.value)
        .field("symbol", v.instrument.symbol)
        .field("price", level.price)
        .field("size", level.size)
        .end_object();
  };
  best("best_bid", view.best_bid, true);
  best("best_ask", view.best_ask, false);
  out.field("crossed", view.crossed);
  write_time(out, "ts", view.ts_init);
  out.key("venues").begin_array();
  for (const auto& v : view.venues) {
    out.begin_object()
        .field("venue", v.instrument.venue.value)
        .field("symbol", v.instrument.symbol)
        .field("quote", v.quote)
        .field("in_sync", v.in_sync);
    out.key("bid");
    if (v.has_bid)
      out.begin_array().value(v.bid.price).value(v.bid.size).end_array();
    else
      out.null();
    out.key("ask");
    if (v.has_ask)
      out.begin_array().value(v.ask.price).value(v.ask.size).end_array();
    else
      out.null();
    write_time(out, "ts_event", v.ts_event);
    out.end_object();
  }
  out.end_array().end_object();
  return out.take();
}

std::string error_json(int status, std::string_view message, std::string_view field,
                       std::string_view reason) {
  json::JsonWriter out;
  out.begin_object().field("code", status);
  if (!field.empty()) out.field("field", field);
  if (!reason.empty()) out.field("reason", reason);
  out.field("message", message).end_object();
  return out.take();
}

}  // namespace troupe::api
