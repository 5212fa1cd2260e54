#include "runtime/config_loader.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace troupe {
namespace {

// A small valid paper config; tests edit it by string replacement.
const std::string kBase = R"(node_name: test-node
mode: paper
http:
  port: 8080
instruments:
  - symbol: BTCUSDT
    base: BTC
    quote: USDT
    price_precision: 2
    size_precision: 5
    tick_size: "0.01"
    lot_size: "0.00001"
venue:
  name: binance
  account: acct
  instruments: [BTCUSDT]
sim:
  seed: 7
  balances:
    USDT: "1000"
  instruments:
    - symbol: BTCUSDT
      start_price: "100.00"
      maker_size: "0.1"
      taker_size: "0.01"
risk:
  max_order_notional: "5000"
  max_order_quantity: "0.1"
strategies:
  - id: obi
    instrument: BTCUSDT
    order_quantity: "0.01"
    max_position: "0.05"
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "test setup: '" << from << "' not in the base config";
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

// 1-based line of the first line of `text` that contains `needle`.
int line_of(const std::string& text, const std::string& needle) {
  auto pos = text.find(needle);
  return pos == std::string::npos
             ? -1
             : 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

ConfigError error_of(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  auto cfg = load_node_config_from_string(yaml, overrides, "test.yaml");
  EXPECT_FALSE(cfg.has_value()) << "expected the config to be rejected";
  return cfg ? ConfigError{} : cfg.error();
}

TEST(ConfigLoader, MapsAValidConfigOntoNodeConfig) {
  auto cfg = load_node_config_from_string(kBase, {}, "test.yaml");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().to_string();
  EXPECT_EQ(cfg->node_name, "test-node");
  EXPECT_EQ(cfg->data_dir, "var/test-node");
  EXPECT_EQ(cfg->venue.account.value, "acct");
  EXPECT_EQ(cfg->risk.account.value, "acct");
  EXPECT_EQ(cfg->oms.account.value, "acct");
  EXPECT_EQ(cfg->portfolio.account.value, "acct");
  EXPECT_EQ(cfg->strategies.at(0).account.value, "acct");
  EXPECT_EQ(cfg->risk.max_order_notional, Money::parse("5000", 8).value());
  EXPECT_EQ(cfg->risk.max_order_quantity.raw(), 10000);
  EXPECT_EQ(cfg->risk.max_order_quantity.precision(), 5);
  EXPECT_EQ(cfg->sim.seed, 7u);
  EXPECT_EQ(cfg->sim.instruments.at(0).start_price.raw(), 10000);
  // Paper mode: the venue credentials default to the embedded venue's.
  EXPECT_EQ(cfg->venue.api_key, "sim-key");
  ASSERT_EQ(cfg->portfolio.starting_cash.size(), 1u);
  EXPECT_EQ(cfg->portfolio.starting_cash[0].first, "USDT");
  EXPECT_EQ(cfg->portfolio.starting_cash[0].second, Money::parse("1000", 8).value());
}

TEST(ConfigLoader, FillsTheSameInstrumentEverywhereItIsReferenced) {
  auto cfg = load_node_config_from_string(kBase, {}, "test.yaml");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().to_string();
  const Instrument& v = cfg->venue.instruments.at(0);
  for (const Instrument* x :
       {&cfg->strategies.at(0).instrument, &cfg->sim.instruments.at(0).instrument}) {
    EXPECT_EQ(x->id, (InstrumentId{VenueId{"binance"}, "BTCUSDT"}));
    EXPECT_EQ(x->id, v.id);
    EXPECT_EQ(x->price_precision, v.price_precision);
    EXPECT_EQ(x->size_precision, 5);
    EXPECT_EQ(x->tick_size.raw(), 1);
    EXPECT_EQ(x->lot_size.raw(), 1);
  }
}

TEST(ConfigLoader, RejectsAWrongTypeNamingKeyAndLine) {
  const auto yaml = replaced(kBase, "max_order_notional: \"5000\"", "max_order_notional: abc");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "risk.max_order_notional");
  EXPECT_EQ(err.line, line_of(yaml, "max_order_notional"));
  EXPECT_EQ(err.to_string(),
            "test.yaml:" + std::to_string(err.line) +
                ": risk.max_order_notional: expected a decimal number, got \"abc\"");
}

TEST(ConfigLoader, RejectsAMappingWhereAScalarBelongs) {
  const auto yaml = replaced(kBase, "  seed: 7", "  seed: {a: 1}");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "sim.seed");
  EXPECT_EQ(err.line, line_of(yaml, "seed:"));
  EXPECT_NE(err.message.find("expected an integer, got a mapping"), std::string::npos);
}

