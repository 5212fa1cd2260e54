#include "adapters/net/detail/tls_context.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>

namespace troupe::net::detail {
namespace {

namespace ssl = boost::asio::ssl;
using ContextResult = tl::expected<std::shared_ptr<ssl::context>, std::string>;

/// "<what> <path>: <errno text>" unless the file can be opened for reading. Checked first so
/// that a missing file says so instead of OpenSSL's "system lib".
tl::expected<void, std::string> check_readable(std::string_view what, const std::string& path) {
  if (path.empty()) return tl::make_unexpected(std::string(what) + " is not set");
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr)
    return tl::make_unexpected(std::string(what) + " " + path + ": " + std::strerror(errno));
  std::fclose(file);
  return {};
}

std::string reason(const boost::system::error_code& error) {
  auto text = error.message();
  if (const auto queued = openssl_error_text(); !queued.empty()) text += " (" + queued + ")";
  return text;
}

ContextResult new_context(ssl::context::method method) {
  try {
    auto context = std::make_shared<ssl::context>(method);
    // TLS 1.0 and 1.1 are deprecated (RFC 8996); every venue accepts 1.2.
    if (SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION) != 1)
      return tl::make_unexpected("set the minimum TLS version: " + openssl_error_text());
    context->set_options(ssl::context::default_workarounds | ssl::context::no_compression);
    return context;
  } catch (const std::exception& e) {
    return tl::make_unexpected(std::string("create the TLS context: ") + e.what());
  }
}

}  // namespace

std::string openssl_error_text() {
  std::string text;
  while (const auto code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text;
}

ContextResult make_client_tls_context(const TlsClientConfig& config) {
  auto context = new_context(ssl::context::tls_client);
  if (!context) return context;
  auto& ctx = **context;
  if (!config.verify_peer) {
    ctx.set_verify_mode(ssl::verify_none);
    return context;
  }
  ctx.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (config.ca_file.empty()) {
    ctx.set_default_verify_paths(ec);
    if (ec) return tl::make_unexpected("load the system's default CA certificates: " + reason(ec));
    return context;
  }
  if (auto readable = check_readable("CA file", config.ca_file); !readable)
    return tl::make_unexpected(readable.error());
  ctx.load_verify_file(config.ca_file, ec);
  if (ec) return tl::make_unexpected("CA file " + config.ca_file + ": " + reason(ec));
  return context;
}

ContextResult make_server_tls_context(const TlsServerConfig& config) {
  if (auto readable = check_readable("certificate file", config.cert_file); !readable)
    return tl::make_unexpected(readable.error());
  if (auto readable = check_readable("key file", config.key_file); !readable)
    return tl::make_unexpected(readable.error());
  auto context = new_context(ssl::context::tls_server);
  if (!context) return context;
  auto& ctx = **context;
  boost::system::error_code ec;
  ctx.use_certificate_chain_file(config.cert_file, ec);
  if (ec) return tl::make_unexpected("certificate file " + config.cert_file + ": " + reason(ec));
  ctx.use_private_key_file(config.key_file, ssl::context::pem, ec);
  if (ec) return tl::make_unexpected("key file " + config.key_file + ": " + reason(ec));
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
    return tl::make_unexpected("key file " + config.key_file + " does not match certificate file " +
                               config.cert_file + ": " + openssl_error_text());
  return context;
}

tl::expected<void, std::string> prepare_client_connection(TlsStream& stream,
                                                          const TlsClientConfig& config,
                                                          const std::string& host) {
  const std::string& name = config.server_name.empty() ? host : config.server_name;
  SSL* ssl = stream.native_handle();
  ERR_clear_error();  // leftovers of an earlier connection on this thread must not show up here
  boost::system::error_code not_ip;
  boost::asio::ip::make_address(name, not_ip);
  if (not_ip && SSL_set_tlsext_host_name(ssl, name.c_str()) != 1)
    return tl::make_unexpected("set SNI " + name + ": " + openssl_error_text());
  if (!config.verify_peer) return {};
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  int ok = 0;
  if (!not_ip) {
    ok = X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
  } else {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    ok = X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
  }
  if (ok != 1)
    return tl::make_unexpected("set the name to verify (" + name + "): " + openssl_error_text());
  return {};
}

std::string describe_tls_error(const boost::system::error_code& error, TlsStream& stream) {
  auto text = error.message();
  if (error.category() != boost::asio::error::get_ssl_category()) return text;
  const auto code = static_cast<unsigned long>(static_cast<unsigned int>(error.value()));
  if (ERR_GET_REASON(code) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    const long result = SSL_get_verify_result(stream.native_handle());
    if (result != X509_V_OK) text += std::string(": ") + X509_verify_cert_error_string(result);
  }
  return text;
}

}  // namespace troupe::net::detail
