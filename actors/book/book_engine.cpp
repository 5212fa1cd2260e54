#include "actors/book/book_engine.hpp"

#include <algorithm>
#include <utility>

namespace troupe {
namespace {

BookApplyResult ignored(std::string reason) {
  return BookApplyResult{BookApplyStatus::Ignored, std::move(reason)};
}

}  // namespace

BookEngine::BookEngine(const BookConfig& config)
    : instrument_(config.instrument), publish_depth_(config.publish_depth) {}

BookApplyResult BookEngine::invalidate(std::string reason) {
  valid_ = false;
  bridging_ = false;
  invalid_reason_ = reason;
  return BookApplyResult{BookApplyStatus::Invalid, std::move(reason)};
}

bool BookEngine::to_ticks(Price price, std::int64_t& out) const {
  if (price.precision() == instrument_.price_precision) {
    out = price.raw();
    return true;
  }
  auto rescaled = price.rescaled(instrument_.price_precision);
  if (!rescaled) return false;
  out = rescaled->raw();
  return true;
}

bool BookEngine::to_units(Quantity size, std::int64_t& out) const {
  if (size.precision() == instrument_.size_precision) {
    out = size.raw();
    return true;
  }
  auto rescaled = size.rescaled(instrument_.size_precision);
  if (!rescaled) return false;
  out = rescaled->raw();
  return true;
}

namespace {

/// First window searched from the touch: venue updates cluster near the touch.
constexpr std::size_t kTouchWindow = 32;

/// The first position in `levels` (sorted so that `worse(level, price)` holds for a prefix)
/// whose level is not worse than `price`: std::lower_bound, but bracketed from the back in
/// windows that double (so a change near the touch costs the same whatever the depth) and then
/// searched without data-dependent branches (the outcome of each comparison is a coin flip,
/// which a branch predictor cannot learn).
template <class Level, class Worse>
std::size_t find_level(const std::vector<Level>& levels, std::int64_t price, Worse worse) {
  std::size_t low = 0;
  std::size_t high = levels.size();  // the position lies in [low, high]
  for (std::size_t span = kTouchWindow; high > span; span *= 2) {
    const std::size_t probe = high - span;
    if (worse(levels[probe].price, price)) {
      low = probe + 1;
      break;
    }
    high = probe;
  }
  if (high == low) return low;
  const Level* base = levels.data() + low;
  // Khuong and Morin's branch-free lower_bound: the step is masked in, not branched on.
  for (std::size_t length = high - low; length > 1; length -= length / 2) {
    const std::size_t half = length / 2;
    base += (std::size_t{0} - static_cast<std::size_t>(worse(base[half].price, price))) & half;
  }
  base += worse(base->price, price) ? 1 : 0;
  return static_cast<std::size_t>(base - levels.data());
}

}  // namespace

bool BookEngine::upsert(Side side, std::int64_t price, std::int64_t size) {
  if (size < 0) return false;
  auto& levels = side == Side::Buy ? bids_ : asks_;
  // Bids ascend and asks descend so that the best level is at the back on both sides.
  const std::size_t index =
      side == Side::Buy
          ? find_level(levels, price, [](std::int64_t l, std::int64_t p) { return l < p; })
          : find_level(levels, price, [](std::int64_t l, std::int64_t p) { return l > p; });
  const auto it = levels.begin() + static_cast<std::ptrdiff_t>(index);
  const bool found = index != levels.size() && it->price == price;
  if (size == 0) {
    if (found) levels.erase(it);  // removing an absent level is normal: nothing to do
  } else if (found) {
    it->size = size;
  } else {
    levels.insert(it, Level{price, size});
  }
  return true;
}

BookApplyResult BookEngine::load_side(const std::vector<BookLevel>& input, Side side) {
  auto& levels = side == Side::Buy ? bids_ : asks_;
  levels.clear();
  for (const auto& in : input) {
    Level level{};
    if (!to_ticks(in.price, level.price) || !to_units(in.size, level.size))
      return invalidate("snapshot level " + in.price.to_string() + " x " + in.size.to_string() +
                        " is not representable at price precision " +
                        std::to_string(instrument_.price_precision) + " / size precision " +
                        std::to_string(instrument_.size_precision));
    if (level.size < 0)
      return invalidate("snapshot level " + in.price.to_string() + " has negative size " +
                        in.size.to_string());
    if (level.size > 0) levels.push_back(level);
  }
  // Snapshots are rare: a stable sort keeps the input order of repeated prices so that the
  // last one wins below.
  if (side == Side::Buy)
    std::stable_sort(levels.begin(), levels.end(),
                     [](const Level& a, const Level& b) { return a.price < b.price; });
  else
    std::stable_sort(levels.begin(), levels.end(),
                     [](const Level& a, const Level& b) { return a.price > b.price; });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (kept > 0 && levels[kept - 1].price == levels[i].price)
      levels[kept - 1] = levels[i];
    else
      levels[kept++] = levels[i];
  }
  levels.resize(kept);
  return BookApplyResult{};
}

