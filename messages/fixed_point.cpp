#include "messages/fixed_point.hpp"

#include <cstdio>
#include <cstdlib>

namespace troupe {

std::string to_string(FixedPointError error) {
  switch (error) {
    case FixedPointError::Empty:
      return "empty";
    case FixedPointError::InvalidCharacter:
      return "invalid character";
    case FixedPointError::TooManyDecimals:
      return "too many decimals";
    case FixedPointError::Overflow:
      return "overflow";
    case FixedPointError::InvalidPrecision:
      return "invalid precision";
  }
  return "unknown";
}

namespace detail {
namespace {
using i128 = __int128;
using u128 = unsigned __int128;

constexpr std::int64_t kPow10[19] = {1,
                                     10,
                                     100,
                                     1000,
                                     10000,
                                     100000,
                                     1000000,
                                     10000000,
                                     100000000,
                                     1000000000,
                                     10000000000,
                                     100000000000,
                                     1000000000000,
                                     10000000000000,
                                     100000000000000,
                                     1000000000000000,
                                     10000000000000000,
                                     100000000000000000,
                                     1000000000000000000};

constexpr u128 pow10_128(int n) {
  u128 x = 1;
  for (int i = 0; i < n; ++i) x *= 10;
  return x;
}

// Beyond this a further digit could overflow 128 bits; only zeros may follow.
constexpr u128 kMantissaLimit = pow10_128(36);

// Scales a 128-bit mantissa by 10^shift (shift may be negative) into an int64; exact only.
tl::expected<std::int64_t, FixedPointError> fit(i128 value, int shift) {
  if (value == 0) return 0;
  if (shift > 0) {
    // A magnitude above int64 only grows when scaled up: refuse before multiplying.
    if (shift > 18 || value > INT64_MAX || value < INT64_MIN)
      return tl::make_unexpected(FixedPointError::Overflow);
    value *= kPow10[shift];  // |value| <= 2^63 * 10^18 < 2^127
  } else if (shift < 0) {
    if (-shift > 38) return tl::make_unexpected(FixedPointError::TooManyDecimals);
    i128 div = static_cast<i128>(pow10_128(-shift));
    if (value % div != 0) return tl::make_unexpected(FixedPointError::TooManyDecimals);
    value /= div;
  }
  if (value > INT64_MAX || value < INT64_MIN) return tl::make_unexpected(FixedPointError::Overflow);
  return static_cast<std::int64_t>(value);
}
}  // namespace

std::int64_t pow10(std::uint8_t n) { return kPow10[n > 18 ? 18 : n]; }

tl::expected<std::int64_t, FixedPointError> parse_decimal(std::string_view text,
                                                          std::uint8_t precision) {
  if (precision > kMaxPrecision) return tl::make_unexpected(FixedPointError::InvalidPrecision);
  if (text.empty()) return tl::make_unexpected(FixedPointError::Empty);
  std::size_t i = 0;
  bool negative = false;
  if (text[i] == '-' || text[i] == '+') {
    negative = text[i] == '-';
    ++i;
  }
  u128 mantissa = 0;
  int fraction_digits = 0;
  int digits = 0;
  bool seen_point = false;
  // Digits that would overflow 128 bits must all be zero (leading zeros never count; trailing
  // zeros after a huge mantissa are tracked as a scale adjustment).
  int dropped_zero_digits = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (seen_point) return tl::make_unexpected(FixedPointError::InvalidCharacter);
      seen_point = true;
      continue;
    }
    if (c == 'e' || c == 'E') break;
    if (c < '0' || c > '9') return tl::make_unexpected(FixedPointError::InvalidCharacter);
    ++digits;
    if (seen_point) ++fraction_digits;
    if (mantissa > kMantissaLimit) {
      if (c != '0') return tl::make_unexpected(FixedPointError::Overflow);
      ++dropped_zero_digits;
      continue;
    }
    mantissa = mantissa * 10 + static_cast<unsigned>(c - '0');
  }
  if (digits == 0) return tl::make_unexpected(FixedPointError::InvalidCharacter);
  int exponent = 0;
  if (i < text.size()) {  // exponent part
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      exp_negative = text[i] == '-';
      ++i;
    }
    if (i >= text.size()) return tl::make_unexpected(FixedPointError::InvalidCharacter);
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c < '0' || c > '9') return tl::make_unexpected(FixedPointError::InvalidCharacter);
      exponent = exponent * 10 + (c - '0');
      if (exponent > 400) return tl::make_unexpected(FixedPointError::Overflow);
    }
    if (exp_negative) exponent = -exponent;
  }
  // value = mantissa * 10^(dropped_zero_digits - fraction_digits + exponent)
  int shift = dropped_zero_digits - fraction_digits + exponent + precision;
  i128 value = static_cast<i128>(mantissa);
  if (negative) value = -value;
  if (mantissa == 0) return 0;
  return fit(value, shift);
}

