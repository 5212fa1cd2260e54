#include "adapters/venues/kraken/market_data_port.hpp"

#include "adapters/venues/common/backoff.hpp"
#include "adapters/venues/kraken/book_sync.hpp"
#include "adapters/venues/kraken/kraken_codec.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

namespace troupe::kraken {
namespace {

using std::chrono::milliseconds;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

class KrakenMarketDataPort;

/// Receives the events of one WebSocket connection attempt (one generation).
class StreamHandler final : public net::WebSocketHandler {
 public:
  StreamHandler(KrakenMarketDataPort& port, std::uint64_t generation)
      : port_(port), generation_(generation) {}
  void on_open() override;
  void on_message(std::string_view payload) override;
  void on_close(std::string reason) override;
  /// on_close arrived: the transport will not call this handler again.
  bool closed() const { return closed_; }

 private:
  KrakenMarketDataPort& port_;
  std::uint64_t generation_;
  bool closed_ = false;
};

/// Per-symbol state: the book engine plus its resubscribe pacing.
struct SymbolBook {
  const Instrument* instrument;
  BookSync sync;
  venues::Backoff retry;  ///< delays resubscribes so a book that keeps failing is not hammered
};

class KrakenMarketDataPort final : public MarketDataPort {
 public:
  explicit KrakenMarketDataPort(MarketDataPortOptions options)
      : options_(std::move(options)),
        clock_(*options_.clock),
        transport_(options_.transport),
        codec_(make_instrument_lookup(options_.instruments), options_.venue.value),
        reconnect_(milliseconds(options_.reconnect_min_ms), milliseconds(options_.reconnect_max_ms),
                   options_.seed) {
    books_.reserve(options_.instruments.size());
    for (std::size_t i = 0; i < options_.instruments.size(); ++i) {
      const Instrument& instrument = options_.instruments[i];
      books_.push_back(SymbolBook{&instrument, BookSync(instrument, options_.depth),
                                  venues::Backoff(milliseconds(options_.reconnect_min_ms),
                                          milliseconds(options_.reconnect_max_ms),
                                          options_.seed + i + 1)});
      index_[instrument.id.symbol] = i;
    }
  }

  ~KrakenMarketDataPort() override { stop(); }

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
  void subscribe_all();
  void send_book_request(bool subscribe, const std::string& symbol);
  void abandon(const std::string& detail, ResyncReason reason);
  void arm_stale_timer(std::uint64_t generation);
  void dispatch(KrakenMessage&& message, TimestampNs now);
  void on_response(const MethodResponse& response);
  void on_decode_error(const DecodeError& error, TimestampNs now);
  void handle(std::size_t book, SyncOutput&& output);
  void resubscribe(std::size_t book);
  void set_state(SessionState state, std::string detail);
  void refresh_state();

