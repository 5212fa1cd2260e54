#pragma once
// Internal to troupe_net: the I/O side of BeastServer. One io_context run by `threads` threads;
// each connection runs on its own strand. Sessions register here so that stop() can end them.
// Includes Asio/Beast, so only .cpp files include it.

#include "adapters/net/beast_server.hpp"
#include "adapters/net/detail/tls_context.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace troupe::net::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

/// Largest request header block; larger gets 431.
inline constexpr std::size_t kServerMaxHeaderBytes = 16 << 10;

/// One connection (HTTP or WebSocket), as stop() sees it.
class ServerSession {
 public:
  virtual ~ServerSession() = default;
  /// Closes the connection from any thread; the session then ends on its strand.
  virtual void terminate() = 0;
  /// Ends the session synchronously; only once the I/O threads are joined.
  virtual void abandon() = 0;
};

/// Shared by BeastServer and its I/O threads. Member order matters: the io_context is destroyed
/// first (destroying pending handlers and so sessions), while the registry they touch is alive.
struct ServerCore {
  ServerCore(HttpService& service_in, ServerOptions options_in);

  /// Registers a session; 0 when the server is stopping (the caller then just closes).
  std::uint64_t add_session(std::weak_ptr<ServerSession> session);
  /// Forgets a session (from its destructor) and wakes stop() when none is left.
  void remove_session(std::uint64_t id);

  HttpService& service;
  const ServerOptions options;
  std::mutex mutex;
  std::condition_variable drained;
  std::unordered_map<std::uint64_t, std::weak_ptr<ServerSession>> sessions;
  std::uint64_t next_session_id = 1;
  bool stopping = false;         ///< guarded by `mutex`
  std::uint16_t bound_port = 0;  ///< set before the I/O threads start
  /// With options.tls.enabled: the context of every connection; set before the threads start.
  std::shared_ptr<asio::ssl::context> tls;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::steady_timer accept_retry;
};

/// Starts the HTTP keep-alive loop on an accepted socket (after a TLS handshake when
/// core.tls is set).
void start_http_session(ServerCore& core, tcp::socket socket);

/// Continues an upgrade request on `stream` as a WebSocket session: offers it to the service
/// (nullptr → 404), then accepts the handshake and runs the read loop.
void start_websocket_session(ServerCore& core, beast::tcp_stream stream,
                             beast::http::request<beast::http::string_body> upgrade);
/// Same over TLS.
void start_websocket_session(ServerCore& core, TlsStream stream,
                             beast::http::request<beast::http::string_body> upgrade);

/// Logs a server-side failure that has no client to tell.
void log_server_error(const ServerCore& core, std::string_view what);

}  // namespace troupe::net::detail
