#include "bench/binance/depth_frames.hpp"

#include "bench/common/bench_fixtures.hpp"

namespace troupe::bench {
namespace {

/// Binance's wire precision for prices and sizes on spot depth streams.
constexpr std::uint8_t kWireDecimals = 8;

// Prices and sizes of the fixtures are exact at 8 decimals, so rescaling never fails.
template <class Value>
std::string wire_text(Value value) {
  return value.rescaled(kWireDecimals)->to_string();
}

void append_levels(std::string& out, const BookDeltas& batch, Side side) {
  bool first = true;
  for (const BookDelta& delta : batch.deltas) {
    if (delta.side != side) continue;
    if (!first) out += ',';
    first = false;
    out += "[\"" + wire_text(delta.price) + "\",\"" + wire_text(delta.size) + "\"]";
  }
}

}  // namespace

std::vector<DepthFrame> depth_frames(const Instrument& instrument, std::size_t count,
                                     std::size_t levels_per_side, std::uint64_t first_update_id) {
  // Changes within 50 ticks of the touch: a 100 ms frame of a busy symbol touches the top
  // few dozen levels.
  const auto batches =
      near_touch_deltas(instrument, count, 2 * levels_per_side, SideOrder::BidsThenAsks, 50, 11);
  std::vector<DepthFrame> frames;
  frames.reserve(count);
  std::int64_t event_ms = 1'700'000'000'000;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t first = first_update_id + 3 * i;
    std::string text = R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":)" +
                       std::to_string(event_ms += 100) + R"(,"s":"BTCUSDT","U":)" +
                       std::to_string(first) + R"(,"u":)" + std::to_string(first + 2) + R"(,"b":[)";
    append_levels(text, batches[i], Side::Buy);
    text += R"(],"a":[)";
    append_levels(text, batches[i], Side::Sell);
    text += "]}}";
    DepthFrame frame;
    frame.text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
    frame.text = text;
    frames.push_back(std::move(frame));
  }
  return frames;
}

}  // namespace troupe::bench
