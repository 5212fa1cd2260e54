#pragma once
// Binance request signing (HMAC-SHA256, §2.5 REST and §2.10 WebSocket API).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace troupe::binance {

/// Request parameters as (name, value) pairs, in the order they are sent.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// Lower-case hex of HMAC-SHA256(key = `secret`, message = `payload`).
std::string hmac_sha256_hex(std::string_view secret, std::string_view payload);

/// Percent-encodes everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~).
std::string percent_encode(std::string_view value);

/// `name=value&...` in the given order, values percent-encoded (§2.5 step 1).
std::string encode_query(const QueryParams& params);

/// encode_query(params) + `&signature=<hex>` signed with `secret`: the whole query string of a
/// signed REST request. Binance does not sort REST parameters; the order given is signed.
std::string signed_query(const QueryParams& params, std::string_view secret);

/// The WebSocket API signature payload: parameters sorted by name, `name=value` joined by `&`,
/// values as sent in the JSON request (§2.10).
std::string ws_api_payload(QueryParams params);

/// Hex signature of ws_api_payload(params) with `secret`.
std::string ws_api_signature(const QueryParams& params, std::string_view secret);

}  // namespace troupe::binance
