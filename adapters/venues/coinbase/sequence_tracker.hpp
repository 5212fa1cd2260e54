#pragma once
// Gap detection on Coinbase's `sequence_num` (exchange-protocols.md §3.5). The counter is per
// connection and shared by every channel on the socket [obs]: subscriptions acks, heartbeats,
// l2_data and market_trades all advance it. So one tracker per connection sees every message,
// whatever its channel, and any skip makes every book on the connection suspect.

#include <cstdint>
#include <optional>
#include <string>

namespace troupe::coinbase {

/// How a message's sequence_num relates to the previous one.
enum class SequenceVerdict : std::uint8_t {
  First,    ///< first message of the connection: any value starts the chain
  InOrder,  ///< previous + 1
  Gap,      ///< greater than previous + 1: messages were lost; resync every book
  Old,      ///< not greater than previous: duplicate or reordered; drop the message
};

/// The verdict plus what was expected, for error texts.
struct SequenceCheck {
  SequenceVerdict verdict = SequenceVerdict::First;
  std::uint64_t expected = 0;  ///< previous + 1 (0 for First)
  std::uint64_t got = 0;

  /// "expected sequence_num=N, got M".
  std::string describe() const;
};

/// Tracks the last sequence_num of one connection. Owned by the market-data port; reset on
/// every (re)connect.
class SequenceTracker {
 public:
  /// Checks `sequence_num` and advances on First, InOrder and Gap. Old values leave the tracker
  /// unchanged: §3.5 says lower numbers can be ignored, and a late copy of a message whose
  /// successor we already used cannot be applied without breaking the book's order.
  SequenceCheck observe(std::uint64_t sequence_num);
  /// Forgets the chain (new connection).
  void reset() { last_.reset(); }
  /// The last accepted sequence_num, if any.
  std::optional<std::uint64_t> last() const { return last_; }

 private:
  std::optional<std::uint64_t> last_;
};

}  // namespace troupe::coinbase
