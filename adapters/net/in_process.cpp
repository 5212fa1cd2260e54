#include "adapters/net/in_process.hpp"

#include "adapters/net/detail/service_call.hpp"

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

namespace troupe::net {
namespace {

struct SocketPair;

/// Shared by the transport and the sockets it gives out, which may outlive it (a service may
/// keep its ServerWebSocket): they hold the core weakly and drop their work once it is gone.
struct Core {
  Core(HttpService& service_in, const Clock& clock_in) : service(service_in), clock(clock_in) {}

  /// Appends an item to the FIFO; false (item dropped) after shutdown.
  bool enqueue(std::function<void()> item) {
    std::lock_guard lock(mutex);
    if (shut_down) return false;
    queue.push_back(std::move(item));
    return true;
  }

  HttpService& service;
  const Clock& clock;
  std::mutex mutex;
  std::deque<std::function<void()>> queue;
  /// Keyed by (due time ns, insertion sequence): ties fire in insertion order.
  std::map<std::pair<TimestampNs, std::uint64_t>, std::function<void()>> timers;
  std::uint64_t next_timer_seq = 0;
  /// Open socket pairs, kept alive until closed so that shutdown() can notify their servers.
  std::vector<std::shared_ptr<SocketPair>> pairs;
  bool shut_down = false;
  std::atomic<bool> draining{false};
};

/// Both ends of one in-process WebSocket. Delivery state is guarded by `mutex`, but handlers
/// are always called without it held.
struct SocketPair : std::enable_shared_from_this<SocketPair> {
  SocketPair(std::weak_ptr<Core> core_in, WebSocketHandler& client_in)
      : core(std::move(core_in)), client(&client_in) {}

  /// Queues `item` on the core's FIFO unless the core is gone or shut down.
  void enqueue(std::function<void()> item) {
    if (auto c = core.lock()) c->enqueue(std::move(item));
  }

  void deliver_to_server(const std::string& text) {
    std::shared_ptr<ServerWebSocketHandler> handler;
    {
      std::lock_guard lock(mutex);
      if (finished) return;
      handler = server;
    }
    if (handler) handler->on_message(text);
  }

  void deliver_to_client(const std::string& text) {
    {
      std::lock_guard lock(mutex);
      if (finished || !open) return;
    }
    client->on_message(text);
  }

  /// Ends the pair: the server handler gets on_close(), then the client on_close(reason)
  /// (unless `notify_client` is false, as after the transport's shutdown()).
  void finish(const std::string& reason, bool notify_client) {
    std::shared_ptr<ServerWebSocketHandler> handler;
    {
      std::lock_guard lock(mutex);
      if (finished) return;
      finished = true;
      handler = std::move(server);
    }
    if (handler) handler->on_close();
    if (notify_client) client->on_close(reason);
    if (auto c = core.lock()) {
      std::lock_guard lock(c->mutex);
      std::erase(c->pairs, shared_from_this());
    }
  }

  std::weak_ptr<Core> core;
  WebSocketHandler* client;
  std::mutex mutex;
  std::shared_ptr<ServerWebSocketHandler> server;
  bool open = false;
  bool finished = false;
  /// close() was called by either side: later sends are dropped.
  std::atomic<bool> closing{false};
};

/// The end the connector holds.
class ClientSocket final : public WebSocket {
 public:
  explicit ClientSocket(std::shared_ptr<SocketPair> pair) : pair_(std::move(pair)) {}

  void send(std::string text) override {
    if (pair_->closing) return;
    pair_->enqueue([pair = pair_, text = std::move(text)] { pair->deliver_to_server(text); });
  }

  void close() override {
    if (pair_->closing.exchange(true)) return;
    pair_->enqueue([pair = pair_] { pair->finish("closed by client", true); });
  }

 private:
  std::shared_ptr<SocketPair> pair_;
};

/// The end the service holds; weak, because the service's handler (owned by the pair) keeps it.
class ServerSocket final : public ServerWebSocket {
 public:
  explicit ServerSocket(std::weak_ptr<SocketPair> pair) : pair_(std::move(pair)) {}

  void send(std::string text) override {
    auto pair = pair_.lock();
    if (!pair || pair->closing) return;
    pair->enqueue([pair, text = std::move(text)] { pair->deliver_to_client(text); });
  }

  void close() override {
    auto pair = pair_.lock();
    if (!pair || pair->closing.exchange(true)) return;
    pair->enqueue([pair] { pair->finish("closed by server", true); });
  }

