#pragma once
// Kraken Spot WebSocket v2 wire codec (exchange-protocols.md §4.1-§4.3): simdjson On-Demand
// decoding of public frames into kraken_messages.hpp types, and the text of the requests the
// market-data port sends. One codec per connection: it reuses one parser and one padded buffer,
// so it is not thread-safe.

#include "adapters/venues/kraken/kraken_messages.hpp"
#include "messages/instrument.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::kraken {

/// Finds an instrument by its Kraken v2 symbol ("BTC/USD"); nullptr when unknown. The
/// instrument's price_precision / size_precision must be Kraken's `price_precision` /
/// `qty_precision` (§4.6): levels are parsed, and the checksum formatted, at them.
using InstrumentLookup = std::function<const Instrument*(std::string_view symbol)>;

/// Builds a lookup over `instruments`, which must outlive the lookup.
InstrumentLookup make_instrument_lookup(const std::vector<Instrument>& instruments);

namespace detail {
class CodecState;
}  // namespace detail

/// Decodes Kraken WS v2 public frames. Never throws; every failure is a DecodeError whose text
/// names the venue, the channel and the offending field.
class KrakenCodec {
 public:
  /// `venue` only appears in error texts ("kraken").
  explicit KrakenCodec(InstrumentLookup lookup, std::string venue = "kraken");
  ~KrakenCodec();
  KrakenCodec(KrakenCodec&&) noexcept;
  KrakenCodec& operator=(KrakenCodec&&) noexcept;

  /// Decodes one text or binary frame. `now` becomes ts_init of trades and ts_event of book
  /// items that carry no `timestamp`.
  tl::expected<KrakenMessage, DecodeError> decode(std::string_view frame, TimestampNs now);

 private:
  std::unique_ptr<detail::CodecState> state_;
};

/// What one subscribe / unsubscribe request asks for.
struct ChannelRequest {
  std::string channel;                 ///< "book" or "trade"
  std::vector<std::string> symbols;    ///< Kraken v2 symbols ("ETH/USD")
  std::optional<std::uint32_t> depth;  ///< book only: 10, 25, 100, 500 or 1000
  std::optional<bool> snapshot;        ///< ask for (or skip) the initial snapshot
  std::int64_t req_id = 0;             ///< echoed in the response
};

/// `{"method":"subscribe","params":{...},"req_id":N}` (§4.2, §4.3).
std::string encode_subscribe(const ChannelRequest& request);
/// `{"method":"unsubscribe","params":{...},"req_id":N}`.
std::string encode_unsubscribe(const ChannelRequest& request);
/// `{"method":"ping","req_id":N}` (§4.1).
std::string encode_ping(std::int64_t req_id);

}  // namespace troupe::kraken
