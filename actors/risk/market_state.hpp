#pragma once
// MarketState: the best bid and ask per instrument as last seen by a risk guard. Used to value
// market orders (buy at the best ask, sell at the best bid) and to mark positions. Owned by
// the risk engine (or built by a test); fed from the books' top-of-book updates. Pure.

#include "messages/data.hpp"
#include "messages/fixed_point.hpp"
#include "messages/ids.hpp"

#include <optional>
#include <unordered_map>

namespace troupe {

/// Best bid and ask per instrument (see the note at the top of this file).
class MarketState {
 public:
  /// Takes the best levels of a top-of-book update; an empty side clears that side.
  void update(const BookSnapshot& top) {
    Quote& quote = quotes_[top.instrument];
    quote.bid = top.bids.empty() ? std::nullopt : std::optional<Price>(top.bids.front().price);
    quote.ask = top.asks.empty() ? std::nullopt : std::optional<Price>(top.asks.front().price);
  }
  /// Takes a best bid and offer tick; a zero price means no price on that side.
  void update(const QuoteTick& tick) {
    Quote& quote = quotes_[tick.instrument];
    quote.bid = tick.bid_price.is_positive() ? std::optional<Price>(tick.bid_price) : std::nullopt;
    quote.ask = tick.ask_price.is_positive() ? std::optional<Price>(tick.ask_price) : std::nullopt;
  }
  /// Sets both sides directly (nullopt = no price on that side).
  void set(const InstrumentId& instrument, std::optional<Price> bid, std::optional<Price> ask) {
    quotes_[instrument] = Quote{bid, ask};
  }
  /// Forgets an instrument's prices (its book went invalid).
  void clear(const InstrumentId& instrument) { quotes_.erase(instrument); }

  /// Best bid of `instrument`, if known.
  std::optional<Price> best_bid(const InstrumentId& instrument) const {
    auto it = quotes_.find(instrument);
    return it == quotes_.end() ? std::nullopt : it->second.bid;
  }
  /// Best ask of `instrument`, if known.
  std::optional<Price> best_ask(const InstrumentId& instrument) const {
    auto it = quotes_.find(instrument);
    return it == quotes_.end() ? std::nullopt : it->second.ask;
  }
  /// The price a market order on `side` would trade at first: best ask for buys, best bid
  /// for sells.
  std::optional<Price> opposite_best(const InstrumentId& instrument, Side side) const {
    return side == Side::Buy ? best_ask(instrument) : best_bid(instrument);
  }

 private:
  struct Quote {
    std::optional<Price> bid;
    std::optional<Price> ask;
  };
  std::unordered_map<InstrumentId, Quote> quotes_;
};

}  // namespace troupe
