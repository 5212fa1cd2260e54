// BookSync (§2.7) driven by depth updates and snapshots that go through BinanceCodec, in an
// order the fuzzer chooses, with invalidations and restarts in between. Update ids are drawn
// close together so contiguous, overlapping, duplicate and gapped streams are all common; one
// input byte can move them to the top of the uint64 range.
// Oracle: every reported BookDeltas continues the reported chain exactly (first_sequence ==
// previous last_sequence + 1, starting from the reported snapshot), nothing is applied while
// the book is not reported synced, snapshots are sorted without empty levels, and synced() /
// update_id() / buffered() agree with what was reported.

#include "adapters/venues/binance/binance_codec.hpp"
#include "adapters/venues/binance/book_sync.hpp"
#include "fuzz_support.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <variant>
#include <vector>

namespace troupe::fuzz {
namespace {

constexpr std::size_t kMaxBuffered = 8;
constexpr TimestampNs kNow = 1'718'000'000'500'000'000;

std::string level(FuzzedDataProvider& input) {
  static constexpr const char* kPrices[] = {"59999.90", "60000.00", "60000.10", "60000.20"};
  static constexpr const char* kSizes[] = {"0.00000000", "0.50000000", "1.20000000"};
  return std::string("[\"") + input.PickValueInArray(kPrices) + "\",\"" +
         input.PickValueInArray(kSizes) + "\"]";
}

std::string levels(FuzzedDataProvider& input) {
  std::string out = "[";
  const int count = input.ConsumeIntegralInRange(0, 3);
  for (int i = 0; i < count; ++i) out += (i > 0 ? "," : "") + level(input);
  return out + "]";
}

/// What the listener has been told so far.
struct Reported {
  bool synced = false;
  std::uint64_t sequence = 0;
  std::uint64_t fed_snapshot_id = 0;  // lastUpdateId of the snapshot being fed, if any

  void observe(const binance::SyncEvent& event) {
    if (std::holds_alternative<BookResyncStarted>(event)) {
      synced = false;
    } else if (const auto* snapshot = std::get_if<BookSnapshot>(&event)) {
      check(snapshot->sequence >= fed_snapshot_id, "snapshot reported behind its lastUpdateId");
      for (std::size_t i = 0; i < snapshot->bids.size(); ++i) {
        check(!snapshot->bids[i].size.is_zero(), "empty bid level in snapshot");
        check(i == 0 || snapshot->bids[i - 1].price > snapshot->bids[i].price, "bids not descending");
      }
      for (std::size_t i = 0; i < snapshot->asks.size(); ++i) {
        check(!snapshot->asks[i].size.is_zero(), "empty ask level in snapshot");
        check(i == 0 || snapshot->asks[i - 1].price < snapshot->asks[i].price, "asks not ascending");
      }
      synced = true;
      sequence = snapshot->sequence;
    } else {
      const auto& deltas = std::get<BookDeltas>(event);
      check(synced, "deltas reported while the book is not synced");
      check(sequence != std::numeric_limits<std::uint64_t>::max(), "deltas after update id 2^64-1");
      check(deltas.first_sequence == sequence + 1, "deltas do not continue the chain");
      check(deltas.first_sequence <= deltas.last_sequence, "deltas with first > last sequence");
      sequence = deltas.last_sequence;
    }
  }
};

}  // namespace
}  // namespace troupe::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace troupe;
  using namespace troupe::fuzz;
  static const std::vector<Instrument> instruments{btcusdt()};
  static binance::BinanceCodec codec{binance::make_instrument_lookup(instruments)};

  FuzzedDataProvider input(data, size);
  const std::uint64_t base =
      input.ConsumeBool() ? std::numeric_limits<std::uint64_t>::max() - 64 : 100;
  binance::BookSync sync(instruments.front().id, kMaxBuffered);
  Reported reported;
  sync.start();
  while (input.remaining_bytes() > 0) {
    binance::SyncOutput out;
    reported.fed_snapshot_id = 0;
    switch (input.ConsumeIntegralInRange(0, 7)) {
      case 0:
      case 1:
      case 2:
      case 3: {
        const std::uint64_t first = base + input.ConsumeIntegralInRange<std::uint64_t>(0, 48);
        const std::uint64_t last = first + input.ConsumeIntegralInRange<std::uint64_t>(0, 6);
        const std::string frame =
            R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1718000000123,)"
            R"("s":"BTCUSDT","U":)" + std::to_string(first) + R"(,"u":)" + std::to_string(last) +
            R"(,"b":)" + levels(input) + R"(,"a":)" + levels(input) + "}}";
        auto decoded = codec.decode_stream(frame, kNow);
        if (!decoded || !std::holds_alternative<binance::DepthUpdate>(*decoded)) break;
        out = sync.on_update(std::get<binance::DepthUpdate>(std::move(*decoded)), kNow);
        for (const auto& event : out.events) {
          if (const auto* deltas = std::get_if<BookDeltas>(&event)) {
            check(deltas->last_sequence == last, "deltas end elsewhere than the update's u");
          }
        }
        break;
      }
      case 4:
      case 5: {
        const std::uint64_t last_update_id =
            base + input.ConsumeIntegralInRange<std::uint64_t>(0, 48);
        const std::string body = R"({"lastUpdateId":)" + std::to_string(last_update_id) +
                                 R"(,"bids":)" + levels(input) + R"(,"asks":)" + levels(input) +
                                 "}";
        auto snapshot = codec.decode_depth_snapshot(body, instruments.front(), kNow);
        if (!snapshot) break;
        reported.fed_snapshot_id = last_update_id;
        out = sync.on_snapshot(std::move(*snapshot), kNow);
        break;
      }
      case 6:
        out = sync.invalidate(ResyncReason::Stale, "fuzz", kNow);
        check(out.request_snapshot, "invalidate did not ask for a snapshot");
        break;
      default:
        out = sync.start();
        check(out.events.empty() && out.request_snapshot, "start reported something");
        reported.synced = false;
        break;
    }
    for (const auto& event : out.events) reported.observe(event);
    check(sync.synced() == reported.synced, "synced() disagrees with what was reported");
    if (sync.synced()) check(sync.update_id() == reported.sequence, "update_id() off the chain");
    check(sync.buffered() <= kMaxBuffered, "more events buffered than the bound");
  }
  return 0;
}
