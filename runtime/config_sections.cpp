#include "runtime/config_sections.hpp"

#include <algorithm>

namespace troupe::config_detail {
namespace {

bool is_venue_name(const std::string& s) {
  return s == "binance" || s == "kraken" || s == "coinbase" || s == "alpaca";
}

bool is_name(const std::string& s, std::string_view extra) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

void read_node(Section& root, NodeConfig& cfg) {
  root.text("node_name", cfg.node_name);
  if (!is_name(cfg.node_name, "._-"))
    root.fail("node_name",
              "must be 1-64 letters, digits, '.', '_' or '-', got \"" + cfg.node_name + "\"");
  std::string mode;
  if (root.choice("mode", {"paper", "live", "backtest"}, mode))
    cfg.mode = mode == "live"       ? NodeMode::Live
               : mode == "backtest" ? NodeMode::Backtest
                                    : NodeMode::Paper;
  root.choice("log_level", {"trace", "debug", "info", "warn", "error", "critical", "off"},
              cfg.log_level);
  cfg.data_dir = "var/" + cfg.node_name;
  root.text("data_dir", cfg.data_dir);
  if (cfg.data_dir.empty()) root.fail("data_dir", "must not be empty");
  Section http = root.section("http");
  non_empty_text(http, "host", cfg.http_host);
  http.integer<std::uint16_t>("port", cfg.http_port, 0, 65535);  // 0: any free port
  http.finish();
}

Instrument read_instrument(Section& s, const VenueId& venue) {
  Instrument x;
  x.id.venue = venue;
  s.text("venue", x.id.venue.value);
  if (!is_venue_name(x.id.venue.value))
    s.fail("venue",
           "must be one of binance, kraken, coinbase, alpaca, got \"" + x.id.venue.value + "\"");
  if (s.require("symbol")) {
    s.text("symbol", x.id.symbol);
    if (!is_name(x.id.symbol, "._-/"))
      s.fail("symbol", "must be 1-64 letters, digits, '.', '_', '-' or '/'");
  }
  if (s.require("base")) non_empty_text(s, "base", x.base);
  if (s.require("quote")) non_empty_text(s, "quote", x.quote);
  if (s.require("price_precision"))
    s.integer<std::uint8_t>("price_precision", x.price_precision, 0, kMaxPrecision);
  if (s.require("size_precision"))
    s.integer<std::uint8_t>("size_precision", x.size_precision, 0, kMaxPrecision);
  if (s.require("tick_size"))
    s.decimal("tick_size", x.price_precision, x.tick_size, Sign::Positive);
  if (s.require("lot_size")) s.decimal("lot_size", x.size_precision, x.lot_size, Sign::Positive);
  x.min_quantity = Quantity::from_raw(0, x.size_precision);
  s.decimal("min_quantity", x.size_precision, x.min_quantity);
  if (!x.on_lot(x.min_quantity)) s.fail("min_quantity", "must be a multiple of lot_size");
  // Notionals are amounts of the quote currency, kept at the price precision.
  x.min_notional = Money::from_raw(0, x.price_precision);
  s.decimal("min_notional", x.price_precision, x.min_notional);
  s.boolean("tradable", x.tradable);
  s.finish();
  return x;
}

void read_tls(Section& parent, bool default_enabled, VenueTlsConfig& out) {
  out.enabled = default_enabled;
  if (parent.has_mapping("tls")) {
    Section tls = parent.section("tls");
    tls.boolean("enabled", out.enabled);
    tls.text("ca_file", out.ca_file);
    tls.text("server_name", out.server_name);
    tls.finish();
  } else {
    parent.boolean("tls", out.enabled);
  }
}

/// Resolves `key` (a symbol list; absent = every instrument of `venue`) against `table`; each
/// symbol must be declared for `venue`, once.
std::vector<Instrument> read_venue_instruments(Section& s, const std::string& key,
                                               const InstrumentTable& table, const VenueId& venue) {
  std::vector<std::string> symbols;
  for (const auto& x : table.all())
    if (x.id.venue == venue) symbols.push_back(x.id.symbol);
  s.text_list(key, symbols);
  std::vector<Instrument> out;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const Instrument* x = table.find(symbols[i]);
    const auto before = symbols.begin() + static_cast<std::ptrdiff_t>(i);
    const bool duplicate = std::find(symbols.begin(), before, symbols[i]) != before;
    if (x == nullptr || duplicate) {
      s.fail_item(key, i,
                  (duplicate ? "duplicate instrument \"" : "unknown instrument \"") + symbols[i] +
                      "\" (declared: " + table.symbols() + ")");
      break;
    }
    if (x->id.venue != venue) {
      s.fail_item(key, i,
                  "instrument \"" + symbols[i] + "\" is declared for venue " + x->id.venue.value +
                      ", not " + venue.value);
      break;
    }
    out.push_back(*x);
  }
  if (out.empty())
    s.fail(key, "must list at least one instrument of venue " + venue.value +
                    " (declare them under `instruments` with venue: " + venue.value + ")");
  return out;
}

void read_reconnect(Section& s, std::int64_t& stale, std::int64_t& min_ms, std::int64_t& max_ms) {
  s.integer<std::int64_t>("stale_after_ms", stale, 1);
  s.integer<std::int64_t>("reconnect_min_ms", min_ms, 1);
  s.integer<std::int64_t>("reconnect_max_ms", max_ms, 1);
  if (max_ms < min_ms)
    s.fail("reconnect_max_ms", "must be >= reconnect_min_ms (" + std::to_string(min_ms) + ")");
}

void read_market_data(Section& root, const InstrumentTable& table, NodeConfig& cfg) {
  cfg.market_data.clear();
  for (auto& s : root.sections("market_data")) {
    MarketDataFeedConfig f;
    if (s.require("venue")) s.text("venue", f.venue.value);
    if (!is_venue_name(f.venue.value)) {
      s.fail("venue",
             "must be one of binance, kraken, coinbase, alpaca, got \"" + f.venue.value + "\"");
      continue;
    }
    const bool taken = f.venue == cfg.venue.venue ||
                       std::any_of(cfg.market_data.begin(), cfg.market_data.end(),
                                   [&](const auto& other) { return other.venue == f.venue; });
    if (taken)
      s.fail("venue", "venue " + f.venue.value +
                          " already has a market-data session (the trading venue's comes from "
                          "`venue`; list each other venue once)");
    non_empty_text(s, "host", f.host);
    s.integer<std::uint16_t>("port", f.port, cfg.mode == NodeMode::Live ? 1 : 0, 65535);
    read_tls(s, cfg.mode == NodeMode::Live || (cfg.sim_tls && cfg.mode == NodeMode::Paper), f.tls);
    f.api_key = cfg.sim.api_key;
    f.api_secret = cfg.sim.api_secret;
    if (cfg.mode == NodeMode::Live) f.api_key = f.api_secret = "";
    s.text("api_key", f.api_key);
    s.text("api_secret", f.api_secret);
    f.instruments = read_venue_instruments(s, "instruments", table, f.venue);
    read_reconnect(s, f.stale_after_ms, f.reconnect_min_ms, f.reconnect_max_ms);
    if (f.venue.value == "binance") f.depth = 1000;
    s.integer<std::uint32_t>("depth", f.depth, 1, 5000);
    if (f.venue.value == "kraken" && f.depth != 10 && f.depth != 25 && f.depth != 100 &&
        f.depth != 500 && f.depth != 1000)
      s.fail("depth", "kraken book depth must be 10, 25, 100, 500 or 1000");
    s.choice("feed", {"iex", "sip"}, f.feed);
    if (f.venue.value == "alpaca" && f.feed == "iex" && f.instruments.size() > 30)
      s.fail("instruments",
             "the alpaca iex feed allows at most 30 symbols for trades and quotes, got " +
                 std::to_string(f.instruments.size()) + " (use feed: sip)");
    if (f.venue.value == "alpaca" && cfg.mode == NodeMode::Live &&
        (f.api_key.empty() || f.api_secret.empty()))
      s.fail("api_key", "alpaca market data needs api_key and api_secret in live mode");
    s.finish();
    cfg.market_data.push_back(std::move(f));
  }
}

void read_venue(Section& venue, const InstrumentTable& table, NodeConfig& cfg) {
  auto& v = cfg.venue;
  non_empty_text(venue, "host", v.host);
  venue.integer<std::uint16_t>("port", v.port, 1, 65535);
  venue.text("api_key", v.api_key);
  venue.text("api_secret", v.api_secret);
  v.instruments = read_venue_instruments(venue, "instruments", table, v.venue);
  read_reconnect(venue, v.stale_after_ms, v.reconnect_min_ms, v.reconnect_max_ms);
  read_tls(venue, cfg.mode == NodeMode::Live || (cfg.sim_tls && cfg.mode == NodeMode::Paper),
           v.tls);
  venue.integer<std::uint32_t>("snapshot_depth", v.snapshot_depth, 1, 5000);
  venue.finish();
}

void read_risk(Section& risk, const NodeConfig& cfg, RiskConfig& out) {
  same_account(risk, cfg.venue.account, out.account);
  std::uint8_t size_precision = 0;
  for (const auto& x : cfg.venue.instruments)
    size_precision = std::max(size_precision, x.size_precision);
  // One account trades several instruments: quantity limits use the finest size precision
  // among them, money at the portfolio's precision; comparisons across precisions are exact.
  const std::uint8_t money_precision = cfg.portfolio.money_precision;
  out.max_order_notional = Money::from_raw(0, money_precision);
  out.max_order_quantity = Quantity::from_raw(0, size_precision);
  out.max_position = Quantity::from_raw(0, size_precision);
  risk.decimal("max_order_notional", money_precision, out.max_order_notional);
  risk.decimal("max_order_quantity", size_precision, out.max_order_quantity);
  risk.decimal("max_position", size_precision, out.max_position);
  risk.integer<std::uint32_t>("max_orders_per_second", out.max_orders_per_second);
  std::string state;
  if (risk.choice("initial_state", {"active", "reducing", "halted"}, state))
    out.initial_state = *parse_trading_state(state);
  risk.finish();
}

void read_portfolio(Section& portfolio, const NodeConfig& cfg, PortfolioConfig& out) {
  same_account(portfolio, cfg.venue.account, out.account);
  Section cash = portfolio.section("starting_cash");
  if (!portfolio.has("starting_cash") && cfg.sim.enabled) {
    // Paper and backtest runs start from the simulated venue's balances unless told otherwise.
    for (const auto& [asset, amount] : cfg.sim.balances)
      if (auto m = Money::parse(amount, out.money_precision))
        out.starting_cash.emplace_back(asset, *m);
  }
  for (const auto& asset : cash.keys()) {
    Money m;
    cash.decimal(asset, out.money_precision, m);
    out.starting_cash.emplace_back(asset, m);
  }
  cash.finish();
  portfolio.finish();
}

void read_backtest(Section& backtest, BacktestConfig& out) {
  backtest.integer<std::int64_t>("duration_s", out.duration_s, 1);
  backtest.text("fills_log", out.fills_log);
  backtest.finish();
}

}  // namespace

