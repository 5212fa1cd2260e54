// Order side of BinanceCodec: WebSocket API responses and user data events (§2.10), REST
// order bodies (§2.3) and REST error bodies (§2.4).

#include "adapters/venues/binance/binance_codec.hpp"
#include "adapters/venues/binance/json_support.hpp"

#include <optional>

namespace troupe::binance {
namespace {

namespace od = simdjson::ondemand;
using detail::CodecState;

/// Fields of a WebSocket API frame, response and event together, collected in one pass.
struct UserFields {
  std::optional<std::string> id;
  std::optional<std::int64_t> status;
  std::optional<std::int64_t> subscription_id;
  std::optional<std::int64_t> error_code;
  std::string_view error_message;
  bool has_error = false;
  std::string_view event_type, symbol, client_id, original_client_id, side, order_type;
  std::string_view time_in_force, execution_type, order_status, reject_reason, expiry_reason;
  std::string_view order_quantity, last_quantity, cum_quantity, last_price, commission;
  std::string_view commission_asset;
  std::optional<std::int64_t> event_time, order_id, trade_id, transaction_time;
  std::optional<bool> maker;
  std::string type_error;  ///< first field of the wrong type; reported for executionReport only
};

template <class T>
void keep(tl::expected<T, std::string> value, std::optional<T>& out, UserFields& f) {
  if (value) {
    out = std::move(*value);
  } else if (f.type_error.empty()) {
    f.type_error = std::move(value.error());
  }
}

void keep_text(tl::expected<std::string_view, std::string> value, std::string_view& out,
               UserFields& f) {
  if (value) {
    out = *value;
  } else if (f.type_error.empty()) {
    f.type_error = std::move(value.error());
  }
}

std::string_view* text_slot(std::string_view key, UserFields& f) {
  struct Slot {
    std::string_view key;
    std::string_view UserFields::*member;
  };
  static constexpr Slot slots[] = {
      {"e", &UserFields::event_type},     {"s", &UserFields::symbol},
      {"c", &UserFields::client_id},      {"C", &UserFields::original_client_id},
      {"S", &UserFields::side},           {"o", &UserFields::order_type},
      {"f", &UserFields::time_in_force},  {"x", &UserFields::execution_type},
      {"X", &UserFields::order_status},   {"r", &UserFields::reject_reason},
      {"eR", &UserFields::expiry_reason}, {"q", &UserFields::order_quantity},
      {"l", &UserFields::last_quantity},  {"z", &UserFields::cum_quantity},
      {"L", &UserFields::last_price},     {"n", &UserFields::commission}};
  for (const Slot& slot : slots) {
    if (slot.key == key) return &(f.*slot.member);
  }
  return nullptr;
}

void collect_event_field(std::string_view key, od::value& value, UserFields& f) {
  if (std::string_view* slot = text_slot(key, f)) {
    keep_text(detail::read_string(value, key), *slot, f);
  } else if (key == "N") {
    keep_text(detail::read_string_or_null(value, key), f.commission_asset, f);
  } else if (key == "E") {
    keep(detail::read_time_ms(value, key), f.event_time, f);
  } else if (key == "i") {
    keep(detail::read_int(value, key), f.order_id, f);
  } else if (key == "t") {
    keep(detail::read_int(value, key), f.trade_id, f);
  } else if (key == "T") {
    keep(detail::read_time_ms(value, key), f.transaction_time, f);
  } else if (key == "m") {
    keep(detail::read_bool(value, key), f.maker, f);
  }
}

using FieldVisitor = tl::expected<void, std::string> (*)(std::string_view, od::value&, UserFields&);

tl::expected<void, std::string> for_each_field(od::object& object, UserFields& f,
                                               FieldVisitor visit) {
  for (auto entry : object) {
    od::field field;
    if (auto error = std::move(entry).get(field))
      return tl::make_unexpected(detail::json_failure(error));
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) {
      return tl::make_unexpected(detail::json_failure(error));
    }
    if (auto visited = visit(key, field.value(), f); !visited) return visited;
  }
  return {};
}

tl::expected<void, std::string> visit_event(std::string_view key, od::value& value, UserFields& f) {
  collect_event_field(key, value, f);
  return {};
}

tl::expected<void, std::string> visit_result(std::string_view key, od::value& value,
                                             UserFields& f) {
  if (key == "subscriptionId") keep(detail::read_int(value, key), f.subscription_id, f);
  return {};
}

tl::expected<void, std::string> visit_error(std::string_view key, od::value& value, UserFields& f) {
  if (key == "code") keep(detail::read_int(value, key), f.error_code, f);
  if (key == "msg") keep_text(detail::read_string(value, key), f.error_message, f);
  return {};
}

tl::expected<void, std::string> visit_nested(od::value& value, UserFields& f, FieldVisitor visit) {
  od::json_type type;
  if (auto error = value.type().get(type)) return tl::make_unexpected(detail::json_failure(error));
  if (type != od::json_type::object) return {};  // "result": null or a list: nothing to read
  od::object object;
  if (auto error = value.get_object().get(object)) {
    return tl::make_unexpected(detail::json_failure(error));
  }
  return for_each_field(object, f, visit);
}

tl::expected<void, std::string> visit_root(std::string_view key, od::value& value, UserFields& f) {
  if (key == "id") {
    keep(detail::read_id(value, key), f.id, f);
  } else if (key == "status") {
    keep(detail::read_int(value, key), f.status, f);
  } else if (key == "subscriptionId") {
    keep(detail::read_int(value, key), f.subscription_id, f);
  } else if (key == "result") {
    return visit_nested(value, f, visit_result);
  } else if (key == "error") {
    f.has_error = true;
    return visit_nested(value, f, visit_error);
  } else if (key == "event") {
    return visit_nested(value, f, visit_event);
  } else {
    collect_event_field(key, value, f);
  }
  return {};
}

class UserDecoder {
 public:
  UserDecoder(CodecState& state, UserFields& fields) : state_(state), f_(fields) {}

