#pragma once
// ClientTransport over real sockets (Boost.Beast), one I/O thread per transport: http:// and
// ws://, or https:// and wss:// with certificate verification when Endpoint::tls is enabled.

#include "adapters/net/tls.hpp"
#include "adapters/net/transport.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

namespace troupe::net {

/// Where a client transport connects.
struct Endpoint {
  Endpoint() = default;
  /// Written out so that {host, port, name} (no TLS) stays valid without a missing-initializer
  /// warning.
  Endpoint(std::string host_in, std::uint16_t port_in, std::string name_in = {},
           TlsClientConfig tls_in = {})
      : host(std::move(host_in)), port(port_in), name(std::move(name_in)), tls(std::move(tls_in)) {}

  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string name;  ///< for log and error texts ("binance-md")
  /// TLS for every request and WebSocket of the transport (off: plain TCP).
  TlsClientConfig tls;
};

/// Creates a transport with its own I/O thread, started immediately. With TLS enabled, the CA
/// file is loaded here; if that fails (missing or unreadable file, no certificate in it) the
/// failure is logged and every request and WebSocket of the transport fails with a text naming
/// the endpoint and the file ("venue: tls 10.0.0.1:443: CA file /etc/ca.pem: No such file or
/// directory (GET /api)"), so callers see it where they see any other transport error.
std::unique_ptr<ClientTransport> make_beast_client_transport(Endpoint endpoint);

}  // namespace troupe::net
