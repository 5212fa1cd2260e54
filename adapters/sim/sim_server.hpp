#pragma once
// Paper-mode runner of a simulated venue: serves one protocol front end (Binance, Kraken,
// Coinbase or Alpaca) over real loopback sockets (net::BeastServer, REST and WebSockets on one
// port, optionally TLS) and steps its market every step_ms of real time on its own thread.

#include "adapters/net/beast_server.hpp"
#include "adapters/net/tls.hpp"
#include "adapters/sim/binance_front_end.hpp"
#include "adapters/sim/front_end.hpp"
#include "adapters/sim/sim_config.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace troupe::sim {

/// Where and how a simulated venue is served.
struct SimServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;     ///< 0 = an ephemeral port
  std::int64_t step_ms = 50;  ///< market step period of real time, >= 1
  net::TlsServerConfig tls;   ///< serve https/wss when enabled
};

/// A running simulated venue. Stops on stop() or destruction.
class SimVenueServer {
 public:
  /// Serves `front_end` (built by the caller from a config its validate() accepted), binds
  /// options.host:port and starts stepping. Fails with a text naming the venue, host, port and
  /// OS error (or the TLS file). `clock` stamps the steps; it must outlive the server.
  static tl::expected<std::unique_ptr<SimVenueServer>, std::string> start(
      std::unique_ptr<VenueFrontEnd> front_end, SimServerOptions options, const Clock& clock);
  /// The simulated Binance venue of `config` on config.host:config.port, plain TCP.
  static tl::expected<std::unique_ptr<SimVenueServer>, std::string> start(const SimConfig& config,
                                                                          const Clock& clock);
  ~SimVenueServer();
  SimVenueServer(const SimVenueServer&) = delete;
  SimVenueServer& operator=(const SimVenueServer&) = delete;

  /// The bound port.
  std::uint16_t port() const;
  /// The venue (fault injection, its own book).
  VenueFrontEnd& front_end() { return *front_end_; }
  /// The venue as a Binance front end, or nullptr for the other protocols.
  BinanceFrontEnd* binance() { return dynamic_cast<BinanceFrontEnd*>(front_end_.get()); }
  /// Stops (true) or restarts (false) market steps; sockets keep being served. Tests pause the
  /// market to compare books at a quiet moment. When this returns true, no step is running.
  void set_paused(bool paused);
  /// Steps taken by the stepping thread so far.
  std::uint64_t steps() const;
  /// Closes all connections and joins the stepping thread. Idempotent.
  void stop();

 private:
  SimVenueServer(std::unique_ptr<VenueFrontEnd> front_end, std::int64_t step_ms,
                 const Clock& clock);
  void run();

  const Clock* clock_;
  std::chrono::milliseconds step_;
  std::unique_ptr<VenueFrontEnd> front_end_;
  std::unique_ptr<net::BeastServer> server_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool paused_ = false;
  std::uint64_t steps_ = 0;
  std::mutex step_mutex_;  // held while a step runs (set_paused waits on it)
  std::thread stepper_;
};

}  // namespace troupe::sim