  DecodeError failure(std::string_view what) const {
    std::string context = state_.venue;
    if (!f_.event_type.empty()) {
      context.append(" ").append(f_.event_type);
      if (!f_.symbol.empty()) context.append(" ").append(f_.symbol);
    } else if (f_.status) {
      context.append(" ws-api response");
      if (f_.id) context.append(" ").append(*f_.id);
    } else {
      context.append(" user stream");
    }
    return DecodeError{context + ": " + std::string(what), std::string(f_.symbol), false};
  }

  tl::expected<UserMessage, DecodeError> interpret() const {
    const std::string_view type = f_.event_type;
    if (type == "executionReport") return execution_report();
    if (type == "outboundAccountPosition") return AccountPosition{event_time()};
    if (type == "serverShutdown") return ServerShutdown{event_time()};
    if (type == "eventStreamTerminated") return EventStreamTerminated{event_time()};
    if (type == "balanceUpdate" || type == "listStatus" || type == "externalLockUpdate") {
      return IgnoredEvent{std::string(type)};
    }
    if (!type.empty()) return UnknownEvent{std::string(type)};
    if (f_.status) return response();
    return tl::make_unexpected(failure("frame is neither a response nor an event"));
  }

 private:
  std::int64_t event_time() const { return ms_to_ns(f_.event_time.value_or(0)); }

  tl::expected<UserMessage, DecodeError> response() const {
    WsApiResponse out{
        f_.id.value_or(std::string{}), static_cast<int>(*f_.status), {}, f_.subscription_id};
    if (f_.has_error) {
      out.error = ApiError{f_.error_code.value_or(0), std::string(f_.error_message)};
    }
    return out;
  }

  tl::unexpected<DecodeError> missing(std::string_view field) const {
    return tl::make_unexpected(failure("missing " + detail::field_location(field)));
  }

  tl::expected<UserMessage, DecodeError> execution_report() const;

