// bench_market_data_e2e: market-data throughput through real actors on CAF's real (threaded)
// scheduler: Binance depthUpdate frames enter at the session's input (the port's I/O thread,
// played by the benchmark thread: BinanceCodec::decode_stream and BookSync::on_update, as
// binance/market_data_port.cpp runs them), go through the market-data session actor's listener
// and the topic bus to the symbol book actor (BookEngine::apply, top-10 snapshot published on
// topics::book) and end at one subscriber actor that counts the snapshots. One message = one
// frame that updated the book and reached the subscriber. Target (issue 3): >= 500,000/s.
//
// The port is a stand-in at the MarketDataPort interface (no socket): everything after the
// frame text is the production code. The benchmark thread keeps at most kWindow frames in
// flight (mailboxes are unbounded in CAF 0.17), then waits for the subscriber to catch up.

#include "actors/book/book_actor.hpp"
#include "actors/venue/market_data_actor.hpp"
#include "adapters/venues/binance/binance_codec.hpp"
#include "adapters/venues/binance/book_sync.hpp"
#include "runtime/actor_directory.hpp"
#include "runtime/metrics.hpp"
#include "runtime/topic_bus.hpp"
#include "runtime/topics.hpp"
#include "runtime/type_ids.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <variant>

#include "bench/binance/depth_frames.hpp"
#include "bench/common/bench_fixtures.hpp"

namespace troupe::bench {
namespace {

/// Frames per benchmark iteration, and iterations: every frame is used once (update ids chain).
constexpr std::size_t kBatch = 20'000;
constexpr std::size_t kIterations = 10;
/// Frames in flight at most (sent, not yet counted by the subscriber).
constexpr std::uint64_t kWindow = 4'096;
constexpr std::uint64_t kSnapshotUpdateId = 1'000;

/// The node's CAF settings (tools/node/node_system_config.hpp, live mode).
class BenchSystemConfig : public caf::actor_system_config {
 public:
  BenchSystemConfig() {
    register_message_types(*this);
    set("logger.verbosity", caf::atom("quiet"));
    set("logger.console", caf::atom("none"));
    set("scheduler.max-throughput", size_t{300});
  }
};

/// Stand-in port: remembers the session's listener so the benchmark thread can report to it.
class FramePort final : public MarketDataPort {
 public:
  explicit FramePort(std::atomic<MarketDataListener*>& slot) : slot_(slot) {}
  void start(MarketDataListener& listener) override { slot_.store(&listener); }
  void stop() override { slot_.store(nullptr); }

 private:
  std::atomic<MarketDataListener*>& slot_;
};

/// Target of issue 3: messages per second from the session's input to one subscriber.
constexpr double kTargetMessagesPerSecond = 500'000;

/// Rate measured by the last run (wall clock), for the summary line.
double g_messages_per_second = 0;

void wait_for(const std::atomic<std::uint64_t>& counter, std::uint64_t value) {
  while (counter.load(std::memory_order_acquire) < value) std::this_thread::yield();
}

void session_to_subscriber(benchmark::State& state) {
  const std::vector<Instrument> instruments = {btcusdt()};
  const Instrument& instrument = instruments.front();
  const auto frames = depth_frames(instrument, kBatch * kIterations,
                                   static_cast<std::size_t>(state.range(0)), kSnapshotUpdateId + 1);

  // Everything the actors reach by reference is declared before the actor system, so that it
  // outlives the actors (the system's destructor waits for them).
  TopicBus bus;
  MetricsRegistry metrics;
  ActorDirectory directory;
  LiveClock clock;
  std::atomic<std::uint64_t> received{0};
  std::atomic<MarketDataListener*> listener{nullptr};
  BenchSystemConfig config;
  caf::actor_system system(config);
  NodeContext context{system, bus, metrics, directory, clock};

  auto subscriber = system.spawn([&received](caf::event_based_actor*) -> caf::behavior {
    return {[&received](const BookSnapshot&) { received.fetch_add(1, std::memory_order_release); }};
  });
  bus.subscribe(topics::book(instrument.id), subscriber);
  auto book = spawn_book_actor(context, BookConfig{instrument, 10});
  auto session = spawn_market_data_actor(
      context, instrument.id.venue, [&listener] { return std::make_unique<FramePort>(listener); });
  while (listener.load() == nullptr) std::this_thread::yield();

  // The port's side: decode, sync, report (binance/market_data_port.cpp without the socket).
  binance::BinanceCodec codec(binance::make_instrument_lookup(instruments));
  binance::BookSync sync(instrument.id);
  auto report = [&](binance::SyncOutput&& output) {
    for (auto& event : output.events) {
      if (auto* deltas = std::get_if<BookDeltas>(&event)) {
        listener.load()->on_deltas(std::move(*deltas));
      } else if (auto* snapshot = std::get_if<BookSnapshot>(&event)) {
        listener.load()->on_snapshot(std::move(*snapshot));
      }
    }
  };
  sync.start();
  report(sync.on_snapshot(deep_book(instrument, 1000, kSnapshotUpdateId), clock.now_ns()));
  wait_for(received, 1);  // the book is live and the whole chain is connected

  std::uint64_t sent = 1;
  std::size_t next = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    for (std::size_t i = 0; i < kBatch; ++i) {
      while (sent - received.load(std::memory_order_acquire) >= kWindow) std::this_thread::yield();
      auto message = codec.decode_stream(frames[next++].text, clock.now_ns());
      auto* update = message ? std::get_if<binance::DepthUpdate>(&*message) : nullptr;
      if (update == nullptr) {
        state.SkipWithError("frame did not decode to a depth update");
        break;
      }
      report(sync.on_update(std::move(*update), clock.now_ns()));
      ++sent;
    }
    wait_for(received, sent);
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  const auto messages = static_cast<double>(state.iterations() * kBatch);
  state.counters["msgs_per_s"] = benchmark::Counter(messages, benchmark::Counter::kIsRate);
  state.counters["window"] = static_cast<double>(kWindow);
  g_messages_per_second = messages / elapsed.count();
  caf::anon_send_exit(session, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(book, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(subscriber, caf::exit_reason::user_shutdown);
}

}  // namespace
}  // namespace troupe::bench

int main(int argc, char** argv) {
  using namespace troupe::bench;
  benchmark::RegisterBenchmark("e2e/session_to_subscriber", session_to_subscriber)
      ->ArgName("levels_per_side")
      ->Arg(2)
      ->Iterations(kIterations)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_messages_per_second > 0) {
    std::fprintf(stderr, "\nEnd to end, wall clock: %.0f msgs/s; target >= %.0f msgs/s: %s\n",
                 g_messages_per_second, kTargetMessagesPerSecond,
                 g_messages_per_second >= kTargetMessagesPerSecond ? "met" : "NOT met");
  }
  return 0;
}
