#include "runtime/type_ids.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/deep_to_string.hpp>
#include <caf/message.hpp>

namespace troupe {

void register_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::troupe>();
  // Renders supervisor errors as "supervisor: max_restarts_exceeded" in logs. (CAF 0.17.6's
  // add_error_category<T>() does not compile; the renderer form does.)
  cfg.add_error_category(supervisor_error_category(), [](std::uint8_t code, caf::atom_value,
                                                         const caf::message& context) {
    std::string out = "supervisor: " + to_string(static_cast<SupervisorError>(code));
    if (!context.empty()) out += " " + caf::deep_to_string(context);
    return out;
  });
}

}  // namespace troupe
