// bench_core: the in-memory hot paths (fixed-point decimals, L2 book, risk check, order
// manager), each printed beside its reference from the same run.

#include "bench/common/comparison_reporter.hpp"
#include "bench/core/targets.hpp"

int main(int argc, char** argv) {
  using troupe::bench::versus;
  using troupe::bench::within_ns;
  const std::vector<troupe::bench::Comparison> comparisons = {
      versus("Price::parse(\"60000.12\",2) vs strtod", "fixed_point/parse/price/troupe",
             "fixed_point/parse/price/strtod"),
      versus("Price::parse vs from_chars(double)", "fixed_point/parse/price/troupe",
             "fixed_point/parse/price/from_chars"),
      versus("Quantity::parse(\"0.00400000\",8) vs strtod", "fixed_point/parse/quantity/troupe",
             "fixed_point/parse/quantity/strtod"),
      versus("Quantity::parse vs from_chars(double)", "fixed_point/parse/quantity/troupe",
             "fixed_point/parse/quantity/from_chars"),
      versus("Price::to_string vs to_chars(double)", "fixed_point/format/price/troupe",
             "fixed_point/format/price/to_chars"),
      versus("Quantity::to_string vs to_chars(double)", "fixed_point/format/quantity/troupe",
             "fixed_point/format/quantity/to_chars"),
      versus("BookEngine apply, 1 level vs std::map", "book/apply/troupe/levels:1",
             "book/apply/std_map/levels:1", 1),
      versus("BookEngine apply, 10 levels vs std::map", "book/apply/troupe/levels:10",
             "book/apply/std_map/levels:10", 10),
      versus("BookEngine top_into(10) vs std::map", "book/top_into_10/troupe",
             "book/top_into_10/std_map"),
      within_ns("RiskEngine::check, limit order", "risk/check/limit_order",
                troupe::bench::kRiskCheckTargetNs),
      within_ns("RiskEngine::check, market order", "risk/check/market_order",
                troupe::bench::kRiskCheckTargetNs),
      versus("OMS submit+accept+fill vs hash-map floor", "oms/submit_accept_fill/troupe",
             "oms/submit_accept_fill/hash_map_floor"),
  };
  return troupe::bench::run_benchmarks(argc, argv, comparisons);
}
