#pragma once
// Internal to the Coinbase codec: the shared simdjson state and typed readers that turn
// simdjson error codes into texts naming the field. Not part of the public API.

#include "adapters/venues/coinbase/coinbase_codec.hpp"

#include <simdjson.h>
#include <tl/expected.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::coinbase::detail {

namespace od = simdjson::ondemand;

/// Texts of one level2 update or one trade, pointing into the parser's buffers; converted once
/// the whole object was read (fields may come in any order).
struct ItemText {
  std::string_view side;
  std::string_view price;     ///< `price_level` / `price`
  std::string_view quantity;  ///< `new_quantity` / `size`
  std::string_view time;      ///< `event_time` / `time`
  std::string_view trade_id;
  std::string_view product_id;
};

/// Everything one codec reuses between frames.
class CodecState {
 public:
  CodecState(InstrumentLookup lookup, CodecOptions options)
      : lookup(std::move(lookup)), options(std::move(options)) {}

  /// Copies `text` into the reusable padded buffer and starts iterating it.
  simdjson::simdjson_result<od::document> iterate(std::string_view text);

  InstrumentLookup lookup;
  CodecOptions options;
  od::parser parser;
  std::string buffer;
  std::vector<ItemText> items;  ///< scratch for one event's updates
};

/// What a channel decoder needs besides the events array.
struct ChannelContext {
  CodecState& state;
  std::string_view channel;
  TimestampNs timestamp;  ///< envelope timestamp (ns), fallback for ts_event
  TimestampNs now;        ///< ts_init
};

/// A DecodeError for `context`'s channel: "coinbase l2_data BTC-USD: <detail>".
DecodeError channel_error(const ChannelContext& context, std::string_view product,
                          std::string_view detail, bool affects_book);

/// Text for a simdjson failure ("invalid JSON: ...").
std::string json_failure(simdjson::error_code error);
/// Quotes untrusted text for error messages, cut to a bounded length.
std::string quoted(std::string_view text);

/// Reads a JSON string (valid until the next parse).
tl::expected<std::string_view, std::string> read_string(od::value& value, std::string_view field);
/// Reads a non-negative integer sent as a number or as a string of digits.
tl::expected<std::uint64_t, std::string> read_counter(od::value& value, std::string_view field);

/// Decodes `events` of an `l2_data` message. The error names product and field.
tl::expected<L2Data, DecodeError> decode_l2(od::value& events, const ChannelContext& context);
/// Decodes `events` of a `market_trades` message.
tl::expected<MarketTrades, DecodeError> decode_trades(od::value& events,
                                                      const ChannelContext& context);
/// Decodes `events` of a `heartbeats` message.
tl::expected<Heartbeat, DecodeError> decode_heartbeat(od::value& events,
                                                      const ChannelContext& context);
/// Decodes `events` of a `subscriptions` message.
tl::expected<Subscriptions, DecodeError> decode_subscriptions(od::value& events,
                                                              const ChannelContext& context);

}  // namespace troupe::coinbase::detail
