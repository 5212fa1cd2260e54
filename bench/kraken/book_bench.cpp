// Kraken `book` updates (adapters/venues/kraken): KrakenCodec::decode, then BookSync::on_book
// (apply, truncate to the subscribed depth, CRC32 checksum of the top ten levels, exactly as the
// market-data port does), then BookEngine::apply of the BookDeltas it reports (the symbol book
// actor's work). The reference is bench/common/raw_walk.hpp over the same frames.
//
// Frames are generated from a model book kept by this file with the venue's rules (apply, then
// truncate to the depth), each carrying the checksum of the model's top ten levels after it, so
// that BookSync accepts every one: a mismatch stops the benchmark with an error.

#include "actors/book/book_engine.hpp"
#include "adapters/venues/kraken/book_sync.hpp"
#include "adapters/venues/kraken/checksum.hpp"
#include "adapters/venues/kraken/kraken_codec.hpp"

#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "bench/common/bench_fixtures.hpp"
#include "bench/common/raw_walk.hpp"

namespace troupe::bench {
namespace {

/// Distinct update frames replayed in a loop after one snapshot.
constexpr std::size_t kFrames = 1024;
/// Subscribed depth (levels per side) of the book channel.
constexpr std::size_t kDepth = 25;
/// Changes land within this many ticks of the touch (inside the subscribed depth, mostly).
constexpr std::size_t kWindow = 20;
constexpr TimestampNs kNow = 1'700'000'000'000'000'000;

/// A BTC/USD pair at Kraken: price precision 2 here so that the shared fixtures apply,
/// qty precision 8 (§4.6).
Instrument kraken_pair() {
  Instrument instrument = btcusdt();
  instrument.id = InstrumentId{VenueId{"kraken"}, "BTC/USD"};
  return instrument;
}

struct Frame {
  std::string text;  ///< with capacity for simdjson's padding
  simdjson::padded_string_view padded() const {
    return simdjson::padded_string_view(text.data(), text.size(), text.capacity());
  }
};

/// The venue's book as the frames describe it.
class ModelBook {
 public:
  explicit ModelBook(const Instrument& instrument) : instrument_(instrument) {}

  void set(Side side, const BookLevel& level) {
    if (side == Side::Buy) {
      set_in(bids_, level);
    } else {
      set_in(asks_, level);
    }
  }
  void truncate() {
    while (bids_.size() > kDepth) bids_.erase(std::prev(bids_.end()));
    while (asks_.size() > kDepth) asks_.erase(std::prev(asks_.end()));
  }
  std::uint32_t checksum() const {
    return kraken::book_checksum(top(asks_), top(bids_), instrument_.price_precision,
                                 instrument_.size_precision);
  }

 private:
  template <class Map>
  static void set_in(Map& side, const BookLevel& level) {
    if (level.size.is_zero()) {
      side.erase(level.price.raw());
    } else {
      side[level.price.raw()] = level.size;
    }
  }
  template <class Map>
  std::vector<BookLevel> top(const Map& side) const {
    std::vector<BookLevel> out;
    for (const auto& [price, size] : side) {
      if (out.size() == kraken::kChecksumLevels) break;
      out.push_back(BookLevel{Price::from_raw(price, instrument_.price_precision), size});
    }
    return out;
  }

