#include "tools/node/market_data_ports.hpp"

#include "adapters/venues/alpaca/market_data_port.hpp"
#include "adapters/venues/binance/market_data_port.hpp"
#include "adapters/venues/coinbase/market_data_port.hpp"
#include "adapters/venues/kraken/market_data_port.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace troupe {

std::vector<MarketDataFeedConfig> market_data_feeds(const NodeConfig& config) {
  std::vector<MarketDataFeedConfig> feeds;
  const auto& v = config.venue;
  MarketDataFeedConfig own;
  own.venue = v.venue;
  own.host = v.host;
  own.port = v.port;
  own.tls = v.tls;
  own.instruments = v.instruments;
  own.stale_after_ms = v.stale_after_ms;
  own.reconnect_min_ms = v.reconnect_min_ms;
  own.reconnect_max_ms = v.reconnect_max_ms;
  own.depth = v.snapshot_depth;
  feeds.push_back(std::move(own));
  for (const auto& feed : config.market_data) feeds.push_back(feed);
  return feeds;
}

MarketDataPortFactory make_market_data_port_factory(const NodeContext& context,
                                                    MarketDataFeedConfig feed,
                                                    TransportFactory make_transport,
                                                    std::uint64_t seed) {
  const NodeContext* ctx = &context;
  auto f = std::make_shared<const MarketDataFeedConfig>(std::move(feed));
  const std::string venue = f->venue.value;
  if (venue == "binance")
    return [ctx, f, make_transport, seed] {
      binance::MarketDataPortOptions options;
      options.venue = f->venue;
      options.instruments = f->instruments;
      options.transport = make_transport(f->venue.value + "-md");
      options.clock = &ctx->clock;
      options.snapshot_depth = f->depth;
      options.stale_after_ms = f->stale_after_ms;
      options.reconnect_min_ms = f->reconnect_min_ms;
      options.reconnect_max_ms = f->reconnect_max_ms;
      options.seed = seed;
      return binance::make_market_data_port(std::move(options));
    };
  if (venue == "kraken")
    return [ctx, f, make_transport, seed] {
      kraken::MarketDataPortOptions options;
      options.venue = f->venue;
      options.instruments = f->instruments;
      options.transport = make_transport(f->venue.value + "-md");
      options.clock = &ctx->clock;
      options.depth = f->depth;
      options.stale_after_ms = f->stale_after_ms;
      options.reconnect_min_ms = f->reconnect_min_ms;
      options.reconnect_max_ms = f->reconnect_max_ms;
      options.seed = seed;
      return kraken::make_market_data_port(std::move(options));
    };
  if (venue == "coinbase")
    return [ctx, f, make_transport, seed] {
      coinbase::MarketDataPortOptions options;
      options.venue = f->venue;
      options.instruments = f->instruments;
      options.transport = make_transport(f->venue.value + "-md");
      options.clock = &ctx->clock;
      options.stale_after_ms = f->stale_after_ms;
      options.reconnect_min_ms = f->reconnect_min_ms;
      options.reconnect_max_ms = f->reconnect_max_ms;
      options.seed = seed;
      return coinbase::make_market_data_port(std::move(options));
    };
  if (venue == "alpaca")
    return [ctx, f, make_transport, seed] {
      alpaca::MarketDataPortOptions options;
      options.venue = f->venue;
      options.instruments = f->instruments;
      options.transport = make_transport(f->venue.value + "-md");
      options.clock = &ctx->clock;
      options.feed = f->feed;
      options.key_id = f->api_key;
      options.secret_key = f->api_secret;
      // The IEX plan allows 30 symbols for trades and quotes; SIP has no symbol limit.
      options.max_symbols = f->feed == "iex" ? 30 : 0;
      options.stale_after_ms = f->stale_after_ms;
      options.reconnect_min_ms = f->reconnect_min_ms;
      options.reconnect_max_ms = f->reconnect_max_ms;
      options.seed = seed;
      return alpaca::make_market_data_port(std::move(options));
    };
  // The config loader accepts only the venues above; reaching here is a programming error.
  spdlog::critical("no market-data connector for venue {}", venue);
  std::abort();
}

}  // namespace troupe
