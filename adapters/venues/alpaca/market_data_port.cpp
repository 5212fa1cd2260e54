#include "adapters/venues/alpaca/market_data_port.hpp"

#include "adapters/venues/alpaca/alpaca_codec.hpp"
#include "adapters/venues/alpaca/gated_transport.hpp"
#include "adapters/venues/common/backoff.hpp"
#include "adapters/venues/common/overloaded.hpp"
#include "adapters/venues/common/stream_session.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <unordered_map>

namespace troupe::alpaca {
namespace {

using std::chrono::milliseconds;

/// Per-symbol state of the L1 book and the trade-side inference.
struct SymbolState {
  const Instrument* instrument = nullptr;
  bool subscribed = false;     ///< the last `subscription` echo lists it for trades and quotes
  bool book_valid = false;     ///< the last quote was usable (a snapshot went out)
  std::uint64_t sequence = 0;  ///< local snapshot counter (Alpaca quotes carry none)
  std::optional<Price> bid;    ///< of the last usable quote
  std::optional<Price> ask;
  std::optional<Price> last_trade;
  Side last_aggressor = Side::Buy;
};

/// Where the handshake of the current connection stands.
enum class Phase : std::uint8_t { AwaitConnected, AwaitAuthenticated, Authenticated };

CodecOptions codec_options(const MarketDataPortOptions& options) {
  return CodecOptions{options.venue.value, options.max_frame_bytes};
}

class AlpacaMarketDataPort final : public MarketDataPort, venues::StreamSession::Hooks {
 public:
  explicit AlpacaMarketDataPort(MarketDataPortOptions options)
      : options_(std::move(options)),
        codec_(make_instrument_lookup(options_.instruments), codec_options(options_)),
        gate_(std::make_shared<GatedTransport>(options_.transport, *options_.clock)),
        session_(session_options(), *this),
        limit_retry_(milliseconds(options_.connection_limit_retry_min_ms),
                     milliseconds(options_.connection_limit_retry_max_ms), options_.seed + 101),
        auth_retry_(milliseconds(options_.auth_retry_min_ms),
                    milliseconds(options_.auth_retry_max_ms), options_.seed + 202) {
    for (std::size_t i = 0; i < options_.instruments.size(); ++i) {
      SymbolState symbol;
      symbol.instrument = &options_.instruments[i];
      symbols_.push_back(symbol);
      index_[options_.instruments[i].id.symbol] = i;
    }
  }

  ~AlpacaMarketDataPort() override { stop(); }

  void start(MarketDataListener& listener) override { session_.start(listener); }
  void stop() override { session_.stop(); }

 private:
  venues::StreamSessionOptions session_options() const {
    venues::StreamSessionOptions out =
        venues::stream_session_options(options_, "/v2/" + options_.feed);
    out.transport = gate_;
    return out;
  }

  void on_stream_open(TimestampNs now) override;
  void on_stream_message(std::string_view payload, TimestampNs now) override;
  void on_stream_abandoned(ResyncReason reason, const std::string& detail,
                           TimestampNs now) override;

  std::string venue() const { return options_.venue.value; }
  MarketDataListener& listener() const { return session_.listener(); }
  void dispatch(Message& message, TimestampNs now);
  void on_success(const Success& success);
  void on_error(const ErrorMessage& error, TimestampNs now);
  void on_subscription(const Subscription& subscription);
  void on_quote(const Quote& quote, TimestampNs now);
  void on_trade(Trade& trade, TimestampNs now);
  void subscribe_all();
  void hold_off(venues::Backoff& backoff, const std::string& what, TimestampNs now);
  void refresh_state();

