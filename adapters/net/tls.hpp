#pragma once
// TLS settings of client transports and servers (adapters/net/beast_client.hpp,
// beast_server.hpp), and a generator for a loopback PKI (a CA plus a server certificate signed
// by it) used by tests and by paper mode to run the embedded simulated venues over TLS.
// OpenSSL stays in the .cpp files.

#include <tl/expected.hpp>

#include <string>
#include <vector>

namespace troupe::net {

/// Client side: https:// and wss:// with certificate verification.
struct TlsClientConfig {
  bool enabled = false;
  /// PEM file with the CA certificate(s) to trust; "" = the system's default trust store.
  std::string ca_file;
  /// Name sent as SNI and checked against the server certificate (DNS name or IP address);
  /// "" = the endpoint's host.
  std::string server_name;
  /// Verify the peer's chain and name. Only tests may turn it off; the config loader refuses
  /// false in live mode.
  bool verify_peer = true;
};

/// Server side: serve TLS with this certificate chain and key.
struct TlsServerConfig {
  bool enabled = false;
  std::string cert_file;  ///< PEM: the server certificate (then any intermediates)
  std::string key_file;   ///< PEM: its private key
};

/// Files of a generated loopback PKI.
struct LoopbackPki {
  std::string ca_file;    ///< the CA certificate (trust this)
  std::string cert_file;  ///< the server certificate, signed by the CA
  std::string key_file;   ///< the server key
};

/// Generates a fresh CA and a server certificate for `names` (DNS names and IP addresses, as
/// subjectAltName), valid from one hour ago for `days` days, into `directory` (created when
/// missing) as ca.pem, server.pem and server.key. The error names the file or OpenSSL step.
tl::expected<LoopbackPki, std::string> generate_loopback_pki(
    const std::string& directory,
    const std::vector<std::string>& names = {"localhost", "127.0.0.1"}, int days = 30);

}  // namespace troupe::net
