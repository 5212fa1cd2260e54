#pragma once
// Process-wide logging setup (spdlog). Code elsewhere logs with spdlog::info(...) directly.

#include <tl/expected.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace spdlog::sinks {
class sink;
}  // namespace spdlog::sinks

namespace troupe {

/// True for the level names init_logging accepts: trace, debug, info, warn, error, critical, off.
bool is_log_level(std::string_view level);

/// Replaces the default spdlog logger with one writing to stderr (colored on a terminal) in the
/// form `2024-05-01T12:00:00.123 info [node-1] message`, timestamps in UTC. Returns an error text
/// naming the bad level when `level` is not one of is_log_level's names; the old logger then
/// stays in place. Safe to call again (tests, reconfiguration).
tl::expected<void, std::string> init_logging(const std::string& level,
                                             const std::string& node_name);

/// As above, writing to `sink` instead of stderr (tests, log files).
tl::expected<void, std::string> init_logging(const std::string& level, const std::string& node_name,
                                             std::shared_ptr<spdlog::sinks::sink> sink);

}  // namespace troupe
