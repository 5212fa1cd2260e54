#include "adapters/venues/binance/json_support.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

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

bool is_digit(char c) { return static_cast<unsigned char>(c - '0') <= 9; }

/// 10^n for n in [0, 18].
constexpr std::uint64_t kPow10[] = {1,
                                    10,
                                    100,
                                    1'000,
                                    10'000,
                                    100'000,
                                    1'000'000,
                                    10'000'000,
                                    100'000'000,
                                    1'000'000'000,
                                    10'000'000'000,
                                    100'000'000'000,
                                    1'000'000'000'000,
                                    10'000'000'000'000,
                                    100'000'000'000'000,
                                    1'000'000'000'000'000,
                                    10'000'000'000'000'000,
                                    100'000'000'000'000'000,
                                    1'000'000'000'000'000'000};
/// Mantissas at or above this would reach 10^18 with one more digit.
constexpr std::uint64_t kDigitLimit = 100'000'000'000'000'000;  // 10^17

/// Eight '0' characters as one little-endian word (the first character in the lowest byte).
constexpr std::uint64_t kEightZeros = 0x3030303030303030;

/// True when the eight characters in `chunk` are all decimal digits (SWAR, as simdjson does).
bool is_eight_digits(std::uint64_t chunk) {
  return ((chunk & 0xF0F0F0F0F0F0F0F0) |
          (((chunk + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) == 0x3333333333333333;
}

/// The value of eight digit characters (the first is the most significant), in three
/// multiplications instead of eight dependent steps (Lemire's SWAR method).
std::uint32_t parse_eight_digits(std::uint64_t chunk) {
  constexpr std::uint64_t kMask = 0x000000FF000000FF;
  constexpr std::uint64_t kMul1 = 100 + (1'000'000ULL << 32);
  constexpr std::uint64_t kMul2 = 1 + (10'000ULL << 32);
  chunk -= kEightZeros;
  chunk = chunk * 10 + (chunk >> 8);
  chunk = (((chunk & kMask) * kMul1) + (((chunk >> 16) & kMask) * kMul2)) >> 32;
  return static_cast<std::uint32_t>(chunk);
}

/// True when `text` holds a backslash. Words of eight bytes at a time: a decimal is about 14
/// bytes, and this runs for every price and size of every frame.
bool has_backslash(std::string_view text) {
  constexpr std::uint64_t kBackslashes = 0x5C5C5C5C5C5C5C5C;
  constexpr std::uint64_t kOnes = 0x0101010101010101;
  constexpr std::uint64_t kHighBits = 0x8080808080808080;
  const auto zero_byte = [&](std::uint64_t word) {
    word ^= kBackslashes;  // a backslash byte becomes zero
    return ((word - kOnes) & ~word & kHighBits) != 0;
  };
  const std::size_t size = text.size();
  if (size < 8) return text.find('\\') != std::string_view::npos;
  std::uint64_t word = 0;
  for (std::size_t i = 0; i + 8 <= size; i += 8) {
    std::memcpy(&word, text.data() + i, 8);
    if (zero_byte(word)) return true;
  }
  std::memcpy(&word, text.data() + size - 8, 8);  // the tail, overlapping the last word
  return zero_byte(word);
}

// A JSON string's text read where it lies in the padded buffer, without simdjson's copy into
// its string buffer: the same text as get_string() whenever the string holds no escape (every
// decimal Binance sends). Strings with a backslash go through get_string() to be unescaped.
simdjson::error_code string_in_place(od::value& value, std::string_view& out) {
  const std::string_view token = value.raw_json_token();
  // The token runs from the opening quote to the next structural character, so it ends with
  // the closing quote plus any whitespace before the ',' or ']'.
  const std::size_t close = token.size() > 1 ? token.rfind('"') : std::string_view::npos;
  if (token.empty() || token.front() != '"' || close == 0 || close == std::string_view::npos)
    return value.get_string().get(out);  // not a string: the same error as before
  const std::string_view text = token.substr(1, close - 1);
  if (has_backslash(text)) return value.get_string().get(out);
  out = text;
  return simdjson::SUCCESS;
}

/// Reads one `[price, quantity]` element into `level`; on failure writes why to `error`.
/// (Returning the level in an expected<LevelText, std::string> cost a store-forwarding stall
/// per level: this runs for every level of every frame.)
bool read_level(od::value& element, std::string_view field, std::size_t index, LevelText& level,
                std::string& error) {
  od::array pair;
  if (element.get_array().get(pair) != simdjson::SUCCESS) {
    error = indexed(field, index) + ": not a [price, quantity] pair";
    return false;
  }
  std::size_t count = 0;
  for (auto item : pair) {
    if (item.error() != simdjson::SUCCESS) {
      error = indexed(field, index) + ": " + json_failure(item.error());
      return false;
    }
    if (count < 2) {
      std::string_view text;
      if (string_in_place(item.value_unsafe(), text) != simdjson::SUCCESS) {
        error = indexed(field, index) + "[" + std::to_string(count) + "]: not a decimal string";
        return false;
      }
      (count == 0 ? level.price : level.quantity) = text;
    }
    ++count;
  }
  if (count < 2) {
    error = indexed(field, index) + ": expected [price, quantity], got " + std::to_string(count) +
            " element(s)";
    return false;
  }
  return true;
}

template <class Sink>
tl::expected<void, std::string> convert_levels(const std::vector<LevelText>& levels,
                                               const Instrument& instrument, std::string_view field,
                                               Sink&& sink) {
  for (std::size_t i = 0; i < levels.size(); ++i) {
    // The common case in one step: both texts plain decimals, a positive price and a size that
    // is not negative (the fast path never yields a negative value). Anything else takes the
    // checks below, which give the same values or name the error.
    std::int64_t price_raw = 0;
    std::int64_t size_raw = 0;
    if (parse_plain_decimal(levels[i].price, instrument.price_precision, price_raw) &&
        parse_plain_decimal(levels[i].quantity, instrument.size_precision, size_raw) &&
        price_raw > 0) {
      sink(Price::from_raw(price_raw, instrument.price_precision),
           Quantity::from_raw(size_raw, instrument.size_precision));
      continue;
    }
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

bool parse_plain_decimal(std::string_view text, std::uint8_t precision, std::int64_t& out) {
  // The result must stay below 10^18 (at most 18 significant digits, which also keeps it below
  // INT64_MAX); checking the running mantissa against 10^17 before each digit enforces that and
  // rules out overflow while accumulating. The loops carry one predictable check per digit:
  // this runs for every price and size of every frame.
  if (precision > 18) return false;
  const char* p = text.data();
  const char* const end = p + text.size();
  std::uint64_t mantissa = 0;
  const char* const integer_start = p;
  for (; p != end && is_digit(*p); ++p) {
    if (mantissa >= kDigitLimit) return false;
    mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
  }
  bool any_digit = p != integer_start;
  std::size_t taken = 0;  // fraction digits taken into the mantissa
  if (p != end) {
    if (*p != '.') return false;
    const char* const fraction_start = ++p;
    const std::size_t available = static_cast<std::size_t>(end - p);
    const std::size_t take = std::min<std::size_t>(precision, available);
    // Eight fraction digits at once when eight are there (Binance always sends eight).
    std::uint64_t chunk = 0;
    if (precision > 0 && available >= 8 && (std::memcpy(&chunk, p, 8), is_eight_digits(chunk))) {
      if (precision >= 8) {
        if (mantissa >= kPow10[10]) return false;  // the result would reach 10^18
        mantissa = mantissa * kPow10[8] + parse_eight_digits(chunk);
        taken = 8;
      } else {
        const unsigned shift = 8U * precision;
        // The digits past the precision must all be '0' (else the general parser says why).
        if ((chunk >> shift) != (kEightZeros >> shift)) return false;
        if (mantissa >= kPow10[18 - precision]) return false;
        // The first `precision` digits, with '0's in front: "00000012" for "12000000" at 2.
        mantissa = mantissa * kPow10[precision] +
                   parse_eight_digits((chunk << (64 - shift)) | (kEightZeros >> shift));
        taken = precision;
      }
      p += 8;
    }
    for (; taken < take && is_digit(*p); ++p, ++taken) {
      if (mantissa >= kDigitLimit) return false;
      mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
    }
    // Beyond the precision only zeros may follow (anything else would round, or is not a
    // decimal: the general parser then says which).
    for (; p != end; ++p) {
      if (*p != '0') return false;
    }
    any_digit = any_digit || p != fraction_start;
  }
  if (!any_digit) return false;
  const std::size_t scale = precision - taken;
  if (mantissa >= kPow10[18 - scale]) return false;
  out = static_cast<std::int64_t>(mantissa * kPow10[scale]);
  return true;
}

std::optional<std::int64_t> parse_plain_decimal(std::string_view text, std::uint8_t precision) {
  std::int64_t raw = 0;
  if (!parse_plain_decimal(text, precision, raw)) return std::nullopt;
  return raw;
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
    std::string why;
    if (!read_level(level_value, field, index, out.emplace_back(), why)) {
      out.pop_back();
      return tl::make_unexpected(std::move(why));
    }
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
