#include "runtime/logging.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <regex>
#include <sstream>

namespace troupe {
namespace {

TEST(Logging, WritesTimestampLevelAndNodeNameBeforeTheMessage) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  ASSERT_TRUE(init_logging("info", "node-7", sink).has_value());
  spdlog::info("order {} accepted", 42);
  EXPECT_TRUE(std::regex_match(
      out.str(),
      std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} info \[node-7\] order 42 accepted\n)")))
      << out.str();
}

TEST(Logging, DropsMessagesBelowTheConfiguredLevel) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  ASSERT_TRUE(init_logging("warn", "n", sink).has_value());
  spdlog::info("hidden");
  spdlog::warn("shown");
  EXPECT_EQ(out.str().find("hidden"), std::string::npos);
  EXPECT_NE(out.str().find("warning [n] shown"), std::string::npos) << out.str();
}

TEST(Logging, PrintsANodeNameWithPercentSignsLiterally) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  ASSERT_TRUE(init_logging("trace", "n%v", sink).has_value());
  spdlog::trace("x");
  EXPECT_NE(out.str().find("[n%v] x"), std::string::npos) << out.str();
}

TEST(Logging, RejectsAnUnknownLevelAndKeepsTheCurrentLogger) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  ASSERT_TRUE(init_logging("info", "keep", sink).has_value());
  auto result = init_logging("verbose", "other");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error(),
            "invalid log level \"verbose\" (expected trace|debug|info|warn|error|critical|off)");
  spdlog::info("still here");
  EXPECT_NE(out.str().find("[keep] still here"), std::string::npos);
}

TEST(Logging, AcceptsExactlyTheDocumentedLevelNames) {
  for (const char* level : {"trace", "debug", "info", "warn", "error", "critical", "off"})
    EXPECT_TRUE(is_log_level(level)) << level;
  EXPECT_FALSE(is_log_level("INFO"));
  EXPECT_FALSE(is_log_level("warning"));
  EXPECT_FALSE(is_log_level(""));
}

}  // namespace
}  // namespace troupe
