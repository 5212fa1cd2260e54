#pragma once
// Users' accounts at the simulated venue: API keys, balances per asset (free and locked) and
// the funds each open order holds. Simulated agents are engine accounts too but have no entry
// here: their funds are unlimited.
//
// Funds: a buy locks quote at its limit price (market buys: the cost of sweeping the current
// book for the quantity, which is exact because the engine runs under the same lock); a sell
// locks its base quantity. A fill spends from the order's lock; a buy filled below its limit
// gets the difference back at once; whatever is still locked when the order ends is released.
// Commission: 0.1 % maker and 0.1 % taker, charged in the asset received (base for buys, quote
// for sells), truncated to 8 decimals. All amounts are Money at 8 decimals.

#include "adapters/sim/engine_events.hpp"
#include "messages/fixed_point.hpp"
#include "messages/instrument.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace troupe::sim {

/// Free and locked amounts of one asset.
struct AssetBalance {
  std::string asset;  ///< "BTC"
  Money free;         ///< at Accounts::kAssetPrecision decimals
  Money locked;       ///< held by open orders
};

/// How a user account is reached.
struct AccountKey {
  std::string account;  ///< engine account id
  std::string api_key;  ///< X-MBX-APIKEY / apiKey
  std::string secret;   ///< HMAC secret
};

/// One side's settlement of one fill.
struct Settlement {
  Money quote_quantity;          ///< price × quantity, truncated to 8 decimals
  Money commission;              ///< fee charged
  std::string commission_asset;  ///< asset the fee was charged in (the one received)
};

/// All user accounts. Not thread-safe: the front end serialises calls.
class Accounts {
 public:
  /// Decimals of every balance and amount.
  static constexpr std::uint8_t kAssetPrecision = 8;
  /// Maker commission in basis points of the amount received.
  static constexpr std::int64_t kMakerCommissionBps = 10;
  /// Taker commission in basis points of the amount received.
  static constexpr std::int64_t kTakerCommissionBps = 10;

  /// Adds a user account with starting balances (asset → decimal text). Fails naming the asset
  /// whose amount is malformed or negative, or a reused API key.
  tl::expected<void, std::string> add_account(
      const AccountKey& key, const std::vector<std::pair<std::string, std::string>>& balances);

  /// The account for an API key, or nullptr.
  const AccountKey* find_by_api_key(std::string_view api_key) const;
  /// True for user accounts (false for simulated agents).
  bool is_user(std::string_view account) const;

  /// Every asset of the account that has ever had a balance, by asset name.
  std::vector<AssetBalance> balances(std::string_view account) const;
  /// One asset's balance (zero when unknown).
  AssetBalance balance(std::string_view account, std::string_view asset) const;
  /// Time of the account's last balance change (ns since epoch; 0 = never).
  TimestampNs update_time(std::string_view account) const;

  /// The asset and amount a new order must lock: for buys the quote asset and `quote_amount`
  /// (the caller's cost at the limit price, or of sweeping the book for market buys); for sells
  /// the base asset and the quantity.
  static std::pair<std::string, Money> required_funds(const Instrument& instrument, Side side,
                                                      Quantity quantity, Money quote_amount);

  /// True when the account has at least `amount` of `asset` free.
  bool can_lock(std::string_view account, std::string_view asset, Money amount) const;
  /// Moves `amount` of `asset` from free to locked for order `id`. Aborts if not available
  /// (callers check can_lock first, under the same lock). `limit` is the buy limit price.
  void lock(OrderId id, std::string_view account, const std::string& asset, Money amount,
            std::optional<Price> limit, TimestampNs now);

  /// Applies one fill of a user order; returns what was traded and charged.
  Settlement settle(const OrderFill& fill, const Instrument& instrument, TimestampNs now);
  /// Releases what order `id` still holds (it ended); no-op when it holds nothing.
  void release(OrderId id, TimestampNs now);

 private:
  struct Reservation {
    std::string account;
    std::string asset;
    Money remaining;
    std::optional<Price> limit;
  };
  struct Account {
    AccountKey key;
    std::map<std::string, AssetBalance, std::less<>> assets;
    TimestampNs update_time = 0;
  };
  AssetBalance& asset_of(Account& account, const std::string& asset);
  Account& account_of(std::string_view account);
  Money take_from_lock(OrderId id, Money amount);

  std::map<std::string, Account, std::less<>> accounts_;
  std::map<OrderId, Reservation> reservations_;
};

/// `amount` × bps / 10000, truncated toward zero.
Money commission_of(Money amount, std::int64_t bps);
/// A quantity as Money at Accounts::kAssetPrecision (the instrument size precision must be <= 8).
Money to_money(Quantity quantity);

}  // namespace troupe::sim
