#include "adapters/net/detail/service_call.hpp"

#include <cstdio>
#include <exception>

namespace troupe::net::detail {

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

HttpResponse json_error(int status, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = "{\"code\":" + std::to_string(status) + ",\"message\":" + json_quote(message) + "}";
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