BookApplyResult BookEngine::apply(const BookSnapshot& snapshot) {
  if (snapshot.instrument != instrument_.id)
    return ignored("snapshot for " + to_string(snapshot.instrument) + " sent to the book of " +
                   to_string(instrument_.id));
  if (valid_ && snapshot.sequence < sequence_)
    return ignored("stale snapshot: sequence " + std::to_string(snapshot.sequence) +
                   " older than book sequence " + std::to_string(sequence_));
  if (auto r = load_side(snapshot.bids, Side::Buy); !r.applied()) return r;
  if (auto r = load_side(snapshot.asks, Side::Sell); !r.applied()) return r;
  sequence_ = snapshot.sequence;
  ts_event_ = snapshot.ts_event;
  ts_init_ = snapshot.ts_init;
  valid_ = true;
  bridging_ = true;
  invalid_reason_.clear();
  if (auto r = check_integrity(); !r.applied()) return r;
  ++update_count_;
  return BookApplyResult{};
}

BookApplyResult BookEngine::check_sequence(const BookDeltas& deltas) {
  if (!valid_) return ignored("book invalid (" + invalid_reason_ + "): waiting for a snapshot");
  if (deltas.last_sequence < deltas.first_sequence)
    return invalidate("malformed sequence range " + std::to_string(deltas.first_sequence) + ".." +
                      std::to_string(deltas.last_sequence));
  if (deltas.last_sequence <= sequence_)
    return ignored("stale deltas: last sequence " + std::to_string(deltas.last_sequence) +
                   " already in book sequence " + std::to_string(sequence_));
  const std::uint64_t expected = sequence_ + 1;
  if (deltas.first_sequence == expected || (bridging_ && deltas.first_sequence < expected))
    return BookApplyResult{};
  if (deltas.first_sequence < expected)
    return invalidate("out of sequence: deltas " + std::to_string(deltas.first_sequence) + ".." +
                      std::to_string(deltas.last_sequence) + " overlap book sequence " +
                      std::to_string(sequence_));
  return invalidate("sequence gap: expected " + std::to_string(expected) + ", got " +
                    std::to_string(deltas.first_sequence));
}

BookApplyResult BookEngine::apply(const BookDeltas& deltas) {
  if (deltas.instrument != instrument_.id)
    return ignored("deltas for " + to_string(deltas.instrument) + " sent to the book of " +
                   to_string(instrument_.id));
  if (auto r = check_sequence(deltas); !r.applied()) return r;
  for (const auto& delta : deltas.deltas) {
    // Venue adapters parse at the instrument's precisions, so the rescaling calls are the
    // exception; testing the precisions here keeps the common case free of calls.
    std::int64_t price = delta.price.raw();
    std::int64_t size = delta.size.raw();
    const bool exact = delta.price.precision() == instrument_.price_precision &&
                       delta.size.precision() == instrument_.size_precision;
    if (!exact && (!to_ticks(delta.price, price) || !to_units(delta.size, size)))
      return invalidate("delta " + delta.price.to_string() + " x " + delta.size.to_string() +
                        " is not representable at price precision " +
                        std::to_string(instrument_.price_precision) + " / size precision " +
                        std::to_string(instrument_.size_precision));
    if (!upsert(delta.side, price, size))
      return invalidate("delta at " + delta.price.to_string() + " has negative size " +
                        delta.size.to_string());
  }
  sequence_ = deltas.last_sequence;
  ts_event_ = deltas.ts_event;
  ts_init_ = deltas.ts_init;
  bridging_ = false;
  if (auto r = check_integrity(); !r.applied()) return r;
  ++update_count_;
  return BookApplyResult{};
}

