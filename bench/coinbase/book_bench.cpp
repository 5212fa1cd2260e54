// Coinbase `l2_data` updates (adapters/venues/coinbase): CoinbaseCodec::decode, then the venue
// BookEngine (coinbase/book_engine.hpp: absolute sizes, local sequence numbers, exactly as the
// market-data port drives it), then troupe::BookEngine::apply of the BookDeltas it reports (the
// symbol book actor's work). The reference is bench/common/raw_walk.hpp over the same frames.
// Frames are rendered from the shared near-touch fixture changes as Coinbase sends them: one
// event per frame, each update with side, event_time, price_level and new_quantity as strings.

#include "actors/book/book_engine.hpp"
#include "adapters/venues/coinbase/book_engine.hpp"
#include "adapters/venues/coinbase/coinbase_codec.hpp"

#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "bench/common/bench_fixtures.hpp"
#include "bench/common/raw_walk.hpp"

namespace troupe::bench {
namespace {

/// Distinct update frames replayed in a loop after one snapshot.
constexpr std::size_t kFrames = 1024;
/// Levels per side of the snapshot the updates apply to.
constexpr std::size_t kBookLevelsPerSide = 1000;
constexpr TimestampNs kNow = 1'700'000'000'000'000'000;

/// BTC-USD at Coinbase: price precision 2 (quote increment 0.01), size precision 8.
Instrument coinbase_product() {
  Instrument instrument = btcusdt();
  instrument.id = InstrumentId{VenueId{"coinbase"}, "BTC-USD"};
  return instrument;
}

struct Frame {
  std::string text;  ///< with capacity for simdjson's padding
  simdjson::padded_string_view padded() const {
    return simdjson::padded_string_view(text.data(), text.size(), text.capacity());
  }
};

Frame l2_frame(const Instrument& instrument, bool snapshot, const std::vector<BookDelta>& levels,
               std::uint64_t sequence) {
  char time[48];
  std::snprintf(time, sizeof time, "2024-06-03T14:%02llu:%02llu.%06lluZ",
                static_cast<unsigned long long>(sequence / 600 % 60),
                static_cast<unsigned long long>(sequence / 10 % 60),
                static_cast<unsigned long long>(sequence % 10 * 100'000));
  const std::string event_time = snapshot ? "1970-01-01T00:00:00Z" : time;
  std::string text = R"({"channel":"l2_data","client_id":"","timestamp":")" + std::string(time) +
                     R"(","sequence_num":)" + std::to_string(sequence) + R"(,"events":[{"type":")" +
                     (snapshot ? "snapshot" : "update") + R"(","product_id":")" +
                     instrument.id.symbol + R"(","updates":[)";
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (i > 0) text += ',';
    text.append(R"({"side":")")
        .append(levels[i].side == Side::Buy ? "bid" : "offer")
        .append(R"(","event_time":")")
        .append(event_time)
        .append(R"(","price_level":")")
        .append(levels[i].price.to_string())
        .append(R"(","new_quantity":")")
        .append(levels[i].size.to_string())
        .append(R"("})");
  }
  text += "]}]}";
  Frame frame;
  frame.text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  frame.text = text;
  return frame;
}

struct Frames {
  Frame snapshot;
  std::vector<Frame> updates;
};

Frames make_frames(const Instrument& instrument, std::size_t levels) {
  Frames frames;
  const BookSnapshot book = deep_book(instrument, kBookLevelsPerSide, 0);
  std::vector<BookDelta> snapshot;
  for (const BookLevel& level : book.bids) snapshot.push_back({Side::Buy, level.price, level.size});
  for (const BookLevel& level : book.asks)
    snapshot.push_back({Side::Sell, level.price, level.size});
  frames.snapshot = l2_frame(instrument, true, snapshot, 1);
  const auto batches = near_touch_deltas(instrument, kFrames, levels, SideOrder::Random, 50, 23);
  for (std::size_t i = 0; i < batches.size(); ++i)
    frames.updates.push_back(l2_frame(instrument, false, batches[i].deltas, i + 2));
  return frames;
}

void report(benchmark::State& state, const Frames& frames) {
  state.counters["msgs_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["frame_bytes"] = static_cast<double>(frames.updates.front().text.size());
}

void raw_simdjson_walk(benchmark::State& state) {
  const Frames frames = make_frames(coinbase_product(), static_cast<std::size_t>(state.range(0)));
  simdjson::ondemand::parser parser;
  std::size_t seen = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    if (auto error = raw_walk(parser, frames.updates[i++ % kFrames].padded(), seen)) {
      state.SkipWithError(simdjson::error_message(error));
      break;
    }
  }
  benchmark::DoNotOptimize(seen);
  report(state, frames);
}

void coinbase_decode(benchmark::State& state) {
  const std::vector<Instrument> instruments = {coinbase_product()};
  const Frames frames = make_frames(instruments.front(), static_cast<std::size_t>(state.range(0)));
  coinbase::CoinbaseCodec codec(coinbase::make_instrument_lookup(instruments));
  std::size_t i = 0;
  for (auto _ : state) {
    auto message = codec.decode(frames.updates[i++ % kFrames].text, kNow);
    if (!message || !std::holds_alternative<coinbase::L2Data>(message->payload)) {
      state.SkipWithError(message ? "not an l2_data frame" : message.error().what.c_str());
      break;
    }
    benchmark::DoNotOptimize(*message);
  }
  report(state, frames);
}

/// The port's path for one l2_data frame: the venue book, then the symbol book. Returns an
/// error text, or "" when the book was updated.
std::string to_book(const coinbase::L2Data& data, coinbase::BookEngine& venue_book,
                    BookEngine& book) {
  for (const coinbase::L2Event& event : data.events) {
    auto output = venue_book.apply(event, kNow);
    if (const auto* deltas = std::get_if<BookDeltas>(&output)) {
      if (auto result = book.apply(*deltas); !result.applied()) return result.reason;
    } else if (const auto* snapshot = std::get_if<BookSnapshot>(&output)) {
      if (auto result = book.apply(*snapshot); !result.applied()) return result.reason;
    } else {
      return "the venue book reported nothing";
    }
  }
  return {};
}

void coinbase_frame_to_book(benchmark::State& state) {
  const std::vector<Instrument> instruments = {coinbase_product()};
  const Instrument& instrument = instruments.front();
  const Frames frames = make_frames(instrument, static_cast<std::size_t>(state.range(0)));
  coinbase::CoinbaseCodec codec(coinbase::make_instrument_lookup(instruments));
  coinbase::BookEngine venue_book(instrument.id);
  BookEngine book(BookConfig{instrument, 10});
  std::string error;
  auto start_over = [&] {
    auto snapshot = codec.decode(frames.snapshot.text, kNow);
    error = snapshot ? to_book(std::get<coinbase::L2Data>(snapshot->payload), venue_book, book)
                     : snapshot.error().what;
  };
  start_over();
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == kFrames) {
      state.PauseTiming();  // start the book over from the snapshot so the updates apply again
      start_over();
      i = 0;
      state.ResumeTiming();
    }
    auto message = codec.decode(frames.updates[i++].text, kNow);
    if (message) {
      if (const auto* data = std::get_if<coinbase::L2Data>(&message->payload)) {
        error = to_book(*data, venue_book, book);
      } else {
        error = "not an l2_data frame";
      }
    } else {
      error = message.error().what;
    }
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
      {"coinbase/raw_simdjson_walk", raw_simdjson_walk},
      {"coinbase/decode", coinbase_decode},
      {"coinbase/frame_to_book", coinbase_frame_to_book},
  };
  for (const auto& [name, function] : benchmarks)
    benchmark::RegisterBenchmark(name, function)->ArgName("levels_per_update")->Arg(2)->Arg(20);
  return true;
}();

}  // namespace
}  // namespace troupe::bench
