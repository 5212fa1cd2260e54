#pragma once
// Binance Spot wire codec: simdjson On-Demand decoding of stream frames, REST bodies and
// WebSocket API frames into binance_messages.hpp types. One codec per session: it reuses one
// parser and one padded buffer, so it is not thread-safe, and the string_views it hands out
// internally die with the next decode call (decoded messages own their data).

#include "adapters/venues/binance/binance_messages.hpp"
#include "messages/instrument.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace troupe::binance {

/// Finds an instrument by its upper-case Binance symbol ("BTCUSDT"); nullptr when unknown.
using InstrumentLookup = std::function<const Instrument*(std::string_view symbol)>;

/// Builds a lookup over `instruments`, which must outlive the lookup.
InstrumentLookup make_instrument_lookup(const std::vector<Instrument>& instruments);

/// Largest epoch-ms value whose ns form fits int64 (year 2262).
inline constexpr std::int64_t kMaxEpochMs = INT64_MAX / 1'000'000;

/// Converts Binance epoch milliseconds to ns since the epoch, clamped to [0, kMaxEpochMs] so a
/// hostile value cannot overflow (the codec rejects such values before converting).
constexpr std::int64_t ms_to_ns(std::int64_t ms) {
  return (ms < 0 ? 0 : ms > kMaxEpochMs ? kMaxEpochMs : ms) * 1'000'000;
}

namespace detail {
class CodecState;
}  // namespace detail

/// Decodes Binance frames and bodies. Never throws; every failure is a DecodeError whose text
/// names the venue, the stream or endpoint and the offending field.
class BinanceCodec {
 public:
  /// `venue` only appears in error texts ("binance").
  explicit BinanceCodec(InstrumentLookup lookup, std::string venue = "binance");
  ~BinanceCodec();
  BinanceCodec(BinanceCodec&&) noexcept;
  BinanceCodec& operator=(BinanceCodec&&) noexcept;

  /// Decodes one market-data frame, raw (`{"e":"depthUpdate",..}`) or combined
  /// (`{"stream":"btcusdt@depth@100ms","data":{..}}`). `now` becomes ts_init of ticks.
  tl::expected<StreamMessage, DecodeError> decode_stream(std::string_view frame, TimestampNs now);

  /// Decodes a `GET /api/v3/depth` body for `instrument` (§2.2). The snapshot's ts_event and
  /// ts_init are `now` (the body carries no time).
  tl::expected<BookSnapshot, DecodeError> decode_depth_snapshot(std::string_view body,
                                                                const Instrument& instrument,
                                                                TimestampNs now);

  /// Decodes one WebSocket API frame: a response, or a user data event wrapped as
  /// `{"subscriptionId":0,"event":{..}}` or raw (`{"e":"executionReport",..}`) (§2.10).
  tl::expected<UserMessage, DecodeError> decode_user(std::string_view frame);

  /// Decodes a REST order body (`POST`/`DELETE`/`GET /api/v3/order`; ACK, RESULT or FULL).
  tl::expected<OrderResponse, DecodeError> decode_order_response(std::string_view body);

  /// Decodes a REST error body `{"code":-2010,"msg":"..."}`. `endpoint` names the request in
  /// error texts ("POST /api/v3/order").
  tl::expected<ApiError, DecodeError> decode_api_error(std::string_view body,
                                                       std::string_view endpoint);

 private:
  std::unique_ptr<detail::CodecState> state_;
};

}  // namespace troupe::binance
