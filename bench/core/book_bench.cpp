// BookEngine (actors/book/book_engine.hpp) applying BookDeltas near the touch of a deep book,
// against a reference book of one std::map<price, size> per side doing the same updates and
// the same sequence and crossed-book checks; and top_into(10) against reading the same ten
// levels per side out of the maps.

#include "actors/book/book_engine.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "bench/common/bench_fixtures.hpp"

namespace troupe::bench {
namespace {

/// Levels per side of the benchmark book.
constexpr std::size_t kLevelsPerSide = 1000;
/// Distinct BookDeltas replayed in a loop (large enough that branch predictors cannot learn it).
constexpr std::size_t kBatches = 4096;
/// Changes stay within this many ticks of the touch.
constexpr std::size_t kTouchWindow = 20;

/// The reference: the textbook L2 book, one ordered map per side, best level first.
class MapBook {
 public:
  explicit MapBook(const BookSnapshot& snapshot) : sequence_(snapshot.sequence) {
    for (const auto& level : snapshot.bids) bids_[level.price.raw()] = level.size.raw();
    for (const auto& level : snapshot.asks) asks_[level.price.raw()] = level.size.raw();
  }

  /// Applies the changes when they continue the sequence; false when refused or crossed.
  bool apply(const BookDeltas& deltas) {
    if (deltas.first_sequence != sequence_ + 1) return false;
    for (const auto& delta : deltas.deltas) {
      if (delta.side == Side::Buy)
        update(bids_, delta.price.raw(), delta.size.raw());
      else
        update(asks_, delta.price.raw(), delta.size.raw());
    }
    sequence_ = deltas.last_sequence;
    return bids_.empty() || asks_.empty() || bids_.begin()->first < asks_.begin()->first;
  }

  /// Top `depth` levels per side into `out`, reusing its capacity (like BookEngine::top_into).
  void top_into(std::size_t depth, std::uint8_t price_precision, std::uint8_t size_precision,
                BookSnapshot& out) const {
    out.sequence = sequence_;
    out.bids.clear();
    out.asks.clear();
    copy_top(bids_, depth, price_precision, size_precision, out.bids);
    copy_top(asks_, depth, price_precision, size_precision, out.asks);
  }

 private:
  template <class Map>
  static void update(Map& side, std::int64_t price, std::int64_t size) {
    if (size == 0)
      side.erase(price);
    else
      side.insert_or_assign(price, size);
  }
  template <class Map>
  static void copy_top(const Map& side, std::size_t depth, std::uint8_t pp, std::uint8_t sp,
                       std::vector<BookLevel>& out) {
    for (auto it = side.begin(); it != side.end() && out.size() < depth; ++it)
      out.push_back(BookLevel{Price::from_raw(it->first, pp), Quantity::from_raw(it->second, sp)});
  }

  std::map<std::int64_t, std::int64_t, std::greater<>> bids_;
  std::map<std::int64_t, std::int64_t> asks_;
  std::uint64_t sequence_;
};

constexpr std::uint64_t kSnapshotSequence = 1'000;

void report(benchmark::State& state, std::size_t changes) {
  const auto batches = static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
  state.counters["levels_per_s"] =
      benchmark::Counter(batches * static_cast<double>(changes), benchmark::Counter::kIsRate);
  // kInvert of a rate: seconds per level update, printed with an SI prefix ("25n" = 25 ns).
  state.counters["s_per_level"] =
      benchmark::Counter(batches * static_cast<double>(changes),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void book_engine_apply(benchmark::State& state) {
  const auto changes = static_cast<std::size_t>(state.range(0));
  const Instrument instrument = btcusdt();
  BookEngine book(BookConfig{instrument, 10});
  book.apply(deep_book(instrument, kLevelsPerSide, kSnapshotSequence));
  auto batches =
      near_touch_deltas(instrument, kBatches, changes, SideOrder::Random, kTouchWindow, 7);
  std::uint64_t sequence = kSnapshotSequence;
  std::size_t i = 0;
  for (auto _ : state) {
    BookDeltas& deltas = batches[i++ % kBatches];
    deltas.first_sequence = deltas.last_sequence = ++sequence;
    auto result = book.apply(deltas);
    if (!result.applied()) {
      state.SkipWithError(result.reason.c_str());
      break;
    }
  }
  report(state, changes);
  state.counters["depth"] = static_cast<double>(book.bid_depth() + book.ask_depth()) / 2;
}

void map_book_apply(benchmark::State& state) {
  const auto changes = static_cast<std::size_t>(state.range(0));
  const Instrument instrument = btcusdt();
  MapBook book(deep_book(instrument, kLevelsPerSide, kSnapshotSequence));
  auto batches =
      near_touch_deltas(instrument, kBatches, changes, SideOrder::Random, kTouchWindow, 7);
  std::uint64_t sequence = kSnapshotSequence;
  std::size_t i = 0;
  for (auto _ : state) {
    BookDeltas& deltas = batches[i++ % kBatches];
    deltas.first_sequence = deltas.last_sequence = ++sequence;
    if (!book.apply(deltas)) {
      state.SkipWithError("reference book refused the deltas");
      break;
    }
  }
  report(state, changes);
}

void book_engine_top(benchmark::State& state) {
  const Instrument instrument = btcusdt();
  BookEngine book(BookConfig{instrument, 10});
  book.apply(deep_book(instrument, kLevelsPerSide, kSnapshotSequence));
  BookSnapshot top;
  for (auto _ : state) {
    book.top_into(10, top);
    benchmark::DoNotOptimize(top.bids.data());
    benchmark::DoNotOptimize(top.asks.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

void map_book_top(benchmark::State& state) {
  const Instrument instrument = btcusdt();
  MapBook book(deep_book(instrument, kLevelsPerSide, kSnapshotSequence));
  BookSnapshot top;
  for (auto _ : state) {
    book.top_into(10, instrument.price_precision, instrument.size_precision, top);
    benchmark::DoNotOptimize(top.bids.data());
    benchmark::DoNotOptimize(top.asks.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

const bool kRegistered = [] {
  benchmark::RegisterBenchmark("book/apply/troupe", book_engine_apply)
      ->ArgName("levels")
      ->Arg(1)
      ->Arg(10);
  benchmark::RegisterBenchmark("book/apply/std_map", map_book_apply)
      ->ArgName("levels")
      ->Arg(1)
      ->Arg(10);
  benchmark::RegisterBenchmark("book/top_into_10/troupe", book_engine_top);
  benchmark::RegisterBenchmark("book/top_into_10/std_map", map_book_top);
  return true;
}();

}  // namespace
}  // namespace troupe::bench
