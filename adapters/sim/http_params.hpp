#pragma once
// HTTP request helpers for the simulated venue's front end: target splitting, header lookup and
// form/query parameter parsing. Self-contained so that troupe_sim needs only the transport
// header of adapters/net, not the net library.

#include "adapters/net/transport.hpp"

#include <tl/expected.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace troupe::sim {

/// Path and raw query of a request target ("/api/v3/depth?symbol=X" → "/api/v3/depth",
/// "symbol=X").
std::pair<std::string_view, std::string_view> split_target(std::string_view target);

/// Value of header `name` (case-insensitive), or nullptr.
const std::string* header_value(const net::Headers& headers, std::string_view name);

/// Decodes %XX escapes and '+' (form encoding). Fails naming the bad escape.
tl::expected<std::string, std::string> url_decode(std::string_view text);

/// Request parameters from the query string and the form body; the query wins on duplicates
/// (Binance's rule).
class Params {
 public:
  /// Parses both parts. Fails with a text naming the malformed parameter.
  static tl::expected<Params, std::string> parse(std::string_view query, std::string_view body);

  /// The decoded value, or nullopt when absent.
  std::optional<std::string> get(std::string_view name) const;
  /// True when the parameter is present (even if empty).
  bool has(std::string_view name) const { return values_.count(std::string(name)) != 0; }

 private:
  tl::expected<void, std::string> add_all(std::string_view text, bool overwrite);

  std::map<std::string, std::string, std::less<>> values_;
};

/// The payload a Binance REST signature covers and the signature that was sent.
struct SignedPayload {
  std::string payload;                   ///< query (minus signature) + body (minus signature)
  std::optional<std::string> signature;  ///< the `signature` value, if sent
};

/// Separates the `signature=` pair from the query or body as sent (Binance §2.5: the signed
/// payload is the query string concatenated with the body, exactly as sent).
SignedPayload split_signature(std::string_view query, std::string_view body);

}  // namespace troupe::sim
