#pragma once
// Local order book synchronisation for one Binance symbol: the documented procedure of
// exchange-protocols.md §2.7 as a pure, deterministic engine (no I/O, no clock reads). The port
// feeds it decoded depth events and REST snapshots; it answers with what to report, in order,
// and whether a (new) REST snapshot is needed.
//
// Decisions beyond the reference text:
//  * A snapshot whose lastUpdateId + 1 == the first buffered U is accepted: it is contiguous and
//    satisfies the first-event rule U <= lastUpdateId + 1 <= u that §2.7 asks us to implement.
//    Only lastUpdateId + 1 < first U (a hole between snapshot and stream) refetches.
//  * A snapshot that arrives with nothing left to merge (buffer empty, or every buffered event
//    already in it) is reported at once, so quiet symbols become usable; the next event must
//    then satisfy U <= lastUpdateId + 1 <= u, otherwise the snapshot was older than the stream
//    and the book resyncs (Gap).
//  * Once synced, events with u <= local id are duplicates and ignored silently; U > local + 1 is
//    a Gap; an event that overlaps the local id (U <= local < u) resyncs as OutOfSequence:
//    Binance never overlaps consecutive diff events, and downstream books rely on deltas
//    chaining exactly (first_sequence == previous last_sequence + 1).
//  * The first deltas after a snapshot start at snapshot.sequence + 1 even when the venue's U
//    was lower: the overlap holds absolute level sizes, so it changes nothing, and the chain
//    seen downstream stays exact.

#include "adapters/venues/binance/binance_messages.hpp"
#include "messages/data.hpp"
#include "messages/events.hpp"
#include "runtime/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace troupe::binance {

/// Default bound on depth events buffered while waiting for a snapshot.
inline constexpr std::size_t kDefaultMaxBufferedEvents = 10'000;

/// One thing to report to the market-data listener, in order.
using SyncEvent = std::variant<BookSnapshot, BookDeltas, BookResyncStarted>;

/// What one step of the engine produced.
struct SyncOutput {
  std::vector<SyncEvent> events;  ///< report in this order
  bool request_snapshot = false;  ///< the caller must fetch a (new) REST depth snapshot
};

/// Keeps one symbol's book in sync with the diff-depth stream (§2.7). Owned by the market-data
/// port; one per configured instrument.
class BookSync {
 public:
  /// `max_buffered`: events kept while waiting for a snapshot; more resyncs (Gap).
  explicit BookSync(InstrumentId instrument, std::size_t max_buffered = kDefaultMaxBufferedEvents);

  /// Starts over after a (re)connect: forgets everything and asks for a snapshot. Reports
  /// nothing (the disconnect was reported already).
  SyncOutput start();

  /// Feeds one decoded depth event; `now` becomes ts_init of what is reported.
  SyncOutput on_update(DepthUpdate update, TimestampNs now);

  /// Feeds the REST snapshot. Ignored while synced (a late answer to an older request).
  SyncOutput on_snapshot(BookSnapshot snapshot, TimestampNs now);

  /// Discards the book (malformed frame, stale stream, disconnect): reports BookResyncStarted
  /// and asks for a snapshot.
  SyncOutput invalidate(ResyncReason reason, std::string detail, TimestampNs now);

  /// True once a snapshot was reported and no resync happened since.
  bool synced() const { return synced_; }
  /// The venue update id the book is at (valid while synced).
  std::uint64_t update_id() const { return local_id_; }
  /// Events waiting for a snapshot.
  std::size_t buffered() const { return buffer_.size(); }
  /// The instrument this engine syncs.
  const InstrumentId& instrument() const { return instrument_; }

 private:
  SyncOutput apply_synced(DepthUpdate&& update, TimestampNs now);
  SyncOutput buffer(DepthUpdate&& update, TimestampNs now);
  SyncOutput resync(ResyncReason reason, std::string detail, TimestampNs now);
  BookResyncStarted resync_event(ResyncReason reason, std::string detail, TimestampNs now) const;

  InstrumentId instrument_;
  std::size_t max_buffered_;
  bool synced_ = false;
  bool first_event_pending_ = false;  ///< synced from a snapshot no event has confirmed yet
  std::uint64_t local_id_ = 0;
  std::vector<DepthUpdate> buffer_;
};

}  // namespace troupe::binance
