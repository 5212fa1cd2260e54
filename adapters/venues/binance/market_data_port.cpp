#include "adapters/venues/binance/market_data_port.hpp"

#include "adapters/venues/common/backoff.hpp"
#include "adapters/venues/binance/binance_codec.hpp"
#include "adapters/venues/binance/book_sync.hpp"
#include "adapters/venues/binance/http_errors.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

namespace troupe::binance {
namespace {

using std::chrono::milliseconds;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::string to_lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

class BinanceMarketDataPort;

/// Receives the events of one WebSocket connection attempt (one generation).
class StreamHandler final : public net::WebSocketHandler {
 public:
  StreamHandler(BinanceMarketDataPort& port, std::uint64_t generation)
      : port_(port), generation_(generation) {}
  void on_open() override;
  void on_message(std::string_view payload) override;
  void on_close(std::string reason) override;
  /// on_close arrived: the transport will not call this handler again.
  bool closed() const { return closed_; }

 private:
  BinanceMarketDataPort& port_;
  std::uint64_t generation_;
  bool closed_ = false;
};

/// Per-symbol state: the sync engine plus its snapshot request bookkeeping.
struct SymbolBook {
  const Instrument* instrument;
  BookSync sync;
  venues::Backoff retry;
  bool in_flight = false;        ///< a depth snapshot request awaits its answer
  bool retry_scheduled = false;  ///< a timer will send the next request
};

class BinanceMarketDataPort final : public MarketDataPort {
 public:
  explicit BinanceMarketDataPort(MarketDataPortOptions options)
      : options_(std::move(options)),
        clock_(*options_.clock),
        transport_(options_.transport),
        codec_(make_instrument_lookup(options_.instruments), options_.venue.value),
        target_(combined_stream_target(options_)),
        reconnect_(milliseconds(options_.reconnect_min_ms), milliseconds(options_.reconnect_max_ms),
                   options_.seed) {
    for (std::size_t i = 0; i < options_.instruments.size(); ++i) {
      const Instrument& instrument = options_.instruments[i];
      books_.push_back(
          SymbolBook{&instrument, BookSync(instrument.id, options_.max_buffered_events),
                     venues::Backoff(milliseconds(options_.reconnect_min_ms),
                             milliseconds(options_.reconnect_max_ms), options_.seed + i + 1)});
      index_[instrument.id.symbol] = i;
    }
  }

  ~BinanceMarketDataPort() override { stop(); }

  void start(MarketDataListener& listener) override {
    if (started_.exchange(true)) return;
    listener_ = &listener;
    post(milliseconds(0), [this] { connect(); });
  }

  void stop() override {
    if (stopped_.exchange(true)) return;
    transport_->shutdown();
  }

  void on_open(std::uint64_t generation);
  void on_message(std::uint64_t generation, std::string_view payload);
  void on_close(std::uint64_t generation, const std::string& reason);

 private:
  /// Runs `fn` on the transport's thread after `delay` unless the port stopped meanwhile.
  template <class Fn>
  void post(milliseconds delay, Fn fn) {
    transport_->post_after(delay, [this, fn = std::move(fn)]() mutable {
      if (!stopped_.load()) fn();
    });
  }

  std::string venue() const { return options_.venue.value; }
  void connect();
  void abandon(const std::string& detail, ResyncReason reason);
  void arm_stale_timer(std::uint64_t generation);
  void dispatch(StreamMessage&& message, TimestampNs now);
  void on_decode_error(const DecodeError& error, TimestampNs now);
  void handle(std::size_t book, SyncOutput&& output, bool after_snapshot);
  void request_snapshot(std::size_t book, bool with_delay, milliseconds at_least);
  void send_snapshot_request(std::size_t book);
  void on_snapshot_response(std::size_t book, tl::expected<net::HttpResponse, std::string> reply);
  void snapshot_failed(std::size_t book, const std::string& reason, milliseconds at_least);
  void set_state(SessionState state, std::string detail);
  void refresh_state();

