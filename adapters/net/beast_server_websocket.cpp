// One accepted WebSocket of BeastServer. The service pushes through a ServerWebSocket handle
// from any thread into a bounded outbox; the session drains it on its strand with one
// async_write at a time and disconnects a client that falls too far behind.

#include "adapters/net/detail/beast_convert.hpp"
#include "adapters/net/detail/server_core.hpp"
#include "adapters/net/detail/service_call.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <functional>
#include <optional>

namespace troupe::net::detail {
namespace {

namespace websocket = beast::websocket;
using boost::system::error_code;

/// Messages waiting for one socket, shared by the session and the service's handle.
struct Outbox {
  std::mutex mutex;
  std::deque<std::string> messages;
  std::size_t bytes = 0;
  bool closed = false;           ///< the session is over, or the client overflowed: drop sends
  bool overflowed = false;       ///< closed because the client fell behind
  bool close_requested = false;  ///< the service called close(): flush, then close
  bool wake_pending = false;     ///< a drain is already posted
  /// Posts a drain to the session's strand; reset when the session ends, so that nothing the
  /// service calls later touches the io_context.
  std::function<void()> wake;

  /// Posts a drain unless one is pending. Caller holds `mutex`.
  void wake_locked() {
    if (wake && !wake_pending) {
      wake_pending = true;
      wake();
    }
  }
};

/// What the service holds: thread-safe, and safe to keep after the server is gone.
class ServerSocketHandle final : public ServerWebSocket {
 public:
  ServerSocketHandle(std::shared_ptr<Outbox> outbox, std::size_t max_bytes,
                     std::size_t max_messages)
      : outbox_(std::move(outbox)), max_bytes_(max_bytes), max_messages_(max_messages) {}

  void send(std::string text) override {
    std::lock_guard lock(outbox_->mutex);
    if (outbox_->closed || outbox_->close_requested) return;
    if (outbox_->messages.size() >= max_messages_ || outbox_->bytes + text.size() > max_bytes_) {
      outbox_->closed = true;
      outbox_->overflowed = true;
      outbox_->messages.clear();
      outbox_->bytes = 0;
    } else {
      outbox_->bytes += text.size();
      outbox_->messages.push_back(std::move(text));
    }
    outbox_->wake_locked();
  }

  void close() override {
    std::lock_guard lock(outbox_->mutex);
    if (outbox_->closed || outbox_->close_requested) return;
    outbox_->close_requested = true;
    outbox_->wake_locked();
  }

 private:
  std::shared_ptr<Outbox> outbox_;
  std::size_t max_bytes_;
  std::size_t max_messages_;
};

/// Over beast::tcp_stream (ws) or TlsStream (wss).
template <class Stream>
class WebSocketSession final : public ServerSession,
                               public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  using std::enable_shared_from_this<WebSocketSession>::shared_from_this;
  using std::enable_shared_from_this<WebSocketSession>::weak_from_this;

  WebSocketSession(ServerCore& core, Stream stream, http::request<http::string_body> upgrade)
      : core_(core),
        ws_(std::move(stream)),
        upgrade_(std::move(upgrade)),
        outbox_(std::make_shared<Outbox>()) {}

  ~WebSocketSession() override {
    finish();
    core_.remove_session(id_);
  }

  void start();

