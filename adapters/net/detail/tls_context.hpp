#pragma once
// Internal to troupe_net: OpenSSL contexts for the Beast client and server, the per-connection
// name checks, and error texts that carry OpenSSL's verification reason. Includes Asio's SSL
// headers, so only .cpp files include it.

#include "adapters/net/tls.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/system/error_code.hpp>
#include <tl/expected.hpp>

#include <memory>
#include <string>
#include <type_traits>

namespace troupe::net::detail {

/// A TLS connection over a Beast TCP stream (timeouts live on the TCP layer).
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// True for TlsStream, false for the plain beast::tcp_stream.
template <class Stream>
inline constexpr bool kIsTls = !std::is_same_v<Stream, boost::beast::tcp_stream>;

/// Drains OpenSSL's error queue of this thread into one text ("" when empty).
std::string openssl_error_text();

/// A client context: TLS 1.2 or later, peer verification per `config` against its CA file (or
/// the system's default paths). Fails with a text naming the CA file.
tl::expected<std::shared_ptr<boost::asio::ssl::context>, std::string> make_client_tls_context(
    const TlsClientConfig& config);

/// A server context with `config`'s certificate chain and key, TLS 1.2 or later. Fails with a
/// text naming the file (or "certificate and key do not match").
tl::expected<std::shared_ptr<boost::asio::ssl::context>, std::string> make_server_tls_context(
    const TlsServerConfig& config);

/// Before a client handshake: sets SNI (names only, never IP literals, RFC 6066 §3) and the
/// name or IP address the certificate must match: config.server_name, or `host` when empty.
tl::expected<void, std::string> prepare_client_connection(TlsStream& stream,
                                                          const TlsClientConfig& config,
                                                          const std::string& host);

/// The text of a handshake failure: OpenSSL's reason, followed by the certificate verification
/// reason when verification failed ("certificate verify failed: hostname mismatch").
std::string describe_tls_error(const boost::system::error_code& error, TlsStream& stream);

}  // namespace troupe::net::detail
