// Price::parse on arbitrary text at an arbitrary precision 0..18 (first input byte). Oracle of
// exactness: a parsed value formats with exactly `precision` decimals, and that text parses back
// to the same mantissa; rescaling to 18 decimals and back, when it fits, is the identity.

#include "messages/fixed_point.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace troupe;
  if (size == 0) return 0;
  const auto precision = static_cast<std::uint8_t>(data[0] % (kMaxPrecision + 1));
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto parsed = Price::parse(text, precision);
  if (!parsed) return 0;
  fuzz::check(parsed->precision() == precision, "parsed at another precision");
  const std::string formatted = parsed->to_string();
  const auto point = formatted.find('.');
  fuzz::check(precision == 0 ? point == std::string::npos
                             : point != std::string::npos && formatted.size() - point - 1 == precision,
              "to_string() does not carry exactly `precision` decimals");
  auto again = Price::parse(formatted, precision);
  fuzz::check(again.has_value(), "to_string() text does not parse back");
  fuzz::check(again->raw() == parsed->raw(), "to_string() text parses to another value");
  if (auto wide = parsed->rescaled(kMaxPrecision)) {
    auto back = wide->rescaled(precision);
    fuzz::check(back && back->raw() == parsed->raw(), "rescale round trip changed the value");
    fuzz::check(*wide == *parsed, "rescaled value compares unequal");
  }
  return 0;
}
