#include "bench/common/comparison_reporter.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string_view>
#include <unistd.h>

namespace troupe::bench {
namespace {

// Forwards everything to the reporter Google Benchmark would have used and keeps the CPU time
// per iteration of each run for the comparison table.
class CollectingReporter final : public benchmark::BenchmarkReporter {
 public:
  explicit CollectingReporter(std::unique_ptr<benchmark::BenchmarkReporter> inner)
      : inner_(std::move(inner)) {}

  bool ReportContext(const Context& context) override { return inner_->ReportContext(context); }

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred || run.iterations == 0) continue;
      cpu_ns_[run.benchmark_name()].push_back(run.cpu_accumulated_time * 1e9 /
                                              static_cast<double>(run.iterations));
    }
    inner_->ReportRuns(runs);
  }

  void Finalize() override { inner_->Finalize(); }

  /// Median CPU ns per iteration of `name`, if it ran.
  std::optional<double> cpu_ns(const std::string& name) const {
    auto it = cpu_ns_.find(name);
    if (it == cpu_ns_.end() || it->second.empty()) return std::nullopt;
    std::vector<double> values = it->second;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> inner_;
  std::map<std::string, std::vector<double>> cpu_ns_;
};

// The value of `--name=value` in argv, or "" (read before benchmark::Initialize consumes it).
std::string flag_value(int argc, char** argv, std::string_view name) {
  const std::string prefix = "--" + std::string(name) + "=";
  std::string value;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.substr(0, prefix.size()) == prefix) value = std::string(arg.substr(prefix.size()));
  }
  return value;
}

std::unique_ptr<benchmark::BenchmarkReporter> make_display_reporter(int argc, char** argv) {
  const std::string format = flag_value(argc, argv, "benchmark_format");
  if (format == "json") return std::make_unique<benchmark::JSONReporter>();
  if (format == "csv") {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    return std::make_unique<benchmark::CSVReporter>();
#pragma GCC diagnostic pop
  }
  const std::string tabular = flag_value(argc, argv, "benchmark_counters_tabular");
  const std::string color = flag_value(argc, argv, "benchmark_color");
  int options = benchmark::ConsoleReporter::OO_None;
  if (tabular == "true" || tabular == "1") options |= benchmark::ConsoleReporter::OO_Tabular;
  const bool want_color =
      color == "true" || color == "1" || ((color.empty() || color == "auto") && isatty(1));
  if (want_color) options |= benchmark::ConsoleReporter::OO_Color;
  return std::make_unique<benchmark::ConsoleReporter>(
      static_cast<benchmark::ConsoleReporter::OutputOptions>(options));
}

std::string format_ns(double ns) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), ns < 10 ? "%.2f" : (ns < 1000 ? "%.1f" : "%.0f"), ns);
  return buf;
}

void print_table(std::ostream& out, const CollectingReporter& collected,
                 const std::vector<Comparison>& comparisons) {
  char line[256];
  bool header = false;
  for (const Comparison& c : comparisons) {
    const auto ours_ns = collected.cpu_ns(c.ours);
    if (!ours_ns) continue;
    const bool has_reference = !c.reference.empty();
    const auto reference_ns = has_reference ? collected.cpu_ns(c.reference) : std::nullopt;
    if (has_reference && !reference_ns) continue;
    if (!header) {
      out << "\nOurs vs reference, CPU ns per iteration, measured in this run:\n";
      std::snprintf(line, sizeof(line), "%-44s %10s %10s %12s %8s  %-16s %s\n", "comparison",
                    "ours ns", "ns/unit", "reference ns", "ratio", "target", "met");
      out << line;
      header = true;
    }
    const double ours = *ours_ns;
    const double reference = reference_ns.value_or(0);
    std::string reference_text = "-";
    std::string ratio_text = "-";
    std::string target = "-";
    std::string met = "-";
    if (has_reference) {
      reference_text = format_ns(reference);
      ratio_text = format_ns(ours / reference) + "x";
    }
    if (c.max_ratio && has_reference) {
      target = "<= " + format_ns(*c.max_ratio) + "x ref";
      met = ours / reference <= *c.max_ratio ? "yes" : "NO";
    } else if (c.max_ns) {
      target = "<= " + format_ns(*c.max_ns) + " ns";
      met = ours <= *c.max_ns ? "yes" : "NO";
    }
    std::snprintf(line, sizeof(line), "%-44s %10s %10s %12s %8s  %-16s %s\n", c.title.c_str(),
                  format_ns(ours).c_str(), format_ns(ours / c.units_per_iteration).c_str(),
                  reference_text.c_str(), ratio_text.c_str(), target.c_str(), met.c_str());
    out << line;
  }
}

}  // namespace

int run_benchmarks(int argc, char** argv, const std::vector<Comparison>& comparisons) {
  const std::string format = flag_value(argc, argv, "benchmark_format");
  CollectingReporter reporter(make_display_reporter(argc, argv));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  // JSON and CSV stay machine-readable on stdout: the table goes to stderr then.
  print_table(format.empty() || format == "console" ? std::cout : std::cerr, reporter, comparisons);
  benchmark::Shutdown();
  return 0;
}

}  // namespace troupe::bench
