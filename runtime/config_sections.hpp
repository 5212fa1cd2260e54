#pragma once
// Internal to the config loader: the YAML schema (documented in config/paper.yaml) mapped onto
// NodeConfig, section by section, with cross-section checks.

#include "runtime/config_reader.hpp"
#include "runtime/node_config.hpp"

#include <string>
#include <vector>

namespace troupe::config_detail {

/// Declared instruments by symbol; the one place every `instrument:` reference resolves.
class InstrumentTable {
 public:
  /// Adds `x`; false when its symbol is already declared.
  bool add(const Instrument& x);
  /// The instrument with `symbol`, or nullptr.
  const Instrument* find(const std::string& symbol) const;
  /// Symbols in declaration order, comma separated (for error messages).
  std::string symbols() const;
  /// All instruments in declaration order.
  const std::vector<Instrument>& all() const { return all_; }

 private:
  std::vector<Instrument> all_;
};

/// Reads a string that must not be empty.
void non_empty_text(Section& s, const std::string& key, std::string& out);
/// Reads an optional `account:` into `out`; when given it must equal `venue_account`.
void same_account(Section& s, const AccountId& venue_account, AccountId& out);
/// Reads a symbol and resolves it in `table`; nullptr (error recorded) when unknown.
const Instrument* resolve_instrument(Section& s, const std::string& key,
                                     const InstrumentTable& table);

/// Maps the whole document; errors are recorded in `ctx` (the result is then meaningless).
NodeConfig map_node_config(ConfigContext& ctx, const YAML::Node& root);

/// Reads `instruments:` (venue ids are set to `venue`).
InstrumentTable read_instruments(Section& root, const VenueId& venue);
/// Reads `sim:`; `money_precision` is used to validate balances. `tls` gets `sim.tls`.
void read_sim(Section& sim, const InstrumentTable& instruments, NodeMode mode,
              std::uint8_t money_precision, sim::SimConfig& out, bool& tls);
/// Reads `strategies:`; instruments must be among the venue's.
void read_strategies(Section& root, const NodeConfig& cfg, std::vector<StrategyConfig>& out);
/// Checks that need several sections (mode rules, paper-mode wiring to the embedded venue).
void check_consistency(Section& root, const NodeConfig& cfg);

}  // namespace troupe::config_detail
