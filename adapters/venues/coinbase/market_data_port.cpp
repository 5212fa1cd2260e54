#include "adapters/venues/coinbase/market_data_port.hpp"

#include "adapters/venues/coinbase/book_engine.hpp"
#include "adapters/venues/coinbase/coinbase_codec.hpp"
#include "adapters/venues/coinbase/sequence_tracker.hpp"
#include "adapters/venues/common/overloaded.hpp"
#include "adapters/venues/common/stream_session.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

namespace troupe::coinbase {
namespace {

using std::chrono::milliseconds;

CodecOptions codec_options(const MarketDataPortOptions& options) {
  CodecOptions codec;
  codec.venue = options.venue.value;
  codec.max_frame_bytes = options.max_frame_bytes;
  return codec;
}

venues::StreamSessionOptions session_options(const MarketDataPortOptions& options) {
  venues::StreamSessionOptions out =
      venues::stream_session_options(options, options.websocket_target);
  out.send_budget = options.subscribe_budget;
  out.connect_budget = options.connect_budget;
  return out;
}

class CoinbaseMarketDataPort final : public MarketDataPort, venues::StreamSession::Hooks {
 public:
  explicit CoinbaseMarketDataPort(MarketDataPortOptions options)
      : options_(std::move(options)),
        codec_(make_instrument_lookup(options_.instruments), codec_options(options_)),
        session_(session_options(options_), *this) {
    for (std::size_t i = 0; i < options_.instruments.size(); ++i) {
      books_.emplace_back(options_.instruments[i].id);
      index_[options_.instruments[i].id.symbol] = i;
    }
  }

  ~CoinbaseMarketDataPort() override { stop(); }

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
  void subscribe(std::string_view type, std::string_view channel,
                 const std::vector<std::string>& products);
  void dispatch(Message&& message, TimestampNs now);
  void on_l2(L2Data&& data, TimestampNs now);
  void on_trades(MarketTrades&& trades);
  void report_unknown(std::string_view channel, const std::vector<std::string>& products);
  void on_decode_error(DecodeError&& error, TimestampNs now);
  bool check_sequence(std::uint64_t sequence_num, TimestampNs now);
  void resync(const std::vector<std::size_t>& books, ResyncReason reason, const std::string& detail,
              TimestampNs now);
  std::vector<std::size_t> all_books() const;
  void arm_snapshot_timer();
  void refresh_state();