TEST(ConfigLoader, RejectsAnOutOfRangePortNamingKeyAndLine) {
  const auto yaml = replaced(kBase, "port: 8080", "port: 70000");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "http.port");
  EXPECT_EQ(err.line, 4);
  EXPECT_EQ(err.message, "must be between 0 and 65535, got 70000");
}

TEST(ConfigLoader, AcceptsPortZeroForTheApiAndTheSimulatedVenueOnly) {
  EXPECT_TRUE(load_node_config_from_string(kBase, {"sim.port=0"}).has_value());
  EXPECT_TRUE(load_node_config_from_string(kBase, {"http.port=0"}).has_value());
  const auto err = error_of(kBase, {"venue.port=0"});
  EXPECT_EQ(err.key, "venue.port");
}

TEST(ConfigLoader, RejectsAnUnknownKeyNamingKeyAndLine) {
  const auto yaml = replaced(kBase, "max_order_quantity:", "max_order_quantit:");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "risk.max_order_quantit");
  EXPECT_EQ(err.line, line_of(yaml, "max_order_quantit:"));
  EXPECT_NE(err.message.find("unknown key"), std::string::npos);
  EXPECT_NE(err.message.find("max_order_quantity"), std::string::npos) << err.message;
}

TEST(ConfigLoader, RejectsAnInvalidEnumValueListingTheValidOnes) {
  const auto yaml = replaced(kBase, "mode: paper", "mode: papr");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "mode");
  EXPECT_EQ(err.line, 2);
  EXPECT_EQ(err.message, "expected one of paper|live|backtest, got \"papr\"");
}

TEST(ConfigLoader, RejectsAnInvalidInitialTradingState) {
  const auto yaml = replaced(kBase, "risk:\n", "risk:\n  initial_state: paused\n");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "risk.initial_state");
  EXPECT_EQ(err.line, line_of(yaml, "initial_state"));
}

TEST(ConfigLoader, RejectsMoreDecimalsThanTheInstrumentPrecision) {
  const auto yaml = replaced(kBase, "order_quantity: \"0.01\"", "order_quantity: \"0.000001\"");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "strategies.0.order_quantity");
  EXPECT_EQ(err.line, line_of(yaml, "order_quantity: \"0.000001\""));
  EXPECT_EQ(err.message, "more than 5 decimals, got \"0.000001\"");
}

TEST(ConfigLoader, RejectsAPriceOffTheTick) {
  const auto yaml = replaced(kBase, "start_price: \"100.00\"", "start_price: \"100.005\"");
  EXPECT_EQ(error_of(yaml).message, "more than 2 decimals, got \"100.005\"");
  const auto off_tick = replaced(kBase, "tick_size: \"0.01\"", "tick_size: \"0.05\"");
  const auto err =
      error_of(replaced(off_tick, "start_price: \"100.00\"", "start_price: \"100.01\""));
  EXPECT_EQ(err.key, "sim.instruments.0.start_price");
  EXPECT_EQ(err.message, "must be a multiple of tick_size");
}

TEST(ConfigLoader, RejectsAnUnknownInstrumentReference) {
  const auto yaml = replaced(kBase, "    instrument: BTCUSDT", "    instrument: ETHUSDT");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "strategies.0.instrument");
  EXPECT_EQ(err.line, line_of(yaml, "instrument: ETHUSDT"));
  EXPECT_EQ(err.message, "unknown instrument \"ETHUSDT\" (declared: BTCUSDT)");
}

TEST(ConfigLoader, RejectsAnUnknownSymbolInTheVenueList) {
  const auto yaml =
      replaced(kBase, "instruments: [BTCUSDT]", "instruments:\n    - BTCUSDT\n    - XRP");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "venue.instruments.1");
  EXPECT_EQ(err.line, line_of(yaml, "- XRP"));
}

