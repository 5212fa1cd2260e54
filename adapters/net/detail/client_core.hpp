#pragma once
// Internal to troupe_net: the I/O side of a Beast client transport. One io_context run by one
// thread; every operation (request, WebSocket, timer) lives on that thread and is registered so
// that shutdown() can end it. Includes Asio, so only .cpp files include it.

#include "adapters/net/beast_client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace troupe::net::detail {

namespace asio = boost::asio;

/// Largest HTTP response body or WebSocket message a client accepts.
inline constexpr std::size_t kClientMaxMessageBytes = 4 << 20;
/// Bound on connect + write + read of one HTTP request, and on a WebSocket handshake.
inline constexpr std::chrono::seconds kClientTimeout{10};

/// Something in flight on the I/O thread that shutdown() must end.
class ClientOperation {
 public:
  virtual ~ClientOperation() = default;
  /// Ends the operation now, invoking its callback or on_close once with `reason` (timers just
  /// drop their function). I/O thread only.
  virtual void abort(const std::string& reason) = 0;
};

/// Shared by the transport, its I/O thread and the WebSocket handles it gives out (which may
/// outlive the transport: they hold it weakly).
struct ClientCore {
  explicit ClientCore(Endpoint endpoint_in);

  Endpoint endpoint;
  /// With endpoint.tls.enabled: the context every connection uses, or (when it could not be
  /// made) null and `tls_error` says why; requests then fail with that text.
  std::shared_ptr<asio::ssl::context> tls;
  std::string tls_error;
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  /// Set once shutdown() starts; new requests, sockets and timers are then dropped.
  std::atomic<bool> stopped{false};

  /// Registers an operation for abort_all(); returns its id. I/O thread only.
  std::uint64_t track(std::weak_ptr<ClientOperation> operation);
  /// Forgets a finished operation. I/O thread only.
  void untrack(std::uint64_t id);
  /// Aborts every registered operation with `reason`; a throwing callback is logged and the
  /// others still run. I/O thread only.
  void abort_all(const std::string& reason);
  /// True on the transport's I/O thread.
  bool on_io_thread();
  /// "connect 127.0.0.1:18081: Connection refused", prefixed with "name: " when named.
  std::string describe(std::string_view stage, const boost::system::error_code& error) const;
  /// Same with a free-form failure text.
  std::string describe(std::string_view stage, std::string_view failure) const;
  /// "host:port", the Host header value.
  std::string host_port() const;

 private:
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, std::weak_ptr<ClientOperation>> operations_;
};

/// Starts one HTTP exchange on the I/O thread; `callback` runs exactly once there (or is dropped
/// when the transport shuts down from its own thread).
void start_http(ClientCore& core, HttpRequest request, HttpCallback callback);

/// Creates a client WebSocket and posts its start to the I/O thread.
std::shared_ptr<WebSocket> start_websocket(const std::shared_ptr<ClientCore>& core,
                                           std::string target, WebSocketHandler& handler);

/// Logs an exception that escaped a callback on an I/O thread.
void log_handler_exception(std::string_view where, std::string_view what);

}  // namespace troupe::net::detail