bool InstrumentTable::add(const Instrument& x) {
  if (find(x.id.symbol) != nullptr) return false;
  all_.push_back(x);
  return true;
}

const Instrument* InstrumentTable::find(const std::string& symbol) const {
  for (const auto& x : all_)
    if (x.id.symbol == symbol) return &x;
  return nullptr;
}

std::string InstrumentTable::symbols() const {
  std::string out;
  for (const auto& x : all_) out += (out.empty() ? "" : ", ") + x.id.symbol;
  return out.empty() ? "none" : out;
}

void same_account(Section& s, const AccountId& venue_account, AccountId& out) {
  out = venue_account;
  std::string account = venue_account.value;
  s.text("account", account);
  if (account != venue_account.value)
    s.fail("account",
           "must equal venue.account \"" + venue_account.value + "\", got \"" + account + "\"");
}

void non_empty_text(Section& s, const std::string& key, std::string& out) {
  s.text(key, out);
  if (out.empty()) s.fail(key, "must not be empty");
}

const Instrument* resolve_instrument(Section& s, const std::string& key,
                                     const InstrumentTable& table) {
  if (!s.require(key)) return nullptr;
  std::string symbol;
  s.text(key, symbol);
  const Instrument* x = table.find(symbol);
  if (x == nullptr)
    s.fail(key, "unknown instrument \"" + symbol + "\" (declared: " + table.symbols() + ")");
  return x;
}

