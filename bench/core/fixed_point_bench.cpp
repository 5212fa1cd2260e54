// Fixed-point decimal parse and format (messages/fixed_point.hpp) against the standard
// library's double conversions on the same texts: strtod / from_chars to parse, to_chars to
// format. The double routines round; ours are exact and refuse to round, so they compete on
// speed only.

#include "messages/fixed_point.hpp"

#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>

namespace troupe::bench {
namespace {

// The texts of the assignment: a BTCUSDT price as Binance quotes it at precision 2 and a size
// at precision 8. Kept in std::string so strtod gets a terminating NUL.
const std::string kPriceText = "60000.12";
const std::string kQuantityText = "0.00400000";

template <class Value>
void fixed_point_parse(benchmark::State& state, const std::string& text, std::uint8_t precision) {
  std::string_view view = text;
  for (auto _ : state) {
    // Hides the text from the optimiser so every iteration parses it again.
    benchmark::DoNotOptimize(view);
    auto parsed = Value::parse(view, precision);
    if (!parsed) {
      state.SkipWithError("parse failed");
      break;
    }
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
}

void strtod_parse(benchmark::State& state, const std::string& text) {
  const char* begin = text.c_str();
  for (auto _ : state) {
    benchmark::DoNotOptimize(begin);
    char* end = nullptr;
    double value = std::strtod(begin, &end);
    benchmark::DoNotOptimize(value);
    benchmark::DoNotOptimize(end);
  }
  state.SetItemsProcessed(state.iterations());
}

void from_chars_parse(benchmark::State& state, const std::string& text) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  for (auto _ : state) {
    benchmark::DoNotOptimize(begin);
    double value = 0;
    auto result = std::from_chars(begin, end, value);
    if (result.ec != std::errc{}) {
      state.SkipWithError("from_chars failed");
      break;
    }
    benchmark::DoNotOptimize(value);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class Value>
void fixed_point_format(benchmark::State& state, const std::string& text, std::uint8_t precision) {
  Value value = *Value::parse(text, precision);
  for (auto _ : state) {
    benchmark::DoNotOptimize(value);
    // Returns a std::string; both texts fit the small-string buffer, so nothing is allocated.
    std::string out = value.to_string();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void to_chars_format(benchmark::State& state, const std::string& text) {
  double value = std::strtod(text.c_str(), nullptr);
  char buffer[32];
  for (auto _ : state) {
    benchmark::DoNotOptimize(value);
    // Shortest round-trip form: "60000.12" and "0.004".
    auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    benchmark::DoNotOptimize(result.ptr);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

// Registration at static-initialisation time, like BENCHMARK(); names follow "area/what/who".
const bool kRegistered = [] {
  benchmark::RegisterBenchmark("fixed_point/parse/price/troupe", fixed_point_parse<Price>,
                               kPriceText, std::uint8_t{2});
  benchmark::RegisterBenchmark("fixed_point/parse/price/strtod", strtod_parse, kPriceText);
  benchmark::RegisterBenchmark("fixed_point/parse/price/from_chars", from_chars_parse, kPriceText);
  benchmark::RegisterBenchmark("fixed_point/parse/quantity/troupe", fixed_point_parse<Quantity>,
                               kQuantityText, std::uint8_t{8});
  benchmark::RegisterBenchmark("fixed_point/parse/quantity/strtod", strtod_parse, kQuantityText);
  benchmark::RegisterBenchmark("fixed_point/parse/quantity/from_chars", from_chars_parse,
                               kQuantityText);
  benchmark::RegisterBenchmark("fixed_point/format/price/troupe", fixed_point_format<Price>,
                               kPriceText, std::uint8_t{2});
  benchmark::RegisterBenchmark("fixed_point/format/price/to_chars", to_chars_format, kPriceText);
  benchmark::RegisterBenchmark("fixed_point/format/quantity/troupe", fixed_point_format<Quantity>,
                               kQuantityText, std::uint8_t{8});
  benchmark::RegisterBenchmark("fixed_point/format/quantity/to_chars", to_chars_format,
                               kQuantityText);
  return true;
}();

}  // namespace
}  // namespace troupe::bench
