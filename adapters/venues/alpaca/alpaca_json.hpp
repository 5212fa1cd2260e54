#pragma once
// Internal to the Alpaca codec: simdjson On-Demand readers whose failures are texts naming the
// field, exact decimals from raw JSON number tokens and RFC 3339 times. Not part of the public
// API. (Same approach as kraken_json; a candidate for venues/common once a third user appears.)

#include "messages/fixed_point.hpp"
#include "runtime/clock.hpp"

#include <simdjson.h>
#include <tl/expected.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace troupe::alpaca::detail {

namespace od = simdjson::ondemand;

/// Text for a simdjson failure ("invalid JSON: ...").
std::string json_failure(simdjson::error_code error);

/// Quotes at most 64 characters of untrusted text for an error message.
std::string quoted(std::string_view text);

/// Reads a JSON string (valid until the next parse).
tl::expected<std::string_view, std::string> read_string(od::value& value, std::string_view field);
/// Reads a signed integer.
tl::expected<std::int64_t, std::string> read_int(od::value& value, std::string_view field);

/// The exact text of a JSON number token (`187.24`, `100`), without trailing whitespace.
// Alpaca's data stream sends prices and sizes as JSON numbers (§1.11): the token text is the
// only exact form; a double would round.
tl::expected<std::string_view, std::string> read_number_text(od::value& value,
                                                             std::string_view field);

/// Parses a price or quantity token exactly at `precision`.
template <class Value>
tl::expected<Value, std::string> parse_exact(std::string_view text, std::uint8_t precision,
                                             std::string_view field) {
  auto parsed = Value::parse(text, precision);
  if (!parsed) {
    return tl::make_unexpected("field \"" + std::string(field) + "\": " + quoted(text) +
                               " is not a decimal at precision " + std::to_string(precision) +
                               " (" + to_string(parsed.error()) + ")");
  }
  return *parsed;
}

/// Parses an RFC 3339 time (`2024-06-03T14:30:02.456789123Z`, `...-04:00`) to ns since the
/// epoch. Accepts 0-9 fraction digits and years 1970-2261.
tl::expected<TimestampNs, std::string> parse_rfc3339(std::string_view text, std::string_view field);

}  // namespace troupe::alpaca::detail
