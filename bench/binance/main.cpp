// bench_binance_decode: Binance depthUpdate frames through the real codec, alone and on to the
// book (BookSync, then BookEngine::apply), beside a raw simdjson walk of the same frames from the
// same run.

#include "bench/common/comparison_reporter.hpp"

namespace {

/// Target: decoding a frame and applying it to the book costs at most twice a raw simdjson
/// parse of the same frame.
constexpr double kDecodeApplyMaxRatio = 2.0;

}  // namespace

int main(int argc, char** argv) {
  using troupe::bench::versus;
  using troupe::bench::versus_at_most;
  std::vector<troupe::bench::Comparison> comparisons;
  for (const char* levels : {"2", "20"}) {
    const std::string arg = std::string("/levels_per_side:") + levels;
    const std::string raw = "binance/raw_simdjson_walk" + arg;
    comparisons.push_back(versus(std::string("decode, ") + levels + " levels/side vs raw parse",
                                 "binance/decode" + arg, raw));
    comparisons.push_back(
        versus_at_most(std::string("decode+sync+apply, ") + levels + " levels/side vs raw parse",
                       "binance/frame_to_book" + arg, raw, kDecodeApplyMaxRatio));
  }
  return troupe::bench::run_benchmarks(argc, argv, comparisons);
}
