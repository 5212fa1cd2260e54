// Market-data side of BinanceCodec: stream frames (§2.6) and REST depth snapshots (§2.2).

#include "adapters/venues/binance/binance_codec.hpp"
#include "adapters/venues/binance/json_support.hpp"

#include <optional>

namespace troupe::binance {
namespace {

using detail::CodecState;
namespace od = simdjson::ondemand;

/// Every field a stream frame may carry, collected in one pass whatever the key order.
struct StreamFields {
  std::string_view stream;  ///< combined-stream name
  std::string_view event_type;
  std::string_view symbol;
  std::optional<std::int64_t> event_time;
  std::optional<std::uint64_t> first_id;
  std::optional<std::uint64_t> final_id;
  bool has_bid_levels = false;
  bool has_ask_levels = false;
  std::string_view bid_price, bid_size, ask_price, ask_size;  ///< bookTicker b/B/a/A
  std::optional<std::int64_t> trade_id;
  std::optional<std::int64_t> trade_time;
  std::string_view price, quantity;
  std::optional<bool> buyer_maker;
  bool has_result = false;
  std::optional<std::string> id;
  std::optional<std::int64_t> code;
  std::string_view message;
  std::string type_error;  ///< first field of the wrong type; reported for known events only
};

template <class T>
void keep(tl::expected<T, std::string> value, std::optional<T>& out, StreamFields& fields) {
  if (value) {
    out = std::move(*value);
  } else if (fields.type_error.empty()) {
    fields.type_error = std::move(value.error());
  }
}

void keep_text(tl::expected<std::string_view, std::string> value, std::string_view& out,
               StreamFields& fields) {
  if (value) {
    out = *value;
  } else if (fields.type_error.empty()) {
    fields.type_error = std::move(value.error());
  }
}

// "b" and "a" are level arrays in depthUpdate but plain prices in bookTicker (and numbers in
// older trade payloads, which are ignored).
tl::expected<void, std::string> collect_side(od::value& value, std::string_view key,
                                             std::vector<detail::LevelText>& levels,
                                             bool& has_levels, std::string_view& price) {
  od::json_type type;
  if (auto error = value.type().get(type)) return tl::make_unexpected(detail::json_failure(error));
  if (type == od::json_type::array) {
    has_levels = true;
    return detail::read_levels(value, key, levels);
  }
  if (type == od::json_type::string) {
    auto text = detail::read_string(value, key);
    if (!text) return tl::make_unexpected(text.error());
    price = *text;
  }
  return {};
}

tl::expected<void, std::string> collect_field(std::string_view key, od::value& value,
                                              StreamFields& f, CodecState& state) {
  if (key.size() == 1) {
    switch (key[0]) {
      case 'e':
        keep_text(detail::read_string(value, key), f.event_type, f);
        return {};
      case 's':
        keep_text(detail::read_string(value, key), f.symbol, f);
        return {};
      case 'E':
        keep(detail::read_time_ms(value, key), f.event_time, f);
        return {};
      case 'U':
        keep(detail::read_uint(value, key), f.first_id, f);
        return {};
      case 'u':
        keep(detail::read_uint(value, key), f.final_id, f);
        return {};
      case 'b':
        return collect_side(value, key, state.bids, f.has_bid_levels, f.bid_price);
      case 'a':
        return collect_side(value, key, state.asks, f.has_ask_levels, f.ask_price);
      case 'B':
        keep_text(detail::read_string(value, key), f.bid_size, f);
        return {};
      case 'A':
        keep_text(detail::read_string(value, key), f.ask_size, f);
        return {};
      case 't':
        keep(detail::read_int(value, key), f.trade_id, f);
        return {};
      case 'T':
        keep(detail::read_time_ms(value, key), f.trade_time, f);
        return {};
      case 'p':
        keep_text(detail::read_string(value, key), f.price, f);
        return {};
      case 'q':
        keep_text(detail::read_string(value, key), f.quantity, f);
        return {};
      case 'm':
        keep(detail::read_bool(value, key), f.buyer_maker, f);
        return {};
      default:
        return {};
    }
  }
  if (key == "result") {
    f.has_result = true;
  } else if (key == "id") {
    keep(detail::read_id(value, key), f.id, f);
  } else if (key == "code") {
    keep(detail::read_int(value, key), f.code, f);
  } else if (key == "msg") {
    keep_text(detail::read_string(value, key), f.message, f);
  }
  return {};
}

tl::expected<void, std::string> collect_object(od::object& object, StreamFields& f,
                                               CodecState& state, bool top_level) {
  for (auto entry : object) {
    od::field field;
    if (auto error = std::move(entry).get(field))
      return tl::make_unexpected(detail::json_failure(error));
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) {
      return tl::make_unexpected(detail::json_failure(error));
    }
    od::value& value = field.value();
    if (top_level && key == "stream") {
      keep_text(detail::read_string(value, key), f.stream, f);
    } else if (top_level && key == "data") {
      od::object data;
      if (value.get_object().get(data) != simdjson::SUCCESS) {
        return tl::make_unexpected(detail::field_location("data") + ": not an object");
      }
      if (auto collected = collect_object(data, f, state, false); !collected) return collected;
    } else if (auto collected = collect_field(key, value, f, state); !collected) {
      return collected;
    }
  }
  return {};
}

std::string_view stream_symbol(std::string_view stream) {
  return stream.substr(0, stream.find('@'));
}

class StreamDecoder {
 public:
  StreamDecoder(CodecState& state, StreamFields& fields, TimestampNs now)
      : state_(state), f_(fields), now_(now) {}

