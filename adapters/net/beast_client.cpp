#include "adapters/net/beast_client.hpp"

#include "adapters/net/detail/client_core.hpp"
#include "adapters/net/detail/tls_context.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace troupe::net {
namespace detail {

ClientCore::ClientCore(Endpoint endpoint_in)
    : endpoint(std::move(endpoint_in)), work(asio::make_work_guard(ioc)) {
  if (!endpoint.tls.enabled) return;
  auto context = make_client_tls_context(endpoint.tls);
  if (context) {
    tls = std::move(*context);
    return;
  }
  tls_error = context.error();
  spdlog::error("net client {}; every request will fail", describe("tls", tls_error));
}

std::uint64_t ClientCore::track(std::weak_ptr<ClientOperation> operation) {
  const auto id = next_id_++;
  operations_.emplace(id, std::move(operation));
  return id;
}

void ClientCore::untrack(std::uint64_t id) { operations_.erase(id); }

void ClientCore::abort_all(const std::string& reason) {
  // Copy first: aborting runs user callbacks, which may start or end other operations.
  std::vector<std::weak_ptr<ClientOperation>> operations;
  operations.reserve(operations_.size());
  for (auto& [id, operation] : operations_) operations.push_back(operation);
  operations_.clear();
  for (auto& weak : operations) {
    auto operation = weak.lock();
    if (!operation) continue;
    try {
      operation->abort(reason);
    } catch (const std::exception& e) {
      log_handler_exception(endpoint.name, e.what());
    } catch (...) {
      log_handler_exception(endpoint.name, "unknown exception");
    }
  }
}

bool ClientCore::on_io_thread() { return ioc.get_executor().running_in_this_thread(); }

std::string ClientCore::host_port() const {
  return endpoint.host + ":" + std::to_string(endpoint.port);
}

std::string ClientCore::describe(std::string_view stage,
                                 const boost::system::error_code& error) const {
  return describe(stage, error.message());
}

std::string ClientCore::describe(std::string_view stage, std::string_view failure) const {
  std::string text;
  if (!endpoint.name.empty()) text = endpoint.name + ": ";
  text.append(stage).append(" ").append(host_port()).append(": ").append(failure);
  return text;
}

void log_handler_exception(std::string_view where, std::string_view what) {
  spdlog::error("net {}: a handler threw on the I/O thread: {}", where, what);
}

namespace {

/// A post_after() timer; abort() cancels it without running the function.
class TimerOperation final : public ClientOperation,
                             public std::enable_shared_from_this<TimerOperation> {
 public:
  TimerOperation(ClientCore& core, std::function<void()> fn)
      : core_(core), timer_(core.ioc), fn_(std::move(fn)) {}

  void start(std::chrono::milliseconds delay) {
    id_ = core_.track(weak_from_this());
    timer_.expires_after(delay);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || !self->fn_) return;
      self->core_.untrack(self->id_);
      auto fn = std::move(self->fn_);
      self->fn_ = nullptr;
      fn();
    });
  }

  void abort(const std::string&) override {
    fn_ = nullptr;
    timer_.cancel();
  }

 private:
  ClientCore& core_;
  asio::steady_timer timer_;
  std::function<void()> fn_;
  std::uint64_t id_ = 0;
};

void run_io(ClientCore& core) {
  for (;;) {
    try {
      core.ioc.run();
      return;
    } catch (const std::exception& e) {
      log_handler_exception(core.endpoint.name, e.what());
    } catch (...) {
      log_handler_exception(core.endpoint.name, "unknown exception");
    }
  }
}

}  // namespace
}  // namespace detail

namespace {

class BeastClientTransport final : public ClientTransport {
 public:
  explicit BeastClientTransport(Endpoint endpoint)
      : core_(std::make_shared<detail::ClientCore>(std::move(endpoint))) {
    // The thread co-owns the core so that a transport destroyed from its own I/O thread (a
    // callback dropping its owner) can detach instead of joining itself.
    thread_ = std::thread([core = core_] { detail::run_io(*core); });
  }

  ~BeastClientTransport() override {
    shutdown();
    if (thread_.joinable()) thread_.detach();  // only when destroyed on the I/O thread
  }

  void http(HttpRequest request, HttpCallback callback) override {
    if (core_->stopped) return;
    boost::asio::post(core_->ioc, [core = core_.get(), request = std::move(request),
                                   callback = std::move(callback)]() mutable {
      detail::start_http(*core, std::move(request), std::move(callback));
    });
  }

  std::shared_ptr<WebSocket> websocket(std::string target, WebSocketHandler& handler) override {
    return detail::start_websocket(core_, std::move(target), handler);
  }

  void post_after(std::chrono::milliseconds delay, std::function<void()> fn) override {
    if (core_->stopped) return;
    boost::asio::post(core_->ioc, [core = core_.get(), delay, fn = std::move(fn)]() mutable {
      if (core->stopped) return;
      auto timer = std::make_shared<detail::TimerOperation>(*core, std::move(fn));
      timer->start(delay < std::chrono::milliseconds::zero() ? std::chrono::milliseconds::zero()
                                                             : delay);
    });
  }

  void shutdown() override {
    auto& core = *core_;
    if (core.on_io_thread()) {
      // Called from a callback: end everything now; the thread leaves run() once this handler
      // returns and is joined (or detached) by the destructor.
      if (!core.stopped.exchange(true)) {
        core.abort_all(kShutdownReason);
        core.ioc.stop();
      }
      return;
    }
    std::lock_guard lock(shutdown_mutex_);
    if (!thread_.joinable()) return;
    if (!core.stopped.exchange(true)) {
      // Posted behind the work already queued, so requests handed over before shutdown() still
      // get their callback (with the shutdown error) exactly once, on the I/O thread.
      boost::asio::post(core.ioc, [c = core_.get()] {
        struct StopOnExit {
          detail::ClientCore* core;
          ~StopOnExit() { core->ioc.stop(); }
        } stop_on_exit{c};
        c->abort_all(kShutdownReason);
      });
    } else {
      core.ioc.stop();
    }
    thread_.join();
  }

 private:
  static constexpr const char* kShutdownReason = "transport shut down";

  std::shared_ptr<detail::ClientCore> core_;
  std::thread thread_;
  std::mutex shutdown_mutex_;
};

}  // namespace

std::unique_ptr<ClientTransport> make_beast_client_transport(Endpoint endpoint) {
  return std::make_unique<BeastClientTransport>(std::move(endpoint));
}

}  // namespace troupe::net
