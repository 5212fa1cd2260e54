#include "adapters/venues/binance/json_support.hpp"

#include <algorithm>
#include <cctype>

namespace troupe::binance::detail {
namespace {

constexpr std::size_t kMaxQuotedText = 64;

std::string quoted(std::string_view text) {
  std::string out = "\"";
  out.append(text.substr(0, kMaxQuotedText));
  if (text.size() > kMaxQuotedText) out.append("...");
  out.push_back('"');
  return out;
}

std::string located(std::string_view field, std::string_view what) {
  return field_location(field) + ": " + std::string(what);
}

std::string indexed(std::string_view field, std::size_t index) {
  return field_location(field) + "[" + std::to_string(index) + "]";
}

tl::expected<LevelText, std::string> read_level(od::value& element, std::string_view field,
                                                std::size_t index) {
  od::array pair;
  if (element.get_array().get(pair) != simdjson::SUCCESS) {
    return tl::make_unexpected(indexed(field, index) + ": not a [price, quantity] pair");
  }
  LevelText level;
  std::size_t count = 0;
  for (auto item : pair) {
    if (item.error() != simdjson::SUCCESS) {
      return tl::make_unexpected(indexed(field, index) + ": " + json_failure(item.error()));
    }
    if (count < 2) {
      std::string_view text;
      if (item.get_string().get(text) != simdjson::SUCCESS) {
        return tl::make_unexpected(indexed(field, index) + "[" + std::to_string(count) +
                                   "]: not a decimal string");
      }
      (count == 0 ? level.price : level.quantity) = text;
    }
    ++count;
  }
  if (count < 2) {
    return tl::make_unexpected(indexed(field, index) + ": expected [price, quantity], got " +
                               std::to_string(count) + " element(s)");
  }
  return level;
}

template <class Sink>
tl::expected<void, std::string> convert_levels(const std::vector<LevelText>& levels,
                                               const Instrument& instrument, std::string_view field,
                                               Sink&& sink) {
  for (std::size_t i = 0; i < levels.size(); ++i) {
    auto price = parse_fixed<Price>(levels[i].price, instrument.price_precision);
    if (!price) {
      return tl::make_unexpected(decimal_failure(indexed(field, i) + "[0]", levels[i].price,
                                                 price.error(), instrument.price_precision));
    }
    if (!price->is_positive()) {
      return tl::make_unexpected(indexed(field, i) + "[0]: " + quoted(levels[i].price) +
                                 " is not a positive price");
    }
    auto size = parse_fixed<Quantity>(levels[i].quantity, instrument.size_precision);
    if (!size) {
      return tl::make_unexpected(decimal_failure(indexed(field, i) + "[1]", levels[i].quantity,
                                                 size.error(), instrument.size_precision));
    }
    if (size->is_negative()) {
      return tl::make_unexpected(indexed(field, i) + "[1]: " + quoted(levels[i].quantity) +
                                 " is a negative quantity");
    }
    sink(*price, *size);
  }
  return {};
}

}  // namespace

simdjson::simdjson_result<od::document> CodecState::iterate(std::string_view text) {
  // reserve() first: assigning text that fits the capacity never reallocates, so the padding
  // bytes simdjson may read past the end are owned by the buffer.
  buffer.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(text.data(), text.size());
  return parser.iterate(
      simdjson::padded_string_view(buffer.data(), text.size(), buffer.capacity()));
}

bool has_trailing_content(od::document& doc) {
  const char* location = nullptr;
  // Once the root value is consumed, current_location() fails with OUT_OF_BOUNDS unless
  // another token follows.
  return doc.current_location().get(location) == simdjson::SUCCESS;
}

std::optional<std::int64_t> parse_plain_decimal(std::string_view text, std::uint8_t precision) {
  constexpr int kMaxDigits = 18;  // 10^18 - 1 < INT64_MAX: no overflow check while accumulating
  if (text.empty() || precision > kMaxDigits) return std::nullopt;
  std::uint64_t mantissa = 0;
  int digits = 0;         // significant digits accumulated (leading zeros skipped)
  int fraction_used = 0;  // fraction digits taken into the mantissa
  bool point = false;
  bool any_digit = false;
  for (char c : text) {
    if (c == '.') {
      if (point) return std::nullopt;
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    any_digit = true;
    if (point && fraction_used == precision) {
      if (c != '0') return std::nullopt;  // would round: let the general parser say so
      continue;
    }
    if (mantissa != 0 || c != '0') ++digits;
    if (digits > kMaxDigits) return std::nullopt;
    mantissa = mantissa * 10 + static_cast<unsigned>(c - '0');
    if (point) ++fraction_used;
  }
  if (!any_digit) return std::nullopt;
  for (int i = fraction_used; i < precision; ++i) {
    if (++digits > kMaxDigits && mantissa != 0) return std::nullopt;
    mantissa *= 10;
  }
  return static_cast<std::int64_t>(mantissa);
}

std::string field_location(std::string_view field) {
  std::string out = "field \"";
  out.append(field);
  out.push_back('"');
  return out;
}

std::string json_failure(simdjson::error_code error) {
  return std::string("invalid JSON (") + simdjson::error_message(error) + ")";
}

tl::expected<std::string_view, std::string> read_string(od::value& value, std::string_view field) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return tl::make_unexpected(located(field, "not a string"));
  }
  return text;
}

