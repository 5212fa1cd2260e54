#include "tools/node/paper_node.hpp"

#include "adapters/api/api_service.hpp"
#include "adapters/net/beast_client.hpp"
#include "adapters/net/beast_server.hpp"
#include "adapters/net/tls.hpp"
#include "adapters/sim/sim_server.hpp"
#include "runtime/actor_directory.hpp"
#include "runtime/clock.hpp"
#include "runtime/metrics.hpp"
#include "runtime/persistence/journal_actor.hpp"
#include "runtime/topic_bus.hpp"
#include "tools/node/api_backend_impl.hpp"
#include "tools/node/node_assembly.hpp"
#include "tools/node/node_system_config.hpp"
#include "tools/node/sim_venues.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>
#include <optional>

namespace troupe {
namespace {

constexpr std::chrono::seconds kStopTimeout{10};

// Sends an exit to `actor` and waits (bounded) until it is gone.
void stop_and_wait(caf::actor_system& system, const caf::actor& actor, const char* what) {
  if (!actor) return;
  caf::scoped_actor self{system};
  self->monitor(actor);
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  bool done = false;
  self->receive([&](caf::down_msg&) { done = true; }, caf::after(kStopTimeout) >> [] {});
  if (!done) spdlog::error("shutdown: {} did not stop within {} s", what, kStopTimeout.count());
}

class PaperNodeImpl final : public PaperNode {
 public:
  explicit PaperNodeImpl(NodeConfig config) : config_(std::move(config)) {}
  ~PaperNodeImpl() override { shutdown(); }

  tl::expected<void, std::string> start() {
    if (config_.sim.enabled && config_.mode == NodeMode::Paper) {
      if (auto started = start_simulated_venues(); !started) return started;
    }
    auto journal = open_journal();
    if (!journal) return tl::make_unexpected(journal.error());
    caf_config_ = std::make_unique<NodeSystemConfig>(false);
    system_ = std::make_unique<caf::actor_system>(*caf_config_);
    context_ =
        std::make_unique<NodeContext>(NodeContext{*system_, bus_, metrics_, directory_, clock_});
    journal_ = persistence::spawn_journal(*system_, std::move(*journal), true);
    tree_ = spawn_node_tree(*context_, config_, journal_, [this](const std::string& name) {
      return std::shared_ptr<net::ClientTransport>(
          net::make_beast_client_transport(endpoint_for(name)));
    });
    backend_ = std::make_unique<ActorApiBackend>(*context_, config_);
    api_ = std::make_unique<api::ApiService>(*backend_);
    net::ServerOptions options;
    options.host = config_.http_host;
    options.port = config_.http_port;
    options.name = "api";
    auto http = net::BeastServer::start(*api_, options);
    if (!http) return tl::make_unexpected("HTTP API: " + http.error());
    http_ = std::move(*http);
    return {};
  }

  std::uint16_t http_port() const override { return http_ ? http_->port() : 0; }
  std::uint16_t venue_port() const override {
    auto it = sims_.find(config_.venue.venue.value);
    return it == sims_.end() ? 0 : it->second->port();
  }
  sim::BinanceFrontEnd* venue() override {
    auto* server = sim_venue(config_.venue.venue.value);
    return server ? server->binance() : nullptr;
  }
  sim::SimVenueServer* sim_venue(const std::string& venue) override {
    auto it = sims_.find(venue);
    return it == sims_.end() ? nullptr : it->second.get();
  }
  const NodeConfig& config() const override { return config_; }
  ActorDirectory& directory() override { return directory_; }
  MetricsRegistry& metrics() override { return metrics_; }
  TopicBus& bus() override { return bus_; }
  caf::actor_system& system() override { return *system_; }

  void shutdown() override {
    if (stopped_) return;
    stopped_ = true;
    if (http_) http_->stop();
    if (system_) {
      stop_and_wait(*system_, tree_.strategies, "strategies");
      stop_and_wait(*system_, tree_.root, "actor tree");
      stop_and_wait(*system_, caf::actor_cast<caf::actor>(journal_), "journal");
      journal_ = nullptr;
      tree_ = {};
    }
    for (auto& [venue, server] : sims_) server->stop();
    spdlog::info("node {} stopped", config_.node_name);
  }

