#pragma once
// Shared fixtures for the simulated-venue tests: a BTCUSDT-like instrument and config.

#include "adapters/sim/engine_events.hpp"
#include "adapters/sim/sim_config.hpp"
#include "messages/instrument.hpp"

#include <string>

namespace troupe::sim::test {

/// BTCUSDT: tick 0.01 (2 dp), lot 0.00001 (8 dp), min notional 5 USDT.
inline Instrument btc_usdt() {
  Instrument i;
  i.id = InstrumentId(VenueId("binance"), "BTCUSDT");
  i.base = "BTC";
  i.quote = "USDT";
  i.price_precision = 2;
  i.size_precision = 8;
  i.tick_size = Price::from_raw(1, 2);
  i.lot_size = Quantity::from_raw(1000, 8);
  i.min_quantity = Quantity::from_raw(1000, 8);
  i.min_notional = Money::from_raw(500000000, 8);
  return i;
}

inline Price px(const char* text) { return *Price::parse(text, 2); }
inline Quantity qty(const char* text) { return *Quantity::parse(text, 8); }

/// A one-instrument simulated venue around 60000 USDT.
inline SimConfig btc_config(std::uint64_t seed = 42) {
  SimConfig config;
  config.seed = seed;
  config.api_key = "sim-key";
  config.api_secret = "sim-secret-0123456789";
  config.balances = {{"USDT", "100000"}, {"BTC", "2"}};
  SimInstrumentConfig instrument;
  instrument.instrument = btc_usdt();
  instrument.start_price = px("60000.00");
  instrument.maker_size = qty("0.05");
  instrument.taker_size = qty("0.02");
  instrument.maker_levels = 10;
  config.instruments.push_back(instrument);
  return config;
}

/// A compact text form of an engine event, for hashing and readable failures.
std::string describe(const EngineEvent& event);

}  // namespace troupe::sim::test
