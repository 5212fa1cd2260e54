#pragma once
// Parsing and validation of the POST /api/v1/orders body into a SubmitOrder. Numbers may come
// as JSON strings or JSON numbers; both are read from their exact text (never through double)
// at the instrument's precision.

#include "actors/api_backend.hpp"

#include <tl/expected.hpp>

#include <string>
#include <string_view>

namespace troupe::api {

/// Why a request was refused: 400 (not a JSON object) or 422 (a field is invalid; `field`
/// names it).
struct RequestError {
  int status = 422;     ///< HTTP status: 400 or 422
  std::string field;    ///< the offending JSON field ("qty"); empty for 400
  std::string message;  ///< what was wrong, quoting the value received
};

/// Longest client_order_id the API accepts.
inline constexpr std::size_t kMaxClientOrderIdLength = 48;

/// Parses `body` ({"symbol","side","type","qty","limit_price","stop_price","time_in_force",
/// "client_order_id"}) into an order for the instrument `backend.find_instrument(symbol)`.
/// Account and strategy are left empty for the backend to fill in.
tl::expected<SubmitOrder, RequestError> parse_order_request(std::string_view body,
                                                            ApiBackend& backend);

}  // namespace troupe::api