TEST(ConfigLoader, RejectsARiskAccountOtherThanTheVenueAccount) {
  const auto yaml = replaced(kBase, "risk:\n", "risk:\n  account: other\n");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "risk.account");
  EXPECT_EQ(err.line, line_of(yaml, "account: other"));
  EXPECT_EQ(err.message, "must equal venue.account \"acct\", got \"other\"");
}

TEST(ConfigLoader, RejectsAStrategyAccountOtherThanTheVenueAccount) {
  const auto yaml = replaced(kBase, "  - id: obi\n", "  - id: obi\n    account: paper\n");
  EXPECT_EQ(error_of(yaml).key, "strategies.0.account");
}

TEST(ConfigLoader, RejectsAMissingRequiredKeyAtItsMappingLine) {
  const auto yaml = replaced(kBase, "    lot_size: \"0.00001\"\n", "");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "instruments.0.lot_size");
  EXPECT_EQ(err.line, line_of(yaml, "symbol: BTCUSDT"));
  EXPECT_EQ(err.message, "missing required key");
}

TEST(ConfigLoader, RejectsADuplicateKey) {
  const auto yaml = replaced(kBase, "  seed: 7\n", "  seed: 7\n  seed: 8\n");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "sim.seed");
  EXPECT_EQ(err.line, line_of(yaml, "seed: 8"));
}

TEST(ConfigLoader, ReportsYamlSyntaxErrorsWithTheirLine) {
  const auto yaml = replaced(kBase, "  port: 8080", "  port: [8080");
  const auto err = error_of(yaml);
  EXPECT_GT(err.line, 0);
  EXPECT_EQ(err.source, "test.yaml");
}

TEST(ConfigLoader, RejectsLiveModeWithoutCredentials) {
  const auto yaml = replaced(kBase, "mode: paper", "mode: live");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "venue.api_key");
}

TEST(ConfigLoader, ExpandsEnvironmentVariablesInScalars) {
  ::setenv("TROUPE_TEST_SECRET", "s3cr3t", 1);
  ::unsetenv("TROUPE_TEST_UNSET");
  const auto yaml = replaced(replaced(kBase, "mode: paper", "mode: ${TROUPE_TEST_UNSET:-live}"),
                             "  account: acct\n",
                             "  account: acct\n  api_key: key-${TROUPE_TEST_SECRET}-x\n"
                             "  api_secret: ${TROUPE_TEST_SECRET}\n");
  auto cfg = load_node_config_from_string(yaml, {"sim.enabled=false"}, "test.yaml");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().to_string();
  EXPECT_EQ(cfg->mode, NodeMode::Live);
  EXPECT_EQ(cfg->venue.api_key, "key-s3cr3t-x");
  EXPECT_EQ(cfg->venue.api_secret, "s3cr3t");
}

TEST(ConfigLoader, RejectsAnUnsetEnvironmentVariableWithoutDefault) {
  ::unsetenv("TROUPE_TEST_UNSET");
  const auto yaml = replaced(kBase, "  account: acct\n", "  account: ${TROUPE_TEST_UNSET}\n");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "venue.account");
  EXPECT_EQ(err.line, line_of(yaml, "TROUPE_TEST_UNSET"));
  EXPECT_NE(err.message.find("TROUPE_TEST_UNSET is not set"), std::string::npos) << err.message;
}

TEST(ConfigLoader, ExpandEnvironmentUsesTheDefaultForEmptyVariables) {
  ::setenv("TROUPE_TEST_EMPTY", "", 1);
  EXPECT_EQ(expand_environment("${TROUPE_TEST_EMPTY:-d}").value(), "d");
  EXPECT_EQ(expand_environment("${TROUPE_TEST_EMPTY}").value(), "");
  EXPECT_EQ(expand_environment("cost $5").value(), "cost $5");
  EXPECT_FALSE(expand_environment("${UNCLOSED").has_value());
  EXPECT_FALSE(expand_environment("${1BAD}").has_value());
}

