#pragma once
// The only place topic names are built (architecture §4): publishers and subscribers call these
// functions, never write topic strings by hand. Names are `kind/venue/symbol` or `kind/id`.

#include "messages/ids.hpp"

#include <string>

namespace troupe::topics {

/// Raw venue input to a symbol book: BookSnapshot, BookDeltas, BookResyncStarted.
inline std::string market_data(const InstrumentId& id) {
  return "market_data/" + id.venue.value + "/" + id.symbol;
}

/// The book's published top-N BookSnapshot after each change.
inline std::string book(const InstrumentId& id) {
  return "book/" + id.venue.value + "/" + id.symbol;
}

/// A symbol book's validity: BookResyncStarted when it stops being in sync (it publishes on
/// topics::book again once a snapshot restores it).
inline std::string book_status(const InstrumentId& id) {
  return "book_status/" + id.venue.value + "/" + id.symbol;
}

/// The consolidated view of one asset across venues (ConsolidatedBook) after each change.
inline std::string consolidated(const std::string& asset) { return "consolidated/" + asset; }

/// Completed OHLCV bars (Bar) of one instrument, from venues that stream them.
inline std::string bars(const InstrumentId& id) {
  return "bars/" + id.venue.value + "/" + id.symbol;
}

/// Public trades (TradeTick) of one instrument.
inline std::string trades(const InstrumentId& id) {
  return "trades/" + id.venue.value + "/" + id.symbol;
}

/// Order events (OrderSubmitted ... OrderCanceled, OrderDenied) of one account, as journaled.
inline std::string order_events(const AccountId& account) {
  return "order_events/" + account.value;
}

/// Connection state changes of a venue's sessions.
inline std::string venue_status(const VenueId& venue) { return "venue_status/" + venue.value; }

}  // namespace troupe::topics
