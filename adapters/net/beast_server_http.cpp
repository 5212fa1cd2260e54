// One HTTP/1.1 connection of BeastServer: a keep-alive loop of read request → service.handle()
// → write response, with limits (413, 431), parse errors (400) and an idle timeout. Upgrade
// requests are handed to the WebSocket session.

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

class HttpSession final : public ServerSession, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(ServerCore& core, tcp::socket socket)
      : core_(core), stream_(std::move(socket)), executor_(stream_.get_executor()) {}

  ~HttpSession() override { core_.remove_session(id_); }

  void start() {
    id_ = core_.add_session(weak_from_this());
    if (id_ == 0) return;  // stopping: the socket closes with this object
    asio::dispatch(executor_, [self = shared_from_this()] { self->read_header(); });
  }

  void terminate() override {
    asio::post(executor_, [self = shared_from_this()] {
      if (!self->upgraded_) self->stream_.close();
    });
  }

  void abandon() override {}

 private:
  void read_header() {
    parser_.emplace();
    parser_->body_limit(core_.options.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(kServerMaxHeaderBytes));
    stream_.expires_after(core_.options.idle_timeout);
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
                                 if (e) return self->stream_.close();
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
    if (ec == http::error::end_of_stream) {
      error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    if (ec == http::error::body_limit)
      return reply_error(
          413, "request body exceeds " + std::to_string(core_.options.max_body_bytes) + " bytes");
    if (ec == http::error::header_limit)
      return reply_error(
          431, "request header exceeds " + std::to_string(kServerMaxHeaderBytes) + " bytes");
    if (is_parse_error(ec)) return reply_error(400, "malformed HTTP request: " + ec.message());
    stream_.close();  // timeout, reset, or the server is stopping
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
    stream_.expires_after(core_.options.idle_timeout);
    http::async_write(
        stream_, *response_,
        [self = shared_from_this(), close_after, linger](const error_code& ec, std::size_t) {
          self->response_.reset();
          if (ec) return self->stream_.close();
          if (linger) return self->linger();
          if (!close_after) return self->read_header();
          error_code ignored;
          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        });
  }

  void linger() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTimeout);
    drain_input();
  }

  void drain_input() {
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](const error_code& ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerMaxBytes)
                                return self->stream_.close();
                              self->drain_input();
                            });
  }

  ServerCore& core_;
  beast::tcp_stream stream_;
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
  std::make_shared<HttpSession>(core, std::move(socket))->start();
}

}  // namespace troupe::net::detail