TEST(ConfigLoader, AppliesSetOverridesToNestedAndListKeys) {
  auto cfg = load_node_config_from_string(
      kBase,
      {"risk.max_order_notional=1000", "strategies.0.threshold=0.4", "backtest.duration_s=5",
       "venue.instruments=[BTCUSDT]", "http.port=9090"},
      "test.yaml");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().to_string();
  EXPECT_EQ(cfg->risk.max_order_notional, Money::parse("1000", 8).value());
  EXPECT_DOUBLE_EQ(cfg->strategies.at(0).imbalance_threshold, 0.4);
  EXPECT_EQ(cfg->backtest.duration_s, 5);  // the section did not exist: created
  EXPECT_EQ(cfg->http_port, 9090);
}

TEST(ConfigLoader, AppendsAListElementWithAnOverrideAtTheNextIndex) {
  auto cfg = load_node_config_from_string(
      kBase,
      {"strategies.1.id=second", "strategies.1.instrument=BTCUSDT",
       "strategies.1.order_quantity=0.02", "strategies.1.max_position=0.02"},
      "test.yaml");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().to_string();
  ASSERT_EQ(cfg->strategies.size(), 2u);
  EXPECT_EQ(cfg->strategies[1].id.value, "second");
  EXPECT_EQ(cfg->strategies[1].order_quantity.raw(), 2000);
}

TEST(ConfigLoader, ReportsABadOverrideValueAsComingFromSet) {
  const auto err = error_of(kBase, {"risk.max_order_notional=abc"});
  EXPECT_EQ(err.source, "--set");
  EXPECT_EQ(err.line, 0);
  EXPECT_EQ(err.to_string(),
            "--set: risk.max_order_notional: expected a decimal number, got \"abc\"");
}

TEST(ConfigLoader, RejectsMalformedOverrides) {
  EXPECT_EQ(error_of(kBase, {"no-equals-sign"}).source, "--set");
  EXPECT_EQ(error_of(kBase, {"strategies.5.id=x"}).key, "strategies.5.id");
  EXPECT_EQ(error_of(kBase, {"node_name.x=1"}).key, "node_name.x");
  EXPECT_EQ(error_of(kBase, {"risk..x=1"}).key, "risk..x");
  EXPECT_EQ(error_of(kBase, {"risk.max_notional=1"}).key, "risk.max_notional");
}

TEST(ConfigLoader, NamesTheFileItCannotOpen) {
  auto cfg = load_node_config("/nonexistent/troupe.yaml");
  ASSERT_FALSE(cfg.has_value());
  EXPECT_EQ(cfg.error().source, "/nonexistent/troupe.yaml");
  EXPECT_NE(cfg.error().to_string().find("cannot open file"), std::string::npos);
}

