#pragma once
// Internal to the Kraken codec: the state one codec reuses between frames and the per-channel
// decoders kraken_codec.cpp dispatches to. Not part of the public API.

#include "adapters/venues/kraken/kraken_codec.hpp"
#include "adapters/venues/kraken/kraken_json.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace troupe::kraken::detail {

/// Price and size token texts of one level, pointing into the codec's buffer.
struct LevelText {
  std::string_view price;
  std::string_view quantity;
};

/// Everything one codec reuses between frames.
class CodecState {
 public:
  CodecState(InstrumentLookup lookup, std::string venue)
      : lookup(std::move(lookup)), venue(std::move(venue)) {}

  /// Copies `text` into the reusable buffer with simdjson's padding and starts iterating it.
  simdjson::simdjson_result<od::document> iterate(std::string_view text);

  InstrumentLookup lookup;
  std::string venue;
  od::parser parser;
  // On-Demand trusts the document's structure once it has walked an object, and asserts (UB in
  // release builds) when an unordered lookup wraps around inside malformed JSON (found by the
  // kraken_stream fuzz target). Frames are therefore validated with the DOM parser first.
  simdjson::dom::parser validator;
  std::string buffer;
  std::vector<LevelText> bids;  ///< scratch for book items
  std::vector<LevelText> asks;
};

/// Decodes the items of a `book` frame; `data` is the frame's `data` value.
tl::expected<KrakenMessage, DecodeError> decode_book(CodecState& state, od::value& data,
                                                     bool snapshot, TimestampNs now);

/// Decodes the items of a `trade` frame; `data` is the frame's `data` value.
tl::expected<KrakenMessage, DecodeError> decode_trades(CodecState& state, od::value& data,
                                                       bool snapshot, TimestampNs now);

}  // namespace troupe::kraken::detail