  MarketDataPortOptions options_;
  AlpacaCodec codec_;
  std::shared_ptr<GatedTransport> gate_;
  venues::StreamSession session_;
  // Touched only on the transport's thread.
  venues::Backoff limit_retry_;
  venues::Backoff auth_retry_;
  std::vector<SymbolState> symbols_;
  std::unordered_map<std::string, std::size_t> index_;
  Phase phase_ = Phase::AwaitConnected;
  bool announced_startup_ = false;
};

void AlpacaMarketDataPort::on_stream_open(TimestampNs now) {
  phase_ = Phase::AwaitConnected;
  for (SymbolState& symbol : symbols_) {
    symbol.subscribed = false;
    if (!announced_startup_) {
      listener().on_resync(
          BookResyncStarted{symbol.instrument->id, ResyncReason::Startup, "initial sync", now});
    }
  }
  announced_startup_ = true;
  // §1.11: the server speaks first with `connected`; auth goes out when it arrives.
}

void AlpacaMarketDataPort::on_stream_message(std::string_view payload, TimestampNs now) {
  auto frame = codec_.decode(payload, now);
  if (!frame) {
    // Each quote replaces the whole L1 book and Alpaca numbers nothing, so an unreadable frame
    // cannot corrupt a book: at worst it hid one quote, which the next quote heals.
    listener().on_frame_error(frame.error().what);
    return;
  }
  for (std::string& error : frame->item_errors) listener().on_frame_error(std::move(error));
  const std::uint64_t generation = session_.generation();
  for (Message& message : frame->messages) {
    dispatch(message, now);
    if (generation != session_.generation()) return;  // an error message dropped the socket
  }
}

void AlpacaMarketDataPort::dispatch(Message& message, TimestampNs now) {
  std::visit(
      venues::Overloaded{[&](Success& success) { on_success(success); },
                         [&](ErrorMessage& error) { on_error(error, now); },
                         [&](Subscription& subscription) { on_subscription(subscription); },
                         [&](Quote& quote) { on_quote(quote, now); },
                         [&](Trade& trade) { on_trade(trade, now); },
                         [&](Bar& bar) { listener().on_bar(std::move(bar)); },
                         [&](Ignored&) {},  // corrections / cancel errors come with trades (§1.11)
                         [&](UnknownType& unknown) {
                           listener().on_frame_error(venue() + " stream: unknown message type \"" +
                                                     unknown.type + "\"");
                         }},
      message);
}

void AlpacaMarketDataPort::on_success(const Success& success) {
  net::WebSocket* socket = session_.socket();
  if (socket == nullptr) return;
  if (success.message == "connected" && phase_ == Phase::AwaitConnected) {
    phase_ = Phase::AwaitAuthenticated;
    socket->send(encode_auth(options_.key_id, options_.secret_key));
  } else if (success.message == "authenticated" && phase_ == Phase::AwaitAuthenticated) {
    phase_ = Phase::Authenticated;
    subscribe_all();
  }
}

void AlpacaMarketDataPort::subscribe_all() {
  const std::size_t chunk = options_.symbols_per_subscribe;
  for (std::size_t first = 0; first < symbols_.size(); first += chunk) {
    SubscribeRequest request;
    for (std::size_t i = first; i < std::min(symbols_.size(), first + chunk); ++i) {
      request.trades.push_back(symbols_[i].instrument->id.symbol);
    }
    request.quotes = request.trades;
    if (options_.bars) request.bars = request.trades;
    session_.socket()->send(encode_subscribe(request));
  }
}

void AlpacaMarketDataPort::on_error(const ErrorMessage& error, TimestampNs now) {
  const std::string what = venue() + " stream: error " + std::to_string(error.code) + " " +
                           (error.message.empty() ? "(no msg)" : error.message);
  switch (error.code) {
    case 406:  // §1.12: one connection per account; another session holds it
      hold_off(limit_retry_, what, now);
      return;
    case 401:  // not authenticated
    case 402:  // auth failed
    case 404:  // auth timeout
      hold_off(auth_retry_, what, now);
      return;
    default:
      // 400 invalid syntax, 403 already authenticated, 405 symbol limit, 407 slow client,
      // 409 insufficient subscription, 500...: the connection goes on; symbols the venue
      // refused stay unconfirmed, so the state stays Syncing and names them.
      listener().on_frame_error(what);
  }
}

void AlpacaMarketDataPort::hold_off(venues::Backoff& backoff, const std::string& what,
                                    TimestampNs now) {
  const milliseconds pause = backoff.next();
  gate_->hold_until(now + pause.count() * 1'000'000);
  session_.abandon(what + "; next connection in " + std::to_string(pause.count()) + " ms or later",
                   ResyncReason::Disconnected);
}

void AlpacaMarketDataPort::on_subscription(const Subscription& subscription) {
  auto listed = [](const std::vector<std::string>& list) {
    return std::set<std::string>(list.begin(), list.end());
  };
  const std::set<std::string> trades = listed(subscription.trades);
  const std::set<std::string> quotes = listed(subscription.quotes);
  for (SymbolState& symbol : symbols_) {
    const std::string& name = symbol.instrument->id.symbol;
    symbol.subscribed =
        (trades.count(name) || trades.count("*")) && (quotes.count(name) || quotes.count("*"));
  }
  if (std::all_of(symbols_.begin(), symbols_.end(), [](auto& s) { return s.subscribed; })) {
    limit_retry_.reset();
    auth_retry_.reset();
  }
  refresh_state();
}

void AlpacaMarketDataPort::on_quote(const Quote& quote, TimestampNs now) {
  auto it = index_.find(quote.instrument.symbol);
  if (it == index_.end()) return;  // the codec only resolves our symbols
  SymbolState& symbol = symbols_[it->second];
  // A side with zero price or size is absent (Alpaca sends 0 for an empty side).
  const bool has_bid = quote.bid_price.is_positive() && quote.bid_size.is_positive();
  const bool has_ask = quote.ask_price.is_positive() && quote.ask_size.is_positive();
  if (has_bid && has_ask && quote.bid_price >= quote.ask_price) {
    // Never report a crossed or locked book; the next sane quote replaces it.
    symbol.book_valid = false;
    listener().on_resync(
        BookResyncStarted{quote.instrument, ResyncReason::Crossed,
                          std::string(quote.bid_price == quote.ask_price ? "locked" : "crossed") +
                              " quote dropped: bid " + quote.bid_price.to_string() + " >= ask " +
                              quote.ask_price.to_string(),
                          now});
    return;
  }
  BookSnapshot snapshot;
  snapshot.instrument = quote.instrument;
  snapshot.sequence = ++symbol.sequence;
  if (has_bid) snapshot.bids.push_back(BookLevel{quote.bid_price, quote.bid_size});
  if (has_ask) snapshot.asks.push_back(BookLevel{quote.ask_price, quote.ask_size});
  snapshot.ts_event = quote.ts_event;
  snapshot.ts_init = now;
  symbol.book_valid = true;
  symbol.bid = has_bid ? std::optional<Price>(quote.bid_price) : std::nullopt;
  symbol.ask = has_ask ? std::optional<Price>(quote.ask_price) : std::nullopt;
  listener().on_snapshot(std::move(snapshot));
}

void AlpacaMarketDataPort::on_trade(Trade& trade, TimestampNs now) {
  auto it = index_.find(trade.instrument.symbol);
  if (it == index_.end()) return;
  SymbolState& symbol = symbols_[it->second];
  // Alpaca trades carry no aggressor: quote rule (at or through the ask = buy, at or through
  // the bid = sell), else tick rule against the previous trade, else the previous side.
  Side aggressor = symbol.last_aggressor;
  if (symbol.ask && trade.price >= *symbol.ask) {
    aggressor = Side::Buy;
  } else if (symbol.bid && trade.price <= *symbol.bid) {
    aggressor = Side::Sell;
  } else if (symbol.last_trade && trade.price != *symbol.last_trade) {
    aggressor = trade.price > *symbol.last_trade ? Side::Buy : Side::Sell;
  }
  symbol.last_aggressor = aggressor;
  symbol.last_trade = trade.price;
  listener().on_trade(TradeTick{trade.instrument, trade.price, trade.size, aggressor,
                                TradeId{std::move(trade.trade_id)}, trade.ts_event, now});
}

void AlpacaMarketDataPort::on_stream_abandoned(ResyncReason reason, const std::string& detail,
                                               TimestampNs now) {
  for (SymbolState& symbol : symbols_) {
    symbol.subscribed = false;
    if (!symbol.book_valid) continue;  // already reported invalid
    symbol.book_valid = false;
    listener().on_resync(BookResyncStarted{symbol.instrument->id, reason, detail, now});
  }
}

void AlpacaMarketDataPort::refresh_state() {
  session_.refresh_state([this] {
    std::string unsynced;
    for (const SymbolState& symbol : symbols_) {
      if (symbol.subscribed) continue;
      if (!unsynced.empty()) unsynced.append(", ");
      unsynced.append(symbol.instrument->id.symbol);
    }
    return unsynced;
  });
}

}  // namespace

tl::expected<void, std::string> validate(const MarketDataPortOptions& options) {
  auto fail = [](std::string what) { return tl::make_unexpected("alpaca market data: " + what); };
  if (!options.transport) return fail("transport is not set");
  if (options.clock == nullptr) return fail("clock is not set");
  if (options.instruments.empty()) return fail("instruments is empty");
  std::set<std::string> seen;
  for (const Instrument& instrument : options.instruments) {
    if (instrument.id.symbol.empty()) return fail("instruments: a symbol is empty");
    if (!seen.insert(instrument.id.symbol).second) {
      return fail("instruments: duplicate symbol " + instrument.id.symbol);
    }
  }
  if (options.max_symbols != 0 && options.instruments.size() > options.max_symbols) {
    return fail("instruments: " + std::to_string(options.instruments.size()) +
                " symbols exceed max_symbols " + std::to_string(options.max_symbols) +
                " (IEX plan limit, §1.12; use feed sip with max_symbols 0)");
  }
  const std::string feeds[] = {"iex", "sip", "delayed_sip", "test"};
  if (std::find(std::begin(feeds), std::end(feeds), options.feed) == std::end(feeds)) {
    return fail("feed must be iex, sip, delayed_sip or test (got \"" + options.feed + "\")");
  }
  if (options.key_id.empty()) return fail("key_id is empty");
  if (options.secret_key.empty()) return fail("secret_key is empty");
  if (options.symbols_per_subscribe == 0) return fail("symbols_per_subscribe must be positive");
  if (options.max_frame_bytes == 0) return fail("max_frame_bytes must be positive");
  if (options.stale_after_ms <= 0) return fail("stale_after_ms must be positive");
  auto range = [&](std::int64_t min, std::int64_t max,
                   const char* name) -> tl::expected<void, std::string> {
    if (min <= 0 || max < min) {
      return fail(std::string(name) + "_min_ms must be positive and at most " + name + "_max_ms");
    }
    return {};
  };
  if (auto ok = range(options.reconnect_min_ms, options.reconnect_max_ms, "reconnect"); !ok) {
    return ok;
  }
  if (auto ok = range(options.connection_limit_retry_min_ms, options.connection_limit_retry_max_ms,
                      "connection_limit_retry");
      !ok) {
    return ok;
  }
  return range(options.auth_retry_min_ms, options.auth_retry_max_ms, "auth_retry");
}

std::unique_ptr<MarketDataPort> make_market_data_port(MarketDataPortOptions options) {
  if (auto valid = validate(options); !valid) {
    std::fprintf(stderr, "%s\n", valid.error().c_str());
    std::abort();
  }
  return std::make_unique<AlpacaMarketDataPort>(std::move(options));
}

}  // namespace troupe::alpaca
