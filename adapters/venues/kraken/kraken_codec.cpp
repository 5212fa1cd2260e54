// KrakenCodec: frame envelope, connection-level messages (§4.1) and request encoding.

#include "adapters/venues/kraken/kraken_codec.hpp"

#include "adapters/json/json_writer.hpp"
#include "adapters/venues/kraken/kraken_codec_internal.hpp"

#include <unordered_map>

namespace troupe::kraken {
namespace {

using detail::CodecState;
using detail::od::object;
using detail::od::value;

/// Looks `key` up in any order; false when absent, an error text when the JSON is broken.
tl::expected<bool, std::string> find(object& root, std::string_view key, value& out) {
  auto error = root.find_field_unordered(key).get(out);
  if (error == simdjson::NO_SUCH_FIELD) return false;
  if (error != simdjson::SUCCESS) return tl::make_unexpected(detail::json_failure(error));
  return true;
}

/// Reads optional string field `key` ("" when absent).
tl::expected<std::string_view, std::string> optional_string(object& root, std::string_view key) {
  value field;
  auto found = find(root, key, field);
  if (!found) return tl::make_unexpected(found.error());
  if (!*found) return std::string_view{};
  return detail::read_string(field, key);
}

DecodeError error_in(const CodecState& state, std::string_view where, std::string what,
                     bool may_affect_book = false) {
  return DecodeError{state.venue + " " + std::string(where) + ": " + what, "", may_affect_book};
}

tl::expected<KrakenMessage, DecodeError> decode_status(CodecState& state, object& root) {
  value data;
  auto found = find(root, "data", data);
  if (!found || !*found) return tl::make_unexpected(error_in(state, "status", "no \"data\""));
  SystemStatus status;
  detail::od::array items;
  if (data.get_array().get(items) != simdjson::SUCCESS) {
    return tl::make_unexpected(error_in(state, "status", "field \"data\": not an array"));
  }
  for (auto item : items) {
    object entry;
    if (item.get_object().get(entry) != simdjson::SUCCESS) {
      return tl::make_unexpected(error_in(state, "status", "field \"data\"[]: not an object"));
    }
    auto system = optional_string(entry, "system");
    auto version = optional_string(entry, "api_version");
    if (!system) return tl::make_unexpected(error_in(state, "status", system.error()));
    if (!version) return tl::make_unexpected(error_in(state, "status", version.error()));
    status.system = std::string(*system);
    status.api_version = std::string(*version);
    value id;
    if (auto has = find(entry, "connection_id", id); has && *has) {
      if (auto number = detail::read_uint(id, "connection_id")) status.connection_id = *number;
    }
  }
  return status;
}

tl::expected<void, std::string> read_result(object& root, MethodResponse& response) {
  value result;
  auto found = find(root, "result", result);
  if (!found) return tl::make_unexpected(found.error());
  if (!*found) return {};
  object fields;
  if (result.get_object().get(fields) != simdjson::SUCCESS) {
    return tl::make_unexpected("field \"result\": not an object");
  }
  auto channel = optional_string(fields, "channel");
  if (!channel) return tl::make_unexpected("result." + channel.error());
  auto symbol = optional_string(fields, "symbol");
  if (!symbol) return tl::make_unexpected("result." + symbol.error());
  response.channel = std::string(*channel);
  response.symbol = std::string(*symbol);
  return {};
}

tl::expected<void, std::string> read_response_fields(object& root, MethodResponse& response) {
  value field;
  auto found = find(root, "success", field);
  if (!found) return tl::make_unexpected(found.error());
  if (*found) {
    auto success = detail::read_bool(field, "success");
    if (!success) return tl::make_unexpected(success.error());
    response.success = *success;
  }
  found = find(root, "req_id", field);
  if (!found) return tl::make_unexpected(found.error());
  if (*found) {
    auto id = detail::read_int(field, "req_id");
    if (!id) return tl::make_unexpected(id.error());
    response.req_id = *id;
  }
  auto error = optional_string(root, "error");
  if (!error) return tl::make_unexpected(error.error());
  response.error = std::string(*error);
  if (auto read = read_result(root, response); !read) return read;
  // Error acks carry the refused symbol at the top level, not in `result`.
  if (response.symbol.empty()) {
    auto symbol = optional_string(root, "symbol");
    if (!symbol) return tl::make_unexpected(symbol.error());
    response.symbol = std::string(*symbol);
  }
  return {};
}

tl::expected<KrakenMessage, DecodeError> decode_channel(CodecState& state, object& root,
                                                        std::string_view channel, TimestampNs now) {
  if (channel == "heartbeat") return Heartbeat{};
  if (channel == "status") return decode_status(state, root);
  const bool book = channel == "book";
  if (!book && channel != "trade") {
    return UnknownMessage{"channel " + detail::quoted(channel)};
  }
  const std::string where(channel);
  auto type = optional_string(root, "type");
  if (!type) return tl::make_unexpected(error_in(state, where, type.error(), book));
  if (*type != "snapshot" && *type != "update") {
    return tl::make_unexpected(
        error_in(state, where,
                 "field \"type\": " + detail::quoted(*type) + " is not snapshot or update", book));
  }
  value data;
  auto found = find(root, "data", data);
  if (!found) return tl::make_unexpected(error_in(state, where, found.error(), book));
  if (!*found) return tl::make_unexpected(error_in(state, where, "no \"data\"", book));
  const bool snapshot = *type == "snapshot";
  return book ? detail::decode_book(state, data, snapshot, now)
              : detail::decode_trades(state, data, snapshot, now);
}

std::string request_json(std::string_view method, const ChannelRequest& request) {
  json::JsonWriter out;
  out.begin_object().field("method", method).key("params").begin_object();
  out.field("channel", request.channel).key("symbol").begin_array();
  for (const auto& symbol : request.symbols) out.value(symbol);
  out.end_array();
  if (request.depth) out.field("depth", *request.depth);
  if (request.snapshot) out.field("snapshot", *request.snapshot);
  out.end_object().field("req_id", request.req_id).end_object();
  return out.take();
}

}  // namespace

namespace detail {

simdjson::simdjson_result<od::document> CodecState::iterate(std::string_view text) {
  // reserve() first: assigning text that fits the capacity never reallocates, so the padding
  // bytes simdjson may read past the end are owned by the buffer.
  buffer.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(text.data(), text.size());
  return parser.iterate(
      simdjson::padded_string_view(buffer.data(), text.size(), buffer.capacity()));
}

}  // namespace detail

InstrumentLookup make_instrument_lookup(const std::vector<Instrument>& instruments) {
  auto table = std::make_shared<std::unordered_map<std::string, const Instrument*>>();
  for (const Instrument& instrument : instruments) (*table)[instrument.id.symbol] = &instrument;
  return [table](std::string_view symbol) -> const Instrument* {
    auto it = table->find(std::string(symbol));
    return it == table->end() ? nullptr : it->second;
  };
}

KrakenCodec::KrakenCodec(InstrumentLookup lookup, std::string venue)
    : state_(std::make_unique<CodecState>(std::move(lookup), std::move(venue))) {}
KrakenCodec::~KrakenCodec() = default;
KrakenCodec::KrakenCodec(KrakenCodec&&) noexcept = default;
KrakenCodec& KrakenCodec::operator=(KrakenCodec&&) noexcept = default;

tl::expected<KrakenMessage, DecodeError> KrakenCodec::decode(std::string_view frame,
                                                             TimestampNs now) {
  CodecState& state = *state_;
  // An unreadable frame may have been a book update: every book is suspect (may_affect_book).
  if (frame.size() > kMaxFrameBytes) {
    return tl::make_unexpected(error_in(state, "frame",
                                        std::to_string(frame.size()) + " bytes exceeds the " +
                                            std::to_string(kMaxFrameBytes) + "-byte limit",
                                        true));
  }
  if (auto error = state.validator.parse(frame.data(), frame.size()).error()) {
    return tl::make_unexpected(error_in(state, "frame", detail::json_failure(error), true));
  }
  detail::od::document doc;
  object root;
  if (auto error = state.iterate(frame).get(doc)) {
    return tl::make_unexpected(error_in(state, "frame", detail::json_failure(error), true));
  }
  if (auto error = doc.get_object().get(root)) {
    return tl::make_unexpected(error_in(state, "frame", detail::json_failure(error), true));
  }
  auto channel = optional_string(root, "channel");
  if (!channel) return tl::make_unexpected(error_in(state, "frame", channel.error(), true));
  if (!channel->empty()) return decode_channel(state, root, *channel, now);
  auto method = optional_string(root, "method");
  if (!method) return tl::make_unexpected(error_in(state, "frame", method.error(), true));
  if (method->empty()) {
    // A bare venue error (`{"error":"Exceeded msg rate"}`, §4.5; v1 spelled the key "Error")
    // answers no request we can name, but it is the venue talking, not a broken frame: it
    // must not make every book suspect.
    for (const char* key : {"error", "Error"}) {
      auto text = optional_string(root, key);
      if (text && !text->empty()) {
        MethodResponse response;
        response.success = false;
        response.error = std::string(*text);
        return response;
      }
    }
    return tl::make_unexpected(
        error_in(state, "frame", "neither \"channel\" nor \"method\" present", true));
  }
  MethodResponse response;
  response.method = std::string(*method);
  if (auto read = read_response_fields(root, response); !read) {
    return tl::make_unexpected(error_in(state, response.method + " response", read.error()));
  }
  return response;
}

std::string encode_subscribe(const ChannelRequest& request) {
  return request_json("subscribe", request);
}

std::string encode_unsubscribe(const ChannelRequest& request) {
  return request_json("unsubscribe", request);
}

std::string encode_ping(std::int64_t req_id) {
  return "{\"method\":\"ping\",\"req_id\":" + std::to_string(req_id) + "}";
}

}  // namespace troupe::kraken
