// CoinbaseCodec: the message envelope (§3.2), dispatch to the channel decoders in
// coinbase_codec_events.cpp, and subscribe encoding.

#include "adapters/venues/coinbase/coinbase_codec.hpp"

#include "adapters/venues/coinbase/codec_internal.hpp"
#include "adapters/venues/coinbase/time_parsing.hpp"

#include <optional>
#include <unordered_map>

namespace troupe::coinbase {
namespace {

using detail::ChannelContext;
using detail::CodecState;
namespace od = simdjson::ondemand;

/// Envelope fields collected in one pass, whatever the key order.
struct Envelope {
  std::optional<std::string> channel;
  std::string type;     ///< top-level "type": only error messages carry one
  std::string message;  ///< error text
  std::optional<std::uint64_t> sequence_num;
  TimestampNs timestamp = 0;
  std::optional<std::string> preset_channel;  ///< second pass: the channel read in the first
  bool events_deferred = false;  ///< `events` came before `channel`: needs a second pass
  std::optional<tl::expected<Payload, DecodeError>> payload;
  std::string field_error;  ///< first envelope field of the wrong type
};

bool affects_books(std::string_view channel) { return channel == "l2_data" || channel == "level2"; }

DecodeError frame_error(const CodecState& state, std::string_view channel, std::string detail,
                        std::optional<std::uint64_t> sequence_num) {
  DecodeError error;
  error.what = state.options.venue + " " + std::string(channel.empty() ? "frame" : channel) +
               ": " + std::move(detail);
  error.sequence_num = sequence_num;
  // A frame whose channel is unknown may have been level2 data: every book is suspect.
  error.may_affect_book = channel.empty() || affects_books(channel);
  return error;
}

tl::expected<Payload, DecodeError> decode_channel(od::value& events, const ChannelContext& context) {
  auto wrap = [](auto decoded) -> tl::expected<Payload, DecodeError> {
    if (!decoded) return tl::make_unexpected(std::move(decoded.error()));
    return Payload(std::move(*decoded));
  };
  // "level2" accepted as an alias of "l2_data" defensively: the subscribe name differs from
  // the name messages carry (§3.4).
  if (affects_books(context.channel)) return wrap(detail::decode_l2(events, context));
  if (context.channel == "market_trades") return wrap(detail::decode_trades(events, context));
  if (context.channel == "heartbeats") return wrap(detail::decode_heartbeat(events, context));
  if (context.channel == "subscriptions") {
    return wrap(detail::decode_subscriptions(events, context));
  }
  return Payload(OtherChannel{std::string(context.channel)});
}

template <class T>
void keep(tl::expected<T, std::string> value, T& out, Envelope& envelope) {
  if (value) {
    out = std::move(*value);
  } else if (envelope.field_error.empty()) {
    envelope.field_error = std::move(value.error());
  }
}

tl::expected<void, std::string> read_field(std::string_view key, od::value& value,
                                           Envelope& envelope, CodecState& state, TimestampNs now) {
  if (key == "channel") {
    std::string_view channel;
    keep(detail::read_string(value, "channel"), channel, envelope);
    envelope.channel = std::string(channel);
  } else if (key == "type") {
    std::string_view type;
    keep(detail::read_string(value, "type"), type, envelope);
    envelope.type = std::string(type);
  } else if (key == "message") {
    std::string_view message;
    keep(detail::read_string(value, "message"), message, envelope);
    envelope.message = std::string(message);
  } else if (key == "sequence_num") {
    std::uint64_t sequence = 0;
    auto read = detail::read_counter(value, "sequence_num");
    keep(std::move(read), sequence, envelope);
    if (envelope.field_error.empty()) envelope.sequence_num = sequence;
  } else if (key == "timestamp") {
    std::string_view text;
    auto read = detail::read_string(value, "timestamp");
    keep(std::move(read), text, envelope);
    if (auto parsed = parse_rfc3339(text); parsed) {
      envelope.timestamp = *parsed;
    } else if (envelope.field_error.empty()) {
      envelope.field_error = "field \"timestamp\": " + parsed.error();
    }
  } else if (key == "events") {
    const std::optional<std::string>& channel =
        envelope.channel ? envelope.channel : envelope.preset_channel;
    if (!channel) {
      envelope.events_deferred = true;  // skipped unread
      return {};
    }
    ChannelContext context{state, *channel, envelope.timestamp, now};
    envelope.payload = decode_channel(value, context);
  }
  return {};
}

bool has_trailing_content(od::document& doc) {
  const char* location = nullptr;
  // Once the root value is consumed, current_location() fails unless another token follows.
  return doc.current_location().get(location) == simdjson::SUCCESS;
}

tl::expected<Envelope, std::string> read_envelope(std::string_view frame, CodecState& state,
                                                  TimestampNs now,
                                                  std::optional<std::string> preset_channel) {
  Envelope envelope;
  envelope.preset_channel = std::move(preset_channel);
  od::document doc;
  od::object object;
  if (auto error = state.iterate(frame).get(doc)) {
    return tl::make_unexpected(detail::json_failure(error));
  }
  if (auto error = doc.get_object().get(object)) {
    return tl::make_unexpected(detail::json_failure(error));
  }
  for (auto field : object) {
    std::string_view key;
    od::value value;
    if (auto error = field.unescaped_key().get(key)) {
      return tl::make_unexpected(detail::json_failure(error));
    }
    if (auto error = field.value().get(value)) {
      return tl::make_unexpected(detail::json_failure(error));
    }
    if (auto read = read_field(key, value, envelope, state, now); !read) {
      return tl::make_unexpected(std::move(read.error()));
    }
    // A failed channel decoder may leave the iterator mid-value: stop reading the frame.
    if (envelope.payload && !*envelope.payload) return envelope;
  }
  if (has_trailing_content(doc)) return tl::make_unexpected("trailing content after the message");
  return envelope;
}

}  // namespace

CoinbaseCodec::CoinbaseCodec(InstrumentLookup lookup, CodecOptions options)
    : state_(std::make_unique<detail::CodecState>(std::move(lookup), std::move(options))) {}
CoinbaseCodec::~CoinbaseCodec() = default;
CoinbaseCodec::CoinbaseCodec(CoinbaseCodec&&) noexcept = default;
CoinbaseCodec& CoinbaseCodec::operator=(CoinbaseCodec&&) noexcept = default;

tl::expected<Message, DecodeError> CoinbaseCodec::decode(std::string_view frame, TimestampNs now) {
  CodecState& state = *state_;
  if (frame.size() > state.options.max_frame_bytes) {
    return tl::make_unexpected(frame_error(
        state, "", "frame of " + std::to_string(frame.size()) + " bytes exceeds max_frame_bytes=" +
                       std::to_string(state.options.max_frame_bytes),
        std::nullopt));
  }
  auto envelope = read_envelope(frame, state, now, std::nullopt);
  if (envelope && envelope->events_deferred && envelope->channel) {
    // `events` preceded `channel` (legal JSON, never seen from Coinbase): read again knowing it.
    envelope = read_envelope(frame, state, now, envelope->channel);
  }
  if (!envelope) return tl::make_unexpected(frame_error(state, "", envelope.error(), std::nullopt));
  const std::string channel = envelope->channel.value_or("");
  if (!envelope->channel && envelope->type == "error") {
    return Message{envelope->sequence_num, envelope->timestamp,
                   VenueError{envelope->message.empty() ? "(no message)" : envelope->message}};
  }
  if (!envelope->field_error.empty()) {
    return tl::make_unexpected(
        frame_error(state, channel, envelope->field_error, envelope->sequence_num));
  }
  if (!envelope->channel) {
    return tl::make_unexpected(
        frame_error(state, "", "missing field \"channel\"", envelope->sequence_num));
  }
  if (!envelope->sequence_num) {
    return tl::make_unexpected(
        frame_error(state, channel, "missing field \"sequence_num\"", std::nullopt));
  }
  if (!envelope->payload) {
    if (channel == "l2_data" || channel == "level2" || channel == "market_trades" ||
        channel == "heartbeats" || channel == "subscriptions") {
      return tl::make_unexpected(
          frame_error(state, channel, "missing field \"events\"", envelope->sequence_num));
    }
    envelope->payload = Payload(OtherChannel{channel});
  }
  if (!*envelope->payload) {
    DecodeError error = std::move(envelope->payload->error());
    error.sequence_num = envelope->sequence_num;
    return tl::make_unexpected(std::move(error));
  }
  return Message{envelope->sequence_num, envelope->timestamp, std::move(**envelope->payload)};
}

InstrumentLookup make_instrument_lookup(const std::vector<Instrument>& instruments) {
  auto index = std::make_shared<std::unordered_map<std::string, const Instrument*>>();
  for (const Instrument& instrument : instruments) (*index)[instrument.id.symbol] = &instrument;
  return [index](std::string_view product) -> const Instrument* {
    auto it = index->find(std::string(product));
    return it == index->end() ? nullptr : it->second;
  };
}

std::string encode_subscription(std::string_view type, std::string_view channel,
                                const std::vector<std::string>& product_ids,
                                std::string_view jwt) {
  // Product ids and channel names come from our own config ([A-Z0-9-] / [a-z_0-9]); a JWT is
  // base64url with dots. None needs JSON escaping.
  std::string out = "{\"type\":\"";
  out.append(type).append("\"");
  if (!product_ids.empty()) {
    out.append(",\"product_ids\":[");
    for (std::size_t i = 0; i < product_ids.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.append("\"").append(product_ids[i]).append("\"");
    }
    out.append("]");
  }
  out.append(",\"channel\":\"").append(channel).append("\"");
  if (!jwt.empty()) out.append(",\"jwt\":\"").append(jwt).append("\"");
  out.append("}");
  return out;
}

}  // namespace troupe::coinbase
