#include "adapters/net/detail/service_call.hpp"

#include "adapters/json/json_writer.hpp"

#include <cstdio>
#include <exception>

namespace troupe::net::detail {

HttpResponse json_error(int status, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body =
      "{\"code\":" + std::to_string(status) + ",\"message\":" + json::json_quote(message) + "}";
  return response;
}

HttpResponse call_service(HttpService& service, const HttpRequest& request) noexcept {
  auto where = [&request] { return request.method + " " + std::string(request.path()); };
  try {
    try {
      return service.handle(request);
    } catch (const std::exception& e) {
      return json_error(500, "internal error in " + where() + ": " + e.what());
    } catch (...) {
      return json_error(500, "internal error in " + where() + ": unknown exception");
    }
  } catch (...) {
    // Building the error response itself failed (out of memory): answer with a bare 500.
    HttpResponse response;
    response.status = 500;
    return response;
  }
}

}  // namespace troupe::net::detail