  MarketDataPortOptions options_;
  CoinbaseCodec codec_;
  std::vector<BookEngine> books_;
  std::unordered_map<std::string, std::size_t> index_;
  venues::StreamSession session_;
  // Touched only on the transport's thread.
  std::uint64_t resync_epoch_ = 0;  ///< bumps on every resubscribe; older snapshot timers idle
  SequenceTracker sequence_;
  bool announced_startup_ = false;
};

void CoinbaseMarketDataPort::on_stream_open(TimestampNs now) {
  sequence_.reset();  // the counter is per connection (§3.5)
  if (!announced_startup_) {
    for (BookEngine& book : books_) {
      listener().on_resync(book.invalidate(ResyncReason::Startup, "initial sync", now));
    }
    announced_startup_ = true;
  }
  // §3.2: one channel per subscribe message, within 5 s of connecting. heartbeats keeps idle
  // channels from being closed after 60–90 s.
  std::vector<std::string> products;
  for (const Instrument& instrument : options_.instruments)
    products.push_back(instrument.id.symbol);
  subscribe("subscribe", "level2", products);
  subscribe("subscribe", "market_trades", products);
  subscribe("subscribe", "heartbeats", {});
}

void CoinbaseMarketDataPort::subscribe(std::string_view type, std::string_view channel,
                                       const std::vector<std::string>& products) {
  // Paced by subscribe_budget (§3.8); a reconnect drops what has not gone out yet. The JWT is
  // made when the message leaves, so waiting in the queue cannot expire it (§3.1: 2 minutes).
  session_.send_with([this, type = std::string(type), channel = std::string(channel),
                      products](net::WebSocket& socket) {
    const std::string jwt = options_.jwt_signer ? options_.jwt_signer() : std::string();
    socket.send(encode_subscription(type, channel, products, jwt));
    // The snapshots are due from when the subscription left, not from when it was queued.
    if (type == "subscribe" && channel == "level2") arm_snapshot_timer();
  });
}

void CoinbaseMarketDataPort::on_stream_message(std::string_view payload, TimestampNs now) {
  const std::uint64_t generation = session_.generation();
  auto decoded = codec_.decode(payload, now);
  if (!decoded) {
    on_decode_error(std::move(decoded.error()), now);
    return;
  }
  if (decoded->sequence_num && !check_sequence(*decoded->sequence_num, now)) return;
  if (generation != session_.generation()) return;  // the sequence check may have reconnected
  dispatch(std::move(*decoded), now);
}

bool CoinbaseMarketDataPort::check_sequence(std::uint64_t sequence_num, TimestampNs now) {
  const SequenceCheck check = sequence_.observe(sequence_num);
  if (check.verdict == SequenceVerdict::Old) return false;  // duplicate / reordered: drop (§3.5)
  if (check.verdict == SequenceVerdict::Gap) {
    // The counter spans every channel (§3.5): we cannot tell whose message was lost, so every
    // book of the connection is suspect.
    resync(all_books(), ResyncReason::Gap, venue() + ": " + check.describe(), now);
  }
  return true;
}

void CoinbaseMarketDataPort::dispatch(Message&& message, TimestampNs now) {
  std::visit(
      venues::Overloaded{[&](L2Data& data) { on_l2(std::move(data), now); },
                         [&](MarketTrades& trades) { on_trades(std::move(trades)); },
                         [&](Heartbeat&) {},      // only keeps the stale timer quiet
                         [&](Subscriptions&) {},  // the snapshots that follow confirm level2
                         [&](VenueError& error) {
                           // §3.2: an error is fatal for the subscription; start over.
                           listener().on_frame_error(venue() + " error message: " + error.message);
                           abandon(venue() + " error message: " + error.message,
                                   ResyncReason::Disconnected);
                         },
                         [&](OtherChannel& other) {
                           listener().on_frame_error(venue() + " " + other.channel +
                                                     ": channel not subscribed by this port");
                         }},
      message.payload);
}

void CoinbaseMarketDataPort::on_l2(L2Data&& data, TimestampNs now) {
  for (const L2Event& event : data.events) {
    auto it = index_.find(event.instrument.symbol);
    if (it == index_.end()) continue;  // the codec only resolves our products
    BookOutput output = books_[it->second].apply(event, now);
    if (auto* snapshot = std::get_if<BookSnapshot>(&output)) {
      listener().on_snapshot(std::move(*snapshot));
    } else if (auto* deltas = std::get_if<BookDeltas>(&output)) {
      listener().on_deltas(std::move(*deltas));
    }
  }
  report_unknown("l2_data", data.unknown_products);
  refresh_state();
}

void CoinbaseMarketDataPort::on_trades(MarketTrades&& trades) {
  report_unknown("market_trades", trades.unknown_products);
  if (trades.snapshot && !options_.forward_trade_snapshots) return;
  for (TradeTick& trade : trades.trades) listener().on_trade(std::move(trade));
}

void CoinbaseMarketDataPort::report_unknown(std::string_view channel,
                                            const std::vector<std::string>& products) {
  for (const std::string& product : products) {
    listener().on_frame_error(venue() + " " + std::string(channel) + ": product_id \"" +
                              product.substr(0, 64) + "\" is not subscribed; ignored");
  }
}

void CoinbaseMarketDataPort::on_decode_error(DecodeError&& error, TimestampNs now) {
  listener().on_frame_error(error.what);
  // The frame still used up a sequence number: a gap check keeps the chain honest.
  if (error.sequence_num && !check_sequence(*error.sequence_num, now)) return;
  if (!error.may_affect_book) return;
  auto it = error.product.empty() ? index_.end() : index_.find(error.product);
  if (it == index_.end()) {
    // Could have been anyone's level2 data: no book can be trusted any more.
    resync(all_books(), ResyncReason::MalformedFrame, error.what, now);
  } else {
    resync({it->second}, ResyncReason::MalformedFrame, error.what, now);
  }
}

std::vector<std::size_t> CoinbaseMarketDataPort::all_books() const {
  std::vector<std::size_t> all(books_.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  return all;
}

void CoinbaseMarketDataPort::resync(const std::vector<std::size_t>& books, ResyncReason reason,
                                    const std::string& detail, TimestampNs now) {
  std::vector<std::string> products;
  for (std::size_t index : books) {
    // A book already waiting for its snapshot was reported invalid before; it is resubscribed
    // again all the same, since the lost message may have been that snapshot.
    const bool was_synced = books_[index].synced();
    BookResyncStarted event = books_[index].invalidate(reason, detail, now);
    if (was_synced) listener().on_resync(std::move(event));
    products.push_back(books_[index].instrument().symbol);
  }
  // §3.5: unsubscribe + subscribe level2 yields a fresh snapshot per product; updates of the
  // old subscription still in flight are dropped by the unsynced BookEngines.
  subscribe("unsubscribe", "level2", products);
  subscribe("subscribe", "level2", products);
  refresh_state();
}

void CoinbaseMarketDataPort::on_stream_abandoned(ResyncReason reason, const std::string& detail,
                                                 TimestampNs now) {
  for (BookEngine& book : books_) {
    const bool was_synced = book.synced();
    BookResyncStarted event = book.invalidate(reason, detail, now);
    if (was_synced) listener().on_resync(std::move(event));
  }
}

void CoinbaseMarketDataPort::arm_snapshot_timer() {
  const std::uint64_t epoch = ++resync_epoch_;
  session_.post(milliseconds(options_.snapshot_timeout_ms), [this, epoch,
                                                             generation = session_.generation()] {
    if (generation != session_.generation() || epoch != resync_epoch_) return;
    const auto waiting = std::count_if(books_.begin(), books_.end(),
                                       [](const BookEngine& book) { return !book.synced(); });
    if (waiting == 0) return;
    abandon(venue() + " level2: " + std::to_string(waiting) + " snapshot(s) missing after " +
                std::to_string(options_.snapshot_timeout_ms) + " ms",
            ResyncReason::Stale);
  });
}

void CoinbaseMarketDataPort::refresh_state() {
  session_.refresh_state([this] {
    std::string unsynced;
    for (const BookEngine& book : books_) {
      if (book.synced()) continue;
      if (!unsynced.empty()) unsynced.append(", ");
      unsynced.append(book.instrument().symbol);
    }
    return unsynced;
  });
}

}  // namespace

tl::expected<void, std::string> validate(const MarketDataPortOptions& options) {
  auto fail = [](std::string what) { return tl::make_unexpected("coinbase market data: " + what); };
  if (!options.transport) return fail("transport is not set");
  if (options.clock == nullptr) return fail("clock is not set");
  if (options.instruments.empty()) return fail("instruments is empty");
  if (options.websocket_target.empty()) return fail("websocket_target is empty");
  if (options.stale_after_ms <= 0) return fail("stale_after_ms must be positive");
  if (options.snapshot_timeout_ms <= 0) return fail("snapshot_timeout_ms must be positive");
  if (options.reconnect_min_ms <= 0 || options.reconnect_max_ms < options.reconnect_min_ms) {
    return fail("reconnect_min_ms must be positive and at most reconnect_max_ms");
  }
  if (auto ok = venues::check_budget(options.subscribe_budget, "subscribe_budget"); !ok) {
    return fail(ok.error());
  }
  if (auto ok = venues::check_budget(options.connect_budget, "connect_budget"); !ok) {
    return fail(ok.error());
  }
  return {};
}

std::unique_ptr<MarketDataPort> make_market_data_port(MarketDataPortOptions options) {
  if (auto valid = validate(options); !valid) {
    std::fprintf(stderr, "%s\n", valid.error().c_str());
    std::abort();
  }
  return std::make_unique<CoinbaseMarketDataPort>(std::move(options));
}

}  // namespace troupe::coinbase
