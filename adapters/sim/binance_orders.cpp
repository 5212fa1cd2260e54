// Order entry: POST, DELETE and GET /api/v3/order (exchange-protocols.md §2.3).

#include "adapters/sim/binance_json.hpp"
#include "adapters/sim/binance_state.hpp"

#include <algorithm>
#include <cctype>

namespace troupe::sim::detail {
namespace {

// Prices and quantities are parsed at 8 decimals (the assets' precision) so that a value with
// more digits than the instrument allows fails the instrument's filter (-1013), as at Binance,
// and only more than 8 decimals is a precision error (-1111).
constexpr std::uint8_t kWirePrecision = 8;

struct NewOrder {
  OrderRequest request;
  std::string type_text;  // LIMIT, MARKET, LIMIT_MAKER
  ResponseType response = ResponseType::Full;
};

ApiError unknown_order() { return ApiError{400, -2011, "Unknown order sent."}; }

bool valid_client_id(const std::string& id) {
  if (id.empty() || id.size() > 36) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '/' ||
           c == '_' || c == '-';
  });
}

tl::expected<std::string, ApiError> client_id(VenueState& state, const Params& params,
                                              std::string_view name) {
  auto id = params.get(name);
  if (!id || id->empty()) return state.generated_id();
  if (!valid_client_id(*id)) {
    return tl::make_unexpected(ApiError{400, -1100,
                                        "Illegal characters found in parameter '" +
                                            std::string(name) +
                                            "'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'."});
  }
  return *id;
}

template <class T>
tl::expected<T, ApiError> decimal(const Params& params, std::string_view name) {
  auto text = required(params, name);
  if (!text) return tl::make_unexpected(text.error());
  auto value = T::parse(*text, kWirePrecision);
  if (value) return *value;
  if (value.error() == FixedPointError::TooManyDecimals) {
    return tl::make_unexpected(
        ApiError{400, -1111, "Parameter '" + std::string(name) + "' has too much precision."});
  }
  return tl::make_unexpected(mandatory(name));
}

ApiError not_required(std::string_view name) {
  return ApiError{400, -1106, "Parameter '" + std::string(name) + "' sent when not required."};
}

tl::expected<void, ApiError> parse_type(const Params& params, NewOrder& order) {
  auto type = required(params, "type");
  if (!type) return tl::make_unexpected(type.error());
  OrderRequest& r = order.request;
  order.type_text = *type;
  if (*type == "LIMIT" || *type == "LIMIT_MAKER") {
    r.type = OrderType::Limit;
    r.post_only = *type == "LIMIT_MAKER";
    auto price = decimal<Price>(params, "price");
    if (!price) return tl::make_unexpected(price.error());
    r.price = *price;
    if (r.post_only && params.has("timeInForce"))
      return tl::make_unexpected(not_required("timeInForce"));
    if (!r.post_only) {
      auto tif = required(params, "timeInForce");
      if (!tif) return tl::make_unexpected(tif.error());
      if (*tif == "GTC")
        r.time_in_force = TimeInForce::Gtc;
      else if (*tif == "IOC")
        r.time_in_force = TimeInForce::Ioc;
      else if (*tif == "FOK")
        r.time_in_force = TimeInForce::Fok;
      else
        return tl::make_unexpected(ApiError{400, -1115, "Invalid timeInForce."});
    }
  } else if (*type == "MARKET") {
    r.type = OrderType::Market;
    if (params.has("price")) return tl::make_unexpected(not_required("price"));
    // quoteOrderQty (spend a quote amount) is not simulated.
    if (params.has("quoteOrderQty")) return tl::make_unexpected(not_required("quoteOrderQty"));
  } else if (*type == "STOP_LOSS" || *type == "STOP_LOSS_LIMIT" || *type == "TAKE_PROFIT" ||
             *type == "TAKE_PROFIT_LIMIT") {
    return tl::make_unexpected(ApiError{400, -1014, "Unsupported order combination."});
  } else {
    return tl::make_unexpected(ApiError{400, -1116, "Invalid orderType."});
  }
  return {};
}

