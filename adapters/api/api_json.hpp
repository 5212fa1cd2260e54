#pragma once
// JSON shapes of the REST API's read models (see docs/api.md). Decimals are JSON strings with
// the exact fixed-point text; times are given twice, as RFC 3339 text and as ns integers.

#include "actors/api_backend.hpp"
#include "adapters/json/json_writer.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::api {

/// "2024-03-01T12:00:00.123456789Z" for ns since the Unix epoch (UTC, always 9 digits).
std::string rfc3339(std::int64_t ns);

/// One order as an object (client_order_id, symbol, side, qty, status, ...).
void write_order(json::JsonWriter& out, const OrderRecord& order);

/// {"status":"ok"|"degraded","node":...,"mode":...,"venue_state":...,"trading_state":...,
/// "uptime_ms":...}.
std::string health_json(const HealthReport& health);

/// The account's positions, cash and P&L.
std::string portfolio_json(const PortfolioSnapshot& portfolio);

/// An array of orders.
std::string orders_json(const std::vector<OrderRecord>& orders);

/// One order.
std::string order_json(const OrderRecord& order);

/// A book: {"venue","symbol","sequence","ts_event"(+_ns),"bids":[["price","size"],...],"asks":...},
/// best levels first, decimals as exact strings.
std::string book_json(const BookSnapshot& book);
/// A consolidated view: {"asset","best_bid":{venue,symbol,price,size}|null,"best_ask":...,
/// "crossed","ts"(+_ns),"venues":[{venue,symbol,quote,in_sync,bid:[p,s]|null,ask,ts_event}]}.
std::string consolidated_json(const ConsolidatedBook& view);

/// The error body shared by every route: {"code":status,"message":...} plus "field" (422) or
/// "reason" (403) when given.
std::string error_json(int status, std::string_view message, std::string_view field = {},
                       std::string_view reason = {});

}  // namespace troupe::api