  MarketDataPortOptions options_;
  const Clock& clock_;
  std::shared_ptr<net::ClientTransport> transport_;
  BinanceCodec codec_;
  std::string target_;
  venues::Backoff reconnect_;
  std::vector<SymbolBook> books_;
  std::unordered_map<std::string, std::size_t> index_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};
  MarketDataListener* listener_ = nullptr;
  // Everything below is touched only on the transport's thread.
  std::uint64_t generation_ = 0;  ///< bumps on every (dis)connect; older callbacks are ignored
  std::shared_ptr<net::WebSocket> socket_;
  std::vector<std::unique_ptr<StreamHandler>> handlers_;
  SessionState state_ = SessionState::Disconnected;
  TimestampNs last_message_ns_ = 0;
  bool announced_startup_ = false;
};

void StreamHandler::on_open() { port_.on_open(generation_); }
void StreamHandler::on_message(std::string_view payload) { port_.on_message(generation_, payload); }
void StreamHandler::on_close(std::string reason) {
  closed_ = true;
  port_.on_close(generation_, reason);
}

void BinanceMarketDataPort::connect() {
  ++generation_;
  // Handlers must outlive their sockets until on_close; closed ones can go now.
  std::erase_if(handlers_, [](const auto& handler) { return handler->closed(); });
  handlers_.push_back(std::make_unique<StreamHandler>(*this, generation_));
  set_state(SessionState::Connecting, "connecting to " + target_);
  socket_ = transport_->websocket(target_, *handlers_.back());
}

void BinanceMarketDataPort::on_open(std::uint64_t generation) {
  if (stopped_.load() || generation != generation_) return;
  const TimestampNs now = clock_.now_ns();
  last_message_ns_ = now;
  set_state(SessionState::Syncing,
            "connected to " + target_ + "; syncing " + std::to_string(books_.size()) + " book(s)");
  for (std::size_t i = 0; i < books_.size(); ++i) {
    if (!announced_startup_) {
      listener_->on_resync(
          BookResyncStarted{books_[i].instrument->id, ResyncReason::Startup, "initial sync", now});
    }
    handle(i, books_[i].sync.start(), false);
  }
  announced_startup_ = true;
  arm_stale_timer(generation);
}

void BinanceMarketDataPort::on_message(std::uint64_t generation, std::string_view payload) {
  if (stopped_.load() || generation != generation_) return;
  const TimestampNs now = clock_.now_ns();
  last_message_ns_ = now;
  auto decoded = codec_.decode_stream(payload, now);
  if (!decoded) {
    on_decode_error(decoded.error(), now);
  } else {
    dispatch(std::move(*decoded), now);
  }
}

void BinanceMarketDataPort::on_close(std::uint64_t generation, const std::string& reason) {
  if (stopped_.load() || generation != generation_) return;
  abandon(venue() + " stream closed: " + reason, ResyncReason::Disconnected);
}

void BinanceMarketDataPort::dispatch(StreamMessage&& message, TimestampNs now) {
  std::visit(
      Overloaded{
          [&](DepthUpdate& update) {
            auto it = index_.find(update.instrument.symbol);
            if (it == index_.end()) return;  // the lookup only knows our symbols
            handle(it->second, books_[it->second].sync.on_update(std::move(update), now), false);
          },
          [&](TradeTick& trade) { listener_->on_trade(std::move(trade)); },
          [&](QuoteTick&) {},        // not subscribed; MarketDataListener has no quote call
          [&](SubscribeResult&) {},  // no SUBSCRIBE is sent: streams are named in the URL
          [&](ControlError& error) {
            listener_->on_frame_error(venue() + " stream: control error " +
                                      std::to_string(error.code) + " " + error.message);
          },
          [&](ServerShutdown&) {
            // §2.6 / §2.8: a planned drop follows; reconnect now and resync everything.
            abandon(venue() + " stream: server shutdown announced", ResyncReason::Disconnected);
          },
          [&](UnknownEvent& event) {
            listener_->on_frame_error(venue() + " stream: unknown event type \"" +
                                      event.event_type + "\"");
          }},
      message);
}

void BinanceMarketDataPort::on_decode_error(const DecodeError& error, TimestampNs now) {
  listener_->on_frame_error(error.what);
  if (!error.may_affect_book) return;
  if (error.symbol.empty()) {
    // Could have been anyone's depth update: no book can be trusted any more.
    for (std::size_t i = 0; i < books_.size(); ++i) {
      handle(i, books_[i].sync.invalidate(ResyncReason::MalformedFrame, error.what, now), false);
    }
    return;
  }
  auto it = index_.find(error.symbol);
  if (it == index_.end()) return;
  handle(it->second,
         books_[it->second].sync.invalidate(ResyncReason::MalformedFrame, error.what, now), false);
}

void BinanceMarketDataPort::handle(std::size_t book, SyncOutput&& output, bool after_snapshot) {
  for (SyncEvent& event : output.events) {
    std::visit(Overloaded{[&](BookSnapshot& s) { listener_->on_snapshot(std::move(s)); },
                          [&](BookDeltas& d) { listener_->on_deltas(std::move(d)); },
                          [&](BookResyncStarted& r) { listener_->on_resync(std::move(r)); }},
               event);
  }
  // A snapshot that was just refused (older than the stream) is refetched after a backoff
  // delay, so a lagging REST server is not hammered.
  if (output.request_snapshot) request_snapshot(book, after_snapshot, milliseconds(0));
  refresh_state();
}

void BinanceMarketDataPort::request_snapshot(std::size_t index, bool with_delay,
                                             milliseconds at_least) {
  SymbolBook& book = books_[index];
  if (book.in_flight || book.retry_scheduled) return;  // that answer will be validated too
  if (!with_delay) {
    send_snapshot_request(index);
    return;
  }
  book.retry_scheduled = true;
  const milliseconds delay = std::max(book.retry.next(), at_least);
  post(delay, [this, index, generation = generation_] {
    if (generation != generation_) return;
    books_[index].retry_scheduled = false;
    send_snapshot_request(index);
  });
}

void BinanceMarketDataPort::send_snapshot_request(std::size_t index) {
  SymbolBook& book = books_[index];
  book.in_flight = true;
  net::HttpRequest request;
  request.method = "GET";
  request.target = "/api/v3/depth?symbol=" + book.instrument->id.symbol +
                   "&limit=" + std::to_string(options_.snapshot_depth);
  transport_->http(std::move(request), [this, index, generation = generation_](auto reply) {
    if (stopped_.load() || generation != generation_) return;
    on_snapshot_response(index, std::move(reply));
  });
}

void BinanceMarketDataPort::on_snapshot_response(
    std::size_t index, tl::expected<net::HttpResponse, std::string> reply) {
  SymbolBook& book = books_[index];
  book.in_flight = false;
  const std::string endpoint = venue() + " depth snapshot " + book.instrument->id.symbol;
  if (!reply) {
    snapshot_failed(index, endpoint + ": request failed: " + reply.error(), milliseconds(0));
    return;
  }
  if (reply->status != 200) {
    snapshot_failed(index, endpoint + ": " + http_failure_text(codec_, *reply, "GET /api/v3/depth"),
                    retry_after(*reply));
    return;
  }
  const TimestampNs now = clock_.now_ns();
  auto snapshot = codec_.decode_depth_snapshot(reply->body, *book.instrument, now);
  if (!snapshot) {
    snapshot_failed(index, snapshot.error().what, milliseconds(0));
    return;
  }
  SyncOutput output = book.sync.on_snapshot(std::move(*snapshot), now);
  if (book.sync.synced()) book.retry.reset();
  handle(index, std::move(output), true);
}

void BinanceMarketDataPort::snapshot_failed(std::size_t index, const std::string& reason,
                                            milliseconds at_least) {
  listener_->on_frame_error(reason);
  request_snapshot(index, true, at_least);
}

void BinanceMarketDataPort::abandon(const std::string& detail, ResyncReason reason) {
  const TimestampNs now = clock_.now_ns();
  ++generation_;  // callbacks of the old socket, its timers and snapshot answers go stale
  if (socket_) {
    socket_->close();
    socket_.reset();
  }
  set_state(SessionState::Disconnected, detail);
  for (SymbolBook& book : books_) {
    for (SyncEvent& event : book.sync.invalidate(reason, detail, now).events) {
      if (auto* resync = std::get_if<BookResyncStarted>(&event)) {
        listener_->on_resync(std::move(*resync));
      }
    }
    book.in_flight = false;
    book.retry_scheduled = false;
  }
  post(reconnect_.next(), [this, generation = generation_] {
    if (generation == generation_) connect();
  });
}

void BinanceMarketDataPort::arm_stale_timer(std::uint64_t generation) {
  const milliseconds period(std::max<std::int64_t>(10, options_.stale_after_ms / 2));
  post(period, [this, generation] {
    if (generation != generation_) return;
    const std::int64_t silent_ms = (clock_.now_ns() - last_message_ns_) / 1'000'000;
    if (silent_ms >= options_.stale_after_ms) {
      abandon(venue() + " stream stale: no message for " + std::to_string(silent_ms) + " ms",
              ResyncReason::Stale);
      return;
    }
    arm_stale_timer(generation);
  });
}

void BinanceMarketDataPort::set_state(SessionState state, std::string detail) {
  if (state == state_) return;
  state_ = state;
  listener_->on_state(state, std::move(detail));
}

void BinanceMarketDataPort::refresh_state() {
  if (state_ != SessionState::Syncing && state_ != SessionState::Live) return;
  std::string unsynced;
  for (const SymbolBook& book : books_) {
    if (book.sync.synced()) continue;
    if (!unsynced.empty()) unsynced.append(", ");
    unsynced.append(book.instrument->id.symbol);
  }
  if (unsynced.empty() && state_ != SessionState::Live) {
    reconnect_.reset();
    set_state(SessionState::Live, "all " + std::to_string(books_.size()) + " book(s) in sync");
  } else if (!unsynced.empty() && state_ == SessionState::Live) {
    set_state(SessionState::Syncing, "resyncing " + unsynced);
  }
}

}  // namespace

