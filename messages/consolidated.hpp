#pragma once
// The consolidated per-asset view across venues: the top of every venue's book of one asset
// (BTC on Binance, Coinbase and Kraken), with the best bid and best ask over all of them. Input
// for the arbitrage scanner; served by GET /api/v1/consolidated/{asset}.

#include "messages/data.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace troupe {

/// Top of one venue's book in the consolidated view.
struct VenueTop {
  InstrumentId instrument;
  std::string quote;     ///< quote currency of that instrument ("USDT", "USD")
  bool in_sync = false;  ///< false while that book resyncs: its levels are then left out
  bool has_bid = false;
  bool has_ask = false;
  BookLevel bid;
  BookLevel ask;
  std::int64_t ts_event = 0;  ///< venue time of the book state
  std::int64_t ts_init = 0;   ///< when our book published it

  friend bool operator==(const VenueTop&, const VenueTop&) = default;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, VenueTop& x) {
    return f(x.instrument, x.quote, x.in_sync, x.has_bid, x.has_ask, x.bid, x.ask, x.ts_event,
             x.ts_init);
  }
};

/// One asset across venues. Prices of different quote currencies (USD, USDT) are compared as
/// they are: no conversion is applied, and each venue's quote currency is reported.
struct ConsolidatedBook {
  std::string asset;             ///< base asset, "BTC"
  std::vector<VenueTop> venues;  ///< one entry per member instrument, in configuration order
  std::int32_t best_bid = -1;    ///< index into venues of the highest in-sync bid (-1: none)
  std::int32_t best_ask = -1;    ///< index into venues of the lowest in-sync ask (-1: none)
  /// The best bid is above the best ask (on another venue): a cross-venue opportunity.
  bool crossed = false;
  std::int64_t ts_init = 0;  ///< when the view last changed

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, ConsolidatedBook& x) {
    return f(x.asset, x.venues, x.best_bid, x.best_ask, x.crossed, x.ts_init);
  }
};

}  // namespace troupe
