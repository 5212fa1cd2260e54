#pragma once
// BookEngine: the L2 order book of one instrument at one venue, owned by one symbol book actor.
//
// Owns: the price levels of both sides as integers (price = mantissa at the instrument's price
// precision, one unit = one price increment of that precision; size = mantissa at the size
// precision), the venue sequence the book reflects and whether the book can be trusted.
// Storage: two sorted std::vector<Level>, best price at the back (bids ascending, asks
// descending), so updates at the touch move few elements and are found by a search that starts
// at the touch (book_engine.cpp, find_level); vectors keep their capacity, so a steady-state
// update allocates nothing.
//
// Invariants while valid(): no level has size <= 0; no price repeats on a side; best bid <
// best ask. Anything that breaks them (a crossed or locked book, a sequence gap, a price that
// cannot be expressed at the instrument's precision) makes the book invalid until the next
// snapshot; readers must check valid() before trusting prices.
//
// Sequences: a snapshot sets the sequence; each BookDeltas must continue it
// (first_sequence == sequence() + 1). The first deltas after a snapshot may overlap it
// (first_sequence <= sequence() + 1 <= last_sequence, Binance's bridging rule), which is safe
// because L2 sizes are absolute. Venues without sequence numbers (Kraken) get consecutive local
// sequences from their session. Pure and synchronous: no CAF, no I/O, no clock needed.

#include "actors/book/book_config.hpp"
#include "messages/data.hpp"
#include "messages/events.hpp"
#include "messages/instrument.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace troupe {

/// What apply() did with an update.
enum class BookApplyStatus : std::uint8_t {
  Applied,  ///< the book changed and is valid
  Ignored,  ///< nothing changed: stale sequence, other instrument, or waiting for a snapshot
  Invalid,  ///< the book is now invalid (gap, crossed, bad price, resync); see reason
};

/// Outcome of BookEngine::apply(). `reason` is empty for Applied.
struct BookApplyResult {
  BookApplyStatus status = BookApplyStatus::Applied;
  std::string reason;  ///< e.g. "sequence gap: expected 161, got 170"

  /// True when the book changed and is valid.
  bool applied() const { return status == BookApplyStatus::Applied; }
};

/// L2 book of one instrument (see the note at the top of this file).
class BookEngine {
 public:
  /// An empty, invalid book for `config.instrument`.
  explicit BookEngine(const BookConfig& config);

  /// Replaces the whole book (levels may come in any order; size 0 levels are skipped; a
  /// repeated price keeps the last size). Ignored when older than the current valid book.
  BookApplyResult apply(const BookSnapshot& snapshot);
  /// Applies one venue update's level changes in order (size 0 removes; removing an absent
  /// level is normal). Ignored when already covered by sequence() or while invalid.
  BookApplyResult apply(const BookDeltas& deltas);
  /// The session discarded its book: invalid until the next snapshot. Returns Invalid.
  BookApplyResult apply(const BookResyncStarted& resync);

  /// True when the book reflects the venue (a snapshot arrived and no check failed since).
  bool valid() const { return valid_; }
  /// Why the book is invalid ("awaiting snapshot", "crossed book: ..."); empty when valid.
  const std::string& invalid_reason() const { return invalid_reason_; }
  /// The instrument this book is for.
  const Instrument& instrument() const { return instrument_; }

  /// Best bid (highest buy level), if any.
  std::optional<BookLevel> best_bid() const;
  /// Best ask (lowest sell level), if any.
  std::optional<BookLevel> best_ask() const;
  /// (best bid + best ask) / 2, exact at price precision + 1 (one more digit holds the half
  /// tick; truncated toward zero only when the price precision is already 18). Needs both sides.
  std::optional<Price> mid() const;
  /// best ask - best bid at the price precision. Needs both sides.
  std::optional<Price> spread() const;
  /// Size-weighted mid (bid × ask size + ask × bid size) / (bid size + ask size), for
  /// analytics only. Needs both sides.
  std::optional<double> microprice() const;
  /// (bid volume - ask volume) / (bid volume + ask volume) over the top `levels` of each side,
  /// in [-1, 1]; 0 when both are empty. Analytics signal, not money.
  double imbalance(std::size_t levels) const;

  /// Top `depth` levels per side, best first, with this book's sequence and timestamps.
  BookSnapshot top(std::size_t depth) const;
  /// Top `config.publish_depth` levels per side.
  BookSnapshot top() const { return top(publish_depth_); }
  /// Fills `out` with the top `depth` levels, reusing its vectors' capacity (no allocation
  /// once they are large enough: use on the hot path).
  void top_into(std::size_t depth, BookSnapshot& out) const;

  /// Venue sequence (update id) the book reflects; 0 before the first snapshot.
  std::uint64_t sequence() const { return sequence_; }
  /// Number of snapshots and delta batches applied so far.
  std::uint64_t update_count() const { return update_count_; }
  /// Levels on each side.
  std::size_t bid_depth() const { return bids_.size(); }
  std::size_t ask_depth() const { return asks_.size(); }

 private:
  /// One price level in integer units (see the note at the top of this file).
  struct Level {
    std::int64_t price;  ///< price mantissa at the instrument's price precision
    std::int64_t size;   ///< size mantissa at the instrument's size precision, > 0
  };

  BookApplyResult invalidate(std::string reason);
  bool to_ticks(Price price, std::int64_t& out) const;
  bool to_units(Quantity size, std::int64_t& out) const;
  bool upsert(Side side, std::int64_t price, std::int64_t size);
  BookApplyResult load_side(const std::vector<BookLevel>& levels, Side side);
  BookApplyResult check_sequence(const BookDeltas& deltas);
  BookApplyResult check_integrity();
  BookLevel to_book_level(const Level& level) const;

  Instrument instrument_;
  std::size_t publish_depth_;
  std::vector<Level> bids_;  ///< ascending price: best bid at the back
  std::vector<Level> asks_;  ///< descending price: best ask at the back
  bool valid_ = false;
  bool bridging_ = false;  ///< next deltas may overlap the snapshot's sequence
  std::string invalid_reason_ = "awaiting snapshot";
  std::uint64_t sequence_ = 0;
  std::uint64_t update_count_ = 0;
  std::int64_t ts_event_ = 0;  ///< of the last applied update, ns since epoch
  std::int64_t ts_init_ = 0;   ///< of the last applied update, ns since epoch
};

}  // namespace troupe
