// Binance request security (exchange-protocols.md §2.5): API key, HMAC signature, timestamp and
// recvWindow; plus the parameter helpers shared by the REST handlers.

#include "adapters/sim/binance_state.hpp"
#include "adapters/sim/signing.hpp"

#include <charconv>

namespace troupe::sim::detail {
namespace {

// Timestamps at or above this are microseconds (Binance accepts both units).
constexpr std::int64_t kMicrosecondThreshold = 100'000'000'000'000;
constexpr std::int64_t kMaxRecvWindowUs = 60'000'000;
constexpr std::int64_t kDefaultRecvWindowUs = 5'000'000;
constexpr std::int64_t kMaxAheadUs = 1'000'000;

}  // namespace

ApiError mandatory(std::string_view name) {
  return ApiError{400, -1102,
                  "Mandatory parameter '" + std::string(name) +
                      "' was not sent, was empty/null, or malformed."};
}

tl::expected<std::string, ApiError> required(const Params& params, std::string_view name) {
  auto value = params.get(name);
  if (!value || value->empty()) return tl::make_unexpected(mandatory(name));
  return *value;
}

tl::expected<std::int64_t, ApiError> integer(std::string_view name, const std::string& text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return tl::make_unexpected(mandatory(name));
  return value;
}

tl::expected<void, ApiError> check_timestamp(const VenueState& state,
                                             const std::optional<std::string>& timestamp,
                                             const std::optional<std::string>& recv_window) {
  if (!timestamp || timestamp->empty()) return tl::make_unexpected(mandatory("timestamp"));
  auto ts = integer("timestamp", *timestamp);
  if (!ts || *ts <= 0) return tl::make_unexpected(mandatory("timestamp"));
  std::int64_t window_us = kDefaultRecvWindowUs;
  if (recv_window) {
    // recvWindow is milliseconds with up to three decimals (microsecond resolution).
    auto window = Money::parse(*recv_window, 3);
    if (!window || window->is_negative()) return tl::make_unexpected(mandatory("recvWindow"));
    if (window->raw() > kMaxRecvWindowUs)
      return tl::make_unexpected(ApiError{400, -1131, "recvWindow must be less than 60000"});
    window_us = window->raw();
  }
  const std::int64_t ts_us = *ts >= kMicrosecondThreshold ? *ts : *ts * 1000;
  const std::int64_t server_us = state.now() / 1000;
  if (ts_us >= server_us + kMaxAheadUs) {
    return tl::make_unexpected(
        ApiError{400, -1021, "Timestamp for this request was 1000ms ahead of the server's time."});
  }
  if (server_us - ts_us > window_us) {
    return tl::make_unexpected(
        ApiError{400, -1021, "Timestamp for this request is outside of the recvWindow."});
  }
  return {};
}

tl::expected<const AccountKey*, ApiError> authenticate(VenueState& state,
                                                       const net::HttpRequest& request,
                                                       const Params& params) {
  const std::string* api_key = header_value(request.headers, "X-MBX-APIKEY");
  if (api_key == nullptr || api_key->empty())
    return tl::make_unexpected(ApiError{401, -2014, "API-key format invalid."});
  const AccountKey* key = state.accounts.find_by_api_key(*api_key);
  if (key == nullptr) {
    return tl::make_unexpected(
        ApiError{401, -2015, "Invalid API-key, IP, or permissions for action."});
  }
  const auto [path, query] = split_target(request.target);
  const SignedPayload signed_payload = split_signature(query, request.body);
  if (!signed_payload.signature || signed_payload.signature->empty())
    return tl::make_unexpected(mandatory("signature"));
  if (!params.has("timestamp")) return tl::make_unexpected(mandatory("timestamp"));
  if (!signature_valid(key->secret, signed_payload.payload, *signed_payload.signature))
    return tl::make_unexpected(ApiError{400, -1022, "Signature for this request is not valid."});
  if (auto ok = check_timestamp(state, params.get("timestamp"), params.get("recvWindow")); !ok)
    return tl::make_unexpected(ok.error());
  return key;
}

}  // namespace troupe::sim::detail