 private:
  // One simulated venue per venue the node connects to, on its configured port (0: ephemeral,
  // then written back into the config the connectors read), over TLS with a fresh loopback CA
  // when sim.tls is set.
  tl::expected<void, std::string> start_simulated_venues() {
    std::optional<net::LoopbackPki> pki;
    if (config_.sim_tls) {
      const auto dir = (std::filesystem::path(config_.data_dir) / "tls").string();
      auto generated = net::generate_loopback_pki(dir, {"localhost", config_.sim.host});
      if (!generated) return tl::make_unexpected("sim.tls: " + generated.error());
      pki = std::move(*generated);
    }
    for (const auto& venue : simulated_venues(config_)) {
      auto front_end = make_sim_front_end(venue, sim_config_for(config_, venue), clock_);
      if (!front_end) return tl::make_unexpected(front_end.error());
      const bool trading = venue == config_.venue.venue;
      auto* feed = trading ? nullptr : find_feed(venue);
      sim::SimServerOptions options;
      options.host = config_.sim.host;
      options.port = trading ? config_.sim.port : feed->port;
      options.step_ms = config_.sim.step_ms;
      if (pki) options.tls = {true, pki->cert_file, pki->key_file};
      auto server = sim::SimVenueServer::start(std::move(*front_end), options, clock_);
      if (!server) return tl::make_unexpected(server.error());
      const auto port = (*server)->port();
      VenueTlsConfig& tls = trading ? config_.venue.tls : feed->tls;
      if (trading)
        config_.venue.port = port;
      else
        feed->port = port;
      if (pki && tls.ca_file.empty()) tls.ca_file = pki->ca_file;
      spdlog::info("simulated {} venue on {}://{}:{}", venue.value, pki ? "https" : "http",
                   config_.sim.host, port);
      sims_.emplace(venue.value, std::move(*server));
    }
    return {};
  }

  MarketDataFeedConfig* find_feed(const VenueId& venue) {
    for (auto& feed : config_.market_data)
      if (feed.venue == venue) return &feed;
    return nullptr;
  }

  // Transports are named "<venue>-md" / "<venue>-orders".
  net::Endpoint endpoint_for(const std::string& name) const {
    const std::string venue = name.substr(0, name.rfind('-'));
    auto make = [&](const std::string& host, std::uint16_t port, const VenueTlsConfig& tls) {
      return net::Endpoint(host, port, name, {tls.enabled, tls.ca_file, tls.server_name, true});
    };
    for (const auto& feed : config_.market_data)
      if (feed.venue.value == venue) return make(feed.host, feed.port, feed.tls);
    return make(config_.venue.host, config_.venue.port, config_.venue.tls);
  }

  tl::expected<std::unique_ptr<persistence::Journal>, std::string> open_journal() {
    auto path = std::filesystem::path(config_.data_dir) / "journal";
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return tl::make_unexpected("data_dir " + path.string() + ": " + ec.message());
    auto journal = persistence::Journal::open(path.string());
    if (!journal) return tl::make_unexpected("journal: " + journal.error().message);
    return std::move(*journal);
  }

  NodeConfig config_;
  LiveClock clock_;
  MetricsRegistry metrics_;
  TopicBus bus_;
  ActorDirectory directory_;
  std::map<std::string, std::unique_ptr<sim::SimVenueServer>> sims_;
  std::unique_ptr<NodeSystemConfig> caf_config_;
  std::unique_ptr<caf::actor_system> system_;
  std::unique_ptr<NodeContext> context_;
  persistence::journal_actor journal_;
  NodeTree tree_;
  std::unique_ptr<ActorApiBackend> backend_;
  std::unique_ptr<api::ApiService> api_;
  std::unique_ptr<net::BeastServer> http_;
  bool stopped_ = false;
};

}  // namespace

tl::expected<std::unique_ptr<PaperNode>, std::string> PaperNode::start(NodeConfig config) {
  auto node = std::make_unique<PaperNodeImpl>(std::move(config));
  if (auto started = node->start(); !started) {
    node->shutdown();
    return tl::make_unexpected(started.error());
  }
  return node;
}

}  // namespace troupe
