#include "runtime/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

namespace troupe {
namespace {

constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 7> kLevels{{
    {"trace", spdlog::level::trace},
    {"debug", spdlog::level::debug},
    {"info", spdlog::level::info},
    {"warn", spdlog::level::warn},
    {"error", spdlog::level::err},
    {"critical", spdlog::level::critical},
    {"off", spdlog::level::off},
}};

// spdlog patterns treat '%' as a flag: a node name is literal text.
std::string escape_pattern(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += '%';
    out += c;
  }
  return out;
}

}  // namespace

bool is_log_level(std::string_view level) {
  for (const auto& [name, value] : kLevels)
    if (name == level) return true;
  return false;
}

tl::expected<void, std::string> init_logging(const std::string& level,
                                             const std::string& node_name) {
  if (!is_log_level(level))  // checked before creating the sink: a bad level changes nothing
    return init_logging(level, node_name, nullptr);
  return init_logging(level, node_name, std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
}

tl::expected<void, std::string> init_logging(const std::string& level, const std::string& node_name,
                                             std::shared_ptr<spdlog::sinks::sink> sink) {
  const auto* found = std::find_if(kLevels.begin(), kLevels.end(),
                                   [&](const auto& entry) { return entry.first == level; });
  if (found == kLevels.end())
    return tl::make_unexpected("invalid log level \"" + level +
                               "\" (expected trace|debug|info|warn|error|critical|off)");
  auto logger = std::make_shared<spdlog::logger>("troupe", std::move(sink));
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [" + escape_pattern(node_name) + "] %v",
                      spdlog::pattern_time_type::utc);
  logger->set_level(found->second);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  return {};
}

}  // namespace troupe
