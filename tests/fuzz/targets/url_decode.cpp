// URL helpers (adapters/net/url.hpp) on arbitrary text. Oracles: url_decode(url_encode(x)) == x;
// url_encode emits only unreserved characters and %XX; build_query is the inverse of
// parse_query (parsing what it builds gives the same pairs); query_param finds the first pair.

#include "adapters/net/url.hpp"
#include "fuzz_support.hpp"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace troupe;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const std::string decoded = net::url_decode(text);
  fuzz::check(decoded.size() <= text.size(), "url_decode grew the text");
  const std::string encoded = net::url_encode(text);
  for (char c : encoded) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
                    c == '_' || c == '~' || c == '%';
    fuzz::check(ok, "url_encode left a reserved character");
  }
  fuzz::check(net::url_decode(encoded) == text, "url_decode(url_encode(x)) != x");

  const net::QueryParams params = net::parse_query(text);
  fuzz::check(net::parse_form(text) == params, "parse_form differs from parse_query");
  const std::string built = net::build_query(params);
  fuzz::check(net::parse_query(built) == params, "parse_query(build_query(p)) != p");
  if (!params.empty()) {
    auto first = net::query_param(built, params.front().first);
    fuzz::check(first && *first == params.front().second, "query_param misses the first pair");
  }
  return 0;
}
