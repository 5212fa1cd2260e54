#pragma once
// Loads a node's YAML configuration (schema documented key by key in config/paper.yaml) into
// NodeConfig. CAF-free. Every error names the source, the 1-based line and the dotted key.

#include "runtime/node_config.hpp"

#include <tl/expected.hpp>

#include <string>
#include <vector>

namespace troupe {

/// Why a configuration could not be loaded.
struct ConfigError {
  /// Dotted path of the offending key ("risk.max_order_notional", "strategies.0.threshold");
  /// empty when the problem is not tied to a key (unreadable file, YAML syntax).
  std::string key;
  /// 1-based line in `source`; 0 when unknown (the value came from a --set override).
  int line = 0;
  /// What was wrong, e.g. `expected a decimal number, got "abc"`.
  std::string message;
  /// File name, the `source_name` given to load_node_config_from_string, or "--set".
  std::string source;

  /// `config/paper.yaml:12: risk.max_order_notional: expected a decimal number, got "abc"`.
  std::string to_string() const;
};

/// Reads and validates the YAML file at `path`. `overrides` are "dotted.key=value" assignments
/// (from --set), applied to the YAML tree before it is mapped; the value is read as YAML, so
/// `--set venue.instruments=[BTCUSDT]` sets a list. List elements are addressed by index
/// (`strategies.0.threshold`); missing keys are created.
tl::expected<NodeConfig, ConfigError> load_node_config(
    const std::string& path, const std::vector<std::string>& overrides = {});

/// As load_node_config, from YAML text; `source_name` is used in error messages.
tl::expected<NodeConfig, ConfigError> load_node_config_from_string(
    const std::string& yaml_text, const std::vector<std::string>& overrides = {},
    const std::string& source_name = "<string>");

/// Expands `${NAME}` and `${NAME:-default}` in `text` from the process environment, as a shell
/// does: the default applies when NAME is unset or empty; `${NAME}` with NAME unset is an error
/// whose text names the variable. `$` not followed by `{` is kept as is.
tl::expected<std::string, std::string> expand_environment(const std::string& text);

}  // namespace troupe