  MarketDataPortOptions options_;
  const Clock& clock_;
  std::shared_ptr<net::ClientTransport> transport_;
  KrakenCodec codec_;
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
  std::int64_t next_req_id_ = 1;
  bool announced_startup_ = false;
};

void StreamHandler::on_open() { port_.on_open(generation_); }
void StreamHandler::on_message(std::string_view payload) { port_.on_message(generation_, payload); }
void StreamHandler::on_close(std::string reason) {
  closed_ = true;
  port_.on_close(generation_, reason);
}

void KrakenMarketDataPort::connect() {
  ++generation_;
  // Handlers must outlive their sockets until on_close; closed ones can go now.
  std::erase_if(handlers_, [](const auto& handler) { return handler->closed(); });
  handlers_.push_back(std::make_unique<StreamHandler>(*this, generation_));
  set_state(SessionState::Connecting, "connecting to " + options_.target);
  socket_ = transport_->websocket(options_.target, *handlers_.back());
}

void KrakenMarketDataPort::on_open(std::uint64_t generation) {
  if (stopped_.load() || generation != generation_) return;
  const TimestampNs now = clock_.now_ns();
  last_message_ns_ = now;
  set_state(SessionState::Syncing, "connected to " + options_.target + "; syncing " +
                                       std::to_string(books_.size()) + " book(s)");
  for (SymbolBook& book : books_) {
    if (!announced_startup_) {
      listener_->on_resync(
          BookResyncStarted{book.instrument->id, ResyncReason::Startup, "initial sync", now});
    }
    book.sync.start();
  }
  announced_startup_ = true;
  subscribe_all();
  arm_stale_timer(generation);
}

void KrakenMarketDataPort::subscribe_all() {
  ChannelRequest request;
  for (const SymbolBook& book : books_) request.symbols.push_back(book.instrument->id.symbol);
  request.channel = "book";
  request.depth = options_.depth;
  request.snapshot = true;
  request.req_id = next_req_id_++;
  socket_->send(encode_subscribe(request));
  // No trade snapshot: it replays recent trades that would look like new prints downstream.
  request.channel = "trade";
  request.depth.reset();
  request.snapshot = false;
  request.req_id = next_req_id_++;
  socket_->send(encode_subscribe(request));
}

void KrakenMarketDataPort::send_book_request(bool subscribe, const std::string& symbol) {
  ChannelRequest request{"book", {symbol}, options_.depth, std::nullopt, next_req_id_++};
  if (subscribe) request.snapshot = true;
  socket_->send(subscribe ? encode_subscribe(request) : encode_unsubscribe(request));
}

void KrakenMarketDataPort::on_message(std::uint64_t generation, std::string_view payload) {
  if (stopped_.load() || generation != generation_) return;
  const TimestampNs now = clock_.now_ns();
  last_message_ns_ = now;  // heartbeats count: they keep the stale timer quiet (§4.5)
  auto decoded = codec_.decode(payload, now);
  if (!decoded) {
    on_decode_error(decoded.error(), now);
  } else {
    dispatch(std::move(*decoded), now);
  }
}

void KrakenMarketDataPort::on_close(std::uint64_t generation, const std::string& reason) {
  if (stopped_.load() || generation != generation_) return;
  abandon(venue() + " stream closed: " + reason, ResyncReason::Disconnected);
}

void KrakenMarketDataPort::dispatch(KrakenMessage&& message, TimestampNs now) {
  std::visit(Overloaded{[&](BookFrame& frame) {
                          for (const BookMessage& book : frame.books) {
                            auto it = index_.find(book.instrument.symbol);
                            if (it == index_.end()) continue;  // the codec only knows ours
                            handle(it->second, books_[it->second].sync.on_book(book, now));
                          }
                        },
                        [&](TradeFrame& frame) {
                          if (frame.snapshot) return;  // not asked for; old trades
                          for (TradeTick& trade : frame.trades) {
                            listener_->on_trade(std::move(trade));
                          }
                        },
                        [&](Heartbeat&) {}, [&](SystemStatus&) {},
                        [&](MethodResponse& response) { on_response(response); },
                        [&](UnknownMessage& unknown) {
                          listener_->on_frame_error(venue() + " stream: unhandled " +
                                                    unknown.description);
                        }},
             message);
}

void KrakenMarketDataPort::on_response(const MethodResponse& response) {
  if (response.success) return;
  std::string what = venue() + " " + response.method;
  if (!response.channel.empty()) what.append(" ").append(response.channel);
  if (!response.symbol.empty()) what.append(" ").append(response.symbol);
  what.append(" refused: ").append(response.error);
  listener_->on_frame_error(what);
  // A refused subscribe leaves a book without a snapshot for good (e.g. "Already subscribed"
  // after a failed unsubscribe): start over on a fresh connection, paced by the backoff.
  if (response.method == "subscribe" && response.channel != "trade") {
    abandon(what, ResyncReason::Startup);
  }
}

void KrakenMarketDataPort::on_decode_error(const DecodeError& error, TimestampNs now) {
  listener_->on_frame_error(error.what);
  if (!error.may_affect_book) return;
  if (error.symbol.empty()) {
    // Could have been anyone's book update: no book can be trusted any more.
    for (std::size_t i = 0; i < books_.size(); ++i) {
      handle(i, books_[i].sync.invalidate(ResyncReason::MalformedFrame, error.what, now));
    }
    return;
  }
  auto it = index_.find(error.symbol);
  if (it == index_.end()) return;
  handle(it->second,
         books_[it->second].sync.invalidate(ResyncReason::MalformedFrame, error.what, now));
}

void KrakenMarketDataPort::handle(std::size_t book, SyncOutput&& output) {
  for (SyncEvent& event : output.events) {
    std::visit(Overloaded{[&](BookSnapshot& s) { listener_->on_snapshot(std::move(s)); },
                          [&](BookDeltas& d) { listener_->on_deltas(std::move(d)); },
                          [&](BookResyncStarted& r) { listener_->on_resync(std::move(r)); }},
               event);
  }
  if (books_[book].sync.synced()) books_[book].retry.reset();
  if (output.resubscribe) resubscribe(book);
  refresh_state();
}

void KrakenMarketDataPort::resubscribe(std::size_t index) {
  // §4.2 "On mismatch: unsubscribe/resubscribe the symbol (new snapshot)". Both go out together
  // after the delay; Kraken handles requests on one connection in order.
  post(books_[index].retry.next(), [this, index, generation = generation_] {
    if (generation != generation_ || !socket_) return;
    const std::string& symbol = books_[index].instrument->id.symbol;
    send_book_request(false, symbol);
    send_book_request(true, symbol);
  });
}

void KrakenMarketDataPort::abandon(const std::string& detail, ResyncReason reason) {
  const TimestampNs now = clock_.now_ns();
  ++generation_;  // callbacks of the old socket and its timers go stale
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
  }
  post(reconnect_.next(), [this, generation = generation_] {
    if (generation == generation_) connect();
  });
}

void KrakenMarketDataPort::arm_stale_timer(std::uint64_t generation) {
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

void KrakenMarketDataPort::set_state(SessionState state, std::string detail) {
  if (state == state_) return;
  state_ = state;
  listener_->on_state(state, std::move(detail));
}

void KrakenMarketDataPort::refresh_state() {
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

tl::expected<void, std::string> validate(const MarketDataPortOptions& options) {
  auto fail = [](std::string what) { return tl::make_unexpected("kraken market data: " + what); };
  if (!options.transport) return fail("transport is not set");
  if (options.clock == nullptr) return fail("clock is not set");
  if (options.instruments.empty()) return fail("instruments is empty");
  if (options.stale_after_ms <= 0) return fail("stale_after_ms must be positive");
  if (options.reconnect_min_ms <= 0 || options.reconnect_max_ms < options.reconnect_min_ms) {
    return fail("reconnect_min_ms must be positive and at most reconnect_max_ms");
  }
  const std::uint32_t depths[] = {10, 25, 100, 500, 1000};
  if (std::find(std::begin(depths), std::end(depths), options.depth) == std::end(depths)) {
    return fail("depth must be one of 10, 25, 100, 500, 1000 (got " +
                std::to_string(options.depth) + ")");
  }
  return {};
}

std::unique_ptr<MarketDataPort> make_market_data_port(MarketDataPortOptions options) {
  if (auto valid = validate(options); !valid) {
    std::fprintf(stderr, "%s\n", valid.error().c_str());
    std::abort();
  }
  return std::make_unique<KrakenMarketDataPort>(std::move(options));
}

}  // namespace troupe::kraken
