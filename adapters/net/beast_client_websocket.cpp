// Client WebSocket of the Beast client transport: connect, TLS handshake (wss), WebSocket
// handshake, a read loop delivering each message to the handler, and a write queue so that only
// one async_write is outstanding.

#include "adapters/net/detail/beast_convert.hpp"
#include "adapters/net/detail/client_core.hpp"
#include "adapters/net/detail/tls_context.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <utility>

namespace troupe::net::detail {
namespace {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;

/// What the handle reaches on the I/O thread, whatever the stream type.
class ClientWebSocketSessionBase : public ClientOperation {
 public:
  /// Connects and handshakes. I/O thread only.
  virtual void start() = 0;
  /// Queues `text`; sent once open, after what was queued before. I/O thread only.
  virtual void send(std::string text) = 0;
  /// Flushes queued messages, then closes with code 1000. I/O thread only.
  virtual void close() = 0;
};

template <class Stream>
websocket::stream<Stream> make_websocket(ClientCore& core) {
  if constexpr (kIsTls<Stream>)
    return websocket::stream<Stream>(core.ioc, *core.tls);
  else
    return websocket::stream<Stream>(core.ioc);
}

/// Over beast::tcp_stream (ws://) or TlsStream (wss://).
template <class Stream>
class ClientWebSocketSession final
    : public ClientWebSocketSessionBase,
      public std::enable_shared_from_this<ClientWebSocketSession<Stream>> {
 public:
  using std::enable_shared_from_this<ClientWebSocketSession>::shared_from_this;
  using std::enable_shared_from_this<ClientWebSocketSession>::weak_from_this;

  ClientWebSocketSession(ClientCore& core, std::string target, WebSocketHandler& handler)
      : core_(core),
        target_(std::move(target)),
        handler_(&handler),
        resolver_(core.ioc),
        ws_(make_websocket<Stream>(core)) {}

  void start() override {
    id_ = core_.track(weak_from_this());
    beast::get_lowest_layer(ws_).expires_after(kClientTimeout);
    error_code ec;
    const auto address = asio::ip::make_address(core_.endpoint.host, ec);
    if (!ec) {
      beast::get_lowest_layer(ws_).async_connect(
          tcp::endpoint(address, core_.endpoint.port),
          [self = shared_from_this()](const error_code& e) { self->on_connect(e); });
      return;
    }
    resolver_.async_resolve(
        core_.endpoint.host, std::to_string(core_.endpoint.port),
        [self = shared_from_this()](const error_code& e, const tcp::resolver::results_type& r) {
          if (self->finished_) return;
          if (e) return self->finish(self->describe("resolve", e.message()));
          beast::get_lowest_layer(self->ws_).async_connect(
              r, [self](const error_code& e2, const tcp::endpoint&) { self->on_connect(e2); });
        });
  }

  void send(std::string text) override {
    if (finished_ || closing_) return;
    outbox_.push_back(std::move(text));
    if (open_ && !writing_) write_next();
  }

  void close() override {
    if (finished_ || closing_) return;
    closing_ = true;
    // Before the handshake completes, the close waits for it, so queued messages still go out.
    if (open_ && !writing_) write_next();
  }

  void abort(const std::string& reason) override { finish(reason); }

 private:
  void on_connect(const error_code& ec) {
    if (finished_) return;
    if (ec) return finish(describe("connect", ec.message()));
    if constexpr (kIsTls<Stream>) {
      // The TLS handshake runs under the TCP layer's timeout set in start().
      if (auto prepared =
              prepare_client_connection(ws_.next_layer(), core_.endpoint.tls, core_.endpoint.host);
          !prepared)
        return finish(describe("tls", prepared.error()));
      ws_.next_layer().async_handshake(
          asio::ssl::stream_base::client, [self = shared_from_this()](const error_code& e) {
            if (self->finished_) return;
            if (e)
              return self->finish(
                  self->describe("tls handshake", describe_tls_error(e, self->ws_.next_layer())));
            self->start_handshake();
          });
    } else {
      start_handshake();
    }
  }

  void start_handshake() {
    // The WebSocket stream keeps its own timeouts; the TCP layer's must be off (Beast docs).
    beast::get_lowest_layer(ws_).expires_never();
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
    timeouts.handshake_timeout = kClientTimeout;
    ws_.set_option(timeouts);
    ws_.read_message_max(kClientMaxMessageBytes);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::request_type& request) { request.set(http::field::user_agent, kProduct); }));
    ws_.async_handshake(
        handshake_response_, core_.host_port(), target_,
        [self = shared_from_this()](const error_code& e) { self->on_handshake(e); });
  }

  void on_handshake(const error_code& ec) {
    if (finished_) return;
    if (ec) {
      std::string failure = ec.message();
      // A refused upgrade ("no such stream") is an HTTP answer; its status says why.
      if (handshake_response_.result_int() != 0)
        failure += " (HTTP " + std::to_string(handshake_response_.result_int()) + ")";
      return finish(describe("handshake", failure));
    }
    open_ = true;
    handler_->on_open();
    if (finished_) return;
    read_next();
    if (!writing_) write_next();
  }

  void read_next() {
    ws_.async_read(buffer_, [self = shared_from_this()](const error_code& ec, std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(const error_code& ec) {
    if (finished_) return;
    // Once we started closing, Beast ends the pending read when the close completes.
    if (closing_ && ec) return finish("closed by client");
    if (ec == websocket::error::closed) return finish(close_reason());
    if (ec) return finish(describe("read", ec.message()));
    const auto data = buffer_.cdata();
    const std::string_view payload(static_cast<const char*>(data.data()), data.size());
    handler_->on_message(payload);
    buffer_.consume(buffer_.size());
    if (!finished_) read_next();
  }

  void write_next() {
    if (outbox_.empty()) {
      if (closing_) start_close();
      return;
    }
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(outbox_.front()),
                    [self = shared_from_this()](const error_code& ec, std::size_t) {
                      self->writing_ = false;
                      if (self->finished_) return;
                      if (ec) return self->finish(self->describe("write", ec.message()));
                      self->outbox_.pop_front();
                      self->write_next();
                    });
  }

  void start_close() {
    ws_.async_close(websocket::close_code::normal,
                    [self = shared_from_this()](const error_code& ec) {
                      self->finish(ec ? self->describe("close", ec.message()) : "closed by client");
                    });
  }

  std::string close_reason() const {
    const auto& reason = ws_.reason();
    std::string text = "closed by peer (code " + std::to_string(reason.code);
    if (!reason.reason.empty()) text += ": " + std::string(reason.reason.c_str());
    return text + ")";
  }

  std::string describe(std::string_view stage, std::string_view failure) const {
    return core_.describe(stage, failure) + " (WebSocket " + target_ + ")";
  }

  void finish(const std::string& reason) {
    if (finished_) return;
    finished_ = true;
    error_code ignored;
    resolver_.cancel();
    beast::get_lowest_layer(ws_).socket().close(ignored);
    outbox_.clear();
    core_.untrack(id_);
    handler_->on_close(reason);
  }

  ClientCore& core_;
  std::string target_;
  WebSocketHandler* handler_;
  tcp::resolver resolver_;
  websocket::stream<Stream> ws_;
  websocket::response_type handshake_response_;
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  std::uint64_t id_ = 0;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
};

/// What the connector holds. Holds the core and the session weakly: neither may outlive the
/// io_context, and the handle may outlive the transport.
class ClientWebSocketHandle final : public WebSocket {
 public:
  ClientWebSocketHandle(std::weak_ptr<ClientCore> core,
                        std::weak_ptr<ClientWebSocketSessionBase> session)
      : core_(std::move(core)), session_(std::move(session)) {}

  void send(std::string text) override {
    post([text = std::move(text)](ClientWebSocketSessionBase& s) mutable {
      s.send(std::move(text));
    });
  }

  void close() override {
    post([](ClientWebSocketSessionBase& s) { s.close(); });
  }

 private:
  template <class F>
  void post(F f) {
    auto core = core_.lock();
    if (!core || core->stopped) return;
    // Always posted, even on the I/O thread, so that sends keep their order with the start.
    asio::post(core->ioc, [session = session_, f = std::move(f)]() mutable {
      if (auto s = session.lock()) f(*s);
    });
  }

  std::weak_ptr<ClientCore> core_;
  std::weak_ptr<ClientWebSocketSessionBase> session_;
};

/// Stands in for a wss:// session whose TLS context could not be made: closes at once.
class FailedWebSocketSession final : public ClientWebSocketSessionBase {
 public:
  FailedWebSocketSession(ClientCore& core, std::string target, WebSocketHandler& handler)
      : core_(core), target_(std::move(target)), handler_(&handler) {}

  void start() override {
    if (std::exchange(finished_, true)) return;
    handler_->on_close(core_.describe("tls", core_.tls_error) + " (WebSocket " + target_ + ")");
  }
  void send(std::string) override {}
  void close() override {}
  void abort(const std::string&) override {}

 private:
  ClientCore& core_;
  std::string target_;
  WebSocketHandler* handler_;
  bool finished_ = false;
};

std::shared_ptr<ClientWebSocketSessionBase> make_session(ClientCore& core, std::string target,
                                                         WebSocketHandler& handler) {
  if (!core.endpoint.tls.enabled)
    return std::make_shared<ClientWebSocketSession<beast::tcp_stream>>(core, std::move(target),
                                                                       handler);
  if (!core.tls) return std::make_shared<FailedWebSocketSession>(core, std::move(target), handler);
  return std::make_shared<ClientWebSocketSession<TlsStream>>(core, std::move(target), handler);
}

}  // namespace

std::shared_ptr<WebSocket> start_websocket(const std::shared_ptr<ClientCore>& core,
                                           std::string target, WebSocketHandler& handler) {
  auto session = make_session(*core, std::move(target), handler);
  auto handle = std::make_shared<ClientWebSocketHandle>(core, session);
  if (core->stopped) return handle;
  asio::post(core->ioc, [session] { session->start(); });
  return handle;
}

}  // namespace troupe::net::detail
