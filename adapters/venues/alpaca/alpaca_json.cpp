#include "adapters/venues/alpaca/alpaca_json.hpp"

namespace troupe::alpaca::detail {
namespace {

constexpr std::size_t kMaxQuotedText = 64;

std::string wrong_type(std::string_view field, std::string_view expected) {
  return "field \"" + std::string(field) + "\": not " + std::string(expected);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `count` digits at `pos`; false when any is missing.
bool read_digits(std::string_view text, std::size_t& pos, int count, std::int64_t& out) {
  out = 0;
  for (int i = 0; i < count; ++i, ++pos) {
    if (pos >= text.size() || !is_digit(text[pos])) return false;
    out = out * 10 + (text[pos] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || (text[pos] != c && !(c == 'T' && text[pos] == 't'))) return false;
  ++pos;
  return true;
}

// Fraction digits after '.', scaled to ns; more than 9 digits is refused.
bool read_fraction(std::string_view text, std::size_t& pos, std::int64_t& ns) {
  ns = 0;
  if (pos >= text.size() || text[pos] != '.') return true;
  ++pos;
  int digits = 0;
  while (pos < text.size() && is_digit(text[pos])) {
    if (++digits > 9) return false;
    ns = ns * 10 + (text[pos++] - '0');
  }
  if (digits == 0) return false;
  for (int i = digits; i < 9; ++i) ns *= 10;
  return true;
}

// Offset from UTC in seconds: 'Z' or ±hh:mm (/v2/clock style offsets, §0.1 rule 4).
bool read_offset(std::string_view text, std::size_t& pos, std::int64_t& seconds) {
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
    seconds = 0;
    return true;
  }
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return false;
  const std::int64_t sign = text[pos++] == '-' ? -1 : 1;
  std::int64_t hours = 0;
  std::int64_t minutes = 0;
  if (!read_digits(text, pos, 2, hours) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, minutes) || hours > 23 || minutes > 59) {
    return false;
  }
  seconds = sign * (hours * 3600 + minutes * 60);
  return true;
}

std::int64_t days_in_month(std::int64_t y, std::int64_t m) {
  constexpr std::int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

std::string json_failure(simdjson::error_code error) {
  return std::string("invalid JSON: ") + simdjson::error_message(error);
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  out.append(text.substr(0, kMaxQuotedText));
  if (text.size() > kMaxQuotedText) out.append("...");
  out.push_back('"');
  return out;
}

tl::expected<std::string_view, std::string> read_string(od::value& value, std::string_view field) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return tl::make_unexpected(wrong_type(field, "a string"));
  }
  return text;
}

tl::expected<std::int64_t, std::string> read_int(od::value& value, std::string_view field) {
  std::int64_t number = 0;
  if (value.get_int64().get(number) != simdjson::SUCCESS) {
    return tl::make_unexpected(wrong_type(field, "an integer"));
  }
  return number;
}

tl::expected<std::string_view, std::string> read_number_text(od::value& value,
                                                             std::string_view field) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS || type != od::json_type::number) {
    return tl::make_unexpected(wrong_type(field, "a number"));
  }
  std::string_view text = value.raw_json_token();
  // raw_json_token() runs up to the next structural character, spaces included.
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  if (text.empty()) return tl::make_unexpected(wrong_type(field, "a number"));
  return text;
}

tl::expected<TimestampNs, std::string> parse_rfc3339(std::string_view text,
                                                     std::string_view field) {
  auto fail = [&] {
    return tl::make_unexpected("field \"" + std::string(field) + "\": " + quoted(text) +
                               " is not an RFC 3339 time");
  };
  std::size_t pos = 0;
  std::int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, month) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, day) || !expect(text, pos, 'T') ||
      !read_digits(text, pos, 2, hour) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, minute) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, second)) {
    return fail();
  }
  std::int64_t fraction_ns = 0;
  std::int64_t offset_s = 0;
  if (!read_fraction(text, pos, fraction_ns) || !read_offset(text, pos, offset_s) ||
      pos != text.size()) {
    return fail();
  }
  // 2261 keeps the ns count inside int64 (which ends in April 2262).
  if (year < 1970 || year > 2261 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60) {
    return fail();
  }
  const std::int64_t seconds =
      days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  if (seconds < 0) return fail();
  return seconds * 1'000'000'000 + fraction_ns;
}

}  // namespace troupe::alpaca::detail
