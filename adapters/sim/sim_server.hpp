#pragma once
// Paper-mode runner of the simulated venue: serves BinanceFrontEnd over real loopback sockets
// (net::BeastServer, REST and WebSockets on one port) and steps the market every step_ms of
// real time on its own thread.

#include "adapters/net/beast_server.hpp"
#include "adapters/sim/binance_front_end.hpp"
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

/// A running simulated venue. Stops on stop() or destruction.
class SimVenueServer {
 public:
  /// Validates `config`, binds config.host:config.port (0 = an ephemeral port) and starts
  /// stepping. Fails with a text naming the config key, or the host, port and OS error.
  /// `clock` stamps events and judges recvWindow; it must outlive the server.
  static tl::expected<std::unique_ptr<SimVenueServer>, std::string> start(const SimConfig& config,
                                                                          const Clock& clock);
  ~SimVenueServer();
  SimVenueServer(const SimVenueServer&) = delete;
  SimVenueServer& operator=(const SimVenueServer&) = delete;

  /// The bound port.
  std::uint16_t port() const;
  /// The venue (fault injection, counters, its own book).
  BinanceFrontEnd& front_end() { return *front_end_; }
  /// Closes all connections and joins the stepping thread. Idempotent.
  void stop();

 private:
  SimVenueServer(const SimConfig& config, const Clock& clock);
  void run();

  const Clock* clock_;
  std::chrono::milliseconds step_;
  std::unique_ptr<BinanceFrontEnd> front_end_;
  std::unique_ptr<net::BeastServer> server_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread stepper_;
};

}  // namespace troupe::sim
