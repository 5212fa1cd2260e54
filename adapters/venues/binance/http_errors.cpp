#include "adapters/venues/binance/http_errors.hpp"

#include <charconv>

namespace troupe::binance {

namespace {
constexpr std::size_t kMaxBodyInText = 200;
}  // namespace

std::optional<ApiError> api_error_of(BinanceCodec& codec, const net::HttpResponse& reply,
                                     std::string_view endpoint) {
  auto error = codec.decode_api_error(reply.body, endpoint);
  if (!error) return std::nullopt;
  return *error;
}

std::string http_failure_text(BinanceCodec& codec, const net::HttpResponse& reply,
                              std::string_view endpoint) {
  std::string text = "HTTP " + std::to_string(reply.status) + ": ";
  if (auto error = api_error_of(codec, reply, endpoint)) {
    return text + std::to_string(error->code) + " " + error->message;
  }
  text.append(reply.body.substr(0, kMaxBodyInText));
  if (reply.body.size() > kMaxBodyInText) text.append("...");
  return text;
}

std::chrono::milliseconds retry_after(const net::HttpResponse& reply) {
  const std::string* header = net::find_header(reply.headers, "Retry-After");
  if (header == nullptr) return std::chrono::milliseconds(0);
  std::int64_t seconds = 0;
  const char* end = header->data() + header->size();
  auto [ptr, ec] = std::from_chars(header->data(), end, seconds);
  if (ec != std::errc{} || seconds < 0) return std::chrono::milliseconds(0);
  // Cap at an hour: a bogus header must not park the session for days.
  return std::chrono::milliseconds(std::min<std::int64_t>(seconds, 3600) * 1000);
}

}  // namespace troupe::binance
