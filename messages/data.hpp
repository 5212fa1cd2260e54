#pragma once
// Market data (nouns). Every message carries `ts_event` (when it happened at the venue) and
// `ts_init` (when we created the message), both int64 nanoseconds since the Unix epoch.

#include "messages/enums.hpp"
#include "messages/fixed_point.hpp"
#include "messages/ids.hpp"

#include <cstdint>
#include <vector>

namespace troupe {

/// Best bid and offer.
struct QuoteTick {
  InstrumentId instrument;
  Price bid_price;
  Quantity bid_size;
  Price ask_price;
  Quantity ask_size;
  std::int64_t ts_event = 0;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, QuoteTick& x) {
    return f(x.instrument, x.bid_price, x.bid_size, x.ask_price, x.ask_size, x.ts_event, x.ts_init);
  }
};

/// One public trade. `aggressor` is the taker's side.
struct TradeTick {
  InstrumentId instrument;
  Price price;
  Quantity size;
  Side aggressor = Side::Buy;
  TradeId trade_id;
  std::int64_t ts_event = 0;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, TradeTick& x) {
    return f(x.instrument, x.price, x.size, x.aggressor, x.trade_id, x.ts_event, x.ts_init);
  }
};

/// One OHLCV bar (Alpaca minute bars): prices at the instrument's price precision, volume at its
/// size precision. `ts_start` is the start of the bar's interval; `ts_event` when the interval
/// ended (the bar is complete); all times ns since the Unix epoch.
struct Bar {
  InstrumentId instrument;
  Price open;
  Price high;
  Price low;
  Price close;
  Quantity volume;
  std::uint64_t trade_count = 0;  ///< trades in the interval (0 when the venue does not say)
  std::int64_t ts_start = 0;
  std::int64_t ts_event = 0;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, Bar& x) {
    return f(x.instrument, x.open, x.high, x.low, x.close, x.volume, x.trade_count, x.ts_start,
             x.ts_event, x.ts_init);
  }
};

/// One L2 level change: the level's new total size (zero removes the level).
struct BookDelta {
  Side side = Side::Buy;
  Price price;
  Quantity size;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, BookDelta& x) {
    return f(x.side, x.price, x.size);
  }
};

/// The level changes of one venue update (one frame), applied atomically, in order.
/// `first_sequence`..`last_sequence` are the venue's update ids covered (Binance U..u).
struct BookDeltas {
  InstrumentId instrument;
  std::uint64_t first_sequence = 0;
  std::uint64_t last_sequence = 0;
  std::vector<BookDelta> deltas;
  std::int64_t ts_event = 0;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, BookDeltas& x) {
    return f(x.instrument, x.first_sequence, x.last_sequence, x.deltas, x.ts_event, x.ts_init);
  }
};

/// One price level of a snapshot.
struct BookLevel {
  Price price;
  Quantity size;

  friend bool operator==(const BookLevel&, const BookLevel&) = default;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, BookLevel& x) {
    return f(x.price, x.size);
  }
};

/// A full L2 book (or its top N levels): bids best first (descending), asks best first
/// (ascending). `sequence` is the venue update id the snapshot reflects.
struct BookSnapshot {
  InstrumentId instrument;
  std::uint64_t sequence = 0;
  std::vector<BookLevel> bids;
  std::vector<BookLevel> asks;
  std::int64_t ts_event = 0;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, BookSnapshot& x) {
    return f(x.instrument, x.sequence, x.bids, x.asks, x.ts_event, x.ts_init);
  }
};

}  // namespace troupe
