#pragma once
// Alpaca stocks market-data v2 wire codec (exchange-protocols.md §1.11): simdjson On-Demand
// decoding of JSON-mode frames (arrays of `T`-keyed objects) into alpaca_messages.hpp types, and
// the text of the requests the port sends (auth, subscribe, unsubscribe). One codec per
// connection: it reuses one parser and one padded buffer, so it is not thread-safe.

#include "adapters/venues/alpaca/alpaca_messages.hpp"
#include "messages/instrument.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::alpaca {

/// Finds an instrument by its Alpaca symbol ("AAPL"); nullptr when unknown. Prices are parsed
/// at its price_precision, sizes at its size_precision.
using InstrumentLookup = std::function<const Instrument*(std::string_view symbol)>;

/// Builds a lookup over `instruments` (keyed by `id.symbol`), which must outlive the lookup.
InstrumentLookup make_instrument_lookup(const std::vector<Instrument>& instruments);

/// Codec settings.
struct CodecOptions {
  /// Venue name used in error texts.
  std::string venue = "alpaca";
  /// Frames longer than this are refused unparsed (bytes).
  std::size_t max_frame_bytes = std::size_t{4} << 20;
};

namespace detail {
class CodecState;
}  // namespace detail

/// Decodes Alpaca data v2 frames. Never throws; a frame that cannot be read at all is a
/// DecodeError, a bad item inside a readable frame is one of Frame::item_errors.
class AlpacaCodec {
 public:
  explicit AlpacaCodec(InstrumentLookup lookup, CodecOptions options = {});
  ~AlpacaCodec();
  AlpacaCodec(AlpacaCodec&&) noexcept;
  AlpacaCodec& operator=(AlpacaCodec&&) noexcept;

  /// Decodes one text or binary frame (JSON mode). `now` becomes ts_init of bars.
  tl::expected<Frame, DecodeError> decode(std::string_view frame, TimestampNs now);

 private:
  std::unique_ptr<detail::CodecState> state_;
};

/// Channels of one subscribe / unsubscribe request (symbols, or "*" where Alpaca allows it).
struct SubscribeRequest {
  std::vector<std::string> trades;
  std::vector<std::string> quotes;
  std::vector<std::string> bars;
};

/// `{"action":"auth","key":"...","secret":"..."}`.
std::string encode_auth(std::string_view key, std::string_view secret);
/// `{"action":"subscribe","trades":[..],"quotes":[..],"bars":[..]}`; empty lists are left out.
std::string encode_subscribe(const SubscribeRequest& request);
/// `{"action":"unsubscribe",...}` as encode_subscribe.
std::string encode_unsubscribe(const SubscribeRequest& request);

}  // namespace troupe::alpaca
