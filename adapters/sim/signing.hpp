#pragma once
// Binance request signing (exchange-protocols.md §2.5 REST, §2.10 WebSocket API): HMAC-SHA256
// with the account's secret, hex-encoded.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace troupe::sim {

/// Lower-case hex of HMAC-SHA256(key = `secret`, message = `payload`).
std::string hmac_sha256_hex(std::string_view secret, std::string_view payload);

/// True when `signature` (hex, any case) is the HMAC of `payload` under `secret`. Compares in
/// constant time for equal lengths.
bool signature_valid(std::string_view secret, std::string_view payload, std::string_view signature);

/// The WebSocket-API signed payload: `name=value` pairs sorted by name, joined by '&'
/// ("apiKey=K&timestamp=T"). The `signature` pair itself must not be included.
std::string sorted_payload(std::vector<std::pair<std::string, std::string>> params);

}  // namespace troupe::sim
