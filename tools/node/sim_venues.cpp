#include "tools/node/sim_venues.hpp"

#include "adapters/sim/alpaca/alpaca_front_end.hpp"
#include "adapters/sim/binance_front_end.hpp"
#include "adapters/sim/coinbase/coinbase_front_end.hpp"
#include "adapters/sim/kraken/kraken_front_end.hpp"

namespace troupe {
namespace {

template <class FrontEnd>
tl::expected<std::unique_ptr<sim::VenueFrontEnd>, std::string> build(const sim::SimConfig& sim,
                                                                     const Clock& clock) {
  if (auto ok = FrontEnd::validate(sim); !ok) return tl::make_unexpected(ok.error());
  return std::unique_ptr<sim::VenueFrontEnd>(std::make_unique<FrontEnd>(sim, clock));
}

}  // namespace

sim::SimConfig sim_config_for(const NodeConfig& config, const VenueId& venue) {
  sim::SimConfig out = config.sim;
  std::erase_if(out.instruments,
                [&](const sim::SimInstrumentConfig& c) { return c.instrument.id.venue != venue; });
  return out;
}

std::vector<VenueId> simulated_venues(const NodeConfig& config) {
  std::vector<VenueId> venues{config.venue.venue};
  for (const auto& feed : config.market_data) venues.push_back(feed.venue);
  return venues;
}

tl::expected<std::unique_ptr<sim::VenueFrontEnd>, std::string> make_sim_front_end(
    const VenueId& venue, const sim::SimConfig& sim, const Clock& clock) {
  tl::expected<std::unique_ptr<sim::VenueFrontEnd>, std::string> made;
  if (venue.value == "binance")
    made = build<sim::BinanceFrontEnd>(sim, clock);
  else if (venue.value == "alpaca")
    made = build<sim::AlpacaFrontEnd>(sim, clock);
  else if (venue.value == "kraken")
    made = build<sim::KrakenFrontEnd>(sim, clock);
  else if (venue.value == "coinbase")
    made = build<sim::CoinbaseFrontEnd>(sim, clock);
  else
    return tl::make_unexpected("no simulated venue for " + venue.value);
  if (!made) return tl::make_unexpected("simulated " + venue.value + ": " + made.error());
  return made;
}

}  // namespace troupe
