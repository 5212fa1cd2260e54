#include "adapters/net/detail/beast_convert.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

namespace troupe::net::detail {

HttpRequest to_net_request(const http::request<http::string_body>& request) {
  HttpRequest out;
  out.method = std::string(request.method_string());
  out.target = std::string(request.target());
  for (const auto& field : request)
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = request.body();
  return out;
}

http::response<http::string_body> to_beast_response(HttpResponse response, unsigned version,
                                                    bool keep_alive, bool head) {
  const int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  http::response<http::string_body> out;
  out.result(static_cast<unsigned>(status));
  out.version(version);
  for (auto& [name, value] : response.headers) out.insert(name, value);
  if (out.find(http::field::content_type) == out.end() && !response.content_type.empty())
    out.set(http::field::content_type, response.content_type);
  if (out.find(http::field::server) == out.end()) out.set(http::field::server, kProduct);
  out.keep_alive(keep_alive);
  if (head) {
    out.content_length(response.body.size());
  } else {
    out.body() = std::move(response.body);
    out.prepare_payload();
  }
  return out;
}

http::request<http::string_body> to_beast_request(HttpRequest request,
                                                  const std::string& host_port) {
  http::request<http::string_body> out;
  const auto verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    out.method_string(request.method);
  } else {
    out.method(verb);
  }
  out.target(request.target);
  out.version(11);
  for (auto& [name, value] : request.headers) out.insert(name, value);
  if (out.find(http::field::host) == out.end()) out.set(http::field::host, host_port);
  if (out.find(http::field::user_agent) == out.end()) out.set(http::field::user_agent, kProduct);
  if (!request.body.empty() && out.find(http::field::content_type) == out.end())
    out.set(http::field::content_type, "application/x-www-form-urlencoded");
  // One request per connection: the transport does not pool connections (see docs/net.md).
  out.keep_alive(false);
  out.body() = std::move(request.body);
  out.prepare_payload();
  return out;
}

HttpResponse to_net_response(http::response<http::string_body> response) {
  HttpResponse out;
  out.status = static_cast<int>(response.result_int());
  for (const auto& field : response)
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  const auto content_type = response.find(http::field::content_type);
  out.content_type =
      content_type == response.end() ? std::string{} : std::string(content_type->value());
  out.body = std::move(response.body());
  return out;
}

}  // namespace troupe::net::detail
