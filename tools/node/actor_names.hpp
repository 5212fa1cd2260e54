#pragma once
// Directory names of a node's actors (the keys supervisors register children under). Tests and
// tools use these functions too, never literals.

#include "messages/ids.hpp"

#include <string>

namespace troupe::names {

inline std::string book(const InstrumentId& id) {
  return "book." + id.symbol + "." + id.venue.value;
}
inline std::string market_data(const VenueId& venue) { return "md." + venue.value; }
inline std::string consolidated(const std::string& asset) { return "consolidated." + asset; }
inline std::string order_session(const AccountId& account) { return "orders." + account.value; }
inline std::string oms(const AccountId& account) { return "oms." + account.value; }
inline std::string risk(const AccountId& account) { return "risk." + account.value; }
inline std::string portfolio(const AccountId& account) { return "portfolio." + account.value; }
inline std::string strategy(const StrategyId& id) { return "strategy." + id.value; }

}  // namespace troupe::names
