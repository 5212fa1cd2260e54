// Binance depthUpdate decoding (adapters/venues/binance/binance_codec.hpp) into BookDeltas,
// and frame to book: decode, BookSync::on_update (the §2.7 procedure, as the market-data port
// runs it) and BookEngine::apply (the symbol book actor's work) in one loop, against the
// reference: a raw simdjson On-Demand parse of the same frames that walks
// every field (reads each string and number, iterates both level arrays) and builds nothing.
// Target: frame to book at most kDecodeApplyMaxRatio times the raw parse.

#include "actors/book/book_engine.hpp"
#include "adapters/venues/binance/binance_codec.hpp"
#include "adapters/venues/binance/book_sync.hpp"

#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <string_view>
#include <utility>
#include <variant>

#include "bench/binance/depth_frames.hpp"
#include "bench/common/bench_fixtures.hpp"

namespace troupe::bench {
namespace {

namespace od = simdjson::ondemand;

/// Distinct frames replayed in a loop (about 1.5 MB at 20 levels per side: L3-resident, as
/// frames fresh off a socket would not be in L1 either).
constexpr std::size_t kFrames = 1024;
/// Update id of the book snapshot; the first frame continues it.
constexpr std::uint64_t kSnapshotUpdateId = 1'000;
/// Levels per side of the book the deltas are applied to.
constexpr std::size_t kBookLevelsPerSide = 1000;
/// Receive time stamped on decoded messages (the codec never reads a clock).
constexpr TimestampNs kNow = 1'700'000'000'000'000'000;

void report(benchmark::State& state, const std::vector<DepthFrame>& frames) {
  const auto messages = static_cast<double>(state.iterations());
  state.counters["msgs_per_s"] = benchmark::Counter(messages, benchmark::Counter::kIsRate);
  state.counters["frame_bytes"] = static_cast<double>(frames.front().text.size());
  state.SetBytesProcessed(state.iterations() *
                          static_cast<std::int64_t>(frames.front().text.size()));
}

// Reads every value of a depthUpdate object; returns the bytes of the strings seen so the
// work cannot be optimised away.
simdjson::error_code walk_depth(od::object data, std::size_t& seen) {
  for (auto entry : data) {
    od::field field;
    if (auto error = std::move(entry).get(field)) return error;
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    od::value value = field.value();
    if (key == "b" || key == "a") {
      od::array levels;
      if (auto error = value.get_array().get(levels)) return error;
      for (auto level : levels) {
        od::array pair;
        if (auto error = level.get_array().get(pair)) return error;
        for (auto element : pair) {
          std::string_view text;
          if (auto error = element.get_string().get(text)) return error;
          seen += text.size();
        }
      }
    } else if (key == "e" || key == "s") {
      std::string_view text;
      if (auto error = value.get_string().get(text)) return error;
      seen += text.size();
    } else {
      std::uint64_t number = 0;
      if (auto error = value.get_uint64().get(number)) return error;
      seen += number & 1;
    }
  }
  return simdjson::SUCCESS;
}

simdjson::error_code walk_frame(od::parser& parser, const DepthFrame& frame, std::size_t& seen) {
  od::document doc;
  if (auto error = parser.iterate(frame.padded()).get(doc)) return error;
  od::object root;
  if (auto error = doc.get_object().get(root)) return error;
  for (auto entry : root) {
    od::field field;
    if (auto error = std::move(entry).get(field)) return error;
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    if (key == "stream") {
      std::string_view text;
      if (auto error = field.value().get_string().get(text)) return error;
      seen += text.size();
    } else {
      od::object data;
      if (auto error = field.value().get_object().get(data)) return error;
      if (auto error = walk_depth(data, seen)) return error;
    }
  }
  return simdjson::SUCCESS;
}

void raw_simdjson_walk(benchmark::State& state) {
  const auto frames = depth_frames(btcusdt(), kFrames, static_cast<std::size_t>(state.range(0)),
                                   kSnapshotUpdateId + 1);
  od::parser parser;
  std::size_t seen = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    if (auto error = walk_frame(parser, frames[i++ % kFrames], seen)) {
      state.SkipWithError(simdjson::error_message(error));
      break;
    }
  }
  benchmark::DoNotOptimize(seen);
  report(state, frames);
}

// The decoder's output as the book actor receives it (what BookSync hands on: U..u and the
// deltas moved, not copied).
BookDeltas to_book_deltas(binance::DepthUpdate&& update) {
  return BookDeltas{std::move(update.instrument), update.first_update_id, update.final_update_id,
                    std::move(update.deltas),     update.ts_event,        kNow};
}

void binance_decode(benchmark::State& state) {
  const std::vector<Instrument> instruments = {btcusdt()};
  const auto frames = depth_frames(instruments.front(), kFrames,
                                   static_cast<std::size_t>(state.range(0)), kSnapshotUpdateId + 1);
  binance::BinanceCodec codec(binance::make_instrument_lookup(instruments));
  std::size_t i = 0;
  for (auto _ : state) {
    auto message = codec.decode_stream(frames[i++ % kFrames].text, kNow);
    auto* update = message ? std::get_if<binance::DepthUpdate>(&*message) : nullptr;
    if (update == nullptr) {
      state.SkipWithError(message ? "not a depth update" : message.error().what.c_str());
      break;
    }
    BookDeltas deltas = to_book_deltas(std::move(*update));
    benchmark::DoNotOptimize(deltas);
  }
  report(state, frames);
}

void binance_frame_to_book(benchmark::State& state) {
  const std::vector<Instrument> instruments = {btcusdt()};
  const Instrument& instrument = instruments.front();
  const auto frames = depth_frames(instrument, kFrames, static_cast<std::size_t>(state.range(0)),
                                   kSnapshotUpdateId + 1);
  const BookSnapshot snapshot = deep_book(instrument, kBookLevelsPerSide, kSnapshotUpdateId);
  binance::BinanceCodec codec(binance::make_instrument_lookup(instruments));
  binance::BookSync sync(instrument.id);
  const BookConfig config{instrument, 10};
  BookEngine book(config);
  // What the market-data port does with BookSync's output; returns "" or why it failed.
  auto to_book = [&](binance::SyncOutput&& output) -> std::string {
    for (auto& event : output.events) {
      BookApplyResult result;
      if (const auto* deltas = std::get_if<BookDeltas>(&event)) {
        result = book.apply(*deltas);
      } else if (const auto* full = std::get_if<BookSnapshot>(&event)) {
        result = book.apply(*full);
      } else {
        return std::get<BookResyncStarted>(event).detail;
      }
      if (!result.applied()) return result.reason;
    }
    return {};
  };
  auto start_over = [&] {
    book = BookEngine(config);
    sync.start();
    return to_book(sync.on_snapshot(snapshot, kNow));
  };
  std::string error = start_over();
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == kFrames) {
      // The frame pool is used up: its update ids are behind the book now. Start the book
      // over from the snapshot, untimed, so that the same frames apply again.
      state.PauseTiming();
      error = start_over();
      i = 0;
      state.ResumeTiming();
    }
    auto message = codec.decode_stream(frames[i++].text, kNow);
    auto* update = message ? std::get_if<binance::DepthUpdate>(&*message) : nullptr;
    if (update == nullptr) {
      state.SkipWithError(message ? "not a depth update" : message.error().what.c_str());
      break;
    }
    if (error.empty()) error = to_book(sync.on_update(std::move(*update), kNow));
    if (!error.empty()) {
      state.SkipWithError(error.c_str());
      break;
    }
  }
  report(state, frames);
  state.counters["depth"] = static_cast<double>(book.bid_depth() + book.ask_depth()) / 2;
}

const bool kRegistered = [] {
  using Function = void (*)(benchmark::State&);
  const std::pair<const char*, Function> benchmarks[] = {
      {"binance/raw_simdjson_walk", raw_simdjson_walk},
      {"binance/decode", binance_decode},
      {"binance/frame_to_book", binance_frame_to_book},
  };
  for (const auto& [name, function] : benchmarks)
    benchmark::RegisterBenchmark(name, function)->ArgName("levels_per_side")->Arg(2)->Arg(20);
  return true;
}();

}  // namespace
}  // namespace troupe::bench
