#pragma once
// Test helpers for the transports: a small echo service, recording WebSocket handlers and
// bounded waits (every wait has a timeout; nothing sleeps longer than needed).

#include "adapters/net/transport.hpp"

#include <tl/expected.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace troupe::net::testing {

using namespace std::chrono_literals;

/// Thread-safe list of events with a bounded wait for the n-th.
class Recorder {
 public:
  void add(std::string event) {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(event));
    }
    changed_.notify_all();
  }
  /// Waits until at least `n` events were recorded; false on timeout.
  bool wait_for_count(std::size_t n, std::chrono::milliseconds timeout = 5000ms) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return events_.size() >= n; });
  }
  /// Waits until some event starts with `prefix`; false on timeout.
  bool wait_for_prefix(const std::string& prefix, std::chrono::milliseconds timeout = 5000ms) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      for (const auto& e : events_)
        if (e.rfind(prefix, 0) == 0) return true;
      return false;
    });
  }
  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
};

/// Records a client socket's events as "open", "msg:<payload>", "close:<reason>".
class RecordingClientHandler final : public WebSocketHandler {
 public:
  void on_open() override { recorder.add("open"); }
  void on_message(std::string_view payload) override {
    recorder.add("msg:" + std::string(payload));
  }
  void on_close(std::string reason) override {
    ++closes;
    recorder.add("close:" + reason);
  }
  Recorder recorder;
  std::atomic<int> closes{0};
};

/// Server side of /ws/echo and /ws/push: records messages; echo mode answers each one.
class RecordingServerHandler final : public ServerWebSocketHandler {
 public:
  RecordingServerHandler(std::shared_ptr<ServerWebSocket> socket, bool echo)
      : socket(std::move(socket)), echo_(echo) {}
  void on_message(std::string_view payload) override {
    recorder.add("msg:" + std::string(payload));
    if (echo_) socket->send("echo:" + std::string(payload));
  }
  void on_close() override {
    ++closes;
    recorder.add("close");
  }
  std::shared_ptr<ServerWebSocket> socket;
  Recorder recorder;
  std::atomic<int> closes{0};

 private:
  bool echo_;
};

/// /echo answers with the request reflected into headers and body; /slow blocks until
/// release() (at most 5 s); /throw throws; anything else is 404. WebSockets at /ws/echo and
/// /ws/push; others are refused.
class EchoService final : public HttpService {
 public:
  HttpResponse handle(const HttpRequest& request) override {
    ++requests;
    if (request.path() == "/echo") return echo(request);
    if (request.path() == "/slow") {
      std::unique_lock lock(mutex_);
      released_.wait_for(lock, 5s, [this] { return release_; });
      return HttpResponse{200, {}, "slow", "text/plain"};
    }
    if (request.path() == "/throw") throw std::runtime_error("boom");
    return HttpResponse{404, {}, R"({"code":404})", "application/json"};
  }

  std::shared_ptr<ServerWebSocketHandler> accept_websocket(
      const HttpRequest& request, std::shared_ptr<ServerWebSocket> socket) override {
    if (request.path() != "/ws/echo" && request.path() != "/ws/push") return nullptr;
    auto handler = std::make_shared<RecordingServerHandler>(socket, request.path() == "/ws/echo");
    std::lock_guard lock(mutex_);
    handlers.push_back(handler);
    accepted_.notify_all();
    return handler;
  }

  /// Lets /slow return.
  void release() {
    {
      std::lock_guard lock(mutex_);
      release_ = true;
    }
    released_.notify_all();
  }

  /// Waits for the n-th accepted WebSocket and returns its handler (nullptr on timeout).
  std::shared_ptr<RecordingServerHandler> wait_for_handler(
      std::size_t n, std::chrono::milliseconds timeout = 5000ms) {
    std::unique_lock lock(mutex_);
    if (!accepted_.wait_for(lock, timeout, [&] { return handlers.size() >= n; })) return nullptr;
    return handlers[n - 1];
  }

  std::atomic<int> requests{0};
  std::vector<std::shared_ptr<RecordingServerHandler>> handlers;

 private:
  static HttpResponse echo(const HttpRequest& request) {
    HttpResponse response;
    response.status = 200;
    response.content_type = "text/plain";
    response.headers = {{"X-Method", request.method}, {"X-Target", request.target}};
    for (const char* name : {"Content-Type", "User-Agent", "Host", "X-Custom"})
      if (const auto* value = find_header(request.headers, name))
        response.headers.emplace_back(std::string("X-Seen-") + name, *value);
    response.body = request.body;
    return response;
  }

  std::mutex mutex_;
  std::condition_variable released_;
  std::condition_variable accepted_;
  bool release_ = false;
};

/// A callback that stores its result for a bounded wait and counts its invocations.
struct HttpResult {
  std::promise<tl::expected<HttpResponse, std::string>> promise;
  std::future<tl::expected<HttpResponse, std::string>> future = promise.get_future();
  std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);

  HttpCallback callback() {
    return [this, calls = calls](tl::expected<HttpResponse, std::string> result) {
      if (++*calls == 1) promise.set_value(std::move(result));
    };
  }
  /// The result, or a failure text on timeout.
  tl::expected<HttpResponse, std::string> get(std::chrono::milliseconds timeout = 5000ms) {
    if (future.wait_for(timeout) != std::future_status::ready)
      return tl::make_unexpected(std::string("test timeout: no callback"));
    return future.get();
  }
};

}  // namespace troupe::net::testing