std::string combined_stream_target(const MarketDataPortOptions& options) {
  const std::string depth =
      options.depth_speed.empty() ? "@depth" : "@depth@" + options.depth_speed;
  std::string target = "/stream?streams=";
  bool first = true;
  for (const Instrument& instrument : options.instruments) {
    const std::string symbol = to_lower(instrument.id.symbol);
    if (!first) target.push_back('/');
    first = false;
    target.append(symbol).append(depth).append("/").append(symbol).append("@trade");
  }
  return target;
}

tl::expected<void, std::string> validate(const MarketDataPortOptions& options) {
  auto fail = [](std::string what) { return tl::make_unexpected("binance market data: " + what); };
  if (!options.transport) return fail("transport is not set");
  if (options.clock == nullptr) return fail("clock is not set");
  if (options.instruments.empty()) return fail("instruments is empty");
  if (options.stale_after_ms <= 0) return fail("stale_after_ms must be positive");
  if (options.reconnect_min_ms <= 0 || options.reconnect_max_ms < options.reconnect_min_ms) {
    return fail("reconnect_min_ms must be positive and at most reconnect_max_ms");
  }
  if (options.snapshot_depth == 0 || options.snapshot_depth > 5000) {
    return fail("snapshot_depth must be within 1..5000");
  }
  return {};
}

std::unique_ptr<MarketDataPort> make_market_data_port(MarketDataPortOptions options) {
  if (auto valid = validate(options); !valid) {
    std::fprintf(stderr, "%s\n", valid.error().c_str());
    std::abort();
  }
  return std::make_unique<BinanceMarketDataPort>(std::move(options));
}

}  // namespace troupe::binance
