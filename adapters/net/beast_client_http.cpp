// One HTTP/1.1 exchange of the Beast client transport: resolve (skipped for IP literals),
// connect, TLS handshake (https), write, read, all under one deadline. One connection per
// request.

#include "adapters/net/detail/beast_convert.hpp"
#include "adapters/net/detail/client_core.hpp"
#include "adapters/net/detail/tls_context.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <exception>
#include <optional>

namespace troupe::net::detail {
namespace {

namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using boost::system::error_code;

template <class Stream>
Stream make_stream(ClientCore& core) {
  if constexpr (kIsTls<Stream>)
    return Stream(core.ioc, *core.tls);
  else
    return Stream(core.ioc);
}

/// Over beast::tcp_stream (http://) or TlsStream (https://).
template <class Stream>
class HttpOperation final : public ClientOperation,
                            public std::enable_shared_from_this<HttpOperation<Stream>> {
 public:
  using std::enable_shared_from_this<HttpOperation>::shared_from_this;
  using std::enable_shared_from_this<HttpOperation>::weak_from_this;

  HttpOperation(ClientCore& core, HttpRequest request, HttpCallback callback)
      : core_(core),
        resolver_(core.ioc),
        stream_(make_stream<Stream>(core)),
        deadline_(core.ioc),
        method_(request.method),
        target_(request.target),
        callback_(std::move(callback)) {
    try {
      request_ = to_beast_request(std::move(request), core.host_port());
    } catch (const std::exception& e) {
      build_error_ = e.what();
    }
  }

  void start() {
    if (build_error_) return finish(tl::make_unexpected(describe_stage("request", *build_error_)));
    id_ = core_.track(weak_from_this());
    deadline_.expires_after(kClientTimeout);
    deadline_.async_wait([self = shared_from_this()](const error_code& ec) {
      if (!ec)
        self->finish(tl::make_unexpected(self->describe_stage(
            "timeout", "no response within " + std::to_string(kClientTimeout.count()) + " s")));
    });
    error_code ec;
    const auto address = asio::ip::make_address(core_.endpoint.host, ec);
    if (!ec) {
      lowest().async_connect(
          tcp::endpoint(address, core_.endpoint.port),
          [self = shared_from_this()](const error_code& e) { self->on_connect(e); });
      return;
    }
    resolver_.async_resolve(
        core_.endpoint.host, std::to_string(core_.endpoint.port),
        [self = shared_from_this()](const error_code& e, const tcp::resolver::results_type& r) {
          self->on_resolve(e, r);
        });
  }

  void abort(const std::string& reason) override {
    finish(tl::make_unexpected(describe_stage("request", reason)));
  }

 private:
  void on_resolve(const error_code& ec, const tcp::resolver::results_type& results) {
    if (done_) return;
    if (ec) return fail("resolve", ec);
    lowest().async_connect(results,
                           [self = shared_from_this()](const error_code& e, const tcp::endpoint&) {
                             self->on_connect(e);
                           });
  }

  void on_connect(const error_code& ec) {
    if (done_) return;
    if (ec) return fail("connect", ec);
    if constexpr (kIsTls<Stream>) {
      if (auto prepared =
              prepare_client_connection(stream_, core_.endpoint.tls, core_.endpoint.host);
          !prepared)
        return finish(tl::make_unexpected(describe_stage("tls", prepared.error())));
      stream_.async_handshake(
          asio::ssl::stream_base::client, [self = shared_from_this()](const error_code& e) {
            if (self->done_) return;
            if (e)
              return self->finish(tl::make_unexpected(
                  self->describe_stage("tls handshake", describe_tls_error(e, self->stream_))));
            self->write_request();
          });
    } else {
      write_request();
    }
  }

  void write_request() {
    http::async_write(
        stream_, request_,
        [self = shared_from_this()](const error_code& e, std::size_t) { self->on_write(e); });
  }

  void on_write(const error_code& ec) {
    if (done_) return;
    if (ec) return fail("write", ec);
    parser_.emplace();
    parser_->body_limit(kClientMaxMessageBytes);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](const error_code& e, std::size_t) { self->on_read(e); });
  }

  void on_read(const error_code& ec) {
    if (done_) return;
    if (ec) return fail("read", ec);
    finish(to_net_response(parser_->release()));
  }

  void fail(std::string_view stage, const error_code& ec) {
    finish(tl::make_unexpected(describe_stage(stage, ec.message())));
  }

  std::string describe_stage(std::string_view stage, std::string_view failure) const {
    return core_.describe(stage, failure) + " (" + method_ + " " + target_ + ")";
  }

  void finish(tl::expected<HttpResponse, std::string> result) {
    if (done_) return;
    done_ = true;
    error_code ignored;
    deadline_.cancel();
    resolver_.cancel();
    // No TLS close_notify: the request said Connection: close and the response is complete.
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().socket().close(ignored);
    if (id_ != 0) core_.untrack(id_);
    auto callback = std::move(callback_);
    if (callback) callback(std::move(result));
  }

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  ClientCore& core_;
  tcp::resolver resolver_;
  Stream stream_;
  asio::steady_timer deadline_;
  std::string method_;
  std::string target_;
  HttpCallback callback_;
  http::request<http::string_body> request_;
  std::optional<std::string> build_error_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  std::uint64_t id_ = 0;
  bool done_ = false;
};

}  // namespace

void start_http(ClientCore& core, HttpRequest request, HttpCallback callback) {
  if (!core.endpoint.tls.enabled) {
    std::make_shared<HttpOperation<beast::tcp_stream>>(core, std::move(request),
                                                       std::move(callback))
        ->start();
    return;
  }
  if (!core.tls) {
    const auto stage =
        core.describe("tls", core.tls_error) + " (" + request.method + " " + request.target + ")";
    if (callback) callback(tl::make_unexpected(stage));
    return;
  }
  std::make_shared<HttpOperation<TlsStream>>(core, std::move(request), std::move(callback))
      ->start();
}

}  // namespace troupe::net::detail
