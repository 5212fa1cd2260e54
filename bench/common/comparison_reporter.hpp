#pragma once
// Runs a benchmark program and, after Google Benchmark's own table, prints each of our figures
// beside the reference it competes with (architecture §8): both come from the same run, so a
// reader can compare them without trusting figures taken on another day or machine.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace troupe::bench {

/// One of our benchmarks set against its reference benchmark, or against an absolute target.
/// Names are Google Benchmark's full names ("book/apply/engine/levels:10").
struct Comparison {
  std::string title;      ///< row title, e.g. "Price::parse vs strtod"
  std::string ours;       ///< our benchmark's name
  std::string reference;  ///< the reference benchmark's name; empty when only a target applies
  /// Work units per iteration (level updates per BookDeltas), for the "ns/unit" column.
  double units_per_iteration = 1;
  std::optional<double> max_ratio;  ///< target: ours / reference <= this (CPU time)
  std::optional<double> max_ns;     ///< target: our CPU ns per iteration <= this
};

/// `ours` against `reference`; `units_per_iteration` splits the time per work unit.
inline Comparison versus(std::string title, std::string ours, std::string reference,
                         double units_per_iteration = 1) {
  Comparison c;
  c.title = std::move(title);
  c.ours = std::move(ours);
  c.reference = std::move(reference);
  c.units_per_iteration = units_per_iteration;
  return c;
}

/// `ours` against `reference` with a target: ours / reference <= `max_ratio`.
inline Comparison versus_at_most(std::string title, std::string ours, std::string reference,
                                 double max_ratio) {
  Comparison c = versus(std::move(title), std::move(ours), std::move(reference));
  c.max_ratio = max_ratio;
  return c;
}

/// `ours` against an absolute target: at most `max_ns` CPU ns per iteration.
inline Comparison within_ns(std::string title, std::string ours, double max_ns) {
  Comparison c;
  c.title = std::move(title);
  c.ours = std::move(ours);
  c.max_ns = max_ns;
  return c;
}

/// Parses Google Benchmark's flags, runs the selected benchmarks and prints the comparison
/// table (CPU ns per iteration; the median when --benchmark_repetitions is given). Rows whose
/// benchmarks were filtered out are skipped. Returns the process exit code.
int run_benchmarks(int argc, char** argv, const std::vector<Comparison>& comparisons);

}  // namespace troupe::bench
