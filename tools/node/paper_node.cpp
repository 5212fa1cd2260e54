#include "tools/node/paper_node.hpp"

#include "adapters/api/api_service.hpp"
#include "adapters/net/beast_client.hpp"
#include "adapters/net/beast_server.hpp"
#include "adapters/sim/sim_server.hpp"
#include "runtime/actor_directory.hpp"
#include "runtime/clock.hpp"
#include "runtime/metrics.hpp"
#include "runtime/persistence/journal_actor.hpp"
#include "runtime/topic_bus.hpp"
#include "tools/node/api_backend_impl.hpp"
#include "tools/node/node_assembly.hpp"
#include "tools/node/node_system_config.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <spdlog/spdlog.h>

#include <filesystem>

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
      auto sim = sim::SimVenueServer::start(config_.sim, clock_);
      if (!sim) return tl::make_unexpected("simulated venue: " + sim.error());
      sim_ = std::move(*sim);
      config_.venue.port = sim_->port();
    }
    auto journal = open_journal();
    if (!journal) return tl::make_unexpected(journal.error());
    caf_config_ = std::make_unique<NodeSystemConfig>(false);
    system_ = std::make_unique<caf::actor_system>(*caf_config_);
    context_ =
        std::make_unique<NodeContext>(NodeContext{*system_, bus_, metrics_, directory_, clock_});
    journal_ = persistence::spawn_journal(*system_, std::move(*journal), true);
    tree_ = spawn_node_tree(*context_, config_, journal_, [this](const std::string& name) {
      return std::shared_ptr<net::ClientTransport>(net::make_beast_client_transport(
          net::Endpoint{config_.venue.host, config_.venue.port, name}));
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
  std::uint16_t venue_port() const override { return sim_ ? sim_->port() : 0; }
  sim::BinanceFrontEnd* venue() override { return sim_ ? &sim_->front_end() : nullptr; }
  const NodeConfig& config() const override { return config_; }
  ActorDirectory& directory() override { return directory_; }
  MetricsRegistry& metrics() override { return metrics_; }
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
    if (sim_) sim_->stop();
    spdlog::info("node {} stopped", config_.node_name);
  }

 private:
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
  std::unique_ptr<sim::SimVenueServer> sim_;
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
