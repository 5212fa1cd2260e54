// One HTTP/1.1 connection of BeastServer: (with TLS, a handshake under its own timeout, then)
// a keep-alive loop of read request → service.handle() → write response, with limits (413,
// 431), parse errors (400) and an idle timeout. Upgrade requests are handed to the WebSocket
// session.

#include "adapters/net/detail/beast_convert.hpp"
#include "adapters/net/detail/server_core.hpp"
#include "adapters/net/detail/service_call.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <exception>
#include <optional>

namespace troupe::net::detail {
namespace {

using boost::system::error_code;

/// After an error reply the client may still be sending; reading (and dropping) its data for a
/// short while before closing keeps the kernel from resetting the connection under the reply.
constexpr std::chrono::seconds kLingerTimeout{1};
constexpr std::size_t kLingerMaxBytes = 1 << 20;

bool is_parse_error(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category() &&
         ec != http::error::partial_message;
}

bool expects_continue(const http::request<http::string_body>& request) {
  const auto expect = request.find(http::field::expect);
  if (expect == request.end()) return false;
  std::string value(expect->value());
  for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return value == "100-continue";
}

template <class Stream>
Stream make_stream(ServerCore& core, tcp::socket socket) {
  if constexpr (kIsTls<Stream>)
    return Stream(std::move(socket), *core.tls);
  else
    return Stream(std::move(socket));
}

/// Over beast::tcp_stream (http) or TlsStream (https).
template <class Stream>
class HttpSession final : public ServerSession,
                          public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  using std::enable_shared_from_this<HttpSession>::shared_from_this;
  using std::enable_shared_from_this<HttpSession>::weak_from_this;

  HttpSession(ServerCore& core, tcp::socket socket)
      : core_(core),
        peer_(remote_endpoint(socket)),
        stream_(make_stream<Stream>(core, std::move(socket))),
        executor_(stream_.get_executor()) {}

  ~HttpSession() override { core_.remove_session(id_); }

  void start() {
    id_ = core_.add_session(weak_from_this());
    if (id_ == 0) return;  // stopping: the socket closes with this object
    asio::dispatch(executor_, [self = shared_from_this()] {
      if constexpr (kIsTls<Stream>)
        self->handshake();
      else
        self->read_header();
    });
  }

  void terminate() override {
    asio::post(executor_, [self = shared_from_this()] {
      if (!self->upgraded_) self->lowest().close();
    });
  }

  void abandon() override {}

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void handshake() {
    lowest().expires_after(core_.options.tls_handshake_timeout);
    stream_.async_handshake(
        asio::ssl::stream_base::server,
        [self = shared_from_this()](const error_code& ec) { self->on_handshake(ec); });
  }

  void on_handshake(const error_code& ec) {
    if (!ec) return read_header();
    // A scanner, a plain-HTTP client, a silent one or a client that distrusts us: nothing to
    // answer, and not worth more than a debug line.
    spdlog::debug(
        "net server {} ({}:{}): TLS handshake with {}:{} failed: {}", core_.options.name,
        core_.options.host, core_.bound_port, peer_.address().to_string(), peer_.port(),
        ec == beast::error::timeout ? std::string("timed out") : describe_tls_error(ec, stream_));
    lowest().close();
  }

  /// Ends our direction after a response with Connection: close or the client's end of stream:
  /// a TCP half-close, or over TLS a close_notify (bounded by the linger timeout) and a close.
  void end_output() {
    if constexpr (kIsTls<Stream>) {
      lowest().expires_after(kLingerTimeout);
      stream_.async_shutdown(
          [self = shared_from_this()](const error_code&) { self->lowest().close(); });
    } else {
      error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  void read_header() {
    parser_.emplace();
    parser_->body_limit(core_.options.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(kServerMaxHeaderBytes));
    lowest().expires_after(core_.options.idle_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(const error_code& ec) {
    if (ec) return on_read_error(ec);
    if (boost::beast::websocket::is_upgrade(parser_->get())) {
      upgraded_ = true;
      return start_websocket_session(core_, std::move(stream_), parser_->release());
    }
    if (!parser_->is_done() && expects_continue(parser_->get())) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                               [self = shared_from_this()](const error_code& e, std::size_t) {
                                 if (e) return self->lowest().close();
                                 self->read_body();
                               });
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](const error_code& ec, std::size_t) {
                       if (ec) return self->on_read_error(ec);
                       self->handle_request();
                     });
  }

  void on_read_error(const error_code& ec) {
    if (ec == http::error::end_of_stream) return end_output();
    if (ec == http::error::body_limit)
      return reply_error(
          413, "request body exceeds " + std::to_string(core_.options.max_body_bytes) + " bytes");
    if (ec == http::error::header_limit)
      return reply_error(
          431, "request header exceeds " + std::to_string(kServerMaxHeaderBytes) + " bytes");
    if (is_parse_error(ec)) return reply_error(400, "malformed HTTP request: " + ec.message());
    lowest().close();  // timeout, reset, a TLS stream cut short, or the server is stopping
  }

  void handle_request() {
    const auto& request = parser_->get();
    const bool keep_alive = request.keep_alive();
    const bool head = request.method() == http::verb::head;
    const unsigned version = request.version();
    HttpResponse response = call_service(core_.service, to_net_request(request));
    try {
      write(to_beast_response(std::move(response), version, keep_alive, head), !keep_alive, false);
    } catch (const std::exception& e) {
      log_server_error(core_, std::string("invalid response from the service: ") + e.what());
      write(to_beast_response(json_error(500, "invalid response from the service"), version, false,
                              head),
            true, false);
    }
  }

  void reply_error(int status, const std::string& message) {
    const unsigned version = parser_ && parser_->get().version() == 10 ? 10 : 11;
    write(to_beast_response(json_error(status, message), version, false, false), true, true);
  }

  void write(http::response<http::string_body> response, bool close_after, bool linger) {
    response_ = std::move(response);
    lowest().expires_after(core_.options.idle_timeout);
    http::async_write(
        stream_, *response_,
        [self = shared_from_this(), close_after, linger](const error_code& ec, std::size_t) {
          self->response_.reset();
          if (ec) return self->lowest().close();
          if (linger) return self->linger();
          if (!close_after) return self->read_header();
          self->end_output();
        });
  }

  void linger() {
    // Over TLS too a TCP half-close: the reply is complete and said Connection: close, and the
    // reads below only drop what the client still sends.
    error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest().expires_after(kLingerTimeout);
    drain_input();
  }

  void drain_input() {
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](const error_code& ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerMaxBytes)
                                return self->lowest().close();
                              self->drain_input();
                            });
  }

  static tcp::endpoint remote_endpoint(const tcp::socket& socket) {
    error_code ignored;
    return socket.remote_endpoint(ignored);
  }

  ServerCore& core_;
  tcp::endpoint peer_;  ///< for logs, read while the socket is known to be connected
  Stream stream_;
  beast::tcp_stream::executor_type executor_;  ///< kept: stream_ is moved out on upgrade
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::array<char, 4096> discard_{};
  std::size_t drained_ = 0;
  std::uint64_t id_ = 0;
  bool upgraded_ = false;
};

}  // namespace

void start_http_session(ServerCore& core, tcp::socket socket) {
  if (core.tls)
    std::make_shared<HttpSession<TlsStream>>(core, std::move(socket))->start();
  else
    std::make_shared<HttpSession<beast::tcp_stream>>(core, std::move(socket))->start();
}

}  // namespace troupe::net::detail
