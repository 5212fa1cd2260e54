#include "actors/venue/market_data_actor.hpp"

#include "runtime/metrics.hpp"
#include "runtime/topic_bus.hpp"
#include "runtime/topics.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include <memory>
#include <unordered_map>

namespace troupe {
namespace {

// Runs on the port's I/O thread (or inline in backtests): only publishes, counts and enqueues.
class BusListener final : public MarketDataListener {
 public:
  BusListener(const NodeContext& context, VenueId venue, caf::actor session)
      : context_(context), venue_(std::move(venue)), session_(std::move(session)) {
    Labels labels{{"venue", venue_.value}};
    auto& m = context_.metrics;
    messages_ = &m.counter("troupe_venue_messages_total",
                           "Market-data messages (book updates and trades) received", labels);
    snapshots_ = &m.counter("troupe_venue_snapshots_total", "Book snapshots loaded", labels);
    frame_errors_ = &m.counter("troupe_venue_frame_errors_total",
                               "Frames that could not be used (malformed, unknown, ...)", labels);
    rate_ = &m.gauge("troupe_venue_messages_per_second",
                     "Market-data messages received in the last whole second", labels);
    state_ =
        &m.gauge("troupe_venue_session_state", "0 connecting, 1 syncing, 2 live, 3 disconnected",
                 {{"venue", venue_.value}, {"session", "market_data"}});
  }

  void on_snapshot(BookSnapshot snapshot) override {
    snapshots_->inc();
    context_.bus.publish(md_topic(snapshot.instrument), snapshot);
  }
  void on_deltas(BookDeltas deltas) override {
    count_message();
    context_.bus.publish(md_topic(deltas.instrument), deltas);
  }
  void on_trade(TradeTick trade) override {
    count_message();
    context_.bus.publish(topics::trades(trade.instrument), trade);
  }
  void on_bar(Bar bar) override {
    count_message();
    context_.bus.publish(topics::bars(bar.instrument), bar);
  }
  void on_resync(BookResyncStarted event) override {
    context_.metrics
        .counter("troupe_venue_resyncs_total", "Book resyncs by venue and reason",
                 {{"venue", venue_.value}, {"reason", to_string(event.reason)}})
        .inc();
    spdlog::log(event.reason == ResyncReason::Startup ? spdlog::level::info : spdlog::level::warn,
                "venue {} {}: resync ({}): {}", venue_.value, event.instrument.symbol,
                to_string(event.reason), event.detail);
    context_.bus.publish(md_topic(event.instrument), event);
  }
  void on_state(SessionState state, std::string detail) override {
    state_->set(static_cast<double>(state));
    spdlog::info("venue {} market data: {} ({})", venue_.value, to_string(state), detail);
    caf::anon_send(session_, SessionStateChanged{venue_, "market_data", state, std::move(detail),
                                                 context_.clock.now_ns()});
  }
  void on_frame_error(std::string reason) override {
    frame_errors_->inc();
    spdlog::warn("venue {} market data: bad frame: {}", venue_.value, reason);
  }

 private:
  // Counts one message and keeps the per-second rate gauge: the count of the last whole second
  // of the node's clock (0 after a silent second).
  void count_message() {
    messages_->inc();
    const TimestampNs second = context_.clock.now_ns() / 1'000'000'000;
    if (second != window_second_) {
      rate_->set(second == window_second_ + 1 ? static_cast<double>(window_count_) : 0.0);
      window_second_ = second;
      window_count_ = 0;
    }
    ++window_count_;
  }

  const std::string& md_topic(const InstrumentId& id) {
    auto it = md_topics_.find(id.symbol);
    if (it == md_topics_.end()) it = md_topics_.emplace(id.symbol, topics::market_data(id)).first;
    return it->second;
  }

  const NodeContext& context_;
  VenueId venue_;
  caf::actor session_;
  Counter* messages_;
  Counter* snapshots_;
  Counter* frame_errors_;
  Gauge* state_;
  Gauge* rate_;
  TimestampNs window_second_ = 0;
  std::uint64_t window_count_ = 0;
  std::unordered_map<std::string, std::string> md_topics_;
};

struct MarketDataState {
  std::unique_ptr<BusListener> listener;
  std::unique_ptr<MarketDataPort> port;
  SessionState state = SessionState::Connecting;
  static inline const char* name = "market_data";

  MarketDataState() = default;
  MarketDataState(const MarketDataState&) = delete;
  MarketDataState& operator=(const MarketDataState&) = delete;
  ~MarketDataState() {
    // The port's thread calls the listener: stop it before the listener goes away.
    if (port) port->stop();
  }
};

MarketDataActor::behavior_type market_data_behavior(
    MarketDataActor::stateful_pointer<MarketDataState> self, const NodeContext* context,
    VenueId venue, MarketDataPortFactory make_port) {
  auto& st = self->state;
  st.listener = std::make_unique<BusListener>(*context, venue, caf::actor_cast<caf::actor>(self));
  st.port = make_port();
  st.port->start(*st.listener);
  return {
      [self](const SessionStateChanged& changed) { self->state.state = changed.state; },
      [self](status_atom) { return to_string(self->state.state); },
  };
}

}  // namespace

MarketDataActor spawn_market_data_actor(const NodeContext& context, VenueId venue,
                                        MarketDataPortFactory make_port) {
  return context.system.spawn(market_data_behavior, &context, std::move(venue),
                              std::move(make_port));
}

}  // namespace troupe
