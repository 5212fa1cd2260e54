#include "adapters/venues/kraken/market_data_port.hpp"

#include "adapters/venues/common/backoff.hpp"
#include "adapters/venues/common/overloaded.hpp"
#include "adapters/venues/common/stream_session.hpp"
#include "adapters/venues/kraken/book_sync.hpp"
#include "adapters/venues/kraken/kraken_codec.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <unordered_map>
#include <utility>

namespace troupe::kraken {
namespace {

using std::chrono::milliseconds;

/// Per-symbol state: the book engine plus its resubscribe pacing and snapshot deadline.
struct SymbolBook {
  const Instrument* instrument;
  BookSync sync;
  venues::Backoff retry;  ///< delays resubscribes so a book that keeps failing is not hammered
  std::uint64_t wait_epoch = 0;  ///< bumps on every (re)subscribe; older snapshot timers idle
  int snapshot_timeouts = 0;     ///< consecutive snapshot timeouts since the last snapshot
};

/// A request sent and not answered yet, kept to resend it after "Exceeded msg rate".
struct PendingRequest {
  bool subscribe = true;
  ChannelRequest request;
};

/// §4.5: the venue's words for "too many messages on this connection".
bool is_rate_limited(const std::string& error) {
  std::string lower;
  for (char c : error)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower.find("msg rate") != std::string::npos ||
         lower.find("rate limit") != std::string::npos;
}

venues::StreamSessionOptions session_options(const MarketDataPortOptions& options) {
  venues::StreamSessionOptions out = venues::stream_session_options(options, options.target);
  out.send_budget = options.subscribe_budget;
  out.connect_budget = options.connect_budget;
  return out;
}

class KrakenMarketDataPort final : public MarketDataPort, venues::StreamSession::Hooks {
 public:
  explicit KrakenMarketDataPort(MarketDataPortOptions options)
      : options_(std::move(options)),
        clock_(*options_.clock),
        codec_(make_instrument_lookup(options_.instruments), options_.venue.value),
        session_(session_options(options_), *this),
        rate_retry_(milliseconds(options_.rate_limited_pause_ms),
                    milliseconds(std::max<std::int64_t>(30'000, options_.rate_limited_pause_ms)),
                    options_.seed) {
    books_.reserve(options_.instruments.size());
    for (std::size_t i = 0; i < options_.instruments.size(); ++i) {
      const Instrument& instrument = options_.instruments[i];
      books_.push_back(SymbolBook{
          &instrument, BookSync(instrument, options_.depth),
          venues::Backoff(milliseconds(options_.reconnect_min_ms),
                          milliseconds(options_.reconnect_max_ms), options_.seed + i + 1)});
      index_[instrument.id.symbol] = i;
    }
  }

  ~KrakenMarketDataPort() override { stop(); }

  void start(MarketDataListener& listener) override { session_.start(listener); }
  void stop() override { session_.stop(); }

 private:
  void on_stream_open(TimestampNs now) override;
  void on_stream_message(std::string_view payload, TimestampNs now) override;
  void on_stream_abandoned(ResyncReason reason, const std::string& detail,
                           TimestampNs now) override;

  std::string venue() const { return options_.venue.value; }
  MarketDataListener& listener() const { return session_.listener(); }
  void abandon(const std::string& detail, ResyncReason reason) { session_.abandon(detail, reason); }
  void subscribe_all();
  void send_request(bool subscribe, ChannelRequest request);
  void dispatch(KrakenMessage&& message, TimestampNs now);
  void on_response(const MethodResponse& response);
  void on_rate_limited(const std::string& what, std::optional<PendingRequest> refused);
  void on_decode_error(const DecodeError& error, TimestampNs now);
  void handle(std::size_t book, SyncOutput&& output);
  void resubscribe(std::size_t book);
  void arm_snapshot_timer(std::size_t book);
  void on_snapshot_timeout(std::size_t book);
  void refresh_state();

  MarketDataPortOptions options_;
  const Clock& clock_;
  KrakenCodec codec_;
  std::vector<SymbolBook> books_;
  std::unordered_map<std::string, std::size_t> index_;
  venues::StreamSession session_;
  // Touched only on the transport's thread.
  venues::Backoff rate_retry_;                                ///< pauses after "Exceeded msg rate"
  std::unordered_map<std::int64_t, PendingRequest> pending_;  ///< by req_id, unanswered
  std::int64_t next_req_id_ = 1;
  bool announced_startup_ = false;
};

void KrakenMarketDataPort::on_stream_open(TimestampNs now) {
  // §4.5: the message rate is counted per connection, so a new one starts without a pause.
  session_.sends().limiter().release_hold();
  pending_.clear();
  for (SymbolBook& book : books_) {
    if (!announced_startup_) {
      listener().on_resync(
          BookResyncStarted{book.instrument->id, ResyncReason::Startup, "initial sync", now});
    }
    book.sync.start();
    book.snapshot_timeouts = 0;
    ++book.wait_epoch;
  }
  announced_startup_ = true;
  subscribe_all();
}

void KrakenMarketDataPort::subscribe_all() {
  ChannelRequest request;
  for (const SymbolBook& book : books_) request.symbols.push_back(book.instrument->id.symbol);
  request.channel = "book";
  request.depth = options_.depth;
  request.snapshot = true;
  send_request(true, request);
  // No trade snapshot: it replays recent trades that would look like new prints downstream.
  request.channel = "trade";
  request.depth.reset();
  request.snapshot = false;
  send_request(true, std::move(request));
}

void KrakenMarketDataPort::send_request(bool subscribe, ChannelRequest request) {
  // Paced by subscribe_budget; the req_id is given when the message leaves, so ids rise in the
  // order the venue sees them. A reconnect drops what has not left yet.
  session_.send_with(
      [this, subscribe, request = std::move(request)](net::WebSocket& socket) mutable {
        request.req_id = next_req_id_++;
        socket.send(subscribe ? encode_subscribe(request) : encode_unsubscribe(request));
        if (subscribe && request.channel == "book") {
          // The snapshot is due from now, not from when the request was queued.
          for (const std::string& symbol : request.symbols) {
            if (auto it = index_.find(symbol); it != index_.end()) arm_snapshot_timer(it->second);
          }
        }
        pending_.emplace(request.req_id, PendingRequest{subscribe, std::move(request)});
      });
}

void KrakenMarketDataPort::on_stream_message(std::string_view payload, TimestampNs now) {
  // Heartbeats count too: the session saw the frame, which keeps the stale timer quiet (§4.5).
  auto decoded = codec_.decode(payload, now);
  if (!decoded) {
    on_decode_error(decoded.error(), now);
  } else {
    dispatch(std::move(*decoded), now);
  }
}

void KrakenMarketDataPort::dispatch(KrakenMessage&& message, TimestampNs now) {
  std::visit(venues::Overloaded{[&](BookFrame& frame) {
                                  for (const BookMessage& book : frame.books) {
                                    auto it = index_.find(book.instrument.symbol);
                                    if (it == index_.end()) continue;  // the codec only knows ours
                                    handle(it->second, books_[it->second].sync.on_book(book, now));
                                  }
                                },
                                [&](TradeFrame& frame) {
                                  if (frame.snapshot) return;  // not asked for; old trades
                                  for (TradeTick& trade : frame.trades) {
                                    listener().on_trade(std::move(trade));
                                  }
                                },
                                [&](Heartbeat&) {}, [&](SystemStatus&) {},
                                [&](MethodResponse& response) { on_response(response); },
                                [&](UnknownMessage& unknown) {
                                  listener().on_frame_error(venue() + " stream: unhandled " +
                                                            unknown.description);
                                }},
             message);
}

void KrakenMarketDataPort::on_response(const MethodResponse& response) {
  std::optional<PendingRequest> request;
  if (response.req_id) {
    if (auto it = pending_.find(*response.req_id); it != pending_.end()) {
      request = std::move(it->second);
      pending_.erase(it);
    }
  }
  if (response.success) {
    if (response.method == "subscribe") rate_retry_.reset();
    return;
  }
  std::string what = venue() + " " + (response.method.empty() ? "request" : response.method);
  std::string channel = response.channel;
  std::string symbol = response.symbol;
  if (request && channel.empty()) channel = request->request.channel;
  if (request && symbol.empty() && request->request.symbols.size() == 1) {
    symbol = request->request.symbols.front();
  }
  if (!channel.empty()) what.append(" ").append(channel);
  if (!symbol.empty()) what.append(" ").append(symbol);
  what.append(" refused: ").append(response.error);
  if (is_rate_limited(response.error)) {
    on_rate_limited(what, std::move(request));
    return;
  }
  listener().on_frame_error(what);
  // A refused subscribe leaves a book without a snapshot for good (e.g. "Already subscribed"
  // after a failed unsubscribe): start over on a fresh connection, paced by the backoff.
  if (response.method == "subscribe" && channel != "trade") abandon(what, ResyncReason::Startup);
}

void KrakenMarketDataPort::on_rate_limited(const std::string& what,
                                           std::optional<PendingRequest> refused) {
  // §4.5: the venue dropped the request for sending too fast. Pause everything queued behind it
  // (jittered, doubling while refusals go on), then send the refused request again. A bare
  // error names no request: a book whose subscription it was gets its snapshot timeout.
  const milliseconds pause = rate_retry_.next();
  session_.sends().limiter().hold_until(clock_.now_ns() + pause.count() * 1'000'000);
  if (!refused) {
    listener().on_frame_error(what + "; requests paused for " + std::to_string(pause.count()) +
                              " ms");
    return;
  }
  listener().on_frame_error(what + "; requests paused for " + std::to_string(pause.count()) +
                            " ms, then sent again");
  // The resend re-arms the snapshot deadlines; the paused wait must not count against them.
  if (refused->request.channel == "book") {
    for (const std::string& symbol : refused->request.symbols) {
      if (auto it = index_.find(symbol); it != index_.end()) ++books_[it->second].wait_epoch;
    }
  }
  send_request(refused->subscribe, std::move(refused->request));
}

void KrakenMarketDataPort::on_decode_error(const DecodeError& error, TimestampNs now) {
  listener().on_frame_error(error.what);
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
    std::visit(
        venues::Overloaded{[&](BookSnapshot& s) { listener().on_snapshot(std::move(s)); },
                           [&](BookDeltas& d) { listener().on_deltas(std::move(d)); },
                           [&](BookResyncStarted& r) { listener().on_resync(std::move(r)); }},
        event);
  }
  if (books_[book].sync.synced()) {
    books_[book].retry.reset();
    books_[book].snapshot_timeouts = 0;
  }
  if (output.resubscribe) resubscribe(book);
  refresh_state();
}

void KrakenMarketDataPort::resubscribe(std::size_t index) {
  // §4.2 "On mismatch: unsubscribe/resubscribe the symbol (new snapshot)". Both go out after the
  // delay, in order through the pacer; Kraken handles requests on one connection in order.
  // Until the subscription leaves, no snapshot deadline runs.
  ++books_[index].wait_epoch;
  session_.post(books_[index].retry.next(), [this, index, generation = session_.generation()] {
    if (generation != session_.generation() || session_.socket() == nullptr) return;
    const std::string& symbol = books_[index].instrument->id.symbol;
    send_request(false, ChannelRequest{"book", {symbol}, options_.depth, std::nullopt, 0});
    send_request(true, ChannelRequest{"book", {symbol}, options_.depth, true, 0});
  });
}

void KrakenMarketDataPort::arm_snapshot_timer(std::size_t index) {
  const std::uint64_t epoch = ++books_[index].wait_epoch;
  session_.post(milliseconds(options_.snapshot_timeout_ms),
                [this, index, epoch, generation = session_.generation()] {
                  if (generation != session_.generation()) return;
                  const SymbolBook& book = books_[index];
                  if (epoch != book.wait_epoch || book.sync.synced()) return;
                  on_snapshot_timeout(index);
                });
}

void KrakenMarketDataPort::on_snapshot_timeout(std::size_t index) {
  SymbolBook& book = books_[index];
  const std::string what = venue() + " book " + book.instrument->id.symbol + ": no snapshot " +
                           std::to_string(options_.snapshot_timeout_ms) + " ms after ";
  if (++book.snapshot_timeouts >= 2) {
    // The resubscription was swallowed too: the connection itself is suspect.
    abandon(what + "resubscribing", ResyncReason::Stale);
    return;
  }
  listener().on_frame_error(what + "subscribing; resubscribing");
  resubscribe(index);
}

void KrakenMarketDataPort::on_stream_abandoned(ResyncReason reason, const std::string& detail,
                                               TimestampNs now) {
  pending_.clear();
  for (SymbolBook& book : books_) {
    for (SyncEvent& event : book.sync.invalidate(reason, detail, now).events) {
      if (auto* resync = std::get_if<BookResyncStarted>(&event)) {
        listener().on_resync(std::move(*resync));
      }
    }
  }
}

void KrakenMarketDataPort::refresh_state() {
  session_.refresh_state([this] {
    std::string unsynced;
    for (const SymbolBook& book : books_) {
      if (book.sync.synced()) continue;
      if (!unsynced.empty()) unsynced.append(", ");
      unsynced.append(book.instrument->id.symbol);
    }
    return unsynced;
  });
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
  if (options.snapshot_timeout_ms <= 0) return fail("snapshot_timeout_ms must be positive");
  if (options.rate_limited_pause_ms <= 0) return fail("rate_limited_pause_ms must be positive");
  if (auto ok = venues::check_budget(options.subscribe_budget, "subscribe_budget"); !ok) {
    return fail(ok.error());
  }
  if (auto ok = venues::check_budget(options.connect_budget, "connect_budget"); !ok) {
    return fail(ok.error());
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