BookApplyResult BookEngine::apply(const BookResyncStarted& resync) {
  if (resync.instrument != instrument_.id)
    return ignored("resync for " + to_string(resync.instrument) + " sent to the book of " +
                   to_string(instrument_.id));
  std::string reason = "resync started (" + to_string(resync.reason) + ")";
  if (!resync.detail.empty()) reason += ": " + resync.detail;
  return invalidate(std::move(reason));
}

BookApplyResult BookEngine::check_integrity() {
  if (bids_.empty() || asks_.empty()) return BookApplyResult{};
  const Level& bid = bids_.back();
  const Level& ask = asks_.back();
  if (bid.price < ask.price) return BookApplyResult{};
  return invalidate(std::string(bid.price == ask.price ? "locked" : "crossed") +
                    " book: best bid " + to_book_level(bid).price.to_string() + " >= best ask " +
                    to_book_level(ask).price.to_string());
}

BookLevel BookEngine::to_book_level(const Level& level) const {
  return BookLevel{Price::from_raw(level.price, instrument_.price_precision),
                   Quantity::from_raw(level.size, instrument_.size_precision)};
}

std::optional<BookLevel> BookEngine::best_bid() const {
  if (bids_.empty()) return std::nullopt;
  return to_book_level(bids_.back());
}

std::optional<BookLevel> BookEngine::best_ask() const {
  if (asks_.empty()) return std::nullopt;
  return to_book_level(asks_.back());
}

std::optional<Price> BookEngine::mid() const {
  if (bids_.empty() || asks_.empty()) return std::nullopt;
  const __int128 sum = static_cast<__int128>(bids_.back().price) + asks_.back().price;
  const std::uint8_t pp = instrument_.price_precision;
  // sum / 2 has at most one more decimal digit: sum * 10 / 2 == sum * 5 at precision + 1.
  const bool extra_digit = pp < kMaxPrecision;
  const __int128 raw = extra_digit ? sum * 5 : sum / 2;
  if (raw > INT64_MAX || raw < INT64_MIN) return std::nullopt;
  return Price::from_raw(static_cast<std::int64_t>(raw),
                         static_cast<std::uint8_t>(extra_digit ? pp + 1 : pp));
}

std::optional<Price> BookEngine::spread() const {
  if (bids_.empty() || asks_.empty()) return std::nullopt;
  return Price::from_raw(asks_.back().price - bids_.back().price, instrument_.price_precision);
}

std::optional<double> BookEngine::microprice() const {
  if (bids_.empty() || asks_.empty()) return std::nullopt;
  const auto& bid = bids_.back();
  const auto& ask = asks_.back();
  const double bid_size = static_cast<double>(bid.size);
  const double ask_size = static_cast<double>(ask.size);
  const double weighted =
      (static_cast<double>(bid.price) * ask_size + static_cast<double>(ask.price) * bid_size) /
      (bid_size + ask_size);
  return weighted / static_cast<double>(detail::pow10(instrument_.price_precision));
}

double BookEngine::imbalance(std::size_t levels) const {
  double bid_volume = 0;
  double ask_volume = 0;
  const std::size_t nb = std::min(levels, bids_.size());
  const std::size_t na = std::min(levels, asks_.size());
  for (std::size_t i = 0; i < nb; ++i)
    bid_volume += static_cast<double>(bids_[bids_.size() - 1 - i].size);
  for (std::size_t i = 0; i < na; ++i)
    ask_volume += static_cast<double>(asks_[asks_.size() - 1 - i].size);
  const double total = bid_volume + ask_volume;
  return total > 0 ? (bid_volume - ask_volume) / total : 0.0;
}

BookSnapshot BookEngine::top(std::size_t depth) const {
  BookSnapshot out;
  top_into(depth, out);
  return out;
}

void BookEngine::top_into(std::size_t depth, BookSnapshot& out) const {
  out.instrument = instrument_.id;
  out.sequence = sequence_;
  out.ts_event = ts_event_;
  out.ts_init = ts_init_;
  out.bids.clear();
  out.asks.clear();
  const std::size_t nb = std::min(depth, bids_.size());
  const std::size_t na = std::min(depth, asks_.size());
  for (std::size_t i = 0; i < nb; ++i)
    out.bids.push_back(to_book_level(bids_[bids_.size() - 1 - i]));
  for (std::size_t i = 0; i < na; ++i)
    out.asks.push_back(to_book_level(asks_[asks_.size() - 1 - i]));
}

}  // namespace troupe
