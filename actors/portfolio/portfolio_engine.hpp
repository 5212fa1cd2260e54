#pragma once
// PortfolioEngine: positions, P&L, fees and cash of one account, owned by its portfolio actor.
// T1: its state is a pure function of the fills applied (in order) plus the latest marks, so
// replaying the journaled fills rebuilds it exactly.
//
// Owns: per instrument the signed quantity (size precision mantissa), the exact cost basis of
// the open quantity (Σ signed price × quantity mantissas, int128, long positive), realized
// P&L and fees; cash per currency; the last mark per instrument; the fill count.
//
// Average cost method: adding to a position adds price × quantity to the cost; closing part of
// it releases cost × closed / open (truncated toward zero, so the remaining cost stays exact)
// and realizes sign × (price × closed - released cost) = (price - average) × closed; a fill
// through zero closes the whole position first, then opens the remainder at the fill price.
// average_price = |cost| / |quantity| rounded half up at the instrument's price precision
// (display only: P&L uses the exact cost). Unrealized = mark × quantity - cost.
// Money amounts are converted to `money_precision` by truncation toward zero, like
// messages' notional() and price_difference_times().
//
// Cash: a buy takes price × quantity from the quote currency and adds the quantity to the
// base currency; a sell does the opposite. The commission is taken from the cash of its asset
// (empty asset = quote). Position fees are in the quote currency: a commission in the base
// asset is converted at the fill price; one in a third asset (BNB) is taken from that asset's
// cash but left out of the quote-currency fees (no price to convert it).
// Snapshot totals add up positions as they are; they mean one currency when all instruments
// share one quote currency (the usual single-venue account). Invariant (asserted): a flat
// position has zero cost. Deterministic; no clock (snapshot() takes the time).

#include "actors/portfolio/portfolio_config.hpp"
#include "messages/events.hpp"
#include "messages/instrument.hpp"
#include "messages/queries.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace troupe {

/// Positions and cash of one account (see the note at the top of this file).
class PortfolioEngine {
 public:
  /// A flat portfolio holding `config.starting_cash`, knowing `instruments`.
  PortfolioEngine(PortfolioConfig config, const std::vector<Instrument>& instruments);

  /// Learns (or replaces the rules of) an instrument.
  void add_instrument(const Instrument& instrument);

  /// Applies one execution (each exactly once: the order manager deduplicates). Returns the
  /// updated position, or why the fill was ignored (another account, unknown instrument,
  /// quantity or price not positive or finer than the instrument's precision).
  tl::expected<PositionRecord, std::string> apply(const OrderFilled& fill);
  /// Sets the mark (usually the book's mid) used for unrealized P&L; false when the
  /// instrument is unknown or the price is not positive.
  bool mark(const InstrumentId& instrument, Price mid);

  /// Positions (sorted by instrument), cash (sorted by currency) and totals at `now`
  /// (ns since epoch).
  PortfolioSnapshot snapshot(TimestampNs now) const;
  /// The position in `instrument`, if it ever had a fill.
  std::optional<PositionRecord> position(const InstrumentId& instrument) const;
  /// Cash of `currency` at money precision (zero when never touched).
  Money cash(const std::string& currency) const;
  /// Number of fills applied.
  std::uint64_t fill_count() const { return fill_count_; }

 private:
  /// Open position in one instrument.
  struct Position {
    std::int64_t quantity = 0;  ///< signed size precision mantissa
    __int128 cost = 0;          ///< signed, at price precision + size precision
    std::int64_t realized = 0;  ///< money precision mantissa
    std::int64_t fees = 0;      ///< money precision mantissa, quote currency
  };

  Money money(std::int64_t raw) const { return Money::from_raw(raw, config_.money_precision); }
  std::int64_t to_money(__int128 raw, int precision) const;
  void close_part(Position& p, const Instrument& in, std::int64_t price, std::int64_t closed);
  void book_fees(Position& p, const Instrument& in, const OrderFilled& fill, Price price);
  void add_cash(const std::string& currency, std::int64_t raw);
  PositionRecord to_record(const InstrumentId& id, const Position& p) const;

  PortfolioConfig config_;
  std::unordered_map<InstrumentId, Instrument> instruments_;
  std::map<InstrumentId, Position> positions_;
  std::unordered_map<InstrumentId, Price> marks_;
  std::map<std::string, std::int64_t> cash_;  ///< money precision mantissas
  std::uint64_t fill_count_ = 0;
};

}  // namespace troupe
