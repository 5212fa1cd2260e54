#include "runtime/config_loader.hpp"

#include "runtime/config_reader.hpp"
#include "runtime/config_sections.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace troupe {

std::string ConfigError::to_string() const {
  std::string out = source;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!key.empty()) out += key + ": ";
  out += message;
  return out;
}

namespace {

bool is_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

}  // namespace

tl::expected<std::string, std::string> expand_environment(const std::string& text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '$' || i + 1 >= text.size() || text[i + 1] != '{') {
      out += text[i++];
      continue;
    }
    const auto close = text.find('}', i + 2);
    if (close == std::string::npos)
      return tl::make_unexpected("unterminated ${ in \"" + text + "\"");
    const std::string inner = text.substr(i + 2, close - i - 2);
    const auto dash = inner.find(":-");
    const std::string name = inner.substr(0, dash);
    if (!is_env_name(name))
      return tl::make_unexpected("invalid environment variable name \"" + name + "\" in ${...}");
    const char* value = std::getenv(name.c_str());
    if (dash != std::string::npos) {
      out += (value != nullptr && *value != '\0') ? std::string(value) : inner.substr(dash + 2);
    } else if (value != nullptr) {
      out += value;
    } else {
      return tl::make_unexpected("environment variable " + name + " is not set (write ${" + name +
                                 ":-default} for a default)");
    }
    i = close + 1;
  }
  return out;
}

tl::expected<NodeConfig, ConfigError> load_node_config_from_string(
    const std::string& yaml_text, const std::vector<std::string>& overrides,
    const std::string& source_name) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    return tl::make_unexpected(ConfigError{"", e.mark.line + 1, e.msg, source_name});
  } catch (const YAML::Exception& e) {
    return tl::make_unexpected(ConfigError{"", 0, e.what(), source_name});
  }
  std::set<std::string> overridden;
  try {
    if (!root.IsDefined() || root.IsNull()) root.reset(YAML::Node(YAML::NodeType::Map));
    for (const auto& assignment : overrides) {
      auto key = config_detail::apply_override(root, assignment);
      if (!key) return tl::make_unexpected(key.error());
      overridden.insert(*key);
    }
    config_detail::ConfigContext ctx(source_name, std::move(overridden));
    NodeConfig cfg = config_detail::map_node_config(ctx, root);
    if (ctx.failed()) return tl::make_unexpected(*ctx.error());
    return cfg;
  } catch (const YAML::Exception& e) {
    // yaml-cpp reports misuse by exception; convert at the edge so a bad file never crashes.
    return tl::make_unexpected(ConfigError{"", e.mark.line + 1, e.msg, source_name});
  }
}

tl::expected<NodeConfig, ConfigError> load_node_config(const std::string& path,
                                                       const std::vector<std::string>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return tl::make_unexpected(
        ConfigError{"", 0, std::string("cannot open file: ") + std::strerror(errno), path});
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return tl::make_unexpected(
        ConfigError{"", 0, std::string("cannot read file: ") + std::strerror(errno), path});
  return load_node_config_from_string(text.str(), overrides, path);
}

}  // namespace troupe
