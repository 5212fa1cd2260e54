#include "adapters/api/order_request.hpp"

#include <simdjson.h>

#include <algorithm>
#include <map>
#include <optional>

namespace troupe::api {
namespace {

/// One field of the body as received: its JSON kind and its text (the unescaped string, or the
/// raw token for numbers and literals).
struct RawField {
  enum class Kind { String, Number, Null, Other } kind = Kind::Null;
  std::string text;
};

using Fields = std::map<std::string, RawField, std::less<>>;

constexpr std::string_view kKnownFields[] = {"symbol",        "side",           "type",
                                             "qty",           "limit_price",    "stop_price",
                                             "time_in_force", "client_order_id"};

RequestError malformed(std::string message) { return RequestError{400, "", std::move(message)}; }

RequestError invalid(std::string_view field, std::string message) {
  return RequestError{422, std::string(field), std::move(message)};
}

/// The received value for messages: quoted for strings and numbers, bare otherwise; long
/// values are cut so that an error never echoes a whole body.
std::string shown(const RawField& field) {
  std::string text = field.text.size() > 64 ? field.text.substr(0, 64) + "..." : field.text;
  if (field.kind == RawField::Kind::Other || field.kind == RawField::Kind::Null) return text;
  return "\"" + text + "\"";
}

std::string_view trim_right(std::string_view text) {
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

/// Reads one value with On-Demand (the document was validated before).
tl::expected<RawField, RequestError> read_value(simdjson::ondemand::value value) {
  simdjson::ondemand::json_type type;
  if (value.type().get(type)) return tl::make_unexpected(malformed("malformed JSON value"));
  std::string_view text;
  switch (type) {
    case simdjson::ondemand::json_type::string:
      if (value.get_string().get(text)) return tl::make_unexpected(malformed("malformed string"));
      return RawField{RawField::Kind::String, std::string(text)};
    case simdjson::ondemand::json_type::number:
      return RawField{RawField::Kind::Number, std::string(trim_right(value.raw_json_token()))};
    case simdjson::ondemand::json_type::null:
      return RawField{RawField::Kind::Null, "null"};
    case simdjson::ondemand::json_type::boolean:
      return RawField{RawField::Kind::Other, std::string(trim_right(value.raw_json_token()))};
    case simdjson::ondemand::json_type::object:
      return RawField{RawField::Kind::Other, "an object"};
    case simdjson::ondemand::json_type::array:
      return RawField{RawField::Kind::Other, "an array"};
  }
  return tl::make_unexpected(malformed("unexpected JSON value"));
}

/// Validates the whole document (DOM: strict, full UTF-8 and syntax check), then collects the
/// top-level fields with On-Demand, which keeps the raw text of numbers.
tl::expected<Fields, RequestError> read_fields(std::string_view body) {
  if (trim_right(body).empty())
    return tl::make_unexpected(malformed("request body is empty; expected a JSON object"));
  const simdjson::padded_string padded(body);
  simdjson::dom::parser dom;
  simdjson::dom::element root;
  if (auto error = dom.parse(padded).get(root))
    return tl::make_unexpected(
        malformed(std::string("malformed JSON: ") + simdjson::error_message(error)));
  if (!root.is_object())
    return tl::make_unexpected(malformed("request body must be a JSON object"));

  simdjson::ondemand::parser parser;
  simdjson::ondemand::document document;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(document) || document.get_object().get(object))
    return tl::make_unexpected(malformed("request body must be a JSON object"));
  Fields fields;
  for (auto member : object) {
    std::string_view key;
    if (member.unescaped_key().get(key)) return tl::make_unexpected(malformed("malformed key"));
    if (std::find(std::begin(kKnownFields), std::end(kKnownFields), key) == std::end(kKnownFields))
      return tl::make_unexpected(invalid(key, "unknown field \"" + std::string(key) + "\""));
    if (fields.contains(key))
      return tl::make_unexpected(invalid(key, "duplicate field \"" + std::string(key) + "\""));
    auto value = read_value(member.value());
    if (!value) return tl::make_unexpected(value.error());
    fields.emplace(std::string(key), std::move(*value));
  }
  return fields;
}

/// The field when present and not null.
const RawField* present(const Fields& fields, std::string_view name) {
  const auto it = fields.find(name);
  if (it == fields.end() || it->second.kind == RawField::Kind::Null) return nullptr;
  return &it->second;
}

/// A required or optional string field.
tl::expected<const RawField*, RequestError> string_field(const Fields& fields,
                                                         std::string_view name, bool required) {
  const auto* field = present(fields, name);
  if (!field) {
    if (required) return tl::make_unexpected(invalid(name, std::string(name) + " is required"));
    return nullptr;
  }
  if (field->kind != RawField::Kind::String)
    return tl::make_unexpected(
        invalid(name, std::string(name) + " must be a string, got " + shown(*field)));
  return field;
}

/// A positive decimal at `precision`, from a JSON string or number.
template <class Decimal>
tl::expected<Decimal, RequestError> decimal_field(const RawField& field, std::string_view name,
                                                  const Instrument& instrument,
                                                  std::string_view precision_name,
                                                  std::uint8_t precision) {
  const std::string n(name);
  auto not_positive = [&] {
    return tl::make_unexpected(
        invalid(name, n + " must be a positive decimal string or number, got " + shown(field)));
  };
  if (field.kind != RawField::Kind::String && field.kind != RawField::Kind::Number)
    return not_positive();
  auto parsed = Decimal::parse(field.text, precision);
  if (!parsed && parsed.error() == FixedPointError::TooManyDecimals)
    return tl::make_unexpected(invalid(name, n + " has more decimals than " + instrument.id.symbol +
                                                 " allows (" + std::string(precision_name) +
                                                 " precision " + std::to_string(precision) +
                                                 "), got " + shown(field)));
  if (!parsed && parsed.error() == FixedPointError::Overflow)
    return tl::make_unexpected(invalid(name, n + " is out of range, got " + shown(field)));
  if (!parsed || !parsed->is_positive()) return not_positive();
  return *parsed;
}

/// An enum field parsed by `parse` (side, type, time_in_force).
template <class Parse>
auto enum_field(const Fields& fields, std::string_view name, bool required, Parse parse,
                std::string_view allowed)
    -> tl::expected<std::optional<typename decltype(parse(std::string_view{}))::value_type>,
                    RequestError> {
  auto field = string_field(fields, name, required);
  if (!field) return tl::make_unexpected(field.error());
  if (!*field) return std::nullopt;
  auto value = parse((*field)->text);
  if (!value)
    return tl::make_unexpected(invalid(
        name, std::string(name) + " must be " + std::string(allowed) + ", got " + shown(**field)));
  return value;
}

bool valid_client_order_id(std::string_view id) {
  if (id.size() > kMaxClientOrderIdLength) return false;
  for (const char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

/// limit_price or stop_price: required when `used`, refused otherwise, then exact and on tick.
tl::expected<Price, RequestError> price_field(const Fields& fields, std::string_view name,
                                              bool used, OrderType type,
                                              const Instrument& instrument) {
  const std::string n(name);
  const auto* field = present(fields, name);
  if (used && !field)
    return tl::make_unexpected(
        invalid(name, n + " is required for " + to_string(type) + " orders"));
  if (!used && field)
    return tl::make_unexpected(
        invalid(name, n + " is not allowed for " + to_string(type) + " orders"));
  if (!field) return Price::from_raw(0, instrument.price_precision);
  auto price = decimal_field<Price>(*field, name, instrument, "price", instrument.price_precision);
  if (price && !instrument.on_tick(*price))
    return tl::make_unexpected(invalid(name, n + " must be a multiple of the tick size " +
                                                 instrument.tick_size.to_string() + ", got " +
                                                 shown(*field)));
  return price;
}

tl::expected<const Instrument*, RequestError> instrument_field(const Fields& fields,
                                                               ApiBackend& backend) {
  auto symbol = string_field(fields, "symbol", true);
  if (!symbol) return tl::make_unexpected(symbol.error());
  const Instrument* instrument = backend.find_instrument((*symbol)->text);
  if (!instrument)
    return tl::make_unexpected(invalid("symbol", "unknown symbol " + shown(**symbol)));
  if (!instrument->tradable)
    return tl::make_unexpected(
        invalid("symbol", "symbol " + shown(**symbol) + " is not tradable now"));
  return instrument;
}

tl::expected<Quantity, RequestError> quantity_field(const Fields& fields,
                                                    const Instrument& instrument) {
  const auto* field = present(fields, "qty");
  if (!field) return tl::make_unexpected(invalid("qty", "qty is required"));
  auto quantity =
      decimal_field<Quantity>(*field, "qty", instrument, "size", instrument.size_precision);
  if (quantity && !instrument.on_lot(*quantity))
    return tl::make_unexpected(invalid("qty", "qty must be a multiple of the lot size " +
                                                  instrument.lot_size.to_string() + ", got " +
                                                  shown(*field)));
  return quantity;
}

}  // namespace

tl::expected<SubmitOrder, RequestError> parse_order_request(std::string_view body,
                                                            ApiBackend& backend) {
  auto fields = read_fields(body);
  if (!fields) return tl::make_unexpected(fields.error());
  auto instrument = instrument_field(*fields, backend);
  if (!instrument) return tl::make_unexpected(instrument.error());
  auto side = enum_field(*fields, "side", true, parse_side, R"("buy" or "sell")");
  if (!side) return tl::make_unexpected(side.error());
  auto type =
      enum_field(*fields, "type", true, parse_order_type, "one of market, limit, stop, stop_limit");
  if (!type) return tl::make_unexpected(type.error());
  auto quantity = quantity_field(*fields, **instrument);
  if (!quantity) return tl::make_unexpected(quantity.error());
  const OrderType order_type = **type;
  auto limit = price_field(*fields, "limit_price",
                           order_type == OrderType::Limit || order_type == OrderType::StopLimit,
                           order_type, **instrument);
  if (!limit) return tl::make_unexpected(limit.error());
  auto stop = price_field(*fields, "stop_price",
                          order_type == OrderType::Stop || order_type == OrderType::StopLimit,
                          order_type, **instrument);
  if (!stop) return tl::make_unexpected(stop.error());
  auto time_in_force =
      enum_field(*fields, "time_in_force", false, parse_time_in_force, "one of day, gtc, ioc, fok");
  if (!time_in_force) return tl::make_unexpected(time_in_force.error());
  auto client_order_id = string_field(*fields, "client_order_id", false);
  if (!client_order_id) return tl::make_unexpected(client_order_id.error());
  if (*client_order_id && !valid_client_order_id((*client_order_id)->text))
    return tl::make_unexpected(invalid(
        "client_order_id", "client_order_id must be at most " +
                               std::to_string(kMaxClientOrderIdLength) +
                               " characters of [A-Za-z0-9._:-], got " + shown(**client_order_id)));

  SubmitOrder order;
  order.instrument = (*instrument)->id;
  order.side = **side;
  order.type = order_type;
  // Default GTC for every type (a market order fills or is canceled at the venue anyway).
  order.time_in_force = time_in_force->value_or(TimeInForce::Gtc);
  order.quantity = *quantity;
  order.price = *limit;
  order.trigger_price = *stop;
  if (*client_order_id) order.client_order_id = ClientOrderId((*client_order_id)->text);
  return order;
}

}  // namespace troupe::api