  CodecState& state_;
  UserFields& f_;
};

tl::expected<UserMessage, DecodeError> UserDecoder::execution_report() const {
  if (!f_.type_error.empty()) return tl::make_unexpected(failure(f_.type_error));
  const std::pair<std::string_view, std::string_view> required[] = {
      {"s", f_.symbol},         {"c", f_.client_id},    {"S", f_.side},
      {"x", f_.execution_type}, {"X", f_.order_status}, {"q", f_.order_quantity},
      {"l", f_.last_quantity},  {"z", f_.cum_quantity}, {"L", f_.last_price}};
  for (const auto& [name, text] : required) {
    if (text.empty()) return missing(name);
  }
  if (!f_.order_id) return missing("i");
  if (!f_.event_time) return missing("E");
  const Instrument* inst = state_.lookup(f_.symbol);
  if (inst == nullptr) return tl::make_unexpected(failure("unknown symbol"));
  if (f_.side != "BUY" && f_.side != "SELL") {
    return tl::make_unexpected(failure(detail::field_location("S") + ": \"" + std::string(f_.side) +
                                       "\" is not BUY or SELL"));
  }
  auto order_qty = detail::read_decimal<Quantity>(f_.order_quantity, inst->size_precision, "q");
  auto last_qty = detail::read_decimal<Quantity>(f_.last_quantity, inst->size_precision, "l");
  auto cum_qty = detail::read_decimal<Quantity>(f_.cum_quantity, inst->size_precision, "z");
  auto last_price = detail::read_decimal<Price>(f_.last_price, inst->price_precision, "L");
  auto fee = detail::read_decimal<Money>(f_.commission.empty() ? "0" : f_.commission,
                                         kAssetPrecision, "n");
  for (const std::string* error :
       {order_qty ? nullptr : &order_qty.error(), last_qty ? nullptr : &last_qty.error(),
        cum_qty ? nullptr : &cum_qty.error(), last_price ? nullptr : &last_price.error(),
        fee ? nullptr : &fee.error()}) {
    if (error != nullptr) return tl::make_unexpected(failure(*error));
  }
  ExecutionReport report;
  report.instrument = inst->id;
  report.client_order_id = f_.client_id;
  report.original_client_order_id = f_.original_client_id;
  report.side = f_.side == "BUY" ? Side::Buy : Side::Sell;
  report.order_type = f_.order_type;
  report.time_in_force = f_.time_in_force;
  report.execution_type = f_.execution_type;
  report.order_status = f_.order_status;
  report.reject_reason = f_.reject_reason;
  report.expiry_reason = f_.expiry_reason;
  report.order_id = *f_.order_id;
  report.trade_id = f_.trade_id.value_or(-1);
  report.order_quantity = *order_qty;
  report.last_quantity = *last_qty;
  report.cum_quantity = *cum_qty;
  report.last_price = *last_price;
  report.commission = *fee;
  report.commission_asset = f_.commission_asset;
  report.maker = f_.maker.value_or(false);
  report.ts_event = ms_to_ns(*f_.event_time);
  report.ts_transaction = ms_to_ns(f_.transaction_time.value_or(*f_.event_time));
  return report;
}

}  // namespace

tl::expected<UserMessage, DecodeError> BinanceCodec::decode_user(std::string_view frame) {
  UserFields fields;
  UserDecoder decoder(*state_, fields);
  if (frame.size() > kMaxFrameBytes) {
    return tl::make_unexpected(decoder.failure("frame of " + std::to_string(frame.size()) +
                                               " bytes exceeds the " +
                                               std::to_string(kMaxFrameBytes) + "-byte limit"));
  }
  od::document doc;
  if (auto error = state_->iterate(frame).get(doc)) {
    return tl::make_unexpected(decoder.failure(detail::json_failure(error)));
  }
  od::object root;
  if (auto error = doc.get_object().get(root)) {
    return tl::make_unexpected(decoder.failure(
        error == simdjson::INCORRECT_TYPE ? "not a JSON object" : detail::json_failure(error)));
  }
  if (auto read = for_each_field(root, fields, visit_root); !read) {
    return tl::make_unexpected(decoder.failure(read.error()));
  }
  if (detail::has_trailing_content(doc)) {
    return tl::make_unexpected(decoder.failure("trailing content after the JSON object"));
  }
  return decoder.interpret();
}

}  // namespace troupe::binance
