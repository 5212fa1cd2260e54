#include "adapters/sim/front_end.hpp"

#include <array>
#include <utility>

namespace troupe::sim {
namespace {

constexpr std::array<std::pair<FaultKind, std::string_view>, 8> kFaultNames{{
    {FaultKind::Drop, "drop"},
    {FaultKind::Duplicate, "duplicate"},
    {FaultKind::Reorder, "reorder"},
    {FaultKind::CorruptChecksum, "corrupt_checksum"},
    {FaultKind::Malformed, "malformed"},
    {FaultKind::Stall, "stall"},
    {FaultKind::Disconnect, "disconnect"},
    {FaultKind::Throttle, "throttle"},
}};

}  // namespace

std::string_view to_string(FaultKind kind) {
  for (const auto& [k, name] : kFaultNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<FaultKind> parse_fault_kind(std::string_view text) {
  for (const auto& [k, name] : kFaultNames) {
    if (name == text) return k;
  }
  return std::nullopt;
}

}  // namespace troupe::sim
