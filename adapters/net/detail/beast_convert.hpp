#pragma once
// Internal to troupe_net: conversions between net::HttpRequest/HttpResponse and Beast messages,
// shared by the client and the server. Includes Beast, so only .cpp files include it.

#include "adapters/net/transport.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace troupe::net::detail {

namespace http = boost::beast::http;

/// Product token sent as User-Agent and Server.
inline constexpr const char* kProduct = "troupe/0.1";

/// A received Beast request as a net::HttpRequest (headers in wire order).
HttpRequest to_net_request(const http::request<http::string_body>& request);

/// A service's response as a Beast response for a request of `version`; `head` omits the body
/// but keeps its Content-Length. A status outside 100..999 becomes 500. Can throw (Beast field
/// limits); callers convert.
http::response<http::string_body> to_beast_response(HttpResponse response, unsigned version,
                                                    bool keep_alive, bool head);

/// An outgoing request for host:port: Host, User-Agent and (with a body) Content-Type are set
/// unless `request` carries them. Can throw (Beast field limits); callers convert.
http::request<http::string_body> to_beast_request(HttpRequest request,
                                                  const std::string& host_port);

/// A received Beast response as a net::HttpResponse; content_type is the Content-Type header
/// ("" when absent).
HttpResponse to_net_response(http::response<http::string_body> response);

}  // namespace troupe::net::detail