InstrumentTable read_instruments(Section& root, const VenueId& venue) {
  InstrumentTable table;
  if (!root.require("instruments")) return table;
  for (auto& s : root.sections("instruments")) {
    Instrument x = read_instrument(s, venue);
    if (!table.add(x)) s.fail("symbol", "instrument \"" + x.id.symbol + "\" declared twice");
  }
  if (table.all().empty()) root.fail("instruments", "must declare at least one instrument");
  return table;
}

NodeConfig map_node_config(ConfigContext& ctx, const YAML::Node& root_node) {
  NodeConfig cfg;
  Section root(ctx, root_node, "");
  read_node(root, cfg);
  Section venue = root.section("venue");
  venue.text("name", cfg.venue.venue.value);
  if (cfg.venue.venue.value != "binance")
    venue.fail("name",
               "must be binance (order entry on the other venues is not built yet), got \"" +
                   cfg.venue.venue.value + "\"");
  const InstrumentTable instruments = read_instruments(root, cfg.venue.venue);
  non_empty_text(venue, "account", cfg.venue.account.value);
  Section portfolio = root.section("portfolio");
  portfolio.integer<std::uint8_t>("money_precision", cfg.portfolio.money_precision, 0,
                                  kMaxPrecision);
  Section sim = root.section("sim");
  read_sim(sim, instruments, cfg.mode, cfg.portfolio.money_precision, cfg.sim, cfg.sim_tls);
  read_venue(venue, instruments, cfg);
  read_market_data(root, instruments, cfg);
  if (cfg.mode == NodeMode::Paper && cfg.sim.enabled) {
    // Paper nodes talk to their own simulated venue: its credentials are the natural default.
    if (!venue.has("api_key")) cfg.venue.api_key = cfg.sim.api_key;
    if (!venue.has("api_secret")) cfg.venue.api_secret = cfg.sim.api_secret;
  }
  read_portfolio(portfolio, cfg, cfg.portfolio);
  Section risk = root.section("risk");
  read_risk(risk, cfg, cfg.risk);
  read_strategies(root, cfg, cfg.strategies);
  Section backtest = root.section("backtest");
  read_backtest(backtest, cfg.backtest);
  cfg.oms.account = cfg.venue.account;
  cfg.oms.venue = cfg.venue.venue;
  check_consistency(root, cfg);
  root.finish();
  return cfg;
}

}  // namespace troupe::config_detail
