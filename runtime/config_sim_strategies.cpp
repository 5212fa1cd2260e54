#include "runtime/config_sections.hpp"

#include <algorithm>

namespace troupe::config_detail {
namespace {

sim::SimInstrumentConfig read_sim_instrument(Section& s, const Instrument& x) {
  sim::SimInstrumentConfig c;
  c.instrument = x;
  if (s.require("start_price")) {
    s.decimal("start_price", x.price_precision, c.start_price, Sign::Positive);
    if (!x.on_tick(c.start_price)) s.fail("start_price", "must be a multiple of tick_size");
  }
  s.number("volatility_bps", c.volatility_bps, 0, 10000);
  s.number("vol_clustering", c.vol_clustering, 0, 1);
  if (c.vol_clustering >= 1) s.fail("vol_clustering", "must be below 1");
  s.integer<std::uint32_t>("market_makers", c.market_makers, 0, 1000);
  s.integer<std::uint32_t>("noise_takers", c.noise_takers, 0, 1000);
  for (auto [key, out] :
       {std::pair{"maker_size", &c.maker_size}, std::pair{"taker_size", &c.taker_size}}) {
    if (!s.require(key)) continue;
    s.decimal(key, x.size_precision, *out, Sign::Positive);
    if (!x.on_lot(*out)) s.fail(key, "must be a multiple of lot_size");
  }
  s.integer<std::uint32_t>("maker_levels", c.maker_levels, 1, 1000);
  return c;
}

void read_strategy(Section& s, const NodeConfig& cfg, const InstrumentTable& venue_instruments,
                   StrategyConfig& c) {
  if (s.require("id")) non_empty_text(s, "id", c.id.value);
  same_account(s, cfg.venue.account, c.account);
  const Instrument* x = resolve_instrument(s, "instrument", venue_instruments);
  if (x != nullptr) c.instrument = *x;
  s.integer<std::uint32_t>("depth_levels", c.depth_levels, 1, 1000);
  s.number("threshold", c.imbalance_threshold, 0, 1);
  if (c.imbalance_threshold <= 0 || c.imbalance_threshold >= 1)
    s.fail("threshold", "must be above 0 and below 1");
  const std::uint8_t p = c.instrument.size_precision;
  if (s.require("order_quantity")) {
    s.decimal("order_quantity", p, c.order_quantity, Sign::Positive);
    if (!c.instrument.on_lot(c.order_quantity))
      s.fail("order_quantity", "must be a multiple of the instrument's lot_size");
    else if (c.order_quantity < c.instrument.min_quantity)
      s.fail("order_quantity",
             "below the instrument's min_quantity " + c.instrument.min_quantity.to_string());
  }
  if (s.require("max_position")) {
    s.decimal("max_position", p, c.max_position, Sign::Positive);
    if (c.max_position < c.order_quantity)
      s.fail("max_position", "must be at least order_quantity " + c.order_quantity.to_string());
  }
  s.integer<std::int64_t>("cooldown_ms", c.cooldown_ms, 0);
  s.integer<std::int64_t>("order_ttl_ms", c.order_ttl_ms, 1);
  s.integer<std::int32_t>("aggression_ticks", c.aggression_ticks, -1000, 1000);
  s.finish();
}

bool simulates(const sim::SimConfig& sim, const std::string& symbol) {
  return std::any_of(sim.instruments.begin(), sim.instruments.end(),
                     [&](const auto& c) { return c.instrument.id.symbol == symbol; });
}

void check_embedded_venue(Section& root, const NodeConfig& cfg) {
  Section venue = root.section("venue");
  Section sim = root.section("sim");
  for (const auto& x : cfg.venue.instruments)
    if (!simulates(cfg.sim, x.id.symbol))
      sim.fail("instruments", "venue instrument \"" + x.id.symbol + "\" is not simulated");
  for (const auto& feed : cfg.market_data)
    for (const auto& x : feed.instruments)
      if (!simulates(cfg.sim, x.id.symbol))
        sim.fail("instruments", "market_data instrument \"" + x.id.symbol + "\" (" +
                                    feed.venue.value + ") is not simulated");
  if (cfg.mode != NodeMode::Paper) return;
  // In paper mode the connectors reach the embedded venue over loopback: wire them together.
  if (cfg.sim.port != 0 && cfg.venue.port != cfg.sim.port)
    venue.fail("port", "must equal sim.port " + std::to_string(cfg.sim.port) +
                           " in paper mode (the embedded simulated venue)");
  if (cfg.venue.api_key != cfg.sim.api_key)
    venue.fail("api_key", "must equal sim.api_key in paper mode (the embedded simulated venue)");
  if (cfg.venue.api_secret != cfg.sim.api_secret)
    venue.fail("api_secret",
               "must equal sim.api_secret in paper mode (the embedded simulated venue)");
  if (cfg.venue.tls.enabled != cfg.sim_tls)
    venue.fail("tls", std::string("must be ") + (cfg.sim_tls ? "true" : "false") +
                          " like sim.tls in paper mode (the embedded simulated venue)");
  auto feeds = root.sections("market_data");
  for (std::size_t i = 0; i < cfg.market_data.size() && i < feeds.size(); ++i) {
    const auto& feed = cfg.market_data[i];
    if (feed.tls.enabled != cfg.sim_tls)
      feeds[i].fail("tls", std::string("must be ") + (cfg.sim_tls ? "true" : "false") +
                               " like sim.tls in paper mode (the embedded simulated venues)");
    if (feed.venue.value == "alpaca" &&
        (feed.api_key != cfg.sim.api_key || feed.api_secret != cfg.sim.api_secret))
      feeds[i].fail("api_key", "must equal sim.api_key / sim.api_secret in paper mode");
  }
}

}  // namespace

void read_sim(Section& sim, const InstrumentTable& instruments, NodeMode mode,
              std::uint8_t money_precision, sim::SimConfig& out, bool& tls) {
  out.enabled = mode != NodeMode::Live;
  sim.boolean("enabled", out.enabled);
  tls = false;
  sim.boolean("tls", tls);
  sim.integer<std::uint64_t>("seed", out.seed);
  non_empty_text(sim, "host", out.host);
  sim.integer<std::uint16_t>("port", out.port, 0, 65535);
  sim.integer<std::int64_t>("step_ms", out.step_ms, 1);
  sim.text("api_key", out.api_key);
  sim.text("api_secret", out.api_secret);
  Section balances = sim.section("balances");
  for (const auto& asset : balances.keys()) {
    Money amount;
    balances.decimal(asset, money_precision, amount);
    std::string text;
    balances.text(asset, text);
    out.balances.emplace_back(asset, text);
  }
  balances.finish();
  out.instruments.clear();
  for (auto& s : sim.sections("instruments")) {
    const Instrument* x = resolve_instrument(s, "symbol", instruments);
    if (x == nullptr) continue;
    if (simulates(out, x->id.symbol))
      s.fail("symbol", "instrument \"" + x->id.symbol + "\" is simulated twice");
    out.instruments.push_back(read_sim_instrument(s, *x));
    s.finish();
  }
  sim.finish();
}

void read_strategies(Section& root, const NodeConfig& cfg, std::vector<StrategyConfig>& out) {
  InstrumentTable venue_instruments;
  for (const auto& x : cfg.venue.instruments) venue_instruments.add(x);
  out.clear();
  for (auto& s : root.sections("strategies")) {
    StrategyConfig c;
    read_strategy(s, cfg, venue_instruments, c);
    const bool duplicate =
        std::any_of(out.begin(), out.end(), [&](const auto& other) { return other.id == c.id; });
    if (duplicate) s.fail("id", "strategy id \"" + c.id.value + "\" used twice");
    out.push_back(std::move(c));
  }
}

void check_consistency(Section& root, const NodeConfig& cfg) {
  Section sim = root.section("sim");
  Section venue = root.section("venue");
  if (cfg.mode == NodeMode::Live) {
    if (cfg.sim.enabled) sim.fail("enabled", "must be false in live mode");
    if (cfg.venue.api_key.empty())
      venue.fail("api_key",
                 "required in live mode (write ${ENV_VAR} to read it from the environment)");
    if (cfg.venue.api_secret.empty())
      venue.fail("api_secret",
                 "required in live mode (write ${ENV_VAR} to read it from the environment)");
  }
  if (cfg.mode == NodeMode::Backtest && !cfg.sim.enabled)
    sim.fail("enabled", "must be true in backtest mode (the venue is simulated in-process)");
  if (cfg.sim.enabled) check_embedded_venue(root, cfg);
}

}  // namespace troupe::config_detail
