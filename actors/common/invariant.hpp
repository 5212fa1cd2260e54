#pragma once
// One way to report a broken invariant in the engines (house style, "Errors" 3): print what was
// wrong and where, then abort so that the supervisor or the OS restarts from a known state.
// Always active, also in release builds: a wrong position is worse than a restart.
// Business outcomes never come here; they are events (OrderDenied) or ignore reasons.

#include "messages/fixed_point.hpp"

#include <tl/expected.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace troupe::detail {

/// Prints "troupe: invariant broken at file:line: expr (message)" to stderr and aborts.
[[noreturn]] inline void invariant_failed(const char* expression, const std::string& message,
                                          const char* file, int line) {
  std::fprintf(stderr, "troupe: invariant broken at %s:%d: %s (%s)\n", file, line, expression,
               message.c_str());
  std::abort();
}

/// The value of a fixed-point operation that cannot fail unless an invariant is broken
/// (overflow of a sum that fits by construction); aborts naming `what` otherwise.
template <class T>
T checked_value(tl::expected<T, FixedPointError> value, const char* what, const char* file,
                int line) {
  if (!value) invariant_failed(what, troupe::to_string(value.error()), file, line);
  return *value;
}

}  // namespace troupe::detail

/// Aborts with `message` (anything convertible to std::string) when `condition` is false.
#define TROUPE_ASSERT(condition, message) \
  ((condition) ? static_cast<void>(0)     \
               : ::troupe::detail::invariant_failed(#condition, (message), __FILE__, __LINE__))

/// Unwraps a tl::expected<T, FixedPointError> that must hold a value; aborts naming `what`.
#define TROUPE_CHECKED(expected_value, what) \
  ::troupe::detail::checked_value((expected_value), (what), __FILE__, __LINE__)
