#include "adapters/venues/kraken/book_sync.hpp"

#include "adapters/venues/kraken/checksum.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace troupe::kraken {
namespace {

template <class Map>
std::vector<BookLevel> top(const Map& levels, std::size_t count, std::uint8_t price_precision) {
  std::vector<BookLevel> out;
  out.reserve(std::min(count, levels.size()));
  for (const auto& [price, size] : levels) {
    if (out.size() == count) break;
    out.push_back(BookLevel{Price::from_raw(price, price_precision), size});
  }
  return out;
}

template <class Map>
void truncate_side(Map& levels, std::size_t depth, Side side, std::uint8_t price_precision,
                   std::uint8_t size_precision, std::vector<BookDelta>& deltas) {
  while (levels.size() > depth) {
    auto last = std::prev(levels.end());
    deltas.push_back(BookDelta{side, Price::from_raw(last->first, price_precision),
                               Quantity::from_raw(0, size_precision)});
    levels.erase(last);
  }
}

std::string decimal(std::uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%u", value);
  return buffer;
}

}  // namespace

BookSync::BookSync(const Instrument& instrument, std::size_t depth)
    : instrument_(instrument), depth_(depth == 0 ? 1 : depth) {}

void BookSync::start() {
  synced_ = false;
  awaiting_snapshot_ = true;
  bids_.clear();
  asks_.clear();
}

SyncOutput BookSync::on_book(const BookMessage& message, TimestampNs now) {
  if (message.snapshot) return apply_snapshot(message, now);
  if (!synced_) return {};  // left over from the subscription being replaced
  return apply_update(message, now);
}

SyncOutput BookSync::apply_snapshot(const BookMessage& message, TimestampNs now) {
  bids_.clear();
  asks_.clear();
  std::vector<BookDelta> ignored;
  for (const BookLevel& level : message.bids) apply_level(Side::Buy, level, ignored);
  for (const BookLevel& level : message.asks) apply_level(Side::Sell, level, ignored);
  truncate(ignored);
  const std::uint32_t computed = checksum();
  if (computed != message.checksum) return verify_failed(message.checksum, computed, true, now);
  synced_ = true;
  awaiting_snapshot_ = false;
  SyncOutput output;
  output.events.emplace_back(BookSnapshot{instrument_.id, ++sequence_, bids(), asks(),
                                          message.ts_event, now});
  return output;
}

SyncOutput BookSync::apply_update(const BookMessage& message, TimestampNs now) {
  std::vector<BookDelta> deltas;
  deltas.reserve(message.bids.size() + message.asks.size());
  // §4.2: apply every level of the message, then truncate, then compare the checksum.
  for (const BookLevel& level : message.bids) apply_level(Side::Buy, level, deltas);
  for (const BookLevel& level : message.asks) apply_level(Side::Sell, level, deltas);
  truncate(deltas);
  const std::uint32_t computed = checksum();
  if (computed != message.checksum) return verify_failed(message.checksum, computed, false, now);
  SyncOutput output;
  if (deltas.empty()) return output;
  ++sequence_;
  output.events.emplace_back(
      BookDeltas{instrument_.id, sequence_, sequence_, std::move(deltas), message.ts_event, now});
  return output;
}

void BookSync::apply_level(Side side, const BookLevel& level, std::vector<BookDelta>& deltas) {
  const std::int64_t price = level.price.raw();
  if (side == Side::Buy) {
    if (level.size.is_zero()) {
      bids_.erase(price);
    } else {
      bids_[price] = level.size;
    }
  } else if (level.size.is_zero()) {
    asks_.erase(price);
  } else {
    asks_[price] = level.size;
  }
  deltas.push_back(BookDelta{side, level.price, level.size});
}

void BookSync::truncate(std::vector<BookDelta>& deltas) {
  // §4.2: levels pushed out of scope get no qty-0 message from the venue.
  truncate_side(bids_, depth_, Side::Buy, instrument_.price_precision, instrument_.size_precision,
                deltas);
  truncate_side(asks_, depth_, Side::Sell, instrument_.price_precision,
                instrument_.size_precision, deltas);
}

std::uint32_t BookSync::checksum() const {
  const auto top_asks = top(asks_, kChecksumLevels, instrument_.price_precision);
  const auto top_bids = top(bids_, kChecksumLevels, instrument_.price_precision);
  return book_checksum(top_asks, top_bids, instrument_.price_precision,
                       instrument_.size_precision);
}

SyncOutput BookSync::verify_failed(std::uint32_t expected, std::uint32_t computed, bool snapshot,
                                   TimestampNs now) {
  awaiting_snapshot_ = false;  // the failed snapshot ended the awaited one: ask again
  return invalidate(ResyncReason::Checksum,
                    std::string(snapshot ? "snapshot" : "update") + " checksum " + decimal(expected) +
                        " != computed " + decimal(computed),
                    now);
}

SyncOutput BookSync::invalidate(ResyncReason reason, std::string detail, TimestampNs now) {
  synced_ = false;
  bids_.clear();
  asks_.clear();
  SyncOutput output;
  output.resubscribe = !awaiting_snapshot_;
  awaiting_snapshot_ = true;
  output.events.emplace_back(BookResyncStarted{
      instrument_.id, reason, instrument_.id.venue.value + " book " + instrument_.id.symbol + ": " + detail, now});
  return output;
}

std::vector<BookLevel> BookSync::bids() const {
  return top(bids_, bids_.size(), instrument_.price_precision);
}

std::vector<BookLevel> BookSync::asks() const {
  return top(asks_, asks_.size(), instrument_.price_precision);
}

}  // namespace troupe::kraken
