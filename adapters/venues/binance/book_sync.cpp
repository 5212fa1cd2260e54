#include "adapters/venues/binance/book_sync.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <utility>

namespace troupe::binance {
namespace {

/// The book being built from a snapshot plus the buffered events.
class MergeBook {
 public:
  explicit MergeBook(const BookSnapshot& snapshot) {
    for (const BookLevel& level : snapshot.bids) set(bids_, level.price, level.size);
    for (const BookLevel& level : snapshot.asks) set(asks_, level.price, level.size);
  }

  void apply(const std::vector<BookDelta>& deltas) {
    for (const BookDelta& delta : deltas) {
      if (delta.side == Side::Buy) {
        set(bids_, delta.price, delta.size);
      } else {
        set(asks_, delta.price, delta.size);
      }
    }
  }

  void write_to(BookSnapshot& out) const {
    out.bids.clear();
    out.asks.clear();
    out.bids.reserve(bids_.size());
    out.asks.reserve(asks_.size());
    for (const auto& [price, size] : bids_) out.bids.push_back(BookLevel{price, size});
    for (const auto& [price, size] : asks_) out.asks.push_back(BookLevel{price, size});
  }

 private:
  template <class Map>
  static void set(Map& side, Price price, Quantity size) {
    // Absolute size; zero removes (removing a level we do not have is normal, §2.7).
    if (size.is_zero()) {
      side.erase(price);
    } else {
      side.insert_or_assign(price, size);
    }
  }

  std::map<Price, Quantity, std::greater<>> bids_;  // best (highest) first
  std::map<Price, Quantity> asks_;                  // best (lowest) first
};

std::string range_text(const DepthUpdate& update) {
  return "U=" + std::to_string(update.first_update_id) +
         " u=" + std::to_string(update.final_update_id);
}

}  // namespace

BookSync::BookSync(InstrumentId instrument, std::size_t max_buffered)
    : instrument_(std::move(instrument)), max_buffered_(std::max<std::size_t>(1, max_buffered)) {}

SyncOutput BookSync::start() {
  synced_ = false;
  first_event_pending_ = false;
  local_id_ = 0;
  buffer_.clear();
  return SyncOutput{{}, true};
}

SyncOutput BookSync::on_update(DepthUpdate update, TimestampNs now) {
  if (synced_) return apply_synced(std::move(update), now);
  return buffer(std::move(update), now);
}

SyncOutput BookSync::buffer(DepthUpdate&& update, TimestampNs now) {
  SyncOutput out;
  if (buffer_.size() >= max_buffered_) {
    out = resync(ResyncReason::Gap,
                 "dropped " + std::to_string(buffer_.size()) +
                     " depth events buffered while waiting for the snapshot",
                 now);
  }
  buffer_.push_back(std::move(update));
  return out;
}

SyncOutput BookSync::apply_synced(DepthUpdate&& update, TimestampNs now) {
  const std::uint64_t next = local_id_ + 1;
  if (update.final_update_id < next) {
    // Before the first applied event, older events are the normal overlap with the snapshot
    // (§2.7: drop u <= lastUpdateId). Once live the stream is contiguous (U == prev u + 1), so
    // a replayed or reordered event means the stream can no longer be trusted: resync.
    if (first_event_pending_) return {};
    SyncOutput out = resync(
        ResyncReason::OutOfSequence,
        range_text(update) + " is older than local update id " + std::to_string(local_id_), now);
    return out;
  }
  std::uint64_t first = update.first_update_id;
  if (first > next) {
    std::string detail =
        first_event_pending_
            ? "snapshot lastUpdateId=" + std::to_string(local_id_) +
                  " is older than the stream (first event " + range_text(update) + ")"
            : "expected U=" + std::to_string(next) + ", got U=" + std::to_string(first);
    SyncOutput out = resync(ResyncReason::Gap, std::move(detail), now);
    buffer_.push_back(std::move(update));
    return out;
  }
  if (first < next) {
    if (!first_event_pending_) {
      SyncOutput out = resync(
          ResyncReason::OutOfSequence,
          range_text(update) + " overlaps local update id " + std::to_string(local_id_), now);
      buffer_.push_back(std::move(update));
      return out;
    }
    first = next;  // first event after a snapshot: U <= lastUpdateId + 1 <= u holds
  }
  first_event_pending_ = false;
  local_id_ = update.final_update_id;
  SyncOutput out;
  out.events.emplace_back(BookDeltas{instrument_, first, update.final_update_id,
                                     std::move(update.deltas), update.ts_event, now});
  return out;
}

SyncOutput BookSync::on_snapshot(BookSnapshot snapshot, TimestampNs now) {
  if (synced_) return {};
  const std::uint64_t last_update_id = snapshot.sequence;
  std::erase_if(buffer_, [&](const DepthUpdate& u) { return u.final_update_id <= last_update_id; });
  if (!buffer_.empty() && buffer_.front().first_update_id > last_update_id + 1) {
    return SyncOutput{{}, true};  // the snapshot is older than the first buffered event: refetch
  }
  MergeBook book(snapshot);
  std::uint64_t local = last_update_id;
  for (std::size_t i = 0; i < buffer_.size(); ++i) {
    const DepthUpdate& update = buffer_[i];
    if (i > 0 && update.first_update_id != local + 1) {
      const bool gap = update.first_update_id > local + 1;
      std::string detail =
          gap ? "expected U=" + std::to_string(local + 1) +
                    ", got U=" + std::to_string(update.first_update_id)
              : range_text(update) + " overlaps local update id " + std::to_string(local);
      buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(i));
      SyncOutput out;
      out.events.emplace_back(resync_event(gap ? ResyncReason::Gap : ResyncReason::OutOfSequence,
                                           std::move(detail), now));
      out.request_snapshot = true;
      return out;
    }
    book.apply(update.deltas);
    local = update.final_update_id;
    snapshot.ts_event = update.ts_event;
  }
  first_event_pending_ = buffer_.empty();
  buffer_.clear();
  book.write_to(snapshot);
  snapshot.instrument = instrument_;
  snapshot.sequence = local;
  snapshot.ts_init = now;
  synced_ = true;
  local_id_ = local;
  SyncOutput out;
  out.events.emplace_back(std::move(snapshot));
  return out;
}

SyncOutput BookSync::invalidate(ResyncReason reason, std::string detail, TimestampNs now) {
  return resync(reason, std::move(detail), now);
}

SyncOutput BookSync::resync(ResyncReason reason, std::string detail, TimestampNs now) {
  synced_ = false;
  first_event_pending_ = false;
  buffer_.clear();
  SyncOutput out;
  out.events.emplace_back(resync_event(reason, std::move(detail), now));
  out.request_snapshot = true;
  return out;
}

BookResyncStarted BookSync::resync_event(ResyncReason reason, std::string detail,
                                         TimestampNs now) const {
  return BookResyncStarted{instrument_, reason, std::move(detail), now};
}

}  // namespace troupe::binance
