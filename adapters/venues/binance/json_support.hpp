#pragma once
// Internal to the Binance codec: the shared simdjson state and small typed readers that turn
// simdjson error codes into texts naming the field. Not part of the public API.

#include "adapters/venues/binance/binance_codec.hpp"
#include "messages/fixed_point.hpp"

#include <simdjson.h>
#include <tl/expected.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::binance::detail {

namespace od = simdjson::ondemand;

/// Price and quantity text of one `[price, quantity]` level, pointing into the parser's buffer.
struct LevelText {
  std::string_view price;
  std::string_view quantity;
};

/// Everything one codec reuses between frames.
class CodecState {
 public:
  CodecState(InstrumentLookup lookup, std::string venue)
      : lookup(std::move(lookup)), venue(std::move(venue)) {}

  /// Copies `text` into the reusable buffer with simdjson's padding and starts iterating it.
  simdjson::simdjson_result<od::document> iterate(std::string_view text);

  InstrumentLookup lookup;
  std::string venue;
  od::parser parser;
  std::string buffer;
  std::vector<LevelText> bids;  ///< scratch for depth frames and snapshots
  std::vector<LevelText> asks;
};

/// True when the document holds more than the value just read (`{..} {..}`).
bool has_trailing_content(od::document& doc);

/// "field \"U\"" style location used at the start of error details.
std::string field_location(std::string_view field);

/// Text for a simdjson failure at the document level ("invalid JSON: ...").
std::string json_failure(simdjson::error_code error);

/// Reads a JSON string (unescaped, valid until the next parse).
tl::expected<std::string_view, std::string> read_string(od::value& value, std::string_view field);
/// Reads a JSON string, or "" for null.
tl::expected<std::string_view, std::string> read_string_or_null(od::value& value,
                                                                std::string_view field);
/// Reads a signed integer number.
tl::expected<std::int64_t, std::string> read_int(od::value& value, std::string_view field);
/// Reads an epoch time in ms within [0, kMaxEpochMs].
tl::expected<std::int64_t, std::string> read_time_ms(od::value& value, std::string_view field);
/// Reads an unsigned integer number.
tl::expected<std::uint64_t, std::string> read_uint(od::value& value, std::string_view field);
/// Reads true / false.
tl::expected<bool, std::string> read_bool(od::value& value, std::string_view field);
/// Reads an id that may be a number, a string or null, as text ("" for null).
tl::expected<std::string, std::string> read_id(od::value& value, std::string_view field);
/// Reads `[[price, quantity], ...]` as text pairs into `out` (cleared first).
tl::expected<void, std::string> read_levels(od::value& value, std::string_view field,
                                            std::vector<LevelText>& out);

/// Text for a decimal that did not parse: `field "b"[3][0]: "12.3x" is not a decimal`.
std::string decimal_failure(std::string_view location, std::string_view text, FixedPointError error,
                            std::uint8_t precision);

/// The mantissa of plain decimal text (`digits[.digits]`, as Binance sends) at `precision`, or
/// nullopt for anything else: a sign, an exponent, more than 18 significant digits, non-zero
/// digits beyond `precision`, overflow. Exact; callers fall back to FixedPoint::parse, which then
/// gives the same value or the canonical error. Exists because the general parser costs ~300 ns
/// a value (128-bit arithmetic), far over the per-frame decode budget.
std::optional<std::int64_t> parse_plain_decimal(std::string_view text, std::uint8_t precision);
/// parse_plain_decimal writing the mantissa to `out`; false (and `out` untouched) for anything
/// else. The form the hot paths use: no optional to return through memory.
bool parse_plain_decimal(std::string_view text, std::uint8_t precision, std::int64_t& out);

/// FixedPoint::parse with the plain-decimal fast path in front; same results.
template <class Value>
tl::expected<Value, FixedPointError> parse_fixed(std::string_view text, std::uint8_t precision) {
  std::int64_t raw = 0;
  if (parse_plain_decimal(text, precision, raw)) return Value::from_raw(raw, precision);
  return Value::parse(text, precision);
}

/// Parses a price / quantity / money text exactly at `precision`, or explains why not.
template <class Value>
tl::expected<Value, std::string> read_decimal(std::string_view text, std::uint8_t precision,
                                              std::string_view field) {
  auto parsed = parse_fixed<Value>(text, precision);
  if (!parsed)
    return tl::make_unexpected(
        decimal_failure(field_location(field), text, parsed.error(), precision));
  return *parsed;
}

/// Converts level texts to deltas on `side`; `field` is "b" / "bids" for error texts.
tl::expected<void, std::string> levels_to_deltas(const std::vector<LevelText>& levels, Side side,
                                                 const Instrument& instrument,
                                                 std::string_view field,
                                                 std::vector<BookDelta>& out);

/// Converts level texts to snapshot levels; `field` is "bids" / "asks" for error texts.
tl::expected<void, std::string> levels_to_book(const std::vector<LevelText>& levels,
                                               const Instrument& instrument, std::string_view field,
                                               std::vector<BookLevel>& out);

/// Upper-cases ASCII ("btcusdt" -> "BTCUSDT").
std::string to_upper(std::string_view text);

}  // namespace troupe::binance::detail