TEST(ConfigLoader, LoadsTheShippedPaperConfig) {
  ::unsetenv("TROUPE_HTTP_PORT");
  auto cfg = load_node_config(std::string(TROUPE_SOURCE_DIR) + "/config/paper.yaml");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().to_string();
  EXPECT_EQ(cfg->node_name, "node-1");
  EXPECT_EQ(cfg->mode, NodeMode::Paper);
  EXPECT_EQ(cfg->http_port, 8080);
  EXPECT_EQ(cfg->data_dir, "var/node-1");
  EXPECT_EQ(cfg->venue.venue.value, "binance");
  EXPECT_EQ(cfg->venue.port, 18081);
  EXPECT_EQ(cfg->venue.api_key, "sim-key");
  EXPECT_EQ(cfg->venue.api_secret, "sim-secret");
  ASSERT_EQ(cfg->venue.instruments.size(), 1u);
  const Instrument& btc = cfg->venue.instruments[0];
  EXPECT_EQ(btc.price_precision, 2);
  EXPECT_EQ(btc.size_precision, 5);
  EXPECT_EQ(btc.min_notional, Money::parse("5", 2).value());
  EXPECT_TRUE(cfg->sim.enabled);
  EXPECT_EQ(cfg->sim.seed, 42u);
  EXPECT_EQ(cfg->sim.instruments.at(0).start_price, Price::parse("60000", 2).value());
  EXPECT_EQ(cfg->sim.balances,
            (std::vector<std::pair<std::string, std::string>>{{"USDT", "100000"}, {"BTC", "1"}}));
  ASSERT_EQ(cfg->strategies.size(), 1u);
  EXPECT_EQ(cfg->strategies[0].id.value, "obi-btc");
  EXPECT_EQ(cfg->strategies[0].order_quantity, Quantity::parse("0.01", 5).value());
  EXPECT_EQ(cfg->strategies[0].max_position, Quantity::parse("0.05", 5).value());
  EXPECT_DOUBLE_EQ(cfg->strategies[0].imbalance_threshold, 0.3);
  EXPECT_EQ(cfg->risk.max_order_notional, Money::parse("5000", 8).value());
  EXPECT_EQ(cfg->risk.max_order_quantity, Quantity::parse("0.1", 5).value());
  EXPECT_EQ(cfg->risk.max_position, Quantity::parse("0.1", 5).value());
  EXPECT_EQ(cfg->risk.max_orders_per_second, 20u);
  // Market data of the same asset on the three other venues, all over TLS to the embedded sims.
  EXPECT_TRUE(cfg->sim_tls);
  EXPECT_TRUE(cfg->venue.tls.enabled);
  ASSERT_EQ(cfg->market_data.size(), 3u);
  EXPECT_EQ(cfg->market_data[0].venue.value, "kraken");
  EXPECT_EQ(cfg->market_data[0].port, 18082);
  EXPECT_EQ(cfg->market_data[0].depth, 100u);
  EXPECT_EQ(cfg->market_data[1].venue.value, "coinbase");
  EXPECT_EQ(cfg->market_data[1].instruments.at(0).id.symbol, "BTC-USD");
  EXPECT_EQ(cfg->market_data[2].venue.value, "alpaca");
  EXPECT_EQ(cfg->market_data[2].feed, "iex");
  for (const auto& feed : cfg->market_data) EXPECT_TRUE(feed.tls.enabled) << feed.venue.value;
  EXPECT_EQ(cfg->sim.instruments.size(), 4u);
}

TEST(ConfigLoader, ReadsTheHttpPortOfThePaperConfigFromTheEnvironment) {
  ::setenv("TROUPE_HTTP_PORT", "8181", 1);
  auto cfg = load_node_config(std::string(TROUPE_SOURCE_DIR) + "/config/paper.yaml");
  ::unsetenv("TROUPE_HTTP_PORT");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().to_string();
  EXPECT_EQ(cfg->http_port, 8181);
}

TEST(ConfigLoader, LoadsTheShippedBacktestConfig) {
  auto cfg = load_node_config(std::string(TROUPE_SOURCE_DIR) + "/config/backtest.yaml");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().to_string();
  EXPECT_EQ(cfg->mode, NodeMode::Backtest);
  EXPECT_EQ(cfg->backtest.duration_s, 3600);
  EXPECT_TRUE(cfg->sim.enabled);
  EXPECT_EQ(cfg->strategies.at(0).instrument.id.symbol, "BTCUSDT");
}

// A paper config with market data from the three other venues, over TLS.
const std::string kMultiVenue = R"(node_name: multi
mode: paper
instruments:
  - symbol: BTCUSDT
    base: BTC
    quote: USDT
    price_precision: 2
    size_precision: 5
    tick_size: "0.01"
    lot_size: "0.00001"
  - symbol: BTC/USD
    venue: kraken
    base: BTC
    quote: USD
    price_precision: 1
    size_precision: 8
    tick_size: "0.1"
    lot_size: "0.00000001"
  - symbol: BTC-USD
    venue: coinbase
    base: BTC
    quote: USD
    price_precision: 2
    size_precision: 8
    tick_size: "0.01"
    lot_size: "0.00000001"
venue:
  name: binance
  account: acct
market_data:
  - venue: kraken
    depth: 25
  - venue: coinbase
    port: 0
    stale_after_ms: 2000
sim:
  tls: true
  instruments:
    - symbol: BTCUSDT
      start_price: "100.00"
      maker_size: "0.1"
      taker_size: "0.01"
    - symbol: BTC/USD
      start_price: "100.0"
      maker_size: "0.1"
      taker_size: "0.01"
    - symbol: BTC-USD
      start_price: "100.00"
      maker_size: "0.1"
      taker_size: "0.01"
)";