std::string format_decimal(std::int64_t raw, std::uint8_t precision) {
  char buf[48];
  std::uint64_t magnitude =
      raw < 0 ? static_cast<std::uint64_t>(-(raw + 1)) + 1 : static_cast<std::uint64_t>(raw);
  char* end = buf + sizeof(buf);
  char* p = end;
  for (int d = 0; d < precision; ++d) {
    *--p = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  }
  if (precision > 0) *--p = '.';
  do {
    *--p = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (raw < 0) *--p = '-';
  return std::string(p, end);
}

tl::expected<std::int64_t, FixedPointError> rescale(std::int64_t raw, std::uint8_t from,
                                                    std::uint8_t to) {
  if (from > kMaxPrecision || to > kMaxPrecision)
    return tl::make_unexpected(FixedPointError::InvalidPrecision);
  return fit(static_cast<i128>(raw), static_cast<int>(to) - static_cast<int>(from));
}

std::strong_ordering compare(std::int64_t a, std::uint8_t pa, std::int64_t b, std::uint8_t pb) {
  if (pa == pb) return a <=> b;
  i128 x = a, y = b;
  if (pa < pb)
    x *= kPow10[pb - pa];
  else
    y *= kPow10[pa - pb];
  return x < y ? std::strong_ordering::less
               : (x > y ? std::strong_ordering::greater : std::strong_ordering::equal);
}

void fixed_point_overflow(const char* operation) {
  std::fprintf(stderr, "troupe: fixed-point overflow in %s\n", operation);
  std::abort();
}

}  // namespace detail

namespace {
tl::expected<Money, FixedPointError> scaled_product(__int128 product, int product_precision,
                                                    std::uint8_t precision) {
  if (precision > kMaxPrecision) return tl::make_unexpected(FixedPointError::InvalidPrecision);
  int shift = static_cast<int>(precision) - product_precision;
  if (shift < 0) {
    __int128 div = 1;
    for (int i = 0; i < -shift; ++i) div *= 10;
    product /= div;  // truncates toward zero
  } else {
    for (int i = 0; i < shift; ++i) {
      if (product > INT64_MAX || product < INT64_MIN)
        return tl::make_unexpected(FixedPointError::Overflow);
      product *= 10;
    }
  }
  if (product > INT64_MAX || product < INT64_MIN)
    return tl::make_unexpected(FixedPointError::Overflow);
  return Money::from_raw(static_cast<std::int64_t>(product), precision);
}
}  // namespace

tl::expected<Money, FixedPointError> notional(Price price, Quantity quantity,
                                              std::uint8_t precision) {
  __int128 product = static_cast<__int128>(price.raw()) * quantity.raw();
  return scaled_product(product, price.precision() + quantity.precision(), precision);
}

tl::expected<Money, FixedPointError> price_difference_times(Price a, Price b, Quantity quantity,
                                                            std::uint8_t precision) {
  const std::uint8_t p = a.precision() > b.precision() ? a.precision() : b.precision();
  auto ra = detail::rescale(a.raw(), a.precision(), p);
  auto rb = detail::rescale(b.raw(), b.precision(), p);
  if (!ra || !rb) return tl::make_unexpected(FixedPointError::Overflow);
  __int128 diff = static_cast<__int128>(*ra) - *rb;
  return scaled_product(diff * quantity.raw(), p + quantity.precision(), precision);
}

}  // namespace troupe
