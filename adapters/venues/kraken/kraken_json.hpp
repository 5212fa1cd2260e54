#pragma once
// Internal to the Kraken codec: small simdjson On-Demand readers whose failures are texts naming
// the field. Not part of the public API.

#include "messages/fixed_point.hpp"
#include "runtime/clock.hpp"

#include <simdjson.h>
#include <tl/expected.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace troupe::kraken::detail {

namespace od = simdjson::ondemand;

/// Text for a simdjson failure ("invalid JSON: ...").
std::string json_failure(simdjson::error_code error);

/// Quotes at most 64 characters of untrusted text for an error message.
std::string quoted(std::string_view text);

/// Reads a JSON string (valid until the next parse).
tl::expected<std::string_view, std::string> read_string(od::value& value, std::string_view field);
/// Reads a signed integer.
tl::expected<std::int64_t, std::string> read_int(od::value& value, std::string_view field);
/// Reads an unsigned integer.
tl::expected<std::uint64_t, std::string> read_uint(od::value& value, std::string_view field);
/// Reads true / false.
tl::expected<bool, std::string> read_bool(od::value& value, std::string_view field);

/// The exact text of a JSON number token (`3000.50`, `0`), without trailing whitespace.
// Kraken sends prices and sizes as JSON numbers (§0.1): the token text is the only exact form;
// a double would lose digits and break the checksum.
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

/// Parses an RFC 3339 time (`2024-06-03T14:30:00.100000Z`, `...+02:00`) to ns since the epoch.
/// Accepts 0-9 fraction digits and years 1970-2261.
tl::expected<TimestampNs, std::string> parse_rfc3339(std::string_view text, std::string_view field);

}  // namespace troupe::kraken::detail
