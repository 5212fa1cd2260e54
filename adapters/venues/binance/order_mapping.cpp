#include "adapters/venues/binance/order_mapping.hpp"

#include <cctype>

namespace troupe::binance {
namespace {

template <class Tag>
std::string decimal_text(FixedPoint<Tag> value, std::uint8_t precision) {
  auto rescaled = value.rescaled(precision);
  return rescaled ? rescaled->to_string() : value.to_string();
}

bool is_limit_type(OrderType type) {
  return type == OrderType::Limit || type == OrderType::StopLimit;
}

bool is_stop_type(OrderType type) {
  return type == OrderType::Stop || type == OrderType::StopLimit;
}

std::string expiry_reason(const ExecutionReport& report) {
  if (report.expiry_reason == "UNFILLED_IOC_QUANTITY_EXPIRED") return "ioc_remainder";
  if (report.expiry_reason == "UNFILLED_FOK_ORDER_EXPIRED") return "fok_unfilled";
  if (!report.expiry_reason.empty()) {
    std::string lower = report.expiry_reason;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
  }
  if (report.time_in_force == "IOC") return "ioc_remainder";
  if (report.time_in_force == "FOK") return "fok_unfilled";
  return "expired";
}

OrderCanceled canceled(const ExecutionReport& report, const AccountId& account, std::string reason,
                       TimestampNs now) {
  // On a cancel `c` is the cancel request's own id and `C` the canceled order's (§2.10).
  const std::string& client = report.original_client_order_id.empty()
                                  ? report.client_order_id
                                  : report.original_client_order_id;
  return OrderCanceled{account,
                       ClientOrderId{client},
                       VenueOrderId{std::to_string(report.order_id)},
                       report.instrument,
                       std::move(reason),
                       report.ts_event,
                       now};
}

tl::expected<OrderEvent, std::string> filled(const ExecutionReport& report,
                                             const AccountId& account, TimestampNs now) {
  auto leaves = report.order_quantity.checked_sub(report.cum_quantity);
  if (!leaves) return tl::make_unexpected(std::string("q - z overflows"));
  // A quote-quantity market order reports q = 0; a finished order has nothing left.
  if (leaves->is_negative() || report.order_status == "FILLED") {
    leaves = Quantity::from_raw(0, report.order_quantity.precision());
  }
  OrderFilled fill;
  fill.account = account;
  fill.client_order_id = ClientOrderId{report.client_order_id};
  fill.venue_order_id = VenueOrderId{std::to_string(report.order_id)};
  fill.trade_id = TradeId{std::to_string(report.trade_id)};
  fill.instrument = report.instrument;
  fill.side = report.side;
  fill.last_quantity = report.last_quantity;
  fill.last_price = report.last_price;
  fill.cum_quantity = report.cum_quantity;
  fill.leaves_quantity = *leaves;
  fill.commission = report.commission;
  fill.commission_asset = report.commission_asset;
  fill.liquidity = report.maker ? LiquiditySide::Maker : LiquiditySide::Taker;
  fill.ts_event = report.ts_transaction;
  fill.ts_init = now;
  return fill;
}

}  // namespace

std::string_view order_type_text(OrderType type) {
  switch (type) {
    case OrderType::Market:
      return "MARKET";
    case OrderType::Limit:
      return "LIMIT";
    case OrderType::Stop:
      return "STOP_LOSS";
    case OrderType::StopLimit:
      return "STOP_LOSS_LIMIT";
  }
  return "LIMIT";
}

std::string_view time_in_force_text(TimeInForce time_in_force) {
  switch (time_in_force) {
    case TimeInForce::Ioc:
      return "IOC";
    case TimeInForce::Fok:
      return "FOK";
    case TimeInForce::Day:
    case TimeInForce::Gtc:
      return "GTC";
  }
  return "GTC";
}

QueryParams new_order_params(const SubmitOrder& order, const Instrument& instrument,
                             std::int64_t recv_window_ms, std::int64_t timestamp_ms) {
  QueryParams params;
  params.emplace_back("symbol", instrument.id.symbol);
  params.emplace_back("side", order.side == Side::Buy ? "BUY" : "SELL");
  params.emplace_back("type", std::string(order_type_text(order.type)));
  if (is_limit_type(order.type)) {
    params.emplace_back("timeInForce", std::string(time_in_force_text(order.time_in_force)));
  }
  params.emplace_back("quantity", decimal_text(order.quantity, instrument.size_precision));
  if (is_limit_type(order.type)) {
    params.emplace_back("price", decimal_text(order.price, instrument.price_precision));
  }
  if (is_stop_type(order.type)) {
    params.emplace_back("stopPrice", decimal_text(order.trigger_price, instrument.price_precision));
  }
  params.emplace_back("newClientOrderId", order.client_order_id.value);
  params.emplace_back("newOrderRespType", "ACK");
  params.emplace_back("recvWindow", std::to_string(recv_window_ms));
  params.emplace_back("timestamp", std::to_string(timestamp_ms));
  return params;
}

QueryParams cancel_order_params(const CancelOrder& cancel, std::int64_t recv_window_ms,
                                std::int64_t timestamp_ms) {
  return QueryParams{{"symbol", cancel.instrument.symbol},
                     {"origClientOrderId", cancel.client_order_id.value},
                     {"recvWindow", std::to_string(recv_window_ms)},
                     {"timestamp", std::to_string(timestamp_ms)}};
}

QueryParams query_order_params(std::string_view symbol, std::string_view client_order_id,
                               std::int64_t recv_window_ms, std::int64_t timestamp_ms) {
  return QueryParams{{"symbol", std::string(symbol)},
                     {"origClientOrderId", std::string(client_order_id)},
                     {"recvWindow", std::to_string(recv_window_ms)},
                     {"timestamp", std::to_string(timestamp_ms)}};
}

tl::expected<OrderEvent, std::string> map_execution_report(const ExecutionReport& report,
                                                           const AccountId& account,
                                                           TimestampNs now) {
  const std::string& type = report.execution_type;
  if (type == "NEW") {
    return OrderAccepted{account,
                         ClientOrderId{report.client_order_id},
                         VenueOrderId{std::to_string(report.order_id)},
                         report.instrument,
                         report.ts_event,
                         now};
  }
  if (type == "TRADE") return filled(report, account, now);
  if (type == "CANCELED") return canceled(report, account, "user", now);
  if (type == "EXPIRED") return canceled(report, account, expiry_reason(report), now);
  if (type == "TRADE_PREVENTION") {
    if (report.order_status != "EXPIRED_IN_MATCH") return OrderEvent{};
    return canceled(report, account, "self_trade_prevention", now);
  }
  if (type == "REJECTED") {
    return OrderRejected{account,           ClientOrderId{report.client_order_id},
                         report.instrument, report.reject_reason,
                         report.ts_event,   now};
  }
  if (type == "REPLACED") return OrderEvent{};  // order amend is not supported yet
  return tl::make_unexpected("unhandled execution type \"" + type + "\"");
}

}  // namespace troupe::binance
