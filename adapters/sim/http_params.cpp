#include "adapters/sim/http_params.hpp"

#include <cctype>

namespace troupe::sim {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// Removes the first "signature=..." pair from an '&'-joined list; returns the rest and the value.
std::pair<std::string, std::optional<std::string>> remove_signature(std::string_view text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view pair = text.substr(start, end - start);
    if (pair.substr(0, 10) == "signature=") {
      std::string rest(text.substr(0, start == 0 ? 0 : start - 1));
      if (end < text.size()) rest += std::string(text.substr(start == 0 ? end + 1 : end));
      return {rest, std::string(pair.substr(10))};
    }
    start = end + 1;
  }
  return {std::string(text), std::nullopt};
}

}  // namespace

std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

const std::string* header_value(const net::Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return &value;
  return nullptr;
}

tl::expected<std::string, std::string> url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size())
        return tl::make_unexpected("truncated percent escape at offset " + std::to_string(i));
      const int hi = hex_digit(text[i + 1]);
      const int lo = hex_digit(text[i + 2]);
      if (hi < 0 || lo < 0)
        return tl::make_unexpected("bad percent escape at offset " + std::to_string(i));
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

tl::expected<Params, std::string> Params::parse(std::string_view query, std::string_view body) {
  Params params;
  if (auto ok = params.add_all(query, true); !ok) return tl::make_unexpected(ok.error());
  if (auto ok = params.add_all(body, false); !ok) return tl::make_unexpected(ok.error());
  return params;
}

tl::expected<void, std::string> Params::add_all(std::string_view text, bool overwrite) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view pair = text.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto name = url_decode(pair.substr(0, eq));
    auto value =
        url_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!name || !value) {
      return tl::make_unexpected("malformed parameter '" + std::string(pair.substr(0, eq)) +
                                 "': " + (!name ? name.error() : value.error()));
    }
    if (overwrite || values_.count(*name) == 0) values_[*name] = *value;
  }
  return {};
}

std::optional<std::string> Params::get(std::string_view name) const {
  auto found = values_.find(name);
  if (found == values_.end()) return std::nullopt;
  return found->second;
}

SignedPayload split_signature(std::string_view query, std::string_view body) {
  auto [query_rest, query_signature] = remove_signature(query);
  if (query_signature) return {query_rest + std::string(body), query_signature};
  auto [body_rest, body_signature] = remove_signature(body);
  return {std::string(query) + body_rest, body_signature};
}

}  // namespace troupe::sim
