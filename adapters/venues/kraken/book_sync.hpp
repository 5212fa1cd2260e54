#pragma once
// Local order book integrity for one Kraken symbol (exchange-protocols.md §4.2) as a pure,
// deterministic engine: no I/O, no clock reads. The port feeds it decoded book messages; it
// answers with what to report, in order, and whether the symbol must be resubscribed.
//
// Kraken's public channels carry no sequence numbers, so a lost, duplicated or reordered update
// is caught by the checksum alone: every snapshot and update carries the CRC32 of the venue's
// top 10 levels after that message, and this engine recomputes it after applying each message.
// A mismatch (or an update that cannot be decoded) discards the book, reports
// BookResyncStarted{Checksum} and asks for a fresh snapshot (unsubscribe + subscribe).
//
// Decisions beyond the reference text:
//  * Sequences are local: each symbol counts its own messages (snapshot N, then deltas N+1,
//    N+2, ...), so downstream books see first_sequence == previous last_sequence + 1. The count
//    never restarts, so a new snapshot always has a higher sequence than anything before it.
//  * Levels that fall beyond the subscribed depth are removed (§4.2 "truncate") and reported as
//    size-0 deltas, so a downstream book equals this one level for level.
//  * Updates that arrive while no snapshot is held are dropped silently: they belong to the
//    subscription being replaced.

#include "adapters/venues/kraken/kraken_messages.hpp"
#include "messages/events.hpp"
#include "messages/instrument.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace troupe::kraken {

/// One thing to report to the market-data listener, in order.
using SyncEvent = std::variant<BookSnapshot, BookDeltas, BookResyncStarted>;

/// What one step of the engine produced.
struct SyncOutput {
  std::vector<SyncEvent> events;  ///< report in this order
  bool resubscribe = false;       ///< the caller must re-subscribe the symbol's book
};

/// Keeps one symbol's depth-limited L2 book and checks it against the venue checksum. Owned by
/// the market-data port; one per configured instrument.
class BookSync {
 public:
  /// `instrument` must outlive the engine; `depth` is the subscribed depth (levels per side).
  BookSync(const Instrument& instrument, std::size_t depth);

  /// Forgets the book after a (re)connect; the subscription that follows brings a snapshot.
  void start();

  /// Feeds one decoded book item of this symbol; `now` becomes ts_init of what is reported.
  SyncOutput on_book(const BookMessage& message, TimestampNs now);

  /// Discards the book (malformed frame, stale stream, disconnect) and reports
  /// BookResyncStarted. Asks to resubscribe unless a fresh snapshot is already awaited.
  SyncOutput invalidate(ResyncReason reason, std::string detail, TimestampNs now);

  /// True once a snapshot passed its checksum and no resync happened since.
  bool synced() const { return synced_; }
  /// The local sequence of the last snapshot or deltas reported.
  std::uint64_t sequence() const { return sequence_; }
  /// The book's bids, best (highest) first.
  std::vector<BookLevel> bids() const;
  /// The book's asks, best (lowest) first.
  std::vector<BookLevel> asks() const;
  /// The instrument this engine keeps.
  const InstrumentId& instrument() const { return instrument_.id; }

 private:
  SyncOutput apply_snapshot(const BookMessage& message, TimestampNs now);
  SyncOutput apply_update(const BookMessage& message, TimestampNs now);
  void apply_level(Side side, const BookLevel& level, std::vector<BookDelta>& deltas);
  void truncate(std::vector<BookDelta>& deltas);
  std::uint32_t checksum() const;
  SyncOutput verify_failed(std::uint32_t expected, std::uint32_t computed, bool snapshot,
                           TimestampNs now);

  const Instrument& instrument_;
  std::size_t depth_;
  bool synced_ = false;
  bool awaiting_snapshot_ = true;  ///< a subscription that brings a snapshot is in flight
  std::uint64_t sequence_ = 0;
  std::map<std::int64_t, Quantity, std::greater<>> bids_;  ///< price mantissa -> size
  std::map<std::int64_t, Quantity> asks_;                  ///< price mantissa -> size
};

}  // namespace troupe::kraken
