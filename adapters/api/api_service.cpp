#include "adapters/api/api_service.hpp"

#include "adapters/api/api_json.hpp"
#include "adapters/api/order_request.hpp"
#include "adapters/net/url.hpp"

#include <array>
#include <charconv>
#include <exception>
#include <type_traits>
#include <variant>

namespace troupe::api {
namespace {

net::HttpResponse json_response(int status, std::string body) {
  net::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.content_type = "application/json";
  return response;
}

net::HttpResponse error_response(int status, std::string_view message, std::string_view field = {},
                                 std::string_view reason = {}) {
  return json_response(status, error_json(status, message, field, reason));
}

/// A known path and the methods it allows (for 405 and the Allow header).
struct Route {
  std::string_view path;
  std::string_view allowed;  ///< "GET" or "GET, POST"
};

constexpr std::array<Route, 4> kRoutes{{{"/api/v1/health", "GET"},
                                        {"/api/v1/portfolio", "GET"},
                                        {"/api/v1/orders", "GET, POST"},
                                        {"/metrics", "GET"}}};

constexpr std::string_view kBooksPrefix = "/api/v1/books/";
constexpr std::string_view kConsolidatedPrefix = "/api/v1/consolidated/";
constexpr std::size_t kMaxBookDepth = 1000;

bool order_matches(const OrderRecord& order, std::string_view filter) {
  if (filter == "open") return !is_terminal(order.status);
  if (filter == "closed") return is_terminal(order.status);
  return true;
}

}  // namespace

ApiService::ApiService(ApiBackend& backend) : backend_(backend) {}

std::shared_ptr<net::ServerWebSocketHandler> ApiService::accept_websocket(
    const net::HttpRequest&, std::shared_ptr<net::ServerWebSocket>) {
  return nullptr;
}

net::HttpResponse ApiService::handle(const net::HttpRequest& request) {
  try {
    return route(request);
  } catch (const std::exception& e) {
    return error_response(500, "internal error in " + request.method + " " +
                                   std::string(request.path()) + ": " + e.what());
  } catch (...) {
    return error_response(500, "internal error in " + request.method + " " +
                                   std::string(request.path()) + ": unknown exception");
  }
}

net::HttpResponse ApiService::route(const net::HttpRequest& request) {
  const auto path = request.path();
  // HEAD is GET without a body; the server drops the body and keeps Content-Length.
  std::string_view method = request.method;
  if (method == "HEAD") method = "GET";
  if (method == "GET") {
    if (path == "/api/v1/health") return health();
    if (path == "/api/v1/portfolio") return portfolio();
    if (path == "/api/v1/orders") return list_orders(request);
    if (path == "/metrics") return metrics();
    if (path.starts_with(kBooksPrefix)) return book(request);
    if (path.starts_with(kConsolidatedPrefix)) return consolidated(request);
  } else if (method == "POST" && path == "/api/v1/orders") {
    return submit_order(request);
  }
  if (path.starts_with(kBooksPrefix) || path.starts_with(kConsolidatedPrefix)) {
    auto response = error_response(405, "method " + request.method + " is not allowed on " +
                                            std::string(path) + "; allowed: GET");
    response.headers.emplace_back("Allow", "GET");
    return response;
  }
  for (const auto& route : kRoutes) {
    if (route.path != path) continue;
    auto response =
        error_response(405, "method " + request.method + " is not allowed on " + std::string(path) +
                                "; allowed: " + std::string(route.allowed));
    response.headers.emplace_back("Allow", std::string(route.allowed));
    return response;
  }
  return error_response(404, "no route for " + request.method + " " + std::string(path));
}

net::HttpResponse ApiService::health() {
  const auto report = backend_.health();
  return json_response(report.healthy ? 200 : 503, health_json(report));
}

net::HttpResponse ApiService::portfolio() {
  return json_response(200, portfolio_json(backend_.portfolio()));
}

net::HttpResponse ApiService::list_orders(const net::HttpRequest& request) {
  const auto filter = net::query_param(request.query(), "status").value_or("all");
  if (filter != "open" && filter != "closed" && filter != "all")
    return error_response(422, "status must be one of open, closed, all, got \"" + filter + "\"",
                          "status");
  auto orders = backend_.orders();
  std::erase_if(orders, [&](const OrderRecord& order) { return !order_matches(order, filter); });
  return json_response(200, orders_json(orders));
}

net::HttpResponse ApiService::book(const net::HttpRequest& request) {
  // /api/v1/books/{venue}/{symbol}
  const auto rest = request.path().substr(kBooksPrefix.size());
  const auto slash = rest.find('/');
  // The symbol is everything after the venue, so "BTC/USD" works encoded or not.
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size())
    return error_response(
        404, "expected /api/v1/books/{venue}/{symbol}, got " + std::string(request.path()));
  const std::string venue = net::url_decode(rest.substr(0, slash));
  const std::string symbol = net::url_decode(rest.substr(slash + 1));
  std::size_t depth = 10;
  if (auto text = net::query_param(request.query(), "depth")) {
    std::size_t parsed = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), parsed);
    if (ec != std::errc{} || end != text->data() + text->size() || parsed == 0 ||
        parsed > kMaxBookDepth)
      return error_response(422,
                            "depth must be an integer from 1 to " + std::to_string(kMaxBookDepth) +
                                ", got \"" + *text + "\"",
                            "depth");
    depth = parsed;
  }
  const auto view = backend_.book(venue, symbol, depth);
  if (!view.found) return error_response(404, "no book for " + symbol + " at " + venue);
  if (!view.in_sync)
    return error_response(503, "book " + symbol + " at " + venue + " is resyncing");
  return json_response(200, book_json(view.snapshot));
}

net::HttpResponse ApiService::consolidated(const net::HttpRequest& request) {
  // /api/v1/consolidated/{asset}
  const std::string asset = net::url_decode(request.path().substr(kConsolidatedPrefix.size()));
  if (auto view = backend_.consolidated(asset)) return json_response(200, consolidated_json(*view));
  std::string known;
  for (const auto& a : backend_.consolidated_assets()) known += (known.empty() ? "" : ", ") + a;
  return error_response(404, "no consolidated view for asset \"" + asset +
                                 "\" (assets: " + (known.empty() ? "none" : known) + ")");
}

net::HttpResponse ApiService::submit_order(const net::HttpRequest& request) {
  auto order = parse_order_request(request.body, backend_);
  if (!order) {
    const auto& error = order.error();
    return error_response(error.status, error.message, error.field);
  }
  auto outcome = backend_.submit(std::move(*order));
  return std::visit(
      [](auto& result) -> net::HttpResponse {
        using T = std::decay_t<decltype(result)>;
        if constexpr (std::is_same_v<T, OrderRecord>) {
          return json_response(200, order_json(result));
        } else if constexpr (std::is_same_v<T, OrderDenied>) {
          const auto reason = to_string(result.reason);
          return error_response(
              403, result.message.empty() ? "order denied: " + reason : result.message, {}, reason);
        } else {
          return error_response(503, "order submission failed: " + result);
        }
      },
      outcome);
}

net::HttpResponse ApiService::metrics() {
  net::HttpResponse response;
  response.body = backend_.metrics_text();
  response.content_type = kMetricsContentType;
  return response;
}

}  // namespace troupe::api
