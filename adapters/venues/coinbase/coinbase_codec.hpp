#pragma once
// Coinbase Advanced Trade market-data codec: simdjson On-Demand decoding of WebSocket frames
// (envelope §3.2; channels l2_data §3.4, market_trades §3.6, heartbeats §3.3, subscriptions,
// errors) into coinbase_messages.hpp types, and encoding of subscribe / unsubscribe messages.
// One codec per connection: it reuses one parser and buffer, so it is not thread-safe.

#include "adapters/venues/coinbase/coinbase_messages.hpp"
#include "messages/instrument.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::coinbase {

/// Finds an instrument by its Coinbase product id ("BTC-USD"); nullptr when unknown.
using InstrumentLookup = std::function<const Instrument*(std::string_view product_id)>;

/// Builds a lookup over `instruments` (keyed by `id.symbol`), which must outlive the lookup.
InstrumentLookup make_instrument_lookup(const std::vector<Instrument>& instruments);

/// Codec settings.
struct CodecOptions {
  /// Venue name used in error texts.
  std::string venue = "coinbase";
  /// Frames longer than this are refused unparsed (bytes). A full BTC-USD level2 snapshot is
  /// a few MB; the default leaves ample room.
  std::size_t max_frame_bytes = 32u << 20;
  /// How to read a trade's `side`. The docs (§3.6) say it is the **maker** side, so the
  /// aggressor is the opposite (`"SELL"` → aggressor Buy). Set false if live traffic proves
  /// the field is the taker side.
  bool trade_side_is_maker = true;
};

namespace detail {
class CodecState;
}  // namespace detail

/// Decodes Coinbase frames. Never throws; every failure is a DecodeError whose text names the
/// venue, the channel and the offending field.
class CoinbaseCodec {
 public:
  explicit CoinbaseCodec(InstrumentLookup lookup, CodecOptions options = {});
  ~CoinbaseCodec();
  CoinbaseCodec(CoinbaseCodec&&) noexcept;
  CoinbaseCodec& operator=(CoinbaseCodec&&) noexcept;

  /// Decodes one frame (text or binary, same JSON). `now` becomes ts_init of trades.
  tl::expected<Message, DecodeError> decode(std::string_view frame, TimestampNs now);

 private:
  std::unique_ptr<detail::CodecState> state_;
};

/// `{"type":"subscribe"|"unsubscribe","product_ids":[..],"channel":"level2","jwt":".."}`
/// (§3.2). `product_ids` empty omits the field (heartbeats); `jwt` empty omits it (public).
std::string encode_subscription(std::string_view type, std::string_view channel,
                                const std::vector<std::string>& product_ids,
                                std::string_view jwt = {});

}  // namespace troupe::coinbase