TEST(ConfigLoader, MapsMarketDataFeedsOfOtherVenues) {
  auto cfg = load_node_config_from_string(kMultiVenue, {}, "test.yaml");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().to_string();
  ASSERT_EQ(cfg->venue.instruments.size(), 1u);
  EXPECT_EQ(cfg->venue.instruments[0].id.symbol, "BTCUSDT");
  EXPECT_TRUE(cfg->sim_tls);
  EXPECT_TRUE(cfg->venue.tls.enabled);
  ASSERT_EQ(cfg->market_data.size(), 2u);
  const auto& kraken = cfg->market_data[0];
  EXPECT_EQ(kraken.venue.value, "kraken");
  EXPECT_EQ(kraken.depth, 25u);
  EXPECT_TRUE(kraken.tls.enabled);
  ASSERT_EQ(kraken.instruments.size(), 1u);
  EXPECT_EQ(kraken.instruments[0].id, (InstrumentId{VenueId{"kraken"}, "BTC/USD"}));
  EXPECT_EQ(kraken.instruments[0].price_precision, 1);
  EXPECT_EQ(cfg->market_data[1].stale_after_ms, 2000);
  EXPECT_EQ(cfg->market_data[1].instruments.at(0).id.symbol, "BTC-USD");
}

TEST(ConfigLoader, RejectsAFeedInstrumentOfAnotherVenue) {
  const auto yaml = replaced(kMultiVenue, "    depth: 25\n", "    instruments: [BTC-USD]\n");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "market_data.0.instruments.0");
  EXPECT_NE(err.message.find("declared for venue coinbase, not kraken"), std::string::npos)
      << err.message;
}

TEST(ConfigLoader, RejectsAnUnknownVenueAndABadKrakenDepth) {
  auto err = error_of(replaced(kMultiVenue, "  - venue: kraken", "  - venue: krakn"));
  EXPECT_EQ(err.key, "market_data.0.venue");
  err = error_of(replaced(kMultiVenue, "depth: 25", "depth: 20"));
  EXPECT_EQ(err.key, "market_data.0.depth");
  EXPECT_EQ(err.line, line_of(replaced(kMultiVenue, "depth: 25", "depth: 20"), "depth: 20"));
}

TEST(ConfigLoader, RejectsAFeedVenueListedTwiceOrTheTradingVenueAgain) {
  auto err = error_of(replaced(kMultiVenue, "  - venue: coinbase", "  - venue: kraken"));
  EXPECT_EQ(err.key, "market_data.1.venue");
  err = error_of(replaced(kMultiVenue, "  - venue: coinbase", "  - venue: binance"));
  EXPECT_EQ(err.key, "market_data.1.venue");
}

TEST(ConfigLoader, RejectsAnUnsimulatedFeedInstrumentInPaperMode) {
  const auto yaml = replaced(kMultiVenue, R"(    - symbol: BTC-USD
      start_price: "100.00"
      maker_size: "0.1"
      taker_size: "0.01"
)",
                             "");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "sim.instruments");
  EXPECT_NE(err.message.find("BTC-USD"), std::string::npos) << err.message;
}

TEST(ConfigLoader, TlsOfAPaperFeedMustFollowTheEmbeddedVenues) {
  const auto yaml = replaced(kMultiVenue, "    depth: 25\n", "    depth: 25\n    tls: false\n");
  const auto err = error_of(yaml);
  EXPECT_EQ(err.key, "market_data.0.tls");
  auto cfg = load_node_config_from_string(
      replaced(kMultiVenue, "    depth: 25\n",
               "    depth: 25\n    tls:\n      enabled: true\n      ca_file: /tmp/ca.pem\n"),
      {}, "test.yaml");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().to_string();
  EXPECT_EQ(cfg->market_data[0].tls.ca_file, "/tmp/ca.pem");
}

TEST(ConfigLoader, LiveVenuesDefaultToTls) {
  const auto yaml = replaced(kBase, "mode: paper", "mode: live");
  auto cfg = load_node_config_from_string(
      yaml, {"sim.enabled=false", "venue.api_key=k", "venue.api_secret=s"}, "test.yaml");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().to_string();
  EXPECT_TRUE(cfg->venue.tls.enabled);
}

}  // namespace
}  // namespace troupe
