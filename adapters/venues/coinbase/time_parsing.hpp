#pragma once
// RFC 3339 timestamps as Coinbase sends them (§0.1 rule 4): `2024-06-03T14:30:00.500000000Z`,
// `2024-06-03T14:30:02.701Z`, `1970-01-01T00:00:00Z`, or with a numeric offset.

#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <string>
#include <string_view>

namespace troupe::coinbase {

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` into ns since the Unix epoch. Fractions
/// beyond 9 digits are truncated; 't'/'z' and a space for 'T' are accepted. Years outside
/// 1970..2261 fail (the result must fit int64 ns). The error says what was wrong.
tl::expected<TimestampNs, std::string> parse_rfc3339(std::string_view text);

}  // namespace troupe::coinbase