tl::expected<NewOrder, ApiError> parse_new_order(VenueState& state, const AccountKey& key,
                                                 const Params& params) {
  NewOrder order;
  OrderRequest& r = order.request;
  auto symbol = required(params, "symbol");
  if (!symbol) return tl::make_unexpected(symbol.error());
  if (state.engine.instrument(*symbol) == nullptr)
    return tl::make_unexpected(ApiError{400, -1121, "Invalid symbol."});
  r.symbol = *symbol;
  r.account = key.account;
  auto side = required(params, "side");
  if (!side) return tl::make_unexpected(side.error());
  if (*side != "BUY" && *side != "SELL")
    return tl::make_unexpected(ApiError{400, -1117, "Invalid side."});
  r.side = *side == "BUY" ? Side::Buy : Side::Sell;
  if (auto ok = parse_type(params, order); !ok) return tl::make_unexpected(ok.error());
  auto quantity = decimal<Quantity>(params, "quantity");
  if (!quantity) return tl::make_unexpected(quantity.error());
  r.quantity = *quantity;
  auto id = client_id(state, params, "newClientOrderId");
  if (!id) return tl::make_unexpected(id.error());
  r.client_order_id = *id;
  order.response = order.type_text == "LIMIT_MAKER" ? ResponseType::Ack : ResponseType::Full;
  if (auto resp = params.get("newOrderRespType")) {
    if (*resp == "ACK")
      order.response = ResponseType::Ack;
    else if (*resp == "RESULT")
      order.response = ResponseType::Result;
    else if (*resp == "FULL")
      order.response = ResponseType::Full;
    else
      return tl::make_unexpected(mandatory("newOrderRespType"));
  }
  return order;
}

ApiError rejection_error(RejectReason reason) {
  switch (reason) {
    case RejectReason::UnknownSymbol:
      return ApiError{400, -1121, reject_text(reason)};
    case RejectReason::WouldMatch:
    case RejectReason::DuplicateOrder:
      return ApiError{400, -2010, reject_text(reason)};
    case RejectReason::UnsupportedOrder:
      return ApiError{400, -1014, reject_text(reason)};
    default:
      return ApiError{400, -1013, reject_text(reason)};
  }
}

// Quote needed to buy `quantity` now: the cost of sweeping the asks (what fills, exactly, since
// nothing can change the book between this estimate and the match).
Money market_buy_cost(const VenueState& state, const OrderRequest& r) {
  Money cost = Money::from_raw(0, Accounts::kAssetPrecision);
  Quantity left = r.quantity;
  for (const BookLevel& level : state.engine.snapshot(r.symbol, 0).asks) {
    if (!left.is_positive()) break;
    const Quantity take = std::min(left, level.size);
    // Cannot overflow: notional_fits() bounds the whole sweep.
    if (auto part = notional(level.price, take, Accounts::kAssetPrecision)) cost += *part;
    left -= take;
  }
  return cost;
}

// Every fill of the order is priced at or below the larger of its limit and the highest price
// on the book now (takers trade at resting prices; a resting order trades at its limit). If the
// notional at that bound does not fit the 8-decimal amounts, no balance could cover it.
bool notional_fits(const VenueState& state, const OrderRequest& r) {
  Price bound = r.type == OrderType::Limit ? r.price : Price::from_raw(0, r.price.precision());
  const DepthSnapshot book = state.engine.snapshot(r.symbol, 0);
  if (!book.asks.empty()) bound = std::max(bound, book.asks.back().price);
  if (!book.bids.empty()) bound = std::max(bound, book.bids.front().price);
  return notional(bound, r.quantity, Accounts::kAssetPrecision).has_value();
}

// The asset and amount the order must lock, or why it cannot (-2010).
tl::expected<std::pair<std::string, Money>, ApiError> funds_for(const VenueState& state,
                                                                const OrderRequest& r) {
  const ApiError insufficient{400, -2010, "Account has insufficient balance for requested action."};
  if (!notional_fits(state, r)) return tl::make_unexpected(insufficient);
  const Instrument& instrument = *state.engine.instrument(r.symbol);
  Money quote = Money::from_raw(0, Accounts::kAssetPrecision);
  if (r.side == Side::Buy) {
    quote = r.type == OrderType::Market
                ? market_buy_cost(state, r)
                : notional(r.price, r.quantity, Accounts::kAssetPrecision).value_or(quote);
  }
  auto funds = Accounts::required_funds(instrument, r.side, r.quantity, quote);
  if (!state.accounts.can_lock(r.account, funds.first, funds.second))
    return tl::make_unexpected(insufficient);
  return funds;
}

