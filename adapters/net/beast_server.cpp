#include "adapters/net/beast_server.hpp"

#include "adapters/net/detail/server_core.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <thread>

namespace troupe::net {
namespace detail {

ServerCore::ServerCore(HttpService& service_in, ServerOptions options_in)
    : service(service_in),
      options(std::move(options_in)),
      ioc(static_cast<int>(options.threads == 0 ? 1 : options.threads)),
      acceptor(asio::make_strand(ioc)),
      accept_retry(acceptor.get_executor()) {}

std::uint64_t ServerCore::add_session(std::weak_ptr<ServerSession> session) {
  std::lock_guard lock(mutex);
  if (stopping) return 0;
  const auto id = next_session_id++;
  sessions.emplace(id, std::move(session));
  return id;
}

void ServerCore::remove_session(std::uint64_t id) {
  if (id == 0) return;
  std::lock_guard lock(mutex);
  sessions.erase(id);
  if (sessions.empty()) drained.notify_all();
}

void log_server_error(const ServerCore& core, std::string_view what) {
  spdlog::warn("net server {} ({}:{}): {}", core.options.name, core.options.host, core.bound_port,
               what);
}

namespace {

void accept_next(ServerCore& core);

void on_accept(ServerCore& core, const boost::system::error_code& ec, tcp::socket socket) {
  if (!core.acceptor.is_open() || ec == asio::error::operation_aborted) return;
  if (ec) {
    // Typically EMFILE: back off briefly instead of spinning on the failing accept.
    log_server_error(core, "accept: " + ec.message());
    core.accept_retry.expires_after(std::chrono::milliseconds(50));
    core.accept_retry.async_wait([&core](const boost::system::error_code& e) {
      if (!e) accept_next(core);
    });
    return;
  }
  start_http_session(core, std::move(socket));
  accept_next(core);
}

void accept_next(ServerCore& core) {
  core.acceptor.async_accept(asio::make_strand(core.ioc),
                             [&core](const boost::system::error_code& ec, tcp::socket socket) {
                               on_accept(core, ec, std::move(socket));
                             });
}

tl::expected<void, std::string> bind_and_listen(ServerCore& core, std::uint16_t& bound_port) {
  const auto& options = core.options;
  const auto where = options.host + ":" + std::to_string(options.port);
  boost::system::error_code ec;
  tcp::resolver resolver(core.ioc);
  const auto endpoints = resolver.resolve(options.host, std::to_string(options.port), ec);
  if (ec || endpoints.empty())
    return tl::make_unexpected("resolve " + where + ": " + (ec ? ec.message() : "no address"));
  const tcp::endpoint endpoint = *endpoints.begin();
  auto step = [&](const char* stage) -> tl::expected<void, std::string> {
    if (!ec) return {};
    return tl::make_unexpected(std::string(stage) + " " + where + ": " + ec.message());
  };
  core.acceptor.open(endpoint.protocol(), ec);
  if (auto r = step("open"); !r) return r;
  core.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (auto r = step("set reuse_address on"); !r) return r;
  core.acceptor.bind(endpoint, ec);
  if (auto r = step("bind"); !r) return r;
  core.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (auto r = step("listen on"); !r) return r;
  bound_port = core.acceptor.local_endpoint(ec).port();
  core.bound_port = bound_port;
  return step("read the bound port of");
}

void run_io(ServerCore& core) {
  for (;;) {
    try {
      core.ioc.run();
      return;
    } catch (const std::exception& e) {
      log_server_error(core, std::string("a handler threw: ") + e.what());
    } catch (...) {
      log_server_error(core, "a handler threw an unknown exception");
    }
  }
}

}  // namespace
}  // namespace detail

namespace {

class BeastServerImpl final : public BeastServer {
 public:
  BeastServerImpl(std::shared_ptr<detail::ServerCore> core, std::uint16_t port)
      : core_(std::move(core)), port_(port) {}

  ~BeastServerImpl() override {
    stop();
    // Only when destroyed on one of its own I/O threads: they co-own the core and finish alone.
    for (auto& thread : threads_)
      if (thread.joinable()) thread.detach();
  }

  void start_threads() {
    detail::accept_next(*core_);
    const auto count = core_->options.threads == 0 ? 1 : core_->options.threads;
    for (std::size_t i = 0; i < count; ++i)
      threads_.emplace_back([core = core_] { detail::run_io(*core); });
  }

  std::uint16_t port() const override { return port_; }
  void stop() override;

 private:
  /// Closes the acceptor and asks every session to close; true the first time.
  bool begin_stop();

  std::shared_ptr<detail::ServerCore> core_;
  std::uint16_t port_;
  std::vector<std::thread> threads_;
  std::mutex stop_mutex_;
  bool joined_ = false;  ///< guarded by stop_mutex_
};

bool BeastServerImpl::begin_stop() {
  std::vector<std::weak_ptr<detail::ServerSession>> sessions;
  {
    std::lock_guard lock(core_->mutex);
    if (core_->stopping) return false;
    core_->stopping = true;
    for (auto& [id, session] : core_->sessions) sessions.push_back(session);
  }
  boost::asio::post(core_->acceptor.get_executor(), [core = core_.get()] {
    boost::system::error_code ignored;
    core->accept_retry.cancel();
    core->acceptor.close(ignored);
  });
  for (auto& weak : sessions)
    if (auto session = weak.lock()) session->terminate();
  return true;
}

void BeastServerImpl::stop() {
  auto& core = *core_;
  if (core.ioc.get_executor().running_in_this_thread()) {
    // From a service callback: we cannot join ourselves. Sessions close and the threads leave
    // run() once the work runs out; the destructor joins or detaches them.
    begin_stop();
    return;
  }
  std::lock_guard lock(stop_mutex_);
  if (joined_) return;
  joined_ = true;
  begin_stop();
  {
    // Give sessions a moment to end on their own (so WebSocket handlers hear on_close from the
    // I/O thread); a service call that blocks longer is cut short by stopping the io_context.
    std::unique_lock sessions_lock(core.mutex);
    core.drained.wait_for(sessions_lock, std::chrono::seconds(2),
                          [&core] { return core.sessions.empty(); });
  }
  core.ioc.stop();
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
  // Sessions whose handlers never ran again end here, so every WebSocket handler gets its
  // on_close and no ServerWebSocket::send reaches the io_context after stop() returns.
  std::vector<std::shared_ptr<detail::ServerSession>> left;
  {
    std::lock_guard sessions_lock(core.mutex);
    for (auto& [id, weak] : core.sessions)
      if (auto session = weak.lock()) left.push_back(std::move(session));
  }
  for (auto& session : left) session->abandon();
}

}  // namespace

tl::expected<std::unique_ptr<BeastServer>, std::string> BeastServer::start(HttpService& service,
                                                                           ServerOptions options) {
  auto core = std::make_shared<detail::ServerCore>(service, std::move(options));
  if (core->options.tls.enabled) {
    auto context = detail::make_server_tls_context(core->options.tls);
    if (!context) return tl::make_unexpected(core->options.name + ": TLS: " + context.error());
    core->tls = std::move(*context);
  }
  std::uint16_t port = 0;
  if (auto bound = detail::bind_and_listen(*core, port); !bound)
    return tl::make_unexpected(core->options.name + ": " + bound.error());
  auto server = std::make_unique<BeastServerImpl>(std::move(core), port);
  server->start_threads();
  return server;
}

}  // namespace troupe::net
