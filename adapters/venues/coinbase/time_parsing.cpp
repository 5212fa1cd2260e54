#include "adapters/venues/coinbase/time_parsing.hpp"

#include <cstdint>

namespace troupe::coinbase {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

/// Reads exactly `count` digits at `pos`; -1 when any is not a digit or the text is short.
std::int64_t digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return -1;
  std::int64_t value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Howard Hinnant's days_from_civil: proleptic Gregorian date → days since 1970-01-01.
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::int64_t days_in_month(std::int64_t y, std::int64_t m) {
  constexpr std::int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

tl::unexpected<std::string> fail(std::string_view text, std::string_view what) {
  return tl::make_unexpected("\"" + std::string(text.substr(0, 40)) + "\" is not an RFC 3339 time (" +
                             std::string(what) + ")");
}

}  // namespace

tl::expected<TimestampNs, std::string> parse_rfc3339(std::string_view text) {
  const std::int64_t year = digits(text, 0, 4);
  const std::int64_t month = digits(text, 5, 2);
  const std::int64_t day = digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || text[4] != '-' || text[7] != '-') {
    return fail(text, "bad date");
  }
  if (text.size() < 19 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')) {
    return fail(text, "missing time");
  }
  const std::int64_t hour = digits(text, 11, 2);
  const std::int64_t minute = digits(text, 14, 2);
  const std::int64_t second = digits(text, 17, 2);
  if (hour < 0 || minute < 0 || second < 0 || text[13] != ':' || text[16] != ':') {
    return fail(text, "bad time of day");
  }
  if (year < 1970 || year > 2261) return fail(text, "year out of range");
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return fail(text, "field out of range");
  }
  std::size_t pos = 19;
  std::int64_t fraction_ns = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::int64_t scale = kNsPerSecond / 10;
    const std::size_t start = pos;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      fraction_ns += (text[pos] - '0') * scale;
      scale /= 10;  // digits past ns add 0
    }
    if (pos == start) return fail(text, "empty fraction");
  }
  std::int64_t offset_s = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const std::int64_t oh = digits(text, pos + 1, 2);
    const std::int64_t om = digits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || text[pos + 3] != ':' || oh > 23 || om > 59) {
      return fail(text, "bad offset");
    }
    offset_s = (text[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    pos += 6;
  } else {
    return fail(text, "missing zone");
  }
  if (pos != text.size()) return fail(text, "trailing characters");
  const std::int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 +
                               minute * 60 + second - offset_s;
  if (seconds < 0) return fail(text, "before 1970");
  return seconds * kNsPerSecond + fraction_ns;
}

}  // namespace troupe::coinbase
