#include "adapters/venues/kraken/market_data_port.hpp"

#include "adapters/venues/kraken/book_sync.hpp"
#include "adapters/venues/kraken/kraken_codec.hpp"
#include "adapters/venues/common/backoff.hpp"
#include "adapters/venues/common/overloaded.hpp"
#include "adapters/venues/common/stream_session.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

namespace troupe::kraken {
namespace {

using std::chrono::milliseconds;

/// Per-symbol state: the book engine plus its resubscribe pacing.
struct SymbolBook {
  const Instrument* instrument;
  BookSync sync;
  venues::Backoff retry;  ///< delays resubscribes so a book that keeps failing is not hammered
};

class KrakenMarketDataPort final : public MarketDataPort, venues::StreamSession::Hooks {
 public:
  explicit KrakenMarketDataPort(MarketDataPortOptions options)
      : options_(std::move(options)),
        codec_(make_instrument_lookup(options_.instruments), options_.venue.value),
        session_(venues::stream_session_options(options_, options_.target), *this) {
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
  void send_book_request(bool subscribe, const std::string& symbol);
  void dispatch(KrakenMessage&& message, TimestampNs now);
  void on_response(const MethodResponse& response);
  void on_decode_error(const DecodeError& error, TimestampNs now);
  void handle(std::size_t book, SyncOutput&& output);
  void resubscribe(std::size_t book);
  void refresh_state();

  MarketDataPortOptions options_;
  KrakenCodec codec_;
  std::vector<SymbolBook> books_;
  std::unordered_map<std::string, std::size_t> index_;
  venues::StreamSession session_;
  // Touched only on the transport's thread.
  std::int64_t next_req_id_ = 1;
  bool announced_startup_ = false;
};

void KrakenMarketDataPort::on_stream_open(TimestampNs now) {
  for (SymbolBook& book : books_) {
    if (!announced_startup_) {
      listener().on_resync(
          BookResyncStarted{book.instrument->id, ResyncReason::Startup, "initial sync", now});
    }
    book.sync.start();
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
  request.req_id = next_req_id_++;
  session_.socket()->send(encode_subscribe(request));
  // No trade snapshot: it replays recent trades that would look like new prints downstream.
  request.channel = "trade";
  request.depth.reset();
  request.snapshot = false;
  request.req_id = next_req_id_++;
  session_.socket()->send(encode_subscribe(request));
}

void KrakenMarketDataPort::send_book_request(bool subscribe, const std::string& symbol) {
  ChannelRequest request{"book", {symbol}, options_.depth, std::nullopt, next_req_id_++};
  if (subscribe) request.snapshot = true;
  session_.socket()->send(subscribe ? encode_subscribe(request) : encode_unsubscribe(request));
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
  if (response.success) return;
  std::string what = venue() + " " + response.method;
  if (!response.channel.empty()) what.append(" ").append(response.channel);
  if (!response.symbol.empty()) what.append(" ").append(response.symbol);
  what.append(" refused: ").append(response.error);
  listener().on_frame_error(what);
  // A refused subscribe leaves a book without a snapshot for good (e.g. "Already subscribed"
  // after a failed unsubscribe): start over on a fresh connection, paced by the backoff.
  if (response.method == "subscribe" && response.channel != "trade") {
    abandon(what, ResyncReason::Startup);
  }
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
    std::visit(venues::Overloaded{[&](BookSnapshot& s) { listener().on_snapshot(std::move(s)); },
                          [&](BookDeltas& d) { listener().on_deltas(std::move(d)); },
                          [&](BookResyncStarted& r) { listener().on_resync(std::move(r)); }},
               event);
  }
  if (books_[book].sync.synced()) books_[book].retry.reset();
  if (output.resubscribe) resubscribe(book);
  refresh_state();
}

void KrakenMarketDataPort::resubscribe(std::size_t index) {
  // §4.2 "On mismatch: unsubscribe/resubscribe the symbol (new snapshot)". Both go out together
  // after the delay; Kraken handles requests on one connection in order.
  session_.post(books_[index].retry.next(), [this, index, generation = session_.generation()] {
    if (generation != session_.generation() || session_.socket() == nullptr) return;
    const std::string& symbol = books_[index].instrument->id.symbol;
    send_book_request(false, symbol);
    send_book_request(true, symbol);
  });
}

void KrakenMarketDataPort::on_stream_abandoned(ResyncReason reason, const std::string& detail,
                                               TimestampNs now) {
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
