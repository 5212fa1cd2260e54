#pragma once
// The reference every venue's decode benchmark is set against: a raw simdjson On-Demand parse
// that visits every value of a frame (every key; strings read with get_string(), numbers with
// get_double(), booleans and nulls read too) and builds nothing. It reads the frame in place,
// so it includes no copy into a padded buffer.

#include <simdjson.h>

#include <cstddef>

namespace troupe::bench {

/// Parses `frame` and visits every value; adds string lengths (and 1 per non-zero number) to
/// `seen` so that the work cannot be optimised away. Returns simdjson's error, if any.
simdjson::error_code raw_walk(simdjson::ondemand::parser& parser,
                              simdjson::padded_string_view frame, std::size_t& seen);

}  // namespace troupe::bench
