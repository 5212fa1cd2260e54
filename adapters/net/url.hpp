#pragma once
// URL helpers shared by venue connectors, the simulated venues and the API: query strings and
// application/x-www-form-urlencoded bodies (the same syntax), percent-encoding and -decoding.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace troupe::net {

/// Ordered name/value pairs of a query string or form body, decoded.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// Percent-decodes `text`; '+' becomes a space (form semantics). A '%' that is not followed by
/// two hex digits is kept literally, so decoding never fails.
std::string url_decode(std::string_view text);

/// Percent-encodes every byte outside RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~) as %XX
/// (upper-case hex). Spaces become %20, which both query strings and form bodies accept.
std::string url_encode(std::string_view text);

/// Splits "a=1&b=x%20y&c" into {{"a","1"},{"b","x y"},{"c",""}}, in order, names and values
/// decoded. A leading '?' is ignored; empty segments ("a=1&&b=2") are skipped.
QueryParams parse_query(std::string_view query);

/// Parses an application/x-www-form-urlencoded body; same syntax as parse_query().
QueryParams parse_form(std::string_view body);

/// The decoded value of the first parameter called `name` (compared after decoding), or nullopt.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

/// Builds "a=1&b=x%20y" from pairs, encoding names and values with url_encode(). The inverse of
/// parse_query for any input; also the body of a form-encoded POST.
std::string build_query(const QueryParams& params);

}  // namespace troupe::net
