// troupe-node: starts a Troupe node from a YAML config.
//
//   troupe-node --config config/paper.yaml [--set key=value ...] [--mode paper|backtest]
//               [--duration SECONDS] [--fills-log FILE]
//
// Paper mode runs until SIGINT/SIGTERM and then shuts down gracefully (strategies first, the
// journal flushed last). Backtest mode runs the configured simulated duration, prints the fill
// log summary and the P&L, and exits.

#include "actors/consolidated/consolidated_engine.hpp"
#include "adapters/sim/sim_server.hpp"
#include "runtime/config_loader.hpp"
#include "runtime/logging.hpp"
#include "tools/node/backtest.hpp"
#include "tools/node/market_data_ports.hpp"
#include "tools/node/paper_node.hpp"
#include "tools/node/sim_venues.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

struct Arguments {
  std::string config_path = "config/paper.yaml";
  std::vector<std::string> overrides;
  std::string fills_log;
};

void usage(std::ostream& out) {
  out << "usage: troupe-node --config FILE [--set key=value ...] [--mode paper|backtest]\n"
         "                   [--duration SECONDS] [--fills-log FILE]\n";
}

// Returns false (after printing why) on bad arguments.
bool parse(int argc, char** argv, Arguments& args) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::cerr << "troupe-node: " << name << " needs a value\n";
        return nullptr;
      }
      return argv[++i];
    };
    const char* v = nullptr;
    if (arg == "--help" || arg == "-h") {
      usage(std::cout);
      std::exit(0);
    } else if (arg == "--config") {
      if (!(v = value("--config"))) return false;
      args.config_path = v;
    } else if (arg == "--set") {
      if (!(v = value("--set"))) return false;
      args.overrides.emplace_back(v);
    } else if (arg == "--mode") {
      if (!(v = value("--mode"))) return false;
      args.overrides.push_back(std::string("mode=") + v);
    } else if (arg == "--duration") {
      if (!(v = value("--duration"))) return false;
      args.overrides.push_back(std::string("backtest.duration_s=") + v);
    } else if (arg == "--fills-log") {
      if (!(v = value("--fills-log"))) return false;
      args.fills_log = v;
    } else {
      std::cerr << "troupe-node: unknown argument '" << arg << "'\n";
      usage(std::cerr);
      return false;
    }
  }
  return true;
}

int run_backtest_mode(const troupe::NodeConfig& config, const Arguments& args) {
  auto result = troupe::run_backtest(config);
  if (!result) {
    spdlog::error("backtest failed: {}", result.error());
    return 1;
  }
  std::string log_path = args.fills_log.empty() ? config.backtest.fills_log : args.fills_log;
  if (!log_path.empty()) {
    std::ofstream out(log_path);
    for (const auto& line : result->fills) out << line << "\n";
    if (!out) {
      spdlog::error("cannot write fill log {}", log_path);
      return 1;
    }
    std::cout << "fill log: " << log_path << "\n";
  }
  std::cout << troupe::summarize(*result);
  return 0;
}

int run_paper_mode(const troupe::NodeConfig& config) {
  // Block the stop signals in every thread we start; the main thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto node = troupe::PaperNode::start(config);
  if (!node) {
    spdlog::error("node failed to start: {}", node.error());
    return 1;
  }
  auto& n = **node;
  const std::string base = "http://" + config.http_host + ":" + std::to_string(n.http_port());
  std::cout << "\nTroupe node " << config.node_name << " is running ("
            << (config.mode == troupe::NodeMode::Paper ? "paper" : "live") << " trading)\n"
            << "  Health     " << base << "/api/v1/health\n"
            << "  Portfolio  " << base << "/api/v1/portfolio\n"
            << "  Orders     " << base << "/api/v1/orders\n"
            << "  Metrics    " << base << "/metrics\n";
  std::vector<troupe::Instrument> streamed;
  for (const auto& feed : troupe::market_data_feeds(config)) {
    streamed.insert(streamed.end(), feed.instruments.begin(), feed.instruments.end());
    const auto& first = feed.instruments.front().id.symbol;
    std::cout << "  Book       " << base << "/api/v1/books/" << feed.venue.value << "/" << first
              << "?depth=10\n";
  }
  for (const auto& asset : troupe::consolidated_assets(streamed))
    std::cout << "  Across     " << base << "/api/v1/consolidated/" << asset.asset << "\n";
  for (const auto& venue : troupe::simulated_venues(config)) {
    if (auto* sim = n.sim_venue(venue.value))
      std::cout << "  Sim venue  " << (config.sim_tls ? "https://" : "http://") << config.sim.host
                << ":" << sim->port() << " (simulated " << venue.value << ")\n";
  }
  std::cout << "Press Ctrl-C to stop.\n" << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("received {}, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
  n.shutdown();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Arguments args;
  if (!parse(argc, argv, args)) return 2;
  auto config = troupe::load_node_config(args.config_path, args.overrides);
  if (!config) {
    std::cerr << "troupe-node: " << config.error().to_string() << "\n";
    return 2;
  }
  if (auto logging = troupe::init_logging(config->log_level, config->node_name); !logging) {
    std::cerr << "troupe-node: " << logging.error() << "\n";
    return 2;
  }
  if (config->mode == troupe::NodeMode::Backtest) return run_backtest_mode(*config, args);
  return run_paper_mode(*config);
}
