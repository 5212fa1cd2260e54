#include "adapters/sim/binance_json.hpp"

#include "adapters/json/json_writer.hpp"

namespace troupe::sim::detail {
namespace {

std::string side_text(Side side) { return side == Side::Buy ? "BUY" : "SELL"; }

std::string zero_price(const Instrument& instrument) {
  return Price::from_raw(0, instrument.price_precision).to_string();
}

std::string zero_quantity(const Instrument& instrument) {
  return Quantity::from_raw(0, instrument.size_precision).to_string();
}

std::string zero_money() { return Money::from_raw(0, Accounts::kAssetPrecision).to_string(); }

std::int64_t wire_order_id(OrderId id) { return id == 0 ? -1 : static_cast<std::int64_t>(id); }

void write_order_core(json::JsonWriter& w, const OrderRecord& order) {
  w.field("symbol", order.symbol)
      .field("orderId", wire_order_id(order.order_id))
      .field("orderListId", -1)
      .field("clientOrderId", order.client_order_id);
}

void write_order_state(json::JsonWriter& w, const OrderRecord& order) {
  w.field("price", order.price.to_string())
      .field("origQty", order.quantity.to_string())
      .field("executedQty", order.executed.to_string())
      .field("cummulativeQuoteQty", order.cumulative_quote.to_string())
      .field("status", order.status)
      .field("timeInForce", order.time_in_force)
      .field("type", order.type)
      .field("side", side_text(order.side));
}

void write_levels(json::JsonWriter& w, const std::vector<BookLevel>& levels) {
  w.begin_array();
  for (const BookLevel& level : levels)
    w.begin_array().value(level.price.to_string()).value(level.size.to_string()).end_array();
  w.end_array();
}

void write_batch_side(json::JsonWriter& w, const std::map<std::int64_t, Quantity>& side,
                      const Instrument& instrument, bool descending) {
  w.begin_array();
  auto write = [&](std::int64_t raw, const Quantity& quantity) {
    w.begin_array()
        .value(Price::from_raw(raw, instrument.price_precision).to_string())
        .value(quantity.to_string())
        .end_array();
  };
  if (descending) {
    for (auto it = side.rbegin(); it != side.rend(); ++it) write(it->first, it->second);
  } else {
    for (const auto& [raw, quantity] : side) write(raw, quantity);
  }
  w.end_array();
}

}  // namespace

std::string execution_report(const OrderRecord& order, const Execution& x,
                             const Instrument& instrument, TimestampNs event_ns) {
  const bool canceled = x.type == "CANCELED";
  json::JsonWriter w;
  w.begin_object()
      .field("e", "executionReport")
      .field("E", to_ms(event_ns))
      .field("s", order.symbol)
      .field("c", canceled ? order.cancel_client_order_id : order.client_order_id)
      .field("S", side_text(order.side))
      .field("o", order.type)
      .field("f", order.time_in_force)
      .field("q", order.quantity.to_string())
      .field("p", order.price.to_string())
      .field("P", zero_price(instrument))
      .field("F", zero_quantity(instrument))
      .field("g", -1)
      .field("C", canceled ? order.client_order_id : std::string())
      .field("x", x.type)
      .field("X", order.status)
      .field("r", x.reject_reason)
      .field("i", wire_order_id(order.order_id))
      .field("l", x.trade_id < 0 ? zero_quantity(instrument) : x.last_quantity.to_string())
      .field("z", order.executed.to_string())
      .field("L", x.trade_id < 0 ? zero_price(instrument) : x.last_price.to_string())
      .field("n", x.commission_asset.empty() ? std::string("0") : x.commission.to_string());
  w.key("N");
  if (x.commission_asset.empty())
    w.null();
  else
    w.value(x.commission_asset);
  w.field("T", to_ms(x.transaction_ns))
      .field("t", x.trade_id)
      .field("I", x.execution_id)
      .field("w", order.on_book)
      .field("m", x.maker)
      .field("M", false)
      .field("O", to_ms(order.created_ns))
      .field("Z", order.cumulative_quote.to_string())
      .field("Y", x.trade_id < 0 ? zero_money() : x.last_quote.to_string())
      .field("Q", zero_money());
  if (order.working_ns) w.field("W", to_ms(*order.working_ns));
  w.field("V", "NONE");
  if (!x.expiry_reason.empty()) w.field("eR", x.expiry_reason);
  return w.end_object().take();
}

std::string account_position(const std::vector<AssetBalance>& balances, TimestampNs event_ns,
                             TimestampNs update_ns) {
  json::JsonWriter w;
  w.begin_object()
      .field("e", "outboundAccountPosition")
      .field("E", to_ms(event_ns))
      .field("u", to_ms(update_ns))
      .key("B")
      .begin_array();
  for (const AssetBalance& b : balances) {
    w.begin_object()
        .field("a", b.asset)
        .field("f", b.free.to_string())
        .field("l", b.locked.to_string())
        .end_object();
  }
  return w.end_array().end_object().take();
}

std::string order_response(const OrderRecord& order, ResponseType type,
                           const std::vector<TradeRecord>& fills, TimestampNs transact_ns) {
  json::JsonWriter w;
  w.begin_object();
  write_order_core(w, order);
  w.field("transactTime", to_ms(transact_ns));
  if (type != ResponseType::Ack) {
    write_order_state(w, order);
    w.field("origQuoteOrderQty", zero_money())
        .field("workingTime", to_ms(order.working_ns.value_or(transact_ns)))
        .field("selfTradePreventionMode", "NONE");
  }
  if (type == ResponseType::Full) {
    w.key("fills").begin_array();
    for (const TradeRecord& t : fills) {
      w.begin_object()
          .field("price", t.price.to_string())
          .field("qty", t.quantity.to_string())
          .field("commission", t.commission.to_string())
          .field("commissionAsset", t.commission_asset)
          .field("tradeId", t.trade_id)
          .end_object();
    }
    w.end_array();
  }
  return w.end_object().take();
}

std::string order_object(const OrderRecord& order, const Instrument& instrument) {
  json::JsonWriter w;
  w.begin_object();
  write_order_core(w, order);
  write_order_state(w, order);
  w.field("stopPrice", zero_price(instrument))
      .field("icebergQty", zero_quantity(instrument))
      .field("time", to_ms(order.created_ns))
      .field("updateTime", to_ms(order.updated_ns))
      .field("isWorking", order.working_ns.has_value())
      .field("workingTime", order.working_ns ? to_ms(*order.working_ns) : std::int64_t{-1})
      .field("origQuoteOrderQty", zero_money())
      .field("selfTradePreventionMode", "NONE");
  return w.end_object().take();
}

std::string cancel_response(const OrderRecord& order, TimestampNs transact_ns) {
  json::JsonWriter w;
  w.begin_object()
      .field("symbol", order.symbol)
      .field("origClientOrderId", order.client_order_id)
      .field("orderId", wire_order_id(order.order_id))
      .field("orderListId", -1)
      .field("clientOrderId", order.cancel_client_order_id)
      .field("transactTime", to_ms(transact_ns));
  write_order_state(w, order);
  w.field("selfTradePreventionMode", "NONE");
  return w.end_object().take();
}

std::string depth_event(const std::string& symbol, const DepthBatch& batch,
                        const Instrument& instrument, TimestampNs event_ns) {
  json::JsonWriter w;
  w.begin_object()
      .field("e", "depthUpdate")
      .field("E", to_ms(event_ns))
      .field("s", symbol)
      .field("U", batch.first_update_id)
      .field("u", batch.last_update_id)
      .key("b");
  write_batch_side(w, batch.bids, instrument, true);
  w.key("a");
  write_batch_side(w, batch.asks, instrument, false);
  return w.end_object().take();
}

std::string trade_event(const PublicTrade& trade, TimestampNs event_ns) {
  json::JsonWriter w;
  w.begin_object()
      .field("e", "trade")
      .field("E", to_ms(event_ns))
      .field("s", trade.symbol)
      .field("t", trade.trade_id)
      .field("p", trade.price.to_string())
      .field("q", trade.quantity.to_string())
      .field("T", to_ms(event_ns))
      .field("m", trade.aggressor == Side::Sell)  // buyer is maker ⇔ the taker sold
      .field("M", true);
  return w.end_object().take();
}

std::string depth_snapshot(const DepthSnapshot& snapshot) {
  json::JsonWriter w;
  w.begin_object().field("lastUpdateId", snapshot.last_update_id).key("bids");
  write_levels(w, snapshot.bids);
  w.key("asks");
  write_levels(w, snapshot.asks);
  return w.end_object().take();
}

std::string exchange_info(const std::vector<const Instrument*>& instruments, TimestampNs now) {
  json::JsonWriter w;
  w.begin_object().field("timezone", "UTC").field("serverTime", to_ms(now));
  // Documented Binance limits, for clients that pace themselves; the simulator enforces none.
  w.key("rateLimits").begin_array();
  auto limit = [&](const char* type, const char* interval, int num, int value) {
    w.begin_object()
        .field("rateLimitType", type)
        .field("interval", interval)
        .field("intervalNum", num)
        .field("limit", value)
        .end_object();
  };
  limit("REQUEST_WEIGHT", "MINUTE", 1, 6000);
  limit("ORDERS", "SECOND", 10, 100);
  limit("ORDERS", "DAY", 1, 200000);
  limit("RAW_REQUESTS", "MINUTE", 5, 61000);
  w.end_array().key("exchangeFilters").begin_array().end_array().key("symbols").begin_array();
  for (const Instrument* i : instruments) {
    const Price tick = i->tick_size.rescaled(i->price_precision).value_or(i->tick_size);
    const Quantity lot = i->lot_size.rescaled(i->size_precision).value_or(i->lot_size);
    const Quantity min_qty = i->min_quantity.is_positive() ? i->min_quantity : lot;
    w.begin_object()
        .field("symbol", i->id.symbol)
        .field("status", i->tradable ? "TRADING" : "HALT")
        .field("baseAsset", i->base)
        .field("baseAssetPrecision", 8)
        .field("quoteAsset", i->quote)
        .field("quotePrecision", 8)
        .field("quoteAssetPrecision", 8)
        .field("baseCommissionPrecision", 8)
        .field("quoteCommissionPrecision", 8);
    w.key("orderTypes")
        .begin_array()
        .value("LIMIT")
        .value("LIMIT_MAKER")
        .value("MARKET")
        .end_array();
    w.field("icebergAllowed", false)
        .field("ocoAllowed", false)
        .field("otoAllowed", false)
        .field("quoteOrderQtyMarketAllowed", false)
        .field("allowTrailingStop", false)
        .field("cancelReplaceAllowed", false)
        .field("isSpotTradingAllowed", true)
        .field("isMarginTradingAllowed", false);
    // A zero bound disables it (Binance's convention): the simulator has no maximums.
    w.key("filters").begin_array();
    w.begin_object()
        .field("filterType", "PRICE_FILTER")
        .field("minPrice", tick.to_string())
        .field("maxPrice", zero_price(*i))
        .field("tickSize", tick.to_string())
        .end_object();
    w.begin_object()
        .field("filterType", "LOT_SIZE")
        .field("minQty", min_qty.to_string())
        .field("maxQty", zero_quantity(*i))
        .field("stepSize", lot.to_string())
        .end_object();
    w.begin_object()
        .field("filterType", "NOTIONAL")
        .field("minNotional", i->min_notional.rescaled(8).value_or(i->min_notional).to_string())
        .field("applyMinToMarket", true)
        .field("maxNotional", zero_money())
        .field("applyMaxToMarket", false)
        .field("avgPriceMins", 0)
        .end_object();
    w.end_array();
    w.key("permissions").begin_array().end_array();
    w.key("permissionSets").begin_array().begin_array().value("SPOT").end_array().end_array();
    w.field("defaultSelfTradePreventionMode", "NONE");
    w.key("allowedSelfTradePreventionModes").begin_array().value("NONE").end_array();
    w.end_object();
  }
  return w.end_array().end_object().take();
}

std::string account_json(const std::vector<AssetBalance>& balances, bool omit_zero,
                         TimestampNs update_ns) {
  json::JsonWriter w;
  w.begin_object()
      .field("makerCommission", Accounts::kMakerCommissionBps)
      .field("takerCommission", Accounts::kTakerCommissionBps)
      .field("buyerCommission", 0)
      .field("sellerCommission", 0)
      .key("commissionRates")
      .begin_object()
      .field("maker", Money::from_raw(Accounts::kMakerCommissionBps * 10000, 8).to_string())
      .field("taker", Money::from_raw(Accounts::kTakerCommissionBps * 10000, 8).to_string())
      .field("buyer", zero_money())
      .field("seller", zero_money())
      .end_object()
      .field("canTrade", true)
      .field("canWithdraw", false)
      .field("canDeposit", false)
      .field("brokered", false)
      .field("requireSelfTradePrevention", false)
      .field("preventSor", false)
      .field("updateTime", to_ms(update_ns))
      .field("accountType", "SPOT")
      .key("balances")
      .begin_array();
  for (const AssetBalance& b : balances) {
    if (omit_zero && b.free.is_zero() && b.locked.is_zero()) continue;
    w.begin_object()
        .field("asset", b.asset)
        .field("free", b.free.to_string())
        .field("locked", b.locked.to_string())
        .end_object();
  }
  w.end_array().key("permissions").begin_array().value("SPOT").end_array();
  return w.field("uid", 100000001).end_object().take();
}

std::string trades_json(const std::vector<TradeRecord>& trades) {
  json::JsonWriter w;
  w.begin_array();
  for (const TradeRecord& t : trades) {
    w.begin_object()
        .field("symbol", t.symbol)
        .field("id", t.trade_id)
        .field("orderId", static_cast<std::int64_t>(t.order_id))
        .field("orderListId", -1)
        .field("price", t.price.to_string())
        .field("qty", t.quantity.to_string())
        .field("quoteQty", t.quote_quantity.to_string())
        .field("commission", t.commission.to_string())
        .field("commissionAsset", t.commission_asset)
        .field("time", to_ms(t.time_ns))
        .field("isBuyer", t.buyer)
        .field("isMaker", t.maker)
        .field("isBestMatch", true)
        .end_object();
  }
  return w.end_array().take();
}

std::string error_json(int code, const std::string& message) {
  json::JsonWriter w;
  return w.begin_object().field("code", code).field("msg", message).end_object().take();
}

}  // namespace troupe::sim::detail
