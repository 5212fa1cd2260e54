#include "bench/common/bench_fixtures.hpp"

#include <algorithm>
#include <numeric>

namespace troupe::bench {
namespace {

// splitmix64: tiny and identical on every platform, unlike the std distributions.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n).
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

Price ticks_to_price(const Instrument& instrument, std::int64_t ticks) {
  return Price::from_raw(ticks, instrument.price_precision);
}

// 0.00001 .. 2.00000 BTC in lots of 0.00001.
Quantity random_size(const Instrument& instrument, Random& random) {
  const std::int64_t lots = 1 + static_cast<std::int64_t>(random.below(200'000));
  return Quantity::from_raw(lots * instrument.lot_size.raw(), instrument.size_precision);
}

}  // namespace

Instrument btcusdt() {
  Instrument i;
  i.id = InstrumentId{VenueId{"binance"}, "BTCUSDT"};
  i.base = "BTC";
  i.quote = "USDT";
  i.price_precision = 2;
  i.size_precision = 8;
  i.tick_size = Price::from_raw(1, 2);
  i.lot_size = Quantity::from_raw(1'000, 8);
  i.min_quantity = Quantity::from_raw(1'000, 8);
  i.min_notional = Money::from_raw(500, 2);
  return i;
}

BookSnapshot deep_book(const Instrument& instrument, std::size_t levels_per_side,
                       std::uint64_t sequence) {
  BookSnapshot book;
  book.instrument = instrument.id;
  book.sequence = sequence;
  Random random(42);
  for (std::size_t i = 0; i < levels_per_side; ++i) {
    const auto offset = static_cast<std::int64_t>(i);
    book.bids.push_back(BookLevel{ticks_to_price(instrument, kBestBidTicks - offset),
                                  random_size(instrument, random)});
    book.asks.push_back(BookLevel{ticks_to_price(instrument, kBestAskTicks + offset),
                                  random_size(instrument, random)});
  }
  return book;
}

std::vector<BookDeltas> near_touch_deltas(const Instrument& instrument, std::size_t batches,
                                          std::size_t changes, SideOrder order, std::size_t window,
                                          std::uint64_t seed) {
  Random random(seed);
  std::vector<BookDeltas> out(batches);
  std::vector<std::int64_t> bid_offsets(window);
  std::vector<std::int64_t> ask_offsets(window);
  for (BookDeltas& batch : out) {
    batch.instrument = instrument.id;
    // Unique prices per side: take offsets from a fresh partial shuffle of the window.
    std::iota(bid_offsets.begin(), bid_offsets.end(), 0);
    std::iota(ask_offsets.begin(), ask_offsets.end(), 0);
    std::size_t bids_used = 0;
    std::size_t asks_used = 0;
    for (std::size_t c = 0; c < changes; ++c) {
      const bool bid = order == SideOrder::Random ? random.below(2) == 0 : c < changes / 2;
      auto& offsets = bid ? bid_offsets : ask_offsets;
      std::size_t& used = bid ? bids_used : asks_used;
      std::swap(offsets[used], offsets[used + random.below(window - used)]);
      const std::int64_t offset = offsets[used++];
      BookDelta delta;
      delta.side = bid ? Side::Buy : Side::Sell;
      delta.price =
          ticks_to_price(instrument, bid ? kBestBidTicks - offset : kBestAskTicks + offset);
      delta.size = random.below(4) == 0 ? Quantity::from_raw(0, instrument.size_precision)
                                        : random_size(instrument, random);
      batch.deltas.push_back(delta);
    }
  }
  return out;
}

}  // namespace troupe::bench
