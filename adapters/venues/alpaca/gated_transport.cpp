#include "adapters/venues/alpaca/gated_transport.hpp"

namespace troupe::alpaca {
namespace {

/// A socket whose connection has not been opened yet.
class DeferredSocket final : public net::WebSocket {
 public:
  void send(std::string text) override {
    // Nothing can be sent before on_open; a send before the real socket exists is dropped,
    // as a real socket drops sends before its handshake.
    if (real_) real_->send(std::move(text));
  }
  void close() override {
    if (closed_) return;
    closed_ = true;
    if (real_) real_->close();
  }

  bool closed_ = false;
  std::shared_ptr<net::WebSocket> real_;
};

}  // namespace

GatedTransport::GatedTransport(std::shared_ptr<net::ClientTransport> inner, const Clock& clock)
    : inner_(std::move(inner)), clock_(clock) {}

void GatedTransport::http(net::HttpRequest request, net::HttpCallback callback) {
  inner_->http(std::move(request), std::move(callback));
}

std::shared_ptr<net::WebSocket> GatedTransport::websocket(std::string target,
                                                          net::WebSocketHandler& handler) {
  const TimestampNs now = clock_.now_ns();
  if (now >= hold_until_ns_) return inner_->websocket(std::move(target), handler);
  auto deferred = std::make_shared<DeferredSocket>();
  const auto wait = std::chrono::milliseconds((hold_until_ns_ - now + 999'999) / 1'000'000);
  inner_->post_after(wait, [this, deferred, target = std::move(target), &handler]() mutable {
    if (deferred->closed_) {
      handler.on_close("canceled before connecting");
      return;
    }
    deferred->real_ = inner_->websocket(std::move(target), handler);
  });
  return deferred;
}

void GatedTransport::post_after(std::chrono::milliseconds delay, std::function<void()> fn) {
  inner_->post_after(delay, std::move(fn));
}

void GatedTransport::shutdown() { inner_->shutdown(); }

}  // namespace troupe::alpaca