 private:
  std::weak_ptr<SocketPair> pair_;
};

/// The queued "handshake": offers the socket to the service, then opens or refuses it.
void open_pair(Core& core, const std::shared_ptr<SocketPair>& pair, const std::string& target) {
  HttpRequest request;
  request.target = target;
  request.headers = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}};
  std::shared_ptr<ServerWebSocketHandler> handler;
  try {
    handler = core.service.accept_websocket(request, std::make_shared<ServerSocket>(pair));
  } catch (...) {
    // Same as over sockets, where the upgrade would fail: the client sees the socket close.
    return pair->finish("500", true);
  }
  if (!handler) return pair->finish("404", true);
  {
    std::lock_guard lock(pair->mutex);
    if (pair->finished) return;
    pair->server = std::move(handler);
    pair->open = true;
  }
  pair->client->on_open();
}

class InProcessTransportImpl final : public InProcessTransport {
 public:
  InProcessTransportImpl(HttpService& service, const Clock& clock)
      : core_(std::make_shared<Core>(service, clock)) {}

  ~InProcessTransportImpl() override { shutdown(); }

  void http(HttpRequest request, HttpCallback callback) override {
    // Two queue items: the service handles the request, then the response "travels back" as a
    // later item, so messages the service pushes while handling are delivered before it, as on
    // a real network where the socket streams while the response is in flight.
    core_->enqueue([core = core_.get(), request = std::move(request),
                    callback = std::move(callback)]() mutable {
      auto response = detail::call_service(core->service, request);
      core->enqueue([callback = std::move(callback), response = std::move(response)]() mutable {
        callback(std::move(response));
      });
    });
  }

  std::shared_ptr<WebSocket> websocket(std::string target, WebSocketHandler& handler) override {
    auto pair = std::make_shared<SocketPair>(core_, handler);
    {
      std::lock_guard lock(core_->mutex);
      if (!core_->shut_down) core_->pairs.push_back(pair);
    }
    core_->enqueue(
        [core = core_.get(), pair, target = std::move(target)] { open_pair(*core, pair, target); });
    return std::make_shared<ClientSocket>(pair);
  }

  void post_after(std::chrono::milliseconds delay, std::function<void()> fn) override {
    const auto delay_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(delay).count();
    std::lock_guard lock(core_->mutex);
    if (core_->shut_down) return;
    const TimestampNs due = core_->clock.now_ns() + (delay_ns > 0 ? delay_ns : 0);
    core_->timers.emplace(std::make_pair(due, core_->next_timer_seq++), std::move(fn));
  }

  std::size_t run_pending() override;
  std::size_t pending() const override;
  void shutdown() override;

 private:
  std::shared_ptr<Core> core_;
};

std::size_t InProcessTransportImpl::run_pending() {
  auto core = core_;  // an item may destroy the transport; the core stays until we return
  if (core->draining.exchange(true)) return 0;  // nested call from inside an item
  struct ResetDraining {
    Core& core;
    ~ResetDraining() { core.draining = false; }
  } reset{*core};
  std::size_t delivered = 0;
  for (;;) {
    std::function<void()> item;
    {
      std::lock_guard lock(core->mutex);
      if (core->shut_down) break;
      if (!core->queue.empty()) {
        item = std::move(core->queue.front());
        core->queue.pop_front();
      } else if (!core->timers.empty() &&
                 core->timers.begin()->first.first <= core->clock.now_ns()) {
        item = std::move(core->timers.begin()->second);
        core->timers.erase(core->timers.begin());
      } else {
        break;
      }
    }
    ++delivered;
    if (item) item();
  }
  return delivered;
}

std::size_t InProcessTransportImpl::pending() const {
  std::lock_guard lock(core_->mutex);
  const auto now = core_->clock.now_ns();
  std::size_t due = 0;
  for (const auto& [key, fn] : core_->timers) {
    if (key.first > now) break;
    ++due;
  }
  return core_->queue.size() + due;
}

void InProcessTransportImpl::shutdown() {
  std::deque<std::function<void()>> queue;
  std::map<std::pair<TimestampNs, std::uint64_t>, std::function<void()>> timers;
  std::vector<std::shared_ptr<SocketPair>> pairs;
  {
    std::lock_guard lock(core_->mutex);
    if (core_->shut_down) return;
    core_->shut_down = true;
    queue.swap(core_->queue);
    timers.swap(core_->timers);
    pairs.swap(core_->pairs);
  }
  queue.clear();
  timers.clear();
  // Services learn that their clients are gone; connectors get no more calls.
  for (auto& pair : pairs) pair->finish("transport shut down", false);
}

}  // namespace

std::unique_ptr<InProcessTransport> make_in_process_transport(HttpService& service,
                                                              const Clock& clock) {
  return std::make_unique<InProcessTransportImpl>(service, clock);
}

}  // namespace troupe::net