tl::expected<std::string_view, std::string> read_string_or_null(od::value& value,
                                                                std::string_view field) {
  od::json_type type;
  if (value.type().get(type) == simdjson::SUCCESS && type == od::json_type::null) {
    return std::string_view{};
  }
  return read_string(value, field);
}

tl::expected<std::int64_t, std::string> read_int(od::value& value, std::string_view field) {
  std::int64_t number = 0;
  if (value.get_int64().get(number) != simdjson::SUCCESS) {
    return tl::make_unexpected(located(field, "not an integer"));
  }
  return number;
}

tl::expected<std::int64_t, std::string> read_time_ms(od::value& value, std::string_view field) {
  auto ms = read_int(value, field);
  if (!ms) return ms;
  if (*ms < 0 || *ms > kMaxEpochMs) {
    return tl::make_unexpected(located(field, std::to_string(*ms) + " is not an epoch time in ms"));
  }
  return ms;
}

tl::expected<std::uint64_t, std::string> read_uint(od::value& value, std::string_view field) {
  std::uint64_t number = 0;
  if (value.get_uint64().get(number) != simdjson::SUCCESS) {
    return tl::make_unexpected(located(field, "not an unsigned integer"));
  }
  return number;
}

tl::expected<bool, std::string> read_bool(od::value& value, std::string_view field) {
  bool flag = false;
  if (value.get_bool().get(flag) != simdjson::SUCCESS) {
    return tl::make_unexpected(located(field, "not a boolean"));
  }
  return flag;
}

tl::expected<std::string, std::string> read_id(od::value& value, std::string_view field) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) {
    return tl::make_unexpected(located(field, "not a valid id"));
  }
  if (type == od::json_type::null) return std::string{};
  if (type == od::json_type::string) {
    auto text = read_string(value, field);
    if (!text) return tl::make_unexpected(text.error());
    return std::string(*text);
  }
  auto number = read_int(value, field);
  if (!number) return tl::make_unexpected(located(field, "not a string, integer or null"));
  return std::to_string(*number);
}

tl::expected<void, std::string> read_levels(od::value& value, std::string_view field,
                                            std::vector<LevelText>& out) {
  out.clear();
  od::array levels;
  if (value.get_array().get(levels) != simdjson::SUCCESS) {
    return tl::make_unexpected(located(field, "not an array of [price, quantity] pairs"));
  }
  std::size_t index = 0;
  for (auto element : levels) {
    od::value level_value;
    if (auto error = std::move(element).get(level_value)) {
      return tl::make_unexpected(indexed(field, index) + ": " + json_failure(error));
    }
    auto level = read_level(level_value, field, index);
    if (!level) return tl::make_unexpected(level.error());
    out.push_back(*level);
    ++index;
  }
  return {};
}

std::string decimal_failure(std::string_view location, std::string_view text, FixedPointError error,
                            std::uint8_t precision) {
  std::string out(location);
  out.append(": ").append(quoted(text));
  switch (error) {
    case FixedPointError::TooManyDecimals:
      return out + " has more than " + std::to_string(precision) + " decimals";
    case FixedPointError::Overflow:
      return out + " is out of range";
    case FixedPointError::InvalidPrecision:
      return out + " cannot be read at precision " + std::to_string(precision);
    case FixedPointError::Empty:
    case FixedPointError::InvalidCharacter:
      break;
  }
  return out + " is not a decimal";
}

tl::expected<void, std::string> levels_to_deltas(const std::vector<LevelText>& levels, Side side,
                                                 const Instrument& instrument,
                                                 std::string_view field,
                                                 std::vector<BookDelta>& out) {
  return convert_levels(levels, instrument, field, [&](Price price, Quantity size) {
    out.push_back(BookDelta{side, price, size});
  });
}

tl::expected<void, std::string> levels_to_book(const std::vector<LevelText>& levels,
                                               const Instrument& instrument, std::string_view field,
                                               std::vector<BookLevel>& out) {
  out.reserve(levels.size());
  return convert_levels(levels, instrument, field, [&](Price price, Quantity size) {
    out.push_back(BookLevel{price, size});
  });
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace troupe::binance::detail
