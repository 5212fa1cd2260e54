#pragma once
// Texts and retry hints for failed Binance REST answers (§2.4), shared by both ports.

#include "adapters/net/transport.hpp"
#include "adapters/venues/binance/binance_codec.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace troupe::binance {

/// The venue error of a non-2xx answer, when its body is `{"code":..,"msg":..}`.
std::optional<ApiError> api_error_of(BinanceCodec& codec, const net::HttpResponse& reply,
                                     std::string_view endpoint);

/// "HTTP 429: -1003 Too many requests." or, for a body that is not a venue error,
/// "HTTP 502: <first 200 bytes of the body>".
std::string http_failure_text(BinanceCodec& codec, const net::HttpResponse& reply,
                              std::string_view endpoint);

/// The `Retry-After` header (seconds, sent with 429 / 418) as a delay; zero when absent.
std::chrono::milliseconds retry_after(const net::HttpResponse& reply);

}  // namespace troupe::binance
