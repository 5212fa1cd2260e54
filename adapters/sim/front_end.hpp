#pragma once
// What every simulated venue front end offers beyond net::HttpService: market steps, the venue's
// own book (the reference the integration tests compare the node's books with) and fault
// injection through one control interface. The Binance, Kraken, Coinbase and Alpaca front ends
// each speak their venue's wire protocol over the same matching engine and market simulation
// (adapters/sim/matching_engine.hpp, market.hpp); each front end owns its own engine instance.
//
// Thread safety: as net::HttpService; step(), book(), inject() and the service calls may run
// concurrently.

#include "adapters/net/transport.hpp"
#include "messages/data.hpp"
#include "runtime/clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::sim {

/// The faults a front end can inject into its market-data streams (and REST, for Throttle).
/// Each applies to the next event(s) of one symbol, or to every socket, as described.
enum class FaultKind : std::uint8_t {
  Drop,             ///< withhold the next book update of `symbol` (a gap)
  Duplicate,        ///< send the next book update of `symbol` twice
  Reorder,          ///< swap the next two book updates of `symbol`
  CorruptChecksum,  ///< send the next book update of `symbol` with a wrong checksum
  Malformed,        ///< send one frame of invalid JSON now on the streams of `symbol`
  Stall,            ///< send nothing on market-data sockets for `duration_ms`, keep them open
  Disconnect,       ///< close every market-data socket now
  Throttle,         ///< answer new connections / REST requests with the venue's rate-limit
                    ///< error for `duration_ms`
};

/// "drop", "duplicate", "reorder", "corrupt_checksum", "malformed", "stall", "disconnect",
/// "throttle".
std::string_view to_string(FaultKind kind);
/// The inverse of to_string; nullopt for anything else.
std::optional<FaultKind> parse_fault_kind(std::string_view text);

/// One fault to inject.
struct FaultSpec {
  FaultKind kind = FaultKind::Drop;
  std::string symbol;            ///< venue symbol; ignored by Stall, Disconnect and Throttle
  std::int64_t duration_ms = 0;  ///< Stall and Throttle only, > 0
};

/// What a fault injection did (or why it could not).
struct FaultReport {
  bool done = false;        ///< false when nothing could be done (unknown symbol, unsupported)
  std::string description;  ///< "kraken: drop armed for BTC/USD: ..."
};

/// A simulated venue's protocol front end.
class VenueFrontEnd : public net::HttpService {
 public:
  /// "binance", "kraken", "coinbase" or "alpaca".
  virtual std::string_view venue() const = 0;
  /// Advances the market one step at `now` (ns since epoch) and pushes the resulting frames.
  virtual void step(TimestampNs now) = 0;
  /// The venue's own book of `symbol`, `depth` levels per side (0 = all). Empty for an
  /// unknown symbol. `sequence` is the venue's update counter for the book when the protocol
  /// has one (0 otherwise).
  virtual BookSnapshot book(const std::string& symbol, std::size_t depth) const = 0;
  /// Injects one fault. Unsupported kinds (CorruptChecksum where the protocol has no checksum)
  /// come back with done = false and a description saying so.
  virtual FaultReport inject(const FaultSpec& fault) = 0;
  /// The fault kinds this front end supports.
  virtual std::vector<FaultKind> supported_faults() const = 0;
  /// Every fault carried out so far, described, oldest first.
  virtual std::vector<std::string> fault_log() const = 0;
};

}  // namespace troupe::sim