  std::string context() const {
    std::string out = state_.venue;
    if (!f_.event_type.empty()) {
      out.append(" ").append(f_.event_type);
      if (!f_.symbol.empty()) out.append(" ").append(f_.symbol);
    } else if (!f_.stream.empty()) {
      out.append(" stream ").append(f_.stream);
    } else {
      out.append(" stream");
    }
    return out;
  }

  /// `complete`: the whole frame was read, so a missing "e" means "not a depth update".
  DecodeError failure(std::string_view what, bool complete) const {
    DecodeError error{context() + ": " + std::string(what), {}, false};
    if (f_.event_type == "depthUpdate") {
      error.may_affect_book = true;
      error.symbol =
          !f_.symbol.empty() ? std::string(f_.symbol) : detail::to_upper(stream_symbol(f_.stream));
    } else if (f_.event_type.empty() && !f_.stream.empty()) {
      error.may_affect_book = f_.stream.find("@depth") != std::string_view::npos;
      error.symbol = detail::to_upper(stream_symbol(f_.stream));
    } else if (f_.event_type.empty()) {
      error.may_affect_book = !complete;
    }
    return error;
  }

  tl::expected<StreamMessage, DecodeError> interpret() {
    const bool known = f_.event_type == "depthUpdate" || f_.event_type == "trade" ||
                       f_.event_type == "serverShutdown" || is_book_ticker();
    if (known && !f_.type_error.empty()) return tl::make_unexpected(failure(f_.type_error, true));
    if (f_.event_type == "depthUpdate") return depth();
    if (f_.event_type == "trade") return trade();
    if (f_.event_type == "serverShutdown") {
      return ServerShutdown{ms_to_ns(f_.event_time.value_or(0))};
    }
    if (!f_.event_type.empty()) return UnknownEvent{std::string(f_.event_type)};
    if (f_.code) {
      return ControlError{*f_.code, std::string(f_.message), f_.id.value_or(std::string{})};
    }
    if (f_.has_result && f_.id) return SubscribeResult{*f_.id};
    if (is_book_ticker()) return book_ticker();
    return tl::make_unexpected(failure("frame has no event type", true));
  }

 private:
  bool is_book_ticker() const {
    const std::string_view suffix = "@bookTicker";
    const bool named = f_.stream.size() >= suffix.size() &&
                       f_.stream.substr(f_.stream.size() - suffix.size()) == suffix;
    return f_.event_type.empty() && (named || (!f_.bid_price.empty() && !f_.ask_price.empty()));
  }

  tl::unexpected<DecodeError> missing(std::string_view field) const {
    return tl::make_unexpected(failure("missing " + detail::field_location(field), true));
  }

  tl::expected<const Instrument*, DecodeError> instrument() const {
    if (f_.symbol.empty()) return missing("s");
    const Instrument* found = state_.lookup(f_.symbol);
    if (found == nullptr) return tl::make_unexpected(failure("unknown symbol", true));
    return found;
  }

  tl::expected<StreamMessage, DecodeError> depth() {
    auto inst = instrument();
    if (!inst) return tl::make_unexpected(inst.error());
    if (!f_.event_time) return missing("E");
    if (!f_.first_id) return missing("U");
    if (!f_.final_id) return missing("u");
    if (!f_.has_bid_levels) return missing("b");
    if (!f_.has_ask_levels) return missing("a");
    if (*f_.first_id > *f_.final_id) {
      return tl::make_unexpected(failure("U=" + std::to_string(*f_.first_id) +
                                             " is greater than u=" + std::to_string(*f_.final_id),
                                         true));
    }
    DepthUpdate update{(*inst)->id, *f_.first_id, *f_.final_id, ms_to_ns(*f_.event_time), {}};
    update.deltas.reserve(state_.bids.size() + state_.asks.size());
    auto bids = detail::levels_to_deltas(state_.bids, Side::Buy, **inst, "b", update.deltas);
    if (!bids) return tl::make_unexpected(failure(bids.error(), true));
    auto asks = detail::levels_to_deltas(state_.asks, Side::Sell, **inst, "a", update.deltas);
    if (!asks) return tl::make_unexpected(failure(asks.error(), true));
    return update;
  }

