#pragma once
// Internal to troupe_net: runs HttpService::handle() so that nothing a service throws escapes
// into a transport. Both the socket server and the in-process transport use it, so a failing
// service looks the same over both.

#include "adapters/net/transport.hpp"

namespace troupe::net::detail {

/// service.handle(request); an exception becomes 500 with a JSON body
/// {"code":500,"message":"internal error in GET /path: <what>"}.
HttpResponse call_service(HttpService& service, const HttpRequest& request) noexcept;

/// A JSON error response {"code":status,"message":message} (message escaped).
HttpResponse json_error(int status, std::string_view message);

}  // namespace troupe::net::detail
