#pragma once
// Strong identifiers: a string with a tag type, so a client order id can never be passed where a
// venue order id is expected.

#include <compare>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>

namespace troupe {

/// A string identifier distinguished at compile time by `Tag`.
template <class Tag>
struct StrongId {
  std::string value;

  StrongId() = default;
  explicit StrongId(std::string v) : value(std::move(v)) {}

  bool empty() const { return value.empty(); }
  const std::string& str() const { return value; }

  friend auto operator<=>(const StrongId&, const StrongId&) = default;
  friend bool operator==(const StrongId&, const StrongId&) = default;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, StrongId& x) {
    return f(x.value);
  }
};

template <class Tag>
std::string to_string(const StrongId<Tag>& id) {
  return id.value;
}

struct VenueTag {};
struct AccountTag {};
struct StrategyTag {};
struct ClientOrderTag {};
struct VenueOrderTag {};
struct TradeTag {};

/// A venue name in lower case: "binance", "coinbase", "kraken", "alpaca", "sim".
using VenueId = StrongId<VenueTag>;
/// A trading account at one venue, named in config ("paper-binance").
using AccountId = StrongId<AccountTag>;
/// A strategy instance, named in config ("obi-btc").
using StrategyId = StrongId<StrategyTag>;
/// Our order id, unique per account: `account-epoch-seq`, or the user's own when given.
using ClientOrderId = StrongId<ClientOrderTag>;
/// The venue's id for an order.
using VenueOrderId = StrongId<VenueOrderTag>;
/// The venue's id for one execution (trade).
using TradeId = StrongId<TradeTag>;

/// An instrument at one venue: venue plus the venue's own symbol ("BTCUSDT" at "binance").
struct InstrumentId {
  VenueId venue;
  std::string symbol;

  InstrumentId() = default;
  InstrumentId(VenueId v, std::string s) : venue(std::move(v)), symbol(std::move(s)) {}

  friend auto operator<=>(const InstrumentId&, const InstrumentId&) = default;
  friend bool operator==(const InstrumentId&, const InstrumentId&) = default;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, InstrumentId& x) {
    return f(x.venue, x.symbol);
  }
};

/// "BTCUSDT.binance".
inline std::string to_string(const InstrumentId& id) { return id.symbol + "." + id.venue.value; }

}  // namespace troupe

template <class Tag>
struct std::hash<troupe::StrongId<Tag>> {
  std::size_t operator()(const troupe::StrongId<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.value);
  }
};

template <>
struct std::hash<troupe::InstrumentId> {
  std::size_t operator()(const troupe::InstrumentId& id) const noexcept {
    return std::hash<std::string>{}(id.venue.value) * 31 + std::hash<std::string>{}(id.symbol);
  }
};