tl::expected<OrderRecord*, ApiError> find_order(VenueState& state, const AccountKey& key,
                                                const Params& params, const ApiError& missing) {
  auto symbol = required(params, "symbol");
  if (!symbol) return tl::make_unexpected(symbol.error());
  if (state.engine.instrument(*symbol) == nullptr)
    return tl::make_unexpected(ApiError{400, -1121, "Invalid symbol."});
  auto order_id = params.get("orderId");
  auto client = params.get("origClientOrderId");
  if ((!order_id || order_id->empty()) && (!client || client->empty())) {
    return tl::make_unexpected(
        ApiError{400, -1102,
                 "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!"});
  }
  OrderRecord* record = nullptr;
  if (order_id && !order_id->empty()) {
    auto id = integer("orderId", *order_id);
    if (!id) return tl::make_unexpected(id.error());
    record = *id > 0 ? state.orders.find(static_cast<OrderId>(*id)) : nullptr;
    if (record != nullptr && client && !client->empty() && record->client_order_id != *client)
      record = nullptr;
  } else {
    record = state.orders.find_by_client_id(key.account, *symbol, *client);
  }
  if (record == nullptr || record->account != key.account || record->symbol != *symbol)
    return tl::make_unexpected(missing);
  return record;
}

}  // namespace

Reply place_order(VenueState& state, const AccountKey& key, const Params& params) {
  auto parsed = parse_new_order(state, key, params);
  if (!parsed) return tl::make_unexpected(parsed.error());
  NewOrder& order = *parsed;
  const TimestampNs now = state.now();
  if (auto reason = state.engine.check(order.request)) {
    const std::string r = *reason == RejectReason::WouldMatch ? "WOULD_MATCH_IMMEDIATELY" : "NONE";
    report_rejection(state, order.request, order.type_text, r, now);
    return tl::make_unexpected(rejection_error(*reason));
  }
  auto funds = funds_for(state, order.request);
  if (!funds) {
    report_rejection(state, order.request, order.type_text, "INSUFFICIENT_BALANCES", now);
    return tl::make_unexpected(funds.error());
  }
  auto id = state.engine.submit(order.request);
  if (!id) {  // check() passed under the same lock, so this cannot happen
    process_events(state, now);
    return tl::make_unexpected(rejection_error(id.error()));
  }
  std::optional<Price> limit;
  if (order.request.type == OrderType::Limit && order.request.side == Side::Buy)
    limit = order.request.price;
  state.accounts.lock(*id, key.account, funds->first, funds->second, limit, now);
  state.touched_assets[key.account].insert(funds->first);
  process_events(state, now);
  const OrderRecord* record = state.orders.find(*id);
  if (record == nullptr) return tl::make_unexpected(ApiError{500, -1000, "Order record lost."});
  auto fills = state.orders.trades(key.account, record->symbol, *id, {}, {}, {}, SIZE_MAX);
  return order_response(*record, order.response, fills, now);
}

Reply cancel_order(VenueState& state, const AccountKey& key, const Params& params) {
  auto found = find_order(state, key, params, unknown_order());
  if (!found) return tl::make_unexpected(found.error());
  OrderRecord* record = *found;
  if (!record->on_book) return tl::make_unexpected(unknown_order());
  auto cancel_id = client_id(state, params, "newClientOrderId");
  if (!cancel_id) return tl::make_unexpected(cancel_id.error());
  const OrderId id = record->order_id;
  record->cancel_client_order_id = *cancel_id;
  const TimestampNs now = state.now();
  if (!state.engine.cancel(id)) return tl::make_unexpected(unknown_order());
  process_events(state, now);
  return cancel_response(*state.orders.find(id), now);
}

Reply query_order(VenueState& state, const AccountKey& key, const Params& params) {
  auto found = find_order(state, key, params, ApiError{400, -2013, "Order does not exist."});
  if (!found) return tl::make_unexpected(found.error());
  return order_object(**found, *state.engine.instrument((*found)->symbol));
}

}  // namespace troupe::sim::detail
