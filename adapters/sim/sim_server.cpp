#include "adapters/sim/sim_server.hpp"

namespace troupe::sim {
namespace {

// A stepper that fell this many steps behind (a stalled machine) skips ahead instead of
// replaying the backlog in a burst.
constexpr int kMaxLagSteps = 5;

}  // namespace

tl::expected<std::unique_ptr<SimVenueServer>, std::string> SimVenueServer::start(
    const SimConfig& config, const Clock& clock) {
  if (auto ok = BinanceFrontEnd::validate(config); !ok) return tl::make_unexpected(ok.error());
  std::unique_ptr<SimVenueServer> venue(new SimVenueServer(config, clock));
  net::ServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.threads = 1;
  options.name = "sim-binance";
  auto server = net::BeastServer::start(*venue->front_end_, options);
  if (!server) return tl::make_unexpected("simulated venue: " + server.error());
  venue->server_ = std::move(*server);
  venue->stepper_ = std::thread([raw = venue.get()] { raw->run(); });
  return venue;
}

SimVenueServer::SimVenueServer(const SimConfig& config, const Clock& clock)
    : clock_(&clock),
      step_(config.step_ms),
      front_end_(std::make_unique<BinanceFrontEnd>(config, clock)) {}

SimVenueServer::~SimVenueServer() { stop(); }

std::uint16_t SimVenueServer::port() const { return server_ ? server_->port() : 0; }

void SimVenueServer::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (stepper_.joinable()) stepper_.join();
  if (server_) server_->stop();
}

void SimVenueServer::run() {
  auto next = std::chrono::steady_clock::now() + step_;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_until(lock, next, [this] { return stopping_; })) {
    lock.unlock();
    front_end_->step(clock_->now_ns());
    lock.lock();
    next += step_;
    const auto now = std::chrono::steady_clock::now();
    if (now - next > kMaxLagSteps * step_) next = now + step_;
  }
}

}  // namespace troupe::sim
