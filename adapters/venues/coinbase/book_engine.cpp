#include "adapters/venues/coinbase/book_engine.hpp"

namespace troupe::coinbase {

void BookEngine::set_level(const BookDelta& delta) {
  auto update = [&](auto& levels) {
    if (delta.size.is_zero()) {
      levels.erase(delta.price.raw());
    } else {
      levels[delta.price.raw()] = BookLevel{delta.price, delta.size};
    }
  };
  if (delta.side == Side::Buy) {
    update(bids_);
  } else {
    update(asks_);
  }
}

BookOutput BookEngine::apply(const L2Event& event, TimestampNs now) {
  if (event.snapshot) {
    bids_.clear();
    asks_.clear();
    for (const BookDelta& level : event.levels) set_level(level);
    synced_ = true;
    BookSnapshot snapshot;
    snapshot.instrument = instrument_;
    snapshot.sequence = ++sequence_;
    snapshot.bids.reserve(bids_.size());
    for (const auto& [raw, level] : bids_) snapshot.bids.push_back(level);
    snapshot.asks.reserve(asks_.size());
    for (const auto& [raw, level] : asks_) snapshot.asks.push_back(level);
    snapshot.ts_event = event.ts_event;
    snapshot.ts_init = now;
    return snapshot;
  }
  if (!synced_) return std::monostate{};
  for (const BookDelta& delta : event.levels) set_level(delta);
  BookDeltas deltas;
  deltas.instrument = instrument_;
  deltas.first_sequence = ++sequence_;
  deltas.last_sequence = sequence_;
  deltas.deltas = event.levels;
  deltas.ts_event = event.ts_event;
  deltas.ts_init = now;
  return deltas;
}

BookResyncStarted BookEngine::invalidate(ResyncReason reason, std::string detail,
                                         TimestampNs now) {
  synced_ = false;
  bids_.clear();
  asks_.clear();
  return BookResyncStarted{instrument_, reason, std::move(detail), now};
}

std::optional<Quantity> BookEngine::level(Side side, Price price) const {
  if (side == Side::Buy) {
    auto it = bids_.find(price.raw());
    if (it != bids_.end()) return it->second.size;
  } else {
    auto it = asks_.find(price.raw());
    if (it != asks_.end()) return it->second.size;
  }
  return std::nullopt;
}

}  // namespace troupe::coinbase
