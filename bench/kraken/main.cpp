// bench_kraken_book: Kraken WS v2 book updates through the real codec, BookSync (with the CRC32
// checksum of the top ten levels) and the symbol book, beside a raw simdjson walk of the same
// frames from the same run.

#include "bench/common/comparison_reporter.hpp"

namespace {

/// Target: frame to book updated costs at most twice a raw simdjson parse of the same frame.
constexpr double kFrameToBookMaxRatio = 2.0;

}  // namespace

int main(int argc, char** argv) {
  using troupe::bench::versus;
  using troupe::bench::versus_at_most;
  std::vector<troupe::bench::Comparison> comparisons;
  for (const char* levels : {"2", "10"}) {
    const std::string arg = std::string("/levels_per_update:") + levels;
    const std::string raw = "kraken/raw_simdjson_walk" + arg;
    comparisons.push_back(versus(std::string("decode, ") + levels + " levels/update vs raw parse",
                                 "kraken/decode" + arg, raw));
    comparisons.push_back(versus_at_most(
        std::string("decode+sync+checksum+apply, ") + levels + " levels/update vs raw parse",
        "kraken/frame_to_book" + arg, raw, kFrameToBookMaxRatio));
  }
  return troupe::bench::run_benchmarks(argc, argv, comparisons);
}
