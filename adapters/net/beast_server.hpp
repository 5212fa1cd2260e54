#pragma once
// HTTP/1.1 + WebSocket server (Boost.Beast) in front of an HttpService, on its own I/O thread(s),
// over plain TCP or TLS (ServerOptions::tls).

#include "adapters/net/tls.hpp"
#include "adapters/net/transport.hpp"

#include <tl/expected.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace troupe::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  ///< 0 = any free port (see BeastServer::port())
  std::size_t threads = 1;
  std::size_t max_body_bytes = 1 << 20;  ///< larger requests get 413
  std::size_t max_ws_message_bytes = 1 << 20;
  /// A WebSocket client whose unsent messages exceed either bound is disconnected (a slow
  /// reader must not grow server memory without limit).
  std::size_t max_ws_queue_bytes = std::size_t{64} << 20;
  std::size_t max_ws_queue_messages = 100'000;
  /// An HTTP connection with no complete request for this long is closed.
  std::chrono::seconds idle_timeout{60};
  std::string name = "http";  ///< for logs
  /// Serve HTTPS and WSS on the port instead of plain HTTP and WS.
  TlsServerConfig tls;
  /// With TLS: a connection whose TLS handshake has not completed after this long is dropped
  /// (a plain-HTTP client or a silent one must not hold a connection).
  std::chrono::milliseconds tls_handshake_timeout{10'000};
};

/// Serves `service` until stop() or destruction. Malformed requests get an HTTP error; nothing a
/// client sends can crash the server.
class BeastServer {
 public:
  /// Binds and starts serving; fails with a text naming host, port and the OS error, or (with
  /// TLS) the certificate or key file that could not be loaded.
  static tl::expected<std::unique_ptr<BeastServer>, std::string> start(HttpService& service,
                                                                       ServerOptions options);
  virtual ~BeastServer() = default;
  /// The bound port (useful with port 0).
  virtual std::uint16_t port() const = 0;
  /// Closes the listener and all connections; joins the threads. Idempotent.
  virtual void stop() = 0;
};

}  // namespace troupe::net
