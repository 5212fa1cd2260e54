#include "adapters/venues/binance/market_data_port.hpp"

#include "adapters/venues/binance/binance_codec.hpp"
#include "adapters/venues/binance/book_sync.hpp"
#include "adapters/venues/binance/http_errors.hpp"
#include "adapters/venues/common/backoff.hpp"
#include "adapters/venues/common/overloaded.hpp"
#include "adapters/venues/common/stream_session.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <unordered_map>
#include <utility>

namespace troupe::binance {
namespace {

using std::chrono::milliseconds;

std::string to_lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

/// Per-symbol state: the sync engine plus its snapshot request bookkeeping.
struct SymbolBook {
  const Instrument* instrument;
  BookSync sync;
  venues::Backoff retry;
  bool in_flight = false;        ///< a depth snapshot request awaits its answer
  bool retry_scheduled = false;  ///< a timer will send the next request
  bool queued = false;           ///< the request waits for REQUEST_WEIGHT budget
};

venues::StreamSessionOptions session_options(const MarketDataPortOptions& options) {
  venues::StreamSessionOptions out =
      venues::stream_session_options(options, combined_stream_target(options));
  out.connect_budget = options.connect_budget;
  return out;
}

class BinanceMarketDataPort final : public MarketDataPort, venues::StreamSession::Hooks {
 public:
  explicit BinanceMarketDataPort(MarketDataPortOptions options)
      : options_(std::move(options)),
        clock_(*options_.clock),
        transport_(options_.transport),
        codec_(make_instrument_lookup(options_.instruments), options_.venue.value),
        session_(session_options(options_), *this),
        snapshot_weight_(depth_request_weight(options_.snapshot_depth)),
        snapshots_(venues::RateLimiter::for_budget(options_.snapshot_weight_budget, clock_),
                   [this](milliseconds delay, std::function<void()> fn) {
                     session_.post(delay, std::move(fn));
                   }) {
    for (std::size_t i = 0; i < options_.instruments.size(); ++i) {
      const Instrument& instrument = options_.instruments[i];
      books_.push_back(SymbolBook{
          &instrument, BookSync(instrument.id, options_.max_buffered_events),
          venues::Backoff(milliseconds(options_.reconnect_min_ms),
                          milliseconds(options_.reconnect_max_ms), options_.seed + i + 1)});
      index_[instrument.id.symbol] = i;
    }
  }

  ~BinanceMarketDataPort() override { stop(); }

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
  void dispatch(StreamMessage&& message, TimestampNs now);
  void on_decode_error(const DecodeError& error, TimestampNs now);
  void handle(std::size_t book, SyncOutput&& output, bool after_snapshot);
  void request_snapshot(std::size_t book, bool with_delay, milliseconds at_least);
  void queue_snapshot_request(std::size_t book);
  void send_snapshot_request(std::size_t book);
  milliseconds pause_for_rate_limit(const net::HttpResponse& reply, std::string& reason);
  void on_snapshot_response(std::size_t book, tl::expected<net::HttpResponse, std::string> reply);
  void snapshot_failed(std::size_t book, const std::string& reason, milliseconds at_least);
  void refresh_state();

