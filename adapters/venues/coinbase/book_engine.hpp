#pragma once
// One Coinbase level2 book (exchange-protocols.md §3.4) as a pure, deterministic engine: no
// I/O, no clock reads. A `snapshot` event replaces the book; an `update` sets the absolute
// size of each level (zero removes it). Coinbase update events carry no per-product sequence,
// so the engine numbers what it reports itself: every snapshot and every update event takes
// the next value of one counter that never goes back (not even across resyncs), hence
// BookDeltas chain exactly (first_sequence == previous last_sequence + 1 == snapshot.sequence
// + 1 after a snapshot) and a later snapshot always has a higher sequence than earlier deltas.

#include "adapters/venues/coinbase/coinbase_messages.hpp"
#include "messages/data.hpp"
#include "messages/events.hpp"
#include "runtime/clock.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>

namespace troupe::coinbase {

/// What applying one event produced, to report to the listener.
using BookOutput = std::variant<std::monostate, BookSnapshot, BookDeltas>;

/// The local book of one product. Owned by the market-data port, one per instrument.
class BookEngine {
 public:
  explicit BookEngine(InstrumentId instrument) : instrument_(std::move(instrument)) {}

  /// Applies one l2_data event of this product; `now` becomes ts_init. A snapshot yields a
  /// BookSnapshot (and makes the book synced); an update while synced yields BookDeltas; an
  /// update while not synced yields nothing: it belongs to a subscription we are replacing and
  /// the fresh snapshot that follows supersedes it.
  BookOutput apply(const L2Event& event, TimestampNs now);

  /// Discards the book until the next snapshot and returns the event to report.
  BookResyncStarted invalidate(ResyncReason reason, std::string detail, TimestampNs now);

  /// True after a snapshot, until invalidate().
  bool synced() const { return synced_; }
  /// The local sequence of the last reported snapshot or deltas (0 before any).
  std::uint64_t sequence() const { return sequence_; }
  /// Size at `price` on `side`, nullopt when the level is absent.
  std::optional<Quantity> level(Side side, Price price) const;
  /// Number of levels on `side`.
  std::size_t depth(Side side) const { return side == Side::Buy ? bids_.size() : asks_.size(); }
  const InstrumentId& instrument() const { return instrument_; }

 private:
  // Keyed by the price mantissa (all prices of one product share its precision).
  using Bids = std::map<std::int64_t, BookLevel, std::greater<>>;
  using Asks = std::map<std::int64_t, BookLevel, std::less<>>;

  void set_level(const BookDelta& delta);

  InstrumentId instrument_;
  bool synced_ = false;
  std::uint64_t sequence_ = 0;
  Bids bids_;
  Asks asks_;
};

}  // namespace troupe::coinbase