  void terminate() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->close_socket(); });
  }

  void abandon() override { finish(); }

 private:
  void on_accept(const error_code& ec) {
    if (ec) return finish();
    open_ = true;
    read_next();
    drain();
  }

  void read_next() {
    ws_.async_read(buffer_, [self = shared_from_this()](const error_code& ec, std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(const error_code& ec) {
    if (finished_) return;
    if (ec) return finish();
    const auto data = buffer_.cdata();
    try {
      handler_->on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
    } catch (const std::exception& e) {
      log_server_error(core_, std::string("WebSocket handler threw: ") + e.what());
    }
    buffer_.consume(buffer_.size());
    if (!finished_) read_next();
  }

  /// Writes the next queued message, or starts the close the service asked for.
  void drain();

  void reject(int status) {
    finish();
    response_ = to_beast_response(
        json_error(status, "no WebSocket endpoint at " + std::string(upgrade_.target())),
        upgrade_.version(), false, false);
    http::async_write(
        ws_.next_layer(), *response_, [self = shared_from_this()](const error_code&, std::size_t) {
          error_code ignored;
          beast::get_lowest_layer(self->ws_).socket().shutdown(tcp::socket::shutdown_send, ignored);
        });
  }

  void close_socket() {
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  /// Ends the session once: the outbox stops taking messages and the handler hears on_close.
  void finish() {
    if (finished_) return;
    finished_ = true;
    bool overflowed = false;
    {
      std::lock_guard lock(outbox_->mutex);
      overflowed = outbox_->overflowed;
      outbox_->closed = true;
      outbox_->messages.clear();
      outbox_->wake = nullptr;
    }
    if (overflowed)
      log_server_error(core_, "disconnected a WebSocket client at " +
                                  std::string(upgrade_.target()) +
                                  " whose send queue exceeded its bound");
    if (open_) close_socket();
    if (auto handler = std::move(handler_)) {
      try {
        handler->on_close();
      } catch (const std::exception& e) {
        log_server_error(core_, std::string("WebSocket handler threw in on_close: ") + e.what());
      }
    }
  }

  ServerCore& core_;
  websocket::stream<Stream> ws_;
  http::request<http::string_body> upgrade_;
  std::shared_ptr<Outbox> outbox_;
  std::shared_ptr<ServerWebSocketHandler> handler_;
  std::optional<http::response<http::string_body>> response_;
  beast::flat_buffer buffer_;
  std::string writing_message_;
  std::uint64_t id_ = 0;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
};

template <class Stream>
void WebSocketSession<Stream>::start() {
  id_ = core_.add_session(weak_from_this());
  if (id_ == 0) return close_socket();
  outbox_->wake = [weak = weak_from_this(), executor = ws_.get_executor()] {
    asio::post(executor, [weak] {
      if (auto self = weak.lock()) self->drain();
    });
  };
  auto handle = std::make_shared<ServerSocketHandle>(outbox_, core_.options.max_ws_queue_bytes,
                                                     core_.options.max_ws_queue_messages);
  try {
    handler_ = core_.service.accept_websocket(to_net_request(upgrade_), std::move(handle));
  } catch (const std::exception& e) {
    log_server_error(core_, std::string("accept_websocket threw: ") + e.what());
    return reject(500);
  }
  if (!handler_) return reject(404);
  beast::get_lowest_layer(ws_).expires_never();  // the WebSocket layer keeps its own timeouts
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.read_message_max(core_.options.max_ws_message_bytes);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& response) { response.set(http::field::server, kProduct); }));
  ws_.async_accept(upgrade_,
                   [self = shared_from_this()](const error_code& ec) { self->on_accept(ec); });
}

template <class Stream>
void WebSocketSession<Stream>::drain() {
  if (finished_) return;
  bool start_close = false;
  {
    std::lock_guard lock(outbox_->mutex);
    outbox_->wake_pending = false;
    if (outbox_->closed) {
      // Overflowed. Close even while a write is stuck on this very client: the pending
      // operations then fail and finish() follows from the read loop.
      close_socket();
      return;
    }
    if (!open_ || writing_ || closing_) return;
    if (outbox_->messages.empty()) {
      start_close = outbox_->close_requested;
    } else {
      writing_message_ = std::move(outbox_->messages.front());
      outbox_->messages.pop_front();
      outbox_->bytes -= writing_message_.size();
      writing_ = true;
    }
  }
  if (start_close) {
    closing_ = true;
    ws_.async_close(websocket::close_code::normal,
                    [self = shared_from_this()](const error_code& ec) {
                      if (ec) self->close_socket();  // the read loop then ends and finish() follows
                    });
    return;
  }
  if (!writing_) return;
  ws_.text(true);
  ws_.async_write(asio::buffer(writing_message_),
                  [self = shared_from_this()](const error_code& ec, std::size_t) {
                    self->writing_ = false;
                    if (ec) return self->close_socket();
                    self->drain();
                  });
}

}  // namespace

void start_websocket_session(ServerCore& core, beast::tcp_stream stream,
                             http::request<http::string_body> upgrade) {
  std::make_shared<WebSocketSession<beast::tcp_stream>>(core, std::move(stream), std::move(upgrade))
      ->start();
}

void start_websocket_session(ServerCore& core, TlsStream stream,
                             http::request<http::string_body> upgrade) {
  std::make_shared<WebSocketSession<TlsStream>>(core, std::move(stream), std::move(upgrade))
      ->start();
}

}  // namespace troupe::net::detail