  MarketDataPortOptions options_;
  const Clock& clock_;
  std::shared_ptr<net::ClientTransport> transport_;
  BinanceCodec codec_;
  std::vector<SymbolBook> books_;
  std::unordered_map<std::string, std::size_t> index_;
  venues::StreamSession session_;
  const std::int64_t snapshot_weight_;  ///< REQUEST_WEIGHT of one depth snapshot request
  venues::Pacer snapshots_;             ///< depth requests waiting for weight budget
  bool announced_startup_ = false;      ///< touched only on the transport's thread
};

void BinanceMarketDataPort::on_stream_open(TimestampNs now) {
  for (std::size_t i = 0; i < books_.size(); ++i) {
    if (!announced_startup_) {
      listener().on_resync(
          BookResyncStarted{books_[i].instrument->id, ResyncReason::Startup, "initial sync", now});
    }
    handle(i, books_[i].sync.start(), false);
  }
  announced_startup_ = true;
}

void BinanceMarketDataPort::on_stream_message(std::string_view payload, TimestampNs now) {
  auto decoded = codec_.decode_stream(payload, now);
  if (!decoded) {
    on_decode_error(decoded.error(), now);
  } else {
    dispatch(std::move(*decoded), now);
  }
}

void BinanceMarketDataPort::dispatch(StreamMessage&& message, TimestampNs now) {
  std::visit(
      venues::Overloaded{
          [&](DepthUpdate& update) {
            auto it = index_.find(update.instrument.symbol);
            if (it == index_.end()) return;  // the lookup only knows our symbols
            handle(it->second, books_[it->second].sync.on_update(std::move(update), now), false);
          },
          [&](TradeTick& trade) { listener().on_trade(std::move(trade)); },
          [&](QuoteTick&) {},        // not subscribed; MarketDataListener has no quote call
          [&](SubscribeResult&) {},  // no SUBSCRIBE is sent: streams are named in the URL
          [&](ControlError& error) {
            listener().on_frame_error(venue() + " stream: control error " +
                                      std::to_string(error.code) + " " + error.message);
          },
          [&](ServerShutdown&) {
            // §2.6 / §2.8: a planned drop follows; reconnect now and resync everything.
            abandon(venue() + " stream: server shutdown announced", ResyncReason::Disconnected);
          },
          [&](UnknownEvent& event) {
            listener().on_frame_error(venue() + " stream: unknown event type \"" +
                                      event.event_type + "\"");
          }},
      message);
}

void BinanceMarketDataPort::on_decode_error(const DecodeError& error, TimestampNs now) {
  listener().on_frame_error(error.what);
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
    std::visit(
        venues::Overloaded{[&](BookSnapshot& s) { listener().on_snapshot(std::move(s)); },
                           [&](BookDeltas& d) { listener().on_deltas(std::move(d)); },
                           [&](BookResyncStarted& r) { listener().on_resync(std::move(r)); }},
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
  // A request in flight, scheduled or queued will be validated too.
  if (book.in_flight || book.retry_scheduled || book.queued) return;
  if (!with_delay) {
    queue_snapshot_request(index);
    return;
  }
  book.retry_scheduled = true;
  const milliseconds delay = std::max(book.retry.next(), at_least);
  session_.post(delay, [this, index, generation = session_.generation()] {
    if (generation != session_.generation()) return;
    books_[index].retry_scheduled = false;
    queue_snapshot_request(index);
  });
}

void BinanceMarketDataPort::queue_snapshot_request(std::size_t index) {
  // §2.8: REQUEST_WEIGHT is counted per IP per minute. Many books resyncing at once (a
  // reconnect) would otherwise fire every snapshot together and earn a 429, then a 418 ban.
  books_[index].queued = true;
  snapshots_.submit(
      [this, index, generation = session_.generation()] {
        if (generation != session_.generation()) return;
        books_[index].queued = false;
        send_snapshot_request(index);
      },
      snapshot_weight_);
}

void BinanceMarketDataPort::send_snapshot_request(std::size_t index) {
  SymbolBook& book = books_[index];
  book.in_flight = true;
  net::HttpRequest request;
  request.method = "GET";
  request.target = "/api/v3/depth?symbol=" + book.instrument->id.symbol +
                   "&limit=" + std::to_string(options_.snapshot_depth);
  transport_->http(std::move(request),
                   [this, index, generation = session_.generation()](auto reply) {
                     if (session_.stopped() || generation != session_.generation()) return;
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
    std::string reason = endpoint + ": " + http_failure_text(codec_, *reply, "GET /api/v3/depth");
    const milliseconds pause = pause_for_rate_limit(*reply, reason);
    snapshot_failed(index, reason, std::max(pause, retry_after(*reply)));
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

milliseconds BinanceMarketDataPort::pause_for_rate_limit(const net::HttpResponse& reply,
                                                         std::string& reason) {
  if (reply.status != 429 && reply.status != 418) return milliseconds(0);
  // §2.4 / §2.8: the limit is per IP, so every book's next request waits out the Retry-After;
  // ignoring a 429 earns a 418 ban (2 minutes to 3 days).
  milliseconds pause = retry_after(reply);
  if (pause.count() == 0) {
    pause = milliseconds(options_.rate_limited_pause_ms);
    if (reply.status == 418) pause = std::max(pause, milliseconds(120'000));
  }
  snapshots_.limiter().hold_until(clock_.now_ns() + pause.count() * 1'000'000);
  reason += "; snapshot requests paused for " + std::to_string(pause.count()) + " ms";
  return pause;
}

void BinanceMarketDataPort::snapshot_failed(std::size_t index, const std::string& reason,
                                            milliseconds at_least) {
  listener().on_frame_error(reason);
  request_snapshot(index, true, at_least);
}

void BinanceMarketDataPort::on_stream_abandoned(ResyncReason reason, const std::string& detail,
                                                TimestampNs now) {
  for (SymbolBook& book : books_) {
    for (SyncEvent& event : book.sync.invalidate(reason, detail, now).events) {
      if (auto* resync = std::get_if<BookResyncStarted>(&event)) {
        listener().on_resync(std::move(*resync));
      }
    }
    book.in_flight = false;
    book.retry_scheduled = false;
    book.queued = false;
  }
  snapshots_.clear();  // the new connection requests every snapshot again
}

void BinanceMarketDataPort::refresh_state() {
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

std::int64_t depth_request_weight(std::uint32_t limit) {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

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
  if (const std::size_t streams = 2 * options.instruments.size();
      streams > kMaxStreamsPerConnection) {
    return fail(std::to_string(options.instruments.size()) + " instruments need " +
                std::to_string(streams) +
                " streams (depth and trade each), but one connection "
                "carries at most " +
                std::to_string(kMaxStreamsPerConnection) +
                " (exchange-protocols.md §2.8): split the instruments over several ports");
  }
  if (options.stale_after_ms <= 0) return fail("stale_after_ms must be positive");
  if (options.reconnect_min_ms <= 0 || options.reconnect_max_ms < options.reconnect_min_ms) {
    return fail("reconnect_min_ms must be positive and at most reconnect_max_ms");
  }
  if (options.snapshot_depth == 0 || options.snapshot_depth > 5000) {
    return fail("snapshot_depth must be within 1..5000");
  }
  for (auto [budget, name] : {std::pair{&options.snapshot_weight_budget, "snapshot_weight_budget"},
                              std::pair{&options.connect_budget, "connect_budget"}}) {
    if (auto ok = venues::check_budget(*budget, name); !ok) return fail(ok.error());
  }
  const std::int64_t weight = depth_request_weight(options.snapshot_depth);
  if (!options.snapshot_weight_budget.unlimited() &&
      options.snapshot_weight_budget.burst < weight) {
    return fail("snapshot_weight_budget.burst (" +
                std::to_string(options.snapshot_weight_budget.burst) +
                ") is below the weight of one depth snapshot with snapshot_depth " +
                std::to_string(options.snapshot_depth) + " (" + std::to_string(weight) + ")");
  }
  if (options.rate_limited_pause_ms < 0) return fail("rate_limited_pause_ms must not be negative");
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
