#pragma once
// ClientTransport over real sockets (Boost.Beast), one I/O thread per transport. Plain TCP for
// now (http:// and ws://); TLS comes with the multi-venue work.

#include "adapters/net/transport.hpp"

#include <memory>
#include <string>

namespace troupe::net {

/// Where a client transport connects.
struct Endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string name;  ///< for log and error texts ("binance-md")
};

/// Creates a transport with its own I/O thread, started immediately.
std::unique_ptr<ClientTransport> make_beast_client_transport(Endpoint endpoint);

}  // namespace troupe::net
