#pragma once
// Fixed-point decimal numbers for money on the order path: an int64 mantissa plus a decimal
// precision (number of digits after the point). Parsing and formatting are exact; arithmetic is
// overflow-checked. Never use double for prices or quantities that reach an order.

#include <tl/expected.hpp>

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace troupe {

/// Largest precision (digits after the decimal point) a fixed-point value may carry.
inline constexpr std::uint8_t kMaxPrecision = 18;

/// Why a decimal text or an arithmetic operation could not produce a fixed-point value.
enum class FixedPointError : std::uint8_t {
  Empty,             ///< the text was empty
  InvalidCharacter,  ///< the text was not a decimal number
  TooManyDecimals,   ///< non-zero digits beyond the target precision (would round)
  Overflow,          ///< the value does not fit the int64 mantissa
  InvalidPrecision,  ///< precision above kMaxPrecision
};

/// Human-readable name of a FixedPointError ("overflow", ...).
std::string to_string(FixedPointError error);

namespace detail {
/// 10^n for n in [0, 18].
std::int64_t pow10(std::uint8_t n);
/// Parses decimal text (optional sign, digits, optional fraction, optional exponent) into a
/// mantissa at `precision`. Exact: refuses anything that would round.
tl::expected<std::int64_t, FixedPointError> parse_decimal(std::string_view text,
                                                          std::uint8_t precision);
/// Formats a mantissa with exactly `precision` digits after the point ("-0.50000000").
std::string format_decimal(std::int64_t raw, std::uint8_t precision);
/// Rescales a mantissa from one precision to another; refuses rounding and overflow.
tl::expected<std::int64_t, FixedPointError> rescale(std::int64_t raw, std::uint8_t from,
                                                    std::uint8_t to);
/// Three-way numeric comparison of two mantissas with possibly different precisions.
std::strong_ordering compare(std::int64_t a, std::uint8_t pa, std::int64_t b, std::uint8_t pb);
/// Reports an arithmetic overflow on a path that cannot return an error, then aborts.
[[noreturn]] void fixed_point_overflow(const char* operation);
}  // namespace detail

/// A decimal number stored as `raw / 10^precision`. `Tag` keeps prices, quantities and money
/// apart at compile time. Two values compare numerically even when their precisions differ.
template <class Tag>
class FixedPoint {
 public:
  constexpr FixedPoint() = default;

  /// Builds a value from its mantissa: from_raw(2715012, 2) is 27151.12.
  static constexpr FixedPoint from_raw(std::int64_t raw, std::uint8_t precision) {
    FixedPoint x;
    x.raw_ = raw;
    x.precision_ = precision;
    return x;
  }

  /// Parses decimal text exactly at `precision`: parse("27150.12000000", 2) == 27150.12;
  /// parse("0.125", 2) fails with TooManyDecimals.
  static tl::expected<FixedPoint, FixedPointError> parse(std::string_view text,
                                                         std::uint8_t precision) {
    auto raw = detail::parse_decimal(text, precision);
    if (!raw) return tl::make_unexpected(raw.error());
    return from_raw(*raw, precision);
  }

  /// Mantissa: the value times 10^precision.
  constexpr std::int64_t raw() const { return raw_; }
  /// Number of digits after the decimal point.
  constexpr std::uint8_t precision() const { return precision_; }

  constexpr bool is_zero() const { return raw_ == 0; }
  constexpr bool is_positive() const { return raw_ > 0; }
  constexpr bool is_negative() const { return raw_ < 0; }

  /// Exact decimal text with `precision` digits after the point.
  std::string to_string() const { return detail::format_decimal(raw_, precision_); }

  /// Approximate value for analytics and display only, never for the order path.
  double as_double() const { return static_cast<double>(raw_) / detail::pow10(precision_); }

  /// The same value at another precision; fails when digits would be lost or on overflow.
  tl::expected<FixedPoint, FixedPointError> rescaled(std::uint8_t precision) const {
    auto raw = detail::rescale(raw_, precision_, precision);
    if (!raw) return tl::make_unexpected(raw.error());
    return from_raw(*raw, precision);
  }

  /// Sum at the larger of both precisions; fails on overflow.
  tl::expected<FixedPoint, FixedPointError> checked_add(FixedPoint other) const {
    return combine(other, false);
  }
  /// Difference at the larger of both precisions; fails on overflow.
  tl::expected<FixedPoint, FixedPointError> checked_sub(FixedPoint other) const {
    return combine(other, true);
  }

  FixedPoint operator+(FixedPoint other) const { return unwrap(checked_add(other), "add"); }
  FixedPoint operator-(FixedPoint other) const { return unwrap(checked_sub(other), "subtract"); }
  FixedPoint operator-() const {
    if (raw_ == INT64_MIN) detail::fixed_point_overflow("negate");
    return from_raw(-raw_, precision_);
  }
  FixedPoint& operator+=(FixedPoint other) { return *this = *this + other; }
  FixedPoint& operator-=(FixedPoint other) { return *this = *this - other; }

  /// Absolute value.
  FixedPoint abs() const { return raw_ < 0 ? -*this : *this; }

  friend std::strong_ordering operator<=>(FixedPoint a, FixedPoint b) {
    return detail::compare(a.raw_, a.precision_, b.raw_, b.precision_);
  }
  friend bool operator==(FixedPoint a, FixedPoint b) { return (a <=> b) == 0; }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, FixedPoint& x) {
    return f(x.raw_, x.precision_);
  }

 private:
  tl::expected<FixedPoint, FixedPointError> combine(FixedPoint other, bool subtract) const {
    const std::uint8_t p = precision_ > other.precision_ ? precision_ : other.precision_;
    auto a = detail::rescale(raw_, precision_, p);
    auto b = detail::rescale(other.raw_, other.precision_, p);
    if (!a || !b) return tl::make_unexpected(FixedPointError::Overflow);
    std::int64_t out = 0;
    bool overflow =
        subtract ? __builtin_sub_overflow(*a, *b, &out) : __builtin_add_overflow(*a, *b, &out);
    if (overflow) return tl::make_unexpected(FixedPointError::Overflow);
    return from_raw(out, p);
  }
  static FixedPoint unwrap(tl::expected<FixedPoint, FixedPointError> x, const char* operation) {
    if (!x) detail::fixed_point_overflow(operation);
    return *x;
  }

  std::int64_t raw_ = 0;
  std::uint8_t precision_ = 0;
};

struct PriceTag {};
struct QuantityTag {};
struct MoneyTag {};

/// A price in the instrument's quote currency at the instrument's price precision.
using Price = FixedPoint<PriceTag>;
/// An order or position size in base units at the instrument's size precision.
using Quantity = FixedPoint<QuantityTag>;
/// An amount of a currency (notional, P&L, fees, cash).
using Money = FixedPoint<MoneyTag>;

template <class Tag>
std::string to_string(const FixedPoint<Tag>& x) {
  return x.to_string();
}

/// price × quantity at `precision` decimals, truncated toward zero; fails on overflow.
tl::expected<Money, FixedPointError> notional(Price price, Quantity quantity,
                                              std::uint8_t precision);

/// Signed (price_a - price_b) × quantity at `precision` decimals; used for P&L.
tl::expected<Money, FixedPointError> price_difference_times(Price a, Price b, Quantity quantity,
                                                            std::uint8_t precision);

}  // namespace troupe
