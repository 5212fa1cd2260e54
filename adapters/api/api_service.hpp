#pragma once
// The node's REST API (docs/api.md) as a net::HttpService over the ApiBackend port: health,
// portfolio, orders (list and submit), live books and Prometheus metrics. Served by
// net::BeastServer, or in-process in tests. Stateless apart from the backend, so safe on several
// server threads.

#include "actors/api_backend.hpp"
#include "adapters/net/transport.hpp"

#include <memory>

namespace troupe::api {

/// Content-Type of GET /metrics (Prometheus text exposition format 0.0.4).
inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4";

/// Routes /api/v1/... requests to `backend` and renders JSON. `backend` must outlive it.
class ApiService final : public net::HttpService {
 public:
  explicit ApiService(ApiBackend& backend);

  /// Answers one request; never throws (a failing backend becomes 500 with a JSON body).
  net::HttpResponse handle(const net::HttpRequest& request) override;

  /// No streams yet: every upgrade is refused (404).
  std::shared_ptr<net::ServerWebSocketHandler> accept_websocket(
      const net::HttpRequest& request, std::shared_ptr<net::ServerWebSocket> socket) override;

 private:
  net::HttpResponse route(const net::HttpRequest& request);
  net::HttpResponse health();
  net::HttpResponse portfolio();
  net::HttpResponse list_orders(const net::HttpRequest& request);
  net::HttpResponse book(const net::HttpRequest& request);
  net::HttpResponse consolidated(const net::HttpRequest& request);
  net::HttpResponse submit_order(const net::HttpRequest& request);
  net::HttpResponse metrics();

  ApiBackend& backend_;
};

}  // namespace troupe::api
