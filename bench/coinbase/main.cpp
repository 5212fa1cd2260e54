// bench_coinbase_book: Coinbase Advanced Trade l2_data updates through the real codec, the
// venue book engine and the symbol book, beside a raw simdjson walk of the same frames from the
// same run.

#include "bench/common/comparison_reporter.hpp"

namespace {

/// Target: frame to book updated costs at most twice a raw simdjson parse of the same frame.
constexpr double kFrameToBookMaxRatio = 2.0;

}  // namespace

int main(int argc, char** argv) {
  using troupe::bench::versus;
  using troupe::bench::versus_at_most;
  std::vector<troupe::bench::Comparison> comparisons;
  for (const char* levels : {"2", "20"}) {
    const std::string arg = std::string("/levels_per_update:") + levels;
    const std::string raw = "coinbase/raw_simdjson_walk" + arg;
    comparisons.push_back(versus(std::string("decode, ") + levels + " levels/update vs raw parse",
                                 "coinbase/decode" + arg, raw));
    comparisons.push_back(versus_at_most(
        std::string("decode+venue book+apply, ") + levels + " levels/update vs raw parse",
        "coinbase/frame_to_book" + arg, raw, kFrameToBookMaxRatio));
  }
  return troupe::bench::run_benchmarks(argc, argv, comparisons);
}
