// REST bodies of BinanceCodec: order responses (§2.3) and error bodies (§2.4).

#include "adapters/venues/binance/binance_codec.hpp"
#include "adapters/venues/binance/json_support.hpp"

#include <optional>

namespace troupe::binance {
namespace {

namespace od = simdjson::ondemand;

struct FillText {
  std::string_view price, quantity, commission, commission_asset;
  std::optional<std::int64_t> trade_id;
};

struct OrderFields {
  std::string_view symbol, client_id, original_client_id, status, executed_quantity;
  std::optional<std::int64_t> order_id, transact_time, update_time;
  std::vector<FillText> fills;
};

using Result = tl::expected<void, std::string>;

template <class Visit>
Result for_each_field(od::object& object, Visit&& visit) {
  for (auto entry : object) {
    od::field field;
    if (auto error = std::move(entry).get(field))
      return tl::make_unexpected(detail::json_failure(error));
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) {
      return tl::make_unexpected(detail::json_failure(error));
    }
    if (Result visited = visit(key, field.value()); !visited) return visited;
  }
  return {};
}

Result store_text(tl::expected<std::string_view, std::string> text, std::string_view& out) {
  if (!text) return tl::make_unexpected(text.error());
  out = *text;
  return {};
}

Result store_int(tl::expected<std::int64_t, std::string> number, std::optional<std::int64_t>& out) {
  if (!number) return tl::make_unexpected(number.error());
  out = *number;
  return {};
}

Result read_fill(od::value& value, FillText& fill) {
  od::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return tl::make_unexpected(std::string("not an object"));
  }
  return for_each_field(object, [&](std::string_view key, od::value& v) -> Result {
    if (key == "price") return store_text(detail::read_string(v, key), fill.price);
    if (key == "qty") return store_text(detail::read_string(v, key), fill.quantity);
    if (key == "commission") return store_text(detail::read_string(v, key), fill.commission);
    if (key == "commissionAsset") {
      return store_text(detail::read_string_or_null(v, key), fill.commission_asset);
    }
    if (key == "tradeId") return store_int(detail::read_int(v, key), fill.trade_id);
    return {};
  });
}

Result read_fills(od::value& value, std::vector<FillText>& out) {
  od::array fills;
  if (value.get_array().get(fills) != simdjson::SUCCESS) {
    return tl::make_unexpected(detail::field_location("fills") + ": not an array");
  }
  for (auto element : fills) {
    od::value fill_value;
    if (auto error = std::move(element).get(fill_value)) {
      return tl::make_unexpected(detail::json_failure(error));
    }
    FillText fill;
    if (Result read = read_fill(fill_value, fill); !read) {
      return tl::make_unexpected(detail::field_location("fills") + "[" +
                                 std::to_string(out.size()) + "]: " + read.error());
    }
    out.push_back(fill);
  }
  return {};
}

Result visit_order(std::string_view key, od::value& v, OrderFields& f) {
  if (key == "symbol") return store_text(detail::read_string(v, key), f.symbol);
  if (key == "orderId") return store_int(detail::read_int(v, key), f.order_id);
  if (key == "clientOrderId") return store_text(detail::read_string(v, key), f.client_id);
  if (key == "origClientOrderId") {
    return store_text(detail::read_string(v, key), f.original_client_id);
  }
  if (key == "transactTime") return store_int(detail::read_time_ms(v, key), f.transact_time);
  if (key == "updateTime") return store_int(detail::read_time_ms(v, key), f.update_time);
  if (key == "status") return store_text(detail::read_string(v, key), f.status);
  if (key == "executedQty") return store_text(detail::read_string(v, key), f.executed_quantity);
  if (key == "fills") return read_fills(v, f.fills);
  return {};
}

