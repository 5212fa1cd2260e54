#include "adapters/sim/sim_server.hpp"

namespace troupe::sim {
namespace {

// A stepper that fell this many steps behind (a stalled machine) skips ahead instead of
// replaying the backlog in a burst.
constexpr int kMaxLagSteps = 5;

}  // namespace

tl::expected<std::unique_ptr<SimVenueServer>, std::string> SimVenueServer::start(
    std::unique_ptr<VenueFrontEnd> front_end, SimServerOptions options, const Clock& clock) {
  const std::string venue(front_end->venue());
  if (options.step_ms < 1)
    return tl::make_unexpected("simulated " + venue + ": step_ms must be >= 1");
  std::unique_ptr<SimVenueServer> server(
      new SimVenueServer(std::move(front_end), options.step_ms, clock));
  net::ServerOptions net_options;
  net_options.host = options.host;
  net_options.port = options.port;
  net_options.threads = 1;
  net_options.tls = options.tls;
  net_options.name = "sim-" + venue;
  auto bound = net::BeastServer::start(*server->front_end_, net_options);
  if (!bound) return tl::make_unexpected("simulated " + venue + ": " + bound.error());
  server->server_ = std::move(*bound);
  server->stepper_ = std::thread([raw = server.get()] { raw->run(); });
  return server;
}

tl::expected<std::unique_ptr<SimVenueServer>, std::string> SimVenueServer::start(
    const SimConfig& config, const Clock& clock) {
  if (auto ok = BinanceFrontEnd::validate(config); !ok) return tl::make_unexpected(ok.error());
  SimServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.step_ms = config.step_ms;
  return start(std::make_unique<BinanceFrontEnd>(config, clock), options, clock);
}

SimVenueServer::SimVenueServer(std::unique_ptr<VenueFrontEnd> front_end, std::int64_t step_ms,
                               const Clock& clock)
    : clock_(&clock), step_(step_ms), front_end_(std::move(front_end)) {}

SimVenueServer::~SimVenueServer() { stop(); }

std::uint16_t SimVenueServer::port() const { return server_ ? server_->port() : 0; }

void SimVenueServer::set_paused(bool paused) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    paused_ = paused;
  }
  // A step that started before the flag changed finishes before this returns.
  std::lock_guard<std::mutex> wait_for_step(step_mutex_);
}

std::uint64_t SimVenueServer::steps() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return steps_;
}

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
    if (!paused_) {
      std::lock_guard<std::mutex> stepping(step_mutex_);
      lock.unlock();
      front_end_->step(clock_->now_ns());
      lock.lock();
      ++steps_;
    }
    next += step_;
    const auto now = std::chrono::steady_clock::now();
    if (now - next > kMaxLagSteps * step_) next = now + step_;
  }
}

}  // namespace troupe::sim
