#include "actors/portfolio/portfolio_engine.hpp"

#include "actors/common/invariant.hpp"

#include <utility>

namespace troupe {
namespace {

__int128 pow10_128(int n) {
  __int128 x = 1;
  for (int i = 0; i < n; ++i) x *= 10;
  return x;
}

__int128 abs128(__int128 x) { return x < 0 ? -x : x; }

// trunc(value × numerator / denominator) without overflowing the intermediate product
// (denominator > 0, |numerator| <= denominator). Exact because the integer part a × numerator
// and the fractional part share value's sign.
__int128 mul_div(__int128 value, std::int64_t numerator, std::int64_t denominator) {
  const __int128 whole = value / denominator;
  const __int128 rest = value % denominator;
  return whole * numerator + rest * numerator / denominator;
}

}  // namespace

PortfolioEngine::PortfolioEngine(PortfolioConfig config, const std::vector<Instrument>& instruments)
    : config_(std::move(config)) {
  TROUPE_ASSERT(config_.money_precision <= kMaxPrecision, "money_precision above 18");
  for (const auto& instrument : instruments) add_instrument(instrument);
  for (const auto& [currency, amount] : config_.starting_cash)
    add_cash(currency, to_money(amount.raw(), amount.precision()));
}

void PortfolioEngine::add_instrument(const Instrument& instrument) {
  instruments_.insert_or_assign(instrument.id, instrument);
}

std::int64_t PortfolioEngine::to_money(__int128 raw, int precision) const {
  const int shift = static_cast<int>(config_.money_precision) - precision;
  const __int128 scaled = shift >= 0 ? raw * pow10_128(shift) : raw / pow10_128(-shift);
  TROUPE_ASSERT(scaled <= INT64_MAX && scaled >= INT64_MIN, "money amount overflows int64");
  return static_cast<std::int64_t>(scaled);
}

void PortfolioEngine::add_cash(const std::string& currency, std::int64_t raw) {
  std::int64_t& balance = cash_[currency];
  TROUPE_ASSERT(!__builtin_add_overflow(balance, raw, &balance), "cash overflows int64");
}

tl::expected<PositionRecord, std::string> PortfolioEngine::apply(const OrderFilled& fill) {
  if (fill.account != config_.account)
    return tl::make_unexpected("fill for account " + fill.account.value + " sent to portfolio " +
                               config_.account.value);
  auto it = instruments_.find(fill.instrument);
  if (it == instruments_.end())
    return tl::make_unexpected("fill for unknown instrument " + to_string(fill.instrument));
  const Instrument& in = it->second;
  auto price = fill.last_price.rescaled(in.price_precision);
  auto quantity = fill.last_quantity.rescaled(in.size_precision);
  if (!price || !quantity || !price->is_positive() || !quantity->is_positive())
    return tl::make_unexpected(
        "fill " + fill.trade_id.value + " of " + fill.last_quantity.to_string() + " at " +
        fill.last_price.to_string() + " is not a positive amount at the precision of " +
        to_string(fill.instrument));
  auto value = notional(*price, *quantity, config_.money_precision);
  if (!value) return tl::make_unexpected("fill " + fill.trade_id.value + " notional overflows");

  Position& p = positions_[fill.instrument];
  const std::int64_t units = quantity->raw();
  const std::int64_t delta = fill.side == Side::Buy ? units : -units;
  if (p.quantity == 0 || (p.quantity > 0) == (delta > 0)) {
    p.cost += static_cast<__int128>(price->raw()) * delta;
    TROUPE_ASSERT(!__builtin_add_overflow(p.quantity, delta, &p.quantity),
                  "position quantity overflows int64");
  } else {
    const std::int64_t open = p.quantity > 0 ? p.quantity : -p.quantity;
    const std::int64_t closed = units < open ? units : open;
    close_part(p, in, price->raw(), closed);
    const std::int64_t remainder = units - closed;
    if (remainder > 0) {  // through zero: the rest opens a new position at the fill price
      p.quantity = delta > 0 ? remainder : -remainder;
      p.cost = static_cast<__int128>(price->raw()) * p.quantity;
    }
  }
  book_fees(p, in, fill, *price);
  const std::int64_t base_units = to_money(units, in.size_precision);
  add_cash(in.quote, fill.side == Side::Buy ? -value->raw() : value->raw());
  add_cash(in.base, fill.side == Side::Buy ? base_units : -base_units);
  ++fill_count_;
  return to_record(fill.instrument, p);
}

void PortfolioEngine::close_part(Position& p, const Instrument& in, std::int64_t price,
                                 std::int64_t closed) {
  const std::int64_t sign = p.quantity > 0 ? 1 : -1;
  const std::int64_t open = p.quantity * sign;
  const __int128 released = mul_div(p.cost, closed, open);
  const __int128 realized = static_cast<__int128>(price) * closed * sign - released;
  p.realized += to_money(realized, in.price_precision + in.size_precision);
  p.cost -= released;
  p.quantity -= sign * closed;
  TROUPE_ASSERT(p.quantity != 0 || p.cost == 0, "flat position with a cost basis left");
}

void PortfolioEngine::book_fees(Position& p, const Instrument& in, const OrderFilled& fill,
                                Price price) {
  const Money& commission = fill.commission;
  if (commission.is_zero()) return;
  const std::string& asset = fill.commission_asset.empty() ? in.quote : fill.commission_asset;
  const std::int64_t amount = to_money(commission.raw(), commission.precision());
  add_cash(asset, -amount);
  if (asset == in.quote) {
    p.fees += amount;
  } else if (asset == in.base) {
    auto quote_fee = notional(price, Quantity::from_raw(commission.raw(), commission.precision()),
                              config_.money_precision);
    if (quote_fee) p.fees += quote_fee->raw();
  }
}

PositionRecord PortfolioEngine::to_record(const InstrumentId& id, const Position& p) const {
  const Instrument& in = instruments_.at(id);
  PositionRecord r;
  r.instrument = id;
  r.quantity = Quantity::from_raw(p.quantity, in.size_precision);
  r.average_price = Price::from_raw(0, in.price_precision);
  if (p.quantity != 0) {
    const __int128 open = abs128(p.quantity);
    const __int128 average = (2 * abs128(p.cost) + open) / (2 * open);  // half up
    r.average_price = Price::from_raw(static_cast<std::int64_t>(average), in.price_precision);
  }
  r.mark_price = Price::from_raw(0, in.price_precision);
  r.unrealized_pnl = money(0);
  if (auto mark = marks_.find(id); mark != marks_.end()) {
    r.mark_price = mark->second;
    // Common precision of the mark (a mid may carry one more digit) and the cost basis.
    const int mark_precision = mark->second.precision();
    const int precision = mark_precision > in.price_precision ? mark_precision : in.price_precision;
    const __int128 mark_raw = mark->second.raw() * pow10_128(precision - mark_precision);
    const __int128 cost = p.cost * pow10_128(precision - in.price_precision);
    r.unrealized_pnl = money(to_money(mark_raw * p.quantity - cost, precision + in.size_precision));
  }
  r.realized_pnl = money(p.realized);
  r.fees = money(p.fees);
  return r;
}

bool PortfolioEngine::mark(const InstrumentId& instrument, Price mid) {
  if (!mid.is_positive() || instruments_.count(instrument) == 0) return false;
  marks_.insert_or_assign(instrument, mid);
  return true;
}

std::optional<PositionRecord> PortfolioEngine::position(const InstrumentId& instrument) const {
  auto it = positions_.find(instrument);
  if (it == positions_.end()) return std::nullopt;
  return to_record(it->first, it->second);
}

Money PortfolioEngine::cash(const std::string& currency) const {
  auto it = cash_.find(currency);
  return money(it == cash_.end() ? 0 : it->second);
}

PortfolioSnapshot PortfolioEngine::snapshot(TimestampNs now) const {
  PortfolioSnapshot s;
  s.account = config_.account;
  s.realized_pnl = money(0);
  s.unrealized_pnl = money(0);
  s.fees = money(0);
  for (const auto& [id, p] : positions_) {
    s.positions.push_back(to_record(id, p));
    const PositionRecord& r = s.positions.back();
    s.realized_pnl += r.realized_pnl;
    s.unrealized_pnl += r.unrealized_pnl;
    s.fees += r.fees;
  }
  for (const auto& [currency, amount] : cash_)
    s.cash.push_back(CashBalance{currency, money(amount)});
  s.fill_count = fill_count_;
  s.ts = now;
  return s;
}

}  // namespace troupe