tl::expected<std::vector<OrderResponseFill>, std::string> convert_fills(
    const std::vector<FillText>& texts, const Instrument& inst) {
  std::vector<OrderResponseFill> fills;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const FillText& t = texts[i];
    const std::string where = "fills[" + std::to_string(i) + "].";
    auto price = detail::read_decimal<Price>(t.price, inst.price_precision, where + "price");
    if (!price) return tl::make_unexpected(price.error());
    auto qty = detail::read_decimal<Quantity>(t.quantity, inst.size_precision, where + "qty");
    if (!qty) return tl::make_unexpected(qty.error());
    auto fee = detail::read_decimal<Money>(t.commission.empty() ? "0" : t.commission,
                                           kAssetPrecision, where + "commission");
    if (!fee) return tl::make_unexpected(fee.error());
    if (!t.trade_id) {
      return tl::make_unexpected("missing " + detail::field_location(where + "tradeId"));
    }
    fills.push_back(
        OrderResponseFill{*price, *qty, *fee, std::string(t.commission_asset), *t.trade_id});
  }
  return fills;
}

/// Iterates `body` as one JSON object and hands each field to `visit`.
template <class Visit>
Result read_object(detail::CodecState& state, std::string_view body, Visit&& visit) {
  if (body.size() > kMaxFrameBytes) {
    return tl::make_unexpected("body of " + std::to_string(body.size()) + " bytes exceeds the " +
                               std::to_string(kMaxFrameBytes) + "-byte limit");
  }
  od::document doc;
  if (auto error = state.iterate(body).get(doc)) {
    return tl::make_unexpected(detail::json_failure(error));
  }
  od::object root;
  if (auto error = doc.get_object().get(root)) {
    return tl::make_unexpected(error == simdjson::INCORRECT_TYPE ? std::string("not a JSON object")
                                                                 : detail::json_failure(error));
  }
  if (Result read = for_each_field(root, visit); !read) return read;
  if (detail::has_trailing_content(doc))
    return tl::make_unexpected(std::string("trailing content after the object"));
  return {};
}

}  // namespace

tl::expected<OrderResponse, DecodeError> BinanceCodec::decode_order_response(
    std::string_view body) {
  OrderFields f;
  auto fail = [&](std::string_view what) {
    std::string context = state_->venue + " order response";
    if (!f.client_id.empty()) context.append(" ").append(f.client_id);
    return tl::make_unexpected(
        DecodeError{context + ": " + std::string(what), std::string(f.symbol), false});
  };
  Result read = read_object(
      *state_, body, [&](std::string_view key, od::value& v) { return visit_order(key, v, f); });
  if (!read) return fail(read.error());
  if (f.symbol.empty()) return fail("missing " + detail::field_location("symbol"));
  if (!f.order_id) return fail("missing " + detail::field_location("orderId"));
  const Instrument* inst = state_->lookup(f.symbol);
  if (inst == nullptr) return fail("unknown symbol " + std::string(f.symbol));
  OrderResponse out;
  out.instrument = inst->id;
  out.order_id = *f.order_id;
  out.client_order_id = f.client_id;
  out.original_client_order_id = f.original_client_id;
  out.ts_transaction = ms_to_ns(f.transact_time.value_or(f.update_time.value_or(0)));
  out.status = f.status;
  if (!f.executed_quantity.empty()) {
    auto executed =
        detail::read_decimal<Quantity>(f.executed_quantity, inst->size_precision, "executedQty");
    if (!executed) return fail(executed.error());
    out.executed_quantity = *executed;
  }
  auto fills = convert_fills(f.fills, *inst);
  if (!fills) return fail(fills.error());
  out.fills = std::move(*fills);
  return out;
}

tl::expected<ApiError, DecodeError> BinanceCodec::decode_api_error(std::string_view body,
                                                                   std::string_view endpoint) {
  std::optional<std::int64_t> code;
  std::string_view message;
  Result read = read_object(*state_, body, [&](std::string_view key, od::value& v) -> Result {
    if (key == "code") return store_int(detail::read_int(v, key), code);
    if (key == "msg") return store_text(detail::read_string(v, key), message);
    return {};
  });
  auto fail = [&](std::string_view what) {
    return tl::make_unexpected(DecodeError{
        state_->venue + " " + std::string(endpoint) + " error body: " + std::string(what),
        {},
        false});
  };
  if (!read) return fail(read.error());
  if (!code) return fail("missing " + detail::field_location("code"));
  return ApiError{*code, std::string(message)};
}

}  // namespace troupe::binance