  const Instrument& instrument_;
  std::map<std::int64_t, Quantity, std::greater<>> bids_;
  std::map<std::int64_t, Quantity> asks_;
};

void append_levels(std::string& out, const char* name, const std::vector<BookLevel>& levels) {
  out.append("\"").append(name).append("\":[");
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (i > 0) out += ',';
    out.append(R"({"price":)")
        .append(levels[i].price.to_string())
        .append(R"(,"qty":)")
        .append(levels[i].size.to_string())
        .append("}");
  }
  out += ']';
}

Frame book_frame(const Instrument& instrument, bool snapshot, const std::vector<BookLevel>& bids,
                 const std::vector<BookLevel>& asks, std::uint32_t checksum, std::size_t index) {
  std::string text = R"({"channel":"book","type":")" +
                     std::string(snapshot ? "snapshot" : "update") + R"(","data":[{"symbol":")" +
                     instrument.id.symbol + "\",";
  append_levels(text, "bids", bids);
  text += ',';
  append_levels(text, "asks", asks);
  // 100 ms apart, as a busy pair updates.
  char timestamp[48];
  std::snprintf(timestamp, sizeof timestamp, "2024-06-03T14:%02zu:%02zu.%06zuZ", index / 600 % 60,
                index / 10 % 60, index % 10 * 100'000);
  text +=
      R"(,"checksum":)" + std::to_string(checksum) + R"(,"timestamp":")" + timestamp + R"("}]})";
  Frame frame;
  frame.text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  frame.text = text;
  return frame;
}

/// The snapshot frame, then kFrames update frames of `levels` changes each.
struct Frames {
  Frame snapshot;
  std::vector<Frame> updates;
};

Frames make_frames(const Instrument& instrument, std::size_t levels) {
  ModelBook model(instrument);
  const BookSnapshot book = deep_book(instrument, kDepth, 0);
  for (const BookLevel& level : book.bids) model.set(Side::Buy, level);
  for (const BookLevel& level : book.asks) model.set(Side::Sell, level);
  Frames frames;
  frames.snapshot = book_frame(instrument, true, book.bids, book.asks, model.checksum(), 0);
  const auto batches =
      near_touch_deltas(instrument, kFrames, levels, SideOrder::BidsThenAsks, kWindow, 17);
  for (std::size_t i = 0; i < batches.size(); ++i) {
    std::vector<BookLevel> bids;
    std::vector<BookLevel> asks;
    for (const BookDelta& delta : batches[i].deltas) {
      (delta.side == Side::Buy ? bids : asks).push_back(BookLevel{delta.price, delta.size});
      model.set(delta.side, BookLevel{delta.price, delta.size});
    }
    model.truncate();
    frames.updates.push_back(book_frame(instrument, false, bids, asks, model.checksum(), i + 1));
  }
  return frames;
}

void report(benchmark::State& state, const Frames& frames) {
  state.counters["msgs_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["frame_bytes"] = static_cast<double>(frames.updates.front().text.size());
}

void raw_simdjson_walk(benchmark::State& state) {
  const Frames frames = make_frames(kraken_pair(), static_cast<std::size_t>(state.range(0)));
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

void kraken_decode(benchmark::State& state) {
  const std::vector<Instrument> instruments = {kraken_pair()};
  const Frames frames = make_frames(instruments.front(), static_cast<std::size_t>(state.range(0)));
  kraken::KrakenCodec codec(kraken::make_instrument_lookup(instruments));
  std::size_t i = 0;
  for (auto _ : state) {
    auto message = codec.decode(frames.updates[i++ % kFrames].text, kNow);
    if (!message || !std::holds_alternative<kraken::BookFrame>(*message)) {
      state.SkipWithError(message ? "not a book frame" : message.error().what.c_str());
      break;
    }
    benchmark::DoNotOptimize(*message);
  }
  report(state, frames);
}

/// The port's path for one book frame: sync (checksum included), then the symbol book.
/// Returns an error text, or "" when the book was updated.
std::string to_book(const kraken::BookFrame& frame, kraken::BookSync& sync, BookEngine& book) {
  for (const kraken::BookMessage& message : frame.books) {
    for (auto& event : sync.on_book(message, kNow).events) {
      if (const auto* deltas = std::get_if<BookDeltas>(&event)) {
        if (auto result = book.apply(*deltas); !result.applied()) return result.reason;
      } else if (const auto* snapshot = std::get_if<BookSnapshot>(&event)) {
        if (auto result = book.apply(*snapshot); !result.applied()) return result.reason;
      } else {
        return std::get<BookResyncStarted>(event).detail;
      }
    }
  }
  return {};
}

void kraken_frame_to_book(benchmark::State& state) {
  const std::vector<Instrument> instruments = {kraken_pair()};
  const Instrument& instrument = instruments.front();
  const Frames frames = make_frames(instrument, static_cast<std::size_t>(state.range(0)));
  kraken::KrakenCodec codec(kraken::make_instrument_lookup(instruments));
  kraken::BookSync sync(instrument, kDepth);
  BookEngine book(BookConfig{instrument, 10});
  std::string error;
  auto start_over = [&] {
    sync.start();
    auto snapshot = codec.decode(frames.snapshot.text, kNow);
    error = snapshot ? to_book(std::get<kraken::BookFrame>(*snapshot), sync, book)
                     : snapshot.error().what;
  };
  start_over();
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == kFrames) {
      state.PauseTiming();  // the updates chain from the snapshot: replay them from it
      start_over();
      i = 0;
      state.ResumeTiming();
    }
    auto message = codec.decode(frames.updates[i++].text, kNow);
    if (message) {
      if (const auto* frame = std::get_if<kraken::BookFrame>(&*message)) {
        error = to_book(*frame, sync, book);
      } else {
        error = "not a book frame";
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
      {"kraken/raw_simdjson_walk", raw_simdjson_walk},
      {"kraken/decode", kraken_decode},
      {"kraken/frame_to_book", kraken_frame_to_book},
  };
  for (const auto& [name, function] : benchmarks)
    benchmark::RegisterBenchmark(name, function)->ArgName("levels_per_update")->Arg(2)->Arg(10);
  return true;
}();

}  // namespace
}  // namespace troupe::bench