  tl::expected<StreamMessage, DecodeError> trade() {
    auto inst = instrument();
    if (!inst) return tl::make_unexpected(inst.error());
    if (!f_.trade_id) return missing("t");
    if (f_.price.empty()) return missing("p");
    if (f_.quantity.empty()) return missing("q");
    if (!f_.trade_time) return missing("T");
    if (!f_.buyer_maker) return missing("m");
    auto price = detail::read_decimal<Price>(f_.price, (*inst)->price_precision, "p");
    if (!price) return tl::make_unexpected(failure(price.error(), true));
    auto size = detail::read_decimal<Quantity>(f_.quantity, (*inst)->size_precision, "q");
    if (!size) return tl::make_unexpected(failure(size.error(), true));
    // m = "the buyer is the maker", so the taker (aggressor) sold.
    const Side aggressor = *f_.buyer_maker ? Side::Sell : Side::Buy;
    return TradeTick{(*inst)->id,
                     *price,
                     *size,
                     aggressor,
                     TradeId{std::to_string(*f_.trade_id)},
                     ms_to_ns(*f_.trade_time),
                     now_};
  }

  tl::expected<StreamMessage, DecodeError> book_ticker() {
    auto inst = instrument();
    if (!inst) return tl::make_unexpected(inst.error());
    const std::pair<std::string_view, std::string_view> fields[] = {
        {"b", f_.bid_price}, {"B", f_.bid_size}, {"a", f_.ask_price}, {"A", f_.ask_size}};
    for (const auto& [name, text] : fields) {
      if (text.empty()) return missing(name);
    }
    const Instrument& i = **inst;
    auto bid = detail::read_decimal<Price>(f_.bid_price, i.price_precision, "b");
    auto bid_size = detail::read_decimal<Quantity>(f_.bid_size, i.size_precision, "B");
    auto ask = detail::read_decimal<Price>(f_.ask_price, i.price_precision, "a");
    auto ask_size = detail::read_decimal<Quantity>(f_.ask_size, i.size_precision, "A");
    for (const std::string* error :
         {bid ? nullptr : &bid.error(), bid_size ? nullptr : &bid_size.error(),
          ask ? nullptr : &ask.error(), ask_size ? nullptr : &ask_size.error()}) {
      if (error != nullptr) return tl::make_unexpected(failure(*error, true));
    }
    // Spot bookTicker carries no event time (§2.6): the receive time stands in for it.
    return QuoteTick{i.id, *bid, *bid_size, *ask, *ask_size, now_, now_};
  }

  CodecState& state_;
  StreamFields& f_;
  TimestampNs now_;
};

/// The string value of `"key":"..."` among the first bytes of `frame`, or "" when absent or cut.
std::string_view raw_string_value(std::string_view frame, std::string_view key) {
  constexpr std::size_t kScanBytes = 256;  // stream name, e and s come first on Binance
  const std::string_view head = frame.substr(0, kScanBytes);
  const std::string pattern = "\"" + std::string(key) + "\":\"";
  const auto start = head.find(pattern);
  if (start == std::string_view::npos) return {};
  const std::string_view rest = head.substr(start + pattern.size());
  const auto end = rest.find('"');
  return end == std::string_view::npos ? std::string_view{} : rest.substr(0, end);
}

/// After a structural failure simdjson may not have reached any field: read the stream name,
/// event type and symbol from the raw text so the port knows whose book is affected.
void salvage_identity(std::string_view frame, StreamFields& f) {
  if (f.stream.empty()) f.stream = raw_string_value(frame, "stream");
  if (f.event_type.empty()) f.event_type = raw_string_value(frame, "e");
  if (f.symbol.empty()) f.symbol = raw_string_value(frame, "s");
}

std::string size_failure(std::size_t size) {
  return "frame of " + std::to_string(size) + " bytes exceeds the " +
         std::to_string(kMaxFrameBytes) + "-byte limit";
}

}  // namespace

tl::expected<StreamMessage, DecodeError> BinanceCodec::decode_stream(std::string_view frame,
                                                                     TimestampNs now) {
  StreamFields fields;
  StreamDecoder decoder(*state_, fields, now);
  auto broken = [&](std::string_view what) {
    salvage_identity(frame, fields);
    return tl::make_unexpected(decoder.failure(what, false));
  };
  if (frame.size() > kMaxFrameBytes) return broken(size_failure(frame.size()));
  state_->bids.clear();
  state_->asks.clear();
  od::document doc;
  if (auto error = state_->iterate(frame).get(doc)) return broken(detail::json_failure(error));
  od::object root;
  if (auto error = doc.get_object().get(root)) {
    return broken(error == simdjson::INCORRECT_TYPE ? "not a JSON object"
                                                    : detail::json_failure(error));
  }
  if (auto collected = collect_object(root, fields, *state_, true); !collected) {
    return broken(collected.error());
  }
  if (detail::has_trailing_content(doc)) {
    return tl::make_unexpected(decoder.failure("trailing content after the JSON object", false));
  }
  return decoder.interpret();
}

}  // namespace troupe::binance
