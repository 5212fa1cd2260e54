#pragma once
// Transport ports for venue connectors and servers. A connector talks HTTP and WebSocket only
// through ClientTransport, so the same connector code runs over real sockets (paper, live) and
// in-process against a simulated venue (backtest, where it must be deterministic and
// single-threaded). A server-side service (simulated venue front end, API gateway) implements
// HttpService once and is reachable both over Beast sockets and in-process.

#include <tl/expected.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace troupe::net {

/// A header list; names compare case-insensitively through find_header().
using Headers = std::vector<std::pair<std::string, std::string>>;

/// Returns the value of header `name` (case-insensitive), or nullptr.
const std::string* find_header(const Headers& headers, std::string_view name);

/// An HTTP request. `target` is path plus query ("/api/v3/depth?symbol=BTCUSDT&limit=100").
struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  Headers headers;
  std::string body;

  /// Path without the query ("/api/v3/depth").
  std::string_view path() const;
  /// Raw query string without '?' ("" when none).
  std::string_view query() const;
};

/// An HTTP response.
struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
  std::string content_type = "application/json";
};

/// Called once per request with the response, or with a transport error text
/// ("connect 127.0.0.1:18081: connection refused").
using HttpCallback = std::function<void(tl::expected<HttpResponse, std::string>)>;

/// Receives the events of one client WebSocket. Calls arrive on the transport's thread (real
/// sockets) or inline from the simulated venue (in-process); never concurrently.
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  /// The handshake completed.
  virtual void on_open() = 0;
  /// One text or binary message.
  virtual void on_message(std::string_view payload) = 0;
  /// The connection failed or closed; no more calls follow for this socket.
  virtual void on_close(std::string reason) = 0;
};

/// An open (or opening) WebSocket. Thread-safe.
class WebSocket {
 public:
  virtual ~WebSocket() = default;
  /// Queues a text message.
  virtual void send(std::string text) = 0;
  /// Starts closing; on_close follows.
  virtual void close() = 0;
};

/// Client side: what a venue connector needs to reach a venue.
class ClientTransport {
 public:
  virtual ~ClientTransport() = default;
  /// Sends one request; `callback` runs exactly once.
  virtual void http(HttpRequest request, HttpCallback callback) = 0;
  /// Opens a WebSocket at `target` ("/ws/btcusdt@depth@100ms"). `handler` must outlive the
  /// socket or until on_close.
  virtual std::shared_ptr<WebSocket> websocket(std::string target, WebSocketHandler& handler) = 0;
  /// Runs `fn` on the transport's thread after `delay` (timers: reconnect backoff, pings).
  virtual void post_after(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
  /// Stops all I/O and timers; after it returns no handler or callback runs again.
  virtual void shutdown() = 0;
};

/// Server side: the socket a service pushes messages into. Thread-safe.
class ServerWebSocket {
 public:
  virtual ~ServerWebSocket() = default;
  virtual void send(std::string text) = 0;
  virtual void close() = 0;
};

/// Server side: receives the messages of one accepted WebSocket.
class ServerWebSocketHandler {
 public:
  virtual ~ServerWebSocketHandler() = default;
  virtual void on_message(std::string_view payload) = 0;
  /// The client went away; the handler is released afterwards.
  virtual void on_close() = 0;
};

/// A server-side service: handles requests and accepts WebSockets. Implementations must be
/// thread-safe: requests may arrive from server threads while the service's own work runs.
class HttpService {
 public:
  virtual ~HttpService() = default;
  virtual HttpResponse handle(const HttpRequest& request) = 0;
  /// Accepts a WebSocket upgrade at request.target, or returns nullptr (answered with 404).
  virtual std::shared_ptr<ServerWebSocketHandler> accept_websocket(
      const HttpRequest& request, std::shared_ptr<ServerWebSocket> socket) = 0;
};

}  // namespace troupe::net
