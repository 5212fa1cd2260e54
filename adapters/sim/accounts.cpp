#include "adapters/sim/accounts.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace troupe::sim {
namespace {

[[noreturn]] void broken_invariant(const std::string& what) {
  std::fprintf(stderr, "troupe::sim::Accounts: broken invariant: %s\n", what.c_str());
  std::abort();
}

Money zero() { return Money::from_raw(0, Accounts::kAssetPrecision); }

Money at_precision(Money m) {
  auto r = m.rescaled(Accounts::kAssetPrecision);
  if (!r) broken_invariant("amount " + m.to_string() + " does not fit 8 decimals");
  return *r;
}

}  // namespace

Money commission_of(Money amount, std::int64_t bps) {
  const Money a = at_precision(amount);
  return Money::from_raw(static_cast<std::int64_t>(static_cast<__int128>(a.raw()) * bps / 10000),
                         Accounts::kAssetPrecision);
}

Money to_money(Quantity quantity) {
  return at_precision(Money::from_raw(quantity.raw(), quantity.precision()));
}

tl::expected<void, std::string> Accounts::add_account(
    const AccountKey& key, const std::vector<std::pair<std::string, std::string>>& balances) {
  if (find_by_api_key(key.api_key) != nullptr)
    return tl::make_unexpected("api key of account '" + key.account + "' is already in use");
  Account account{key, {}, 0};
  for (const auto& [asset, text] : balances) {
    auto amount = Money::parse(text, kAssetPrecision);
    if (asset.empty()) return tl::make_unexpected("balance with an empty asset name");
    if (!amount || amount->is_negative()) {
      std::string error = "balance of asset '" + asset;
      error += "' is not a non-negative decimal with at most 8 decimals: '" + text + "'";
      return tl::make_unexpected(std::move(error));
    }
    account.assets[asset] = AssetBalance{asset, *amount, zero()};
  }
  accounts_[key.account] = std::move(account);
  return {};
}

const AccountKey* Accounts::find_by_api_key(std::string_view api_key) const {
  for (const auto& [id, account] : accounts_)
    if (account.key.api_key == api_key) return &account.key;
  return nullptr;
}

bool Accounts::is_user(std::string_view account) const { return accounts_.count(account) != 0; }

std::vector<AssetBalance> Accounts::balances(std::string_view account) const {
  std::vector<AssetBalance> out;
  auto found = accounts_.find(account);
  if (found == accounts_.end()) return out;
  for (const auto& [asset, balance] : found->second.assets) out.push_back(balance);
  return out;
}

AssetBalance Accounts::balance(std::string_view account, std::string_view asset) const {
  auto found = accounts_.find(account);
  if (found != accounts_.end()) {
    auto a = found->second.assets.find(asset);
    if (a != found->second.assets.end()) return a->second;
  }
  return AssetBalance{std::string(asset), zero(), zero()};
}

TimestampNs Accounts::update_time(std::string_view account) const {
  auto found = accounts_.find(account);
  return found == accounts_.end() ? 0 : found->second.update_time;
}

std::pair<std::string, Money> Accounts::required_funds(const Instrument& instrument, Side side,
                                                       Quantity quantity, Money quote_amount) {
  if (side == Side::Buy) return {instrument.quote, at_precision(quote_amount)};
  return {instrument.base, to_money(quantity)};
}

bool Accounts::can_lock(std::string_view account, std::string_view asset, Money amount) const {
  return balance(account, asset).free >= amount;
}

Accounts::Account& Accounts::account_of(std::string_view account) {
  auto found = accounts_.find(account);
  if (found == accounts_.end()) broken_invariant("unknown account " + std::string(account));
  return found->second;
}

AssetBalance& Accounts::asset_of(Account& account, const std::string& asset) {
  auto [it, inserted] = account.assets.try_emplace(asset, AssetBalance{asset, zero(), zero()});
  return it->second;
}

void Accounts::lock(OrderId id, std::string_view account, const std::string& asset, Money amount,
                    std::optional<Price> limit, TimestampNs now) {
  Account& a = account_of(account);
  AssetBalance& balance = asset_of(a, asset);
  if (balance.free < amount) broken_invariant("lock above the free balance of " + asset);
  balance.free -= amount;
  balance.locked += amount;
  a.update_time = now;
  reservations_[id] = Reservation{std::string(account), asset, at_precision(amount), limit};
}

// Takes up to `amount` from the order's lock (locked → gone); returns what it took.
Money Accounts::take_from_lock(OrderId id, Money amount) {
  auto found = reservations_.find(id);
  if (found == reservations_.end()) return zero();
  Reservation& r = found->second;
  const Money taken = std::min(amount, r.remaining);
  r.remaining -= taken;
  AssetBalance& balance = asset_of(account_of(r.account), r.asset);
  balance.locked -= taken;
  if (balance.locked.is_negative()) broken_invariant("negative locked balance of " + r.asset);
  return taken;
}

Settlement Accounts::settle(const OrderFill& fill, const Instrument& instrument, TimestampNs now) {
  Account& account = account_of(fill.account);
  auto cost = notional(fill.price, fill.quantity, kAssetPrecision);
  if (!cost) broken_invariant("fill notional overflows");
  const std::int64_t bps = fill.maker ? kMakerCommissionBps : kTakerCommissionBps;
  Settlement out{*cost, zero(), ""};
  if (fill.side == Side::Buy) {
    const Money spent = take_from_lock(fill.order_id, *cost);
    // A lock can only fall short by rounding; the rest comes from free funds.
    asset_of(account, instrument.quote).free -= (*cost - spent);
    auto found = reservations_.find(fill.order_id);
    if (found != reservations_.end() && found->second.limit) {
      auto at_limit = notional(*found->second.limit, fill.quantity, kAssetPrecision);
      if (at_limit && *at_limit > *cost) {
        const Money excess = take_from_lock(fill.order_id, *at_limit - *cost);
        asset_of(account, instrument.quote).free += excess;
      }
    }
    const Money received = to_money(fill.quantity);
    out.commission = commission_of(received, bps);
    out.commission_asset = instrument.base;
    asset_of(account, instrument.base).free += received - out.commission;
  } else {
    const Money received = *cost;
    const Money sold = take_from_lock(fill.order_id, to_money(fill.quantity));
    asset_of(account, instrument.base).free -= (to_money(fill.quantity) - sold);
    out.commission = commission_of(received, bps);
    out.commission_asset = instrument.quote;
    asset_of(account, instrument.quote).free += received - out.commission;
  }
  account.update_time = now;
  if (fill.leaves.is_zero()) release(fill.order_id, now);
  return out;
}

void Accounts::release(OrderId id, TimestampNs now) {
  auto found = reservations_.find(id);
  if (found == reservations_.end()) return;
  const Reservation r = found->second;
  reservations_.erase(found);
  Account& account = account_of(r.account);
  AssetBalance& balance = asset_of(account, r.asset);
  balance.locked -= r.remaining;
  balance.free += r.remaining;
  if (balance.locked.is_negative()) broken_invariant("negative locked balance of " + r.asset);
  account.update_time = now;
}

}  // namespace troupe::sim
