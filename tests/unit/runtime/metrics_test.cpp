#include "runtime/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace troupe {
namespace {

TEST(MetricsRegistry, ReturnsTheSameObjectForTheSameNameAndLabels) {
  MetricsRegistry reg;
  auto& a = reg.counter("troupe_orders_total", "Orders.", {{"venue", "binance"}});
  auto& b = reg.counter("troupe_orders_total", "Orders.", {{"venue", "binance"}});
  auto& c = reg.counter("troupe_orders_total", "Orders.", {{"venue", "kraken"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &c);
  a.inc();
  b.inc(2);
  EXPECT_DOUBLE_EQ(a.value(), 3);
  EXPECT_DOUBLE_EQ(c.value(), 0);
}

TEST(MetricsRegistry, TreatsLabelSetsInAnyOrderAsOneSeries) {
  MetricsRegistry reg;
  auto& a = reg.gauge("troupe_depth", "Depth.", {{"b", "2"}, {"a", "1"}});
  auto& b = reg.gauge("troupe_depth", "Depth.", {{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(&a, &b);
}

TEST(MetricsRegistry, ReferencesStayValidWhileManyMoreSeriesAreAdded) {
  MetricsRegistry reg;
  auto& first = reg.counter("troupe_x_total", "X.", {{"i", "0"}});
  for (int i = 1; i < 1000; ++i) reg.counter("troupe_x_total", "X.", {{"i", std::to_string(i)}});
  first.inc(5);
  EXPECT_DOUBLE_EQ(reg.counter("troupe_x_total", "X.", {{"i", "0"}}).value(), 5);
}

TEST(Gauge, SetsIncrementsAndDecrements) {
  MetricsRegistry reg;
  auto& g = reg.gauge("troupe_open_orders", "Open orders.");
  g.set(10);
  g.inc();
  g.dec(3.5);
  EXPECT_DOUBLE_EQ(g.value(), 7.5);
  g.set(-2);
  EXPECT_DOUBLE_EQ(g.value(), -2);
}

TEST(Histogram, CountsAValueEqualToABoundIntoThatBucket) {
  Histogram h({0.1, 1.0, 10.0});
  h.observe(0.1);
  h.observe(0.5);
  h.observe(10.0);
  h.observe(11.0);
  EXPECT_EQ(h.count(), 4u);
  EXPECT_DOUBLE_EQ(h.sum(), 21.6);
  EXPECT_EQ(h.cumulative_count(0), 1u);
  EXPECT_EQ(h.cumulative_count(1), 2u);
  EXPECT_EQ(h.cumulative_count(2), 3u);
  EXPECT_EQ(h.cumulative_count(3), 4u);
}

TEST(MetricsRegistry, RendersCountersAndGaugesInPrometheusTextFormat) {
  MetricsRegistry reg;
  reg.counter("troupe_orders_submitted_total", "Orders sent to a venue.", {{"venue", "binance"}})
      .inc(3);
  reg.counter("troupe_orders_submitted_total", "Orders sent to a venue.", {{"venue", "alpaca"}})
      .inc(0.5);
  reg.gauge("troupe_book_levels", "Levels in the book.").set(42);
  EXPECT_EQ(reg.exposition(),
            "# HELP troupe_book_levels Levels in the book.\n"
            "# TYPE troupe_book_levels gauge\n"
            "troupe_book_levels 42\n"
            "# HELP troupe_orders_submitted_total Orders sent to a venue.\n"
            "# TYPE troupe_orders_submitted_total counter\n"
            "troupe_orders_submitted_total{venue=\"alpaca\"} 0.5\n"
            "troupe_orders_submitted_total{venue=\"binance\"} 3\n");
}

TEST(MetricsRegistry, RendersHistogramBucketsCumulativelyWithInfSumAndCount) {
  MetricsRegistry reg;
  auto& h = reg.histogram("troupe_risk_check_seconds", "Risk check latency.", {0.001, 0.01, 1},
                          {{"account", "paper"}});
  h.observe(0.0005);
  h.observe(0.005);
  h.observe(0.005);
  h.observe(2);
  EXPECT_EQ(reg.exposition(),
            "# HELP troupe_risk_check_seconds Risk check latency.\n"
            "# TYPE troupe_risk_check_seconds histogram\n"
            "troupe_risk_check_seconds_bucket{account=\"paper\",le=\"0.001\"} 1\n"
            "troupe_risk_check_seconds_bucket{account=\"paper\",le=\"0.01\"} 3\n"
            "troupe_risk_check_seconds_bucket{account=\"paper\",le=\"1\"} 3\n"
            "troupe_risk_check_seconds_bucket{account=\"paper\",le=\"+Inf\"} 4\n"
            "troupe_risk_check_seconds_sum{account=\"paper\"} 2.0105\n"
            "troupe_risk_check_seconds_count{account=\"paper\"} 4\n");
}

TEST(MetricsRegistry, RendersAnUnlabelledHistogramWithOnlyTheLeLabel) {
  MetricsRegistry reg;
  reg.histogram("troupe_batch_size", "Batch size.", {8}).observe(3);
  EXPECT_EQ(reg.exposition(),
            "# HELP troupe_batch_size Batch size.\n"
            "# TYPE troupe_batch_size histogram\n"
            "troupe_batch_size_bucket{le=\"8\"} 1\n"
            "troupe_batch_size_bucket{le=\"+Inf\"} 1\n"
            "troupe_batch_size_sum 3\n"
            "troupe_batch_size_count 1\n");
}

TEST(MetricsRegistry, EscapesLabelValuesAndHelpText) {
  MetricsRegistry reg;
  reg.counter("troupe_errors_total", "Errors by text.\nBackslash \\ kept.",
              {{"reason", "bad \"frame\"\nat C:\\x"}})
      .inc();
  EXPECT_EQ(reg.exposition(),
            "# HELP troupe_errors_total Errors by text.\\nBackslash \\\\ kept.\n"
            "# TYPE troupe_errors_total counter\n"
            "troupe_errors_total{reason=\"bad \\\"frame\\\"\\nat C:\\\\x\"} 1\n");
}

TEST(MetricsRegistry, LosesNoIncrementsUnderConcurrentUpdates) {
  MetricsRegistry reg;
  auto& c = reg.counter("troupe_ticks_total", "Ticks.");
  auto& h = reg.histogram("troupe_tick_size", "Sizes.", {1, 2});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        c.inc();
        h.observe(1.5);
        reg.gauge("troupe_threads", "Concurrent lookups.").inc();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_DOUBLE_EQ(c.value(), 80000);
  EXPECT_EQ(h.count(), 80000u);
  EXPECT_EQ(h.cumulative_count(1), 80000u);
  EXPECT_DOUBLE_EQ(reg.gauge("troupe_threads", "Concurrent lookups.").value(), 80000);
}

TEST(MetricsRegistry, FormatsSpecialValuesAsPrometheusDoes) {
  EXPECT_EQ(format_metric_value(1e21), "1e+21");
  EXPECT_EQ(format_metric_value(-0.25), "-0.25");
  EXPECT_EQ(format_metric_value(1.0 / 0.0), "+Inf");
  EXPECT_EQ(format_metric_value(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(format_metric_value(0.0 / 0.0), "NaN");
}

TEST(MetricsRegistry, ValidatesMetricAndLabelNames) {
  EXPECT_TRUE(is_valid_metric_name("troupe_orders_total"));
  EXPECT_TRUE(is_valid_metric_name("troupe:rate_5m"));
  EXPECT_FALSE(is_valid_metric_name("9lives"));
  EXPECT_FALSE(is_valid_metric_name("troupe-orders"));
  EXPECT_FALSE(is_valid_metric_name(""));
  EXPECT_TRUE(is_valid_label_name("venue"));
  EXPECT_FALSE(is_valid_label_name("__name__"));
  EXPECT_FALSE(is_valid_label_name("a:b"));
}

using MetricsRegistryDeathTest = ::testing::Test;

TEST(MetricsRegistryDeathTest, AbortsOnAnInvalidMetricName) {
  MetricsRegistry reg;
  EXPECT_DEATH(reg.counter("troupe-orders", "Bad."), "invalid metric name 'troupe-orders'");
}

TEST(MetricsRegistryDeathTest, AbortsOnAnInvalidLabelName) {
  MetricsRegistry reg;
  EXPECT_DEATH(reg.counter("troupe_x_total", "X.", {{"bad-label", "v"}}),
               "invalid label name 'bad-label'");
}

TEST(MetricsRegistryDeathTest, AbortsWhenOneNameIsRegisteredAsTwoTypes) {
  MetricsRegistry reg;
  reg.counter("troupe_x", "X.");
  EXPECT_DEATH(reg.gauge("troupe_x", "X."), "registered as counter, requested as gauge");
}

TEST(MetricsRegistryDeathTest, AbortsOnANegativeCounterIncrement) {
  MetricsRegistry reg;
  auto& c = reg.counter("troupe_x_total", "X.");
  EXPECT_DEATH(c.inc(-1), "must be >= 0");
}

TEST(MetricsRegistryDeathTest, AbortsOnUnsortedHistogramBuckets) {
  MetricsRegistry reg;
  EXPECT_DEATH(reg.histogram("troupe_h", "H.", {1, 1}), "strictly increasing");
}

}  // namespace
}  // namespace troupe
