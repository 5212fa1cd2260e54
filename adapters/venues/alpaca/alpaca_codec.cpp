#include "adapters/venues/alpaca/alpaca_codec.hpp"

#include "adapters/json/json_writer.hpp"
#include "adapters/venues/alpaca/alpaca_json.hpp"

#include <charconv>
#include <unordered_map>

namespace troupe::alpaca {
namespace detail {

/// Everything one codec reuses between frames.
class CodecState {
 public:
  CodecState(InstrumentLookup lookup_in, CodecOptions options_in)
      : lookup(std::move(lookup_in)), options(std::move(options_in)) {}

  /// Copies `text` into the reusable buffer with simdjson's padding and starts iterating it.
  simdjson::simdjson_result<od::document> iterate(std::string_view text) {
    // reserve() first: assigning text that fits the capacity never reallocates, so the padding
    // bytes simdjson may read past the end are owned by the buffer.
    buffer.reserve(text.size() + simdjson::SIMDJSON_PADDING);
    buffer.assign(text.data(), text.size());
    return parser.iterate(
        simdjson::padded_string_view(buffer.data(), text.size(), buffer.capacity()));
  }

  InstrumentLookup lookup;
  CodecOptions options;
  od::parser parser;
  // On-Demand trusts a document's structure once it walked into it (the kraken_stream fuzz
  // target found an assertion on malformed input), so frames are validated by the DOM parser
  // first, as in the Kraken codec.
  simdjson::dom::parser validator;
  std::string buffer;
};

}  // namespace detail

namespace {

using detail::CodecState;
using detail::od::value;

/// The texts of one item's fields, pointing into the parser's buffers; converted once the whole
/// object was read (Alpaca's field order is not guaranteed).
struct ItemText {
  std::string_view type;
  std::string_view symbol;
  std::string_view msg;
  std::string_view time;
  std::string_view code, p, s, i, bp, bs, ap, as, o, h, l, c, v, n;
  std::vector<std::string_view> trades, quotes, bars;
  std::string error;  ///< first field that could not be read
};

tl::expected<void, std::string> read_list(value& field, std::string_view key,
                                          std::vector<std::string_view>& out) {
  detail::od::array items;
  if (field.get_array().get(items) != simdjson::SUCCESS) {
    return tl::make_unexpected("field \"" + std::string(key) + "\": not an array");
  }
  for (auto item : items) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      return tl::make_unexpected("field \"" + std::string(key) + "\"[]: not a string");
    }
    out.push_back(text);
  }
  return {};
}

/// Reads one field into `item`; fields this codec does not use are skipped.
tl::expected<void, std::string> read_field(std::string_view key, value& field, ItemText& item) {
  auto string_into = [&](std::string_view& out) -> tl::expected<void, std::string> {
    auto text = detail::read_string(field, key);
    if (!text) return tl::make_unexpected(text.error());
    out = *text;
    return {};
  };
  auto number_into = [&](std::string_view& out) -> tl::expected<void, std::string> {
    auto text = detail::read_number_text(field, key);
    if (!text) return tl::make_unexpected(text.error());
    out = *text;
    return {};
  };
  if (key == "T") return string_into(item.type);
  if (key == "S") return string_into(item.symbol);
  if (key == "msg") return string_into(item.msg);
  if (key == "t") return string_into(item.time);
  if (key == "trades") return read_list(field, key, item.trades);
  if (key == "quotes") return read_list(field, key, item.quotes);
  if (key == "bars") return read_list(field, key, item.bars);
  if (key == "c") {
    // A bar's close price, or a trade's / quote's condition list.
    detail::od::json_type type;
    if (field.type().get(type) == simdjson::SUCCESS && type != detail::od::json_type::number) {
      return {};
    }
    return number_into(item.c);
  }
  static const std::unordered_map<std::string_view, std::string_view ItemText::*> kNumbers = {
      {"code", &ItemText::code}, {"p", &ItemText::p},   {"s", &ItemText::s},
      {"i", &ItemText::i},       {"bp", &ItemText::bp}, {"bs", &ItemText::bs},
      {"ap", &ItemText::ap},     {"as", &ItemText::as}, {"o", &ItemText::o},
      {"h", &ItemText::h},       {"l", &ItemText::l},   {"v", &ItemText::v},
      {"n", &ItemText::n}};
  auto it = kNumbers.find(key);
  if (it == kNumbers.end()) return {};  // unknown fields are tolerated (§0.1 rule 2)
  return number_into(item.*(it->second));
}

/// Reads every field of one item; the first failure lands in item.error.
void read_item(detail::od::object& object, ItemText& item) {
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) {
      item.error = "unreadable key";
      return;
    }
    value field_value;
    if (field.value().get(field_value) != simdjson::SUCCESS) {
      item.error = "field \"" + std::string(key) + "\": unreadable value";
      return;
    }
    if (auto read = read_field(key, field_value, item); !read && item.error.empty()) {
      item.error = read.error();
    }
  }
}

/// Builds the typed message of one item, or the text of what was wrong with it.
class ItemDecoder {
 public:
  ItemDecoder(const CodecState& state, const ItemText& item, TimestampNs now)
      : state_(state), item_(item), now_(now) {}

  tl::expected<Message, std::string> decode() {
    const std::string_view type = item_.type;
    if (type == "success") return Success{std::string(item_.msg)};
    if (type == "error") return error_message();
    if (type == "subscription") return subscription();
    if (type == "q" || type == "t" || type == "b") {
      instrument_ = state_.lookup(item_.symbol);
      if (instrument_ == nullptr) {
        return fail(item_.symbol.empty() ? "no field \"S\""
                                         : "symbol " + detail::quoted(item_.symbol) +
                                               " is not subscribed by this port");
      }
      if (type == "q") return quote();
      if (type == "t") return trade();
      return bar();
    }
    if (type == "d" || type == "u" || type == "s" || type == "l" || type == "x" || type == "c") {
      return Ignored{std::string(type)};
    }
    return UnknownType{std::string(type.substr(0, 32))};
  }

  /// "alpaca stream q AAPL: <what>".
  std::string where(std::string_view what) const {
    std::string out = state_.options.venue + " stream";
    if (!item_.type.empty()) out.append(" ").append(item_.type.substr(0, 32));
    if (!item_.symbol.empty()) out.append(" ").append(item_.symbol.substr(0, 32));
    return out.append(": ").append(what);
  }

 private:
  tl::unexpected<std::string> fail(std::string what) const {
    return tl::make_unexpected(where(what));
  }

  tl::expected<Message, std::string> error_message() const {
    ErrorMessage error;
    const std::string_view code = item_.code;
    if (code.empty() ||
        std::from_chars(code.data(), code.data() + code.size(), error.code).ec != std::errc()) {
      return fail("field \"code\": missing or not an integer");
    }
    error.message = std::string(item_.msg);
    return error;
  }

  Subscription subscription() const {
    Subscription out;
    for (auto s : item_.trades) out.trades.emplace_back(s);
    for (auto s : item_.quotes) out.quotes.emplace_back(s);
    for (auto s : item_.bars) out.bars.emplace_back(s);
    return out;
  }

  template <class Value>
  tl::expected<Value, std::string> decimal(std::string_view text, std::string_view field,
                                           bool is_price) const {
    if (text.empty()) return tl::make_unexpected("no field \"" + std::string(field) + "\"");
    return detail::parse_exact<Value>(
        text, is_price ? instrument_->price_precision : instrument_->size_precision, field);
  }

  tl::expected<TimestampNs, std::string> time() const {
    if (item_.time.empty()) return tl::make_unexpected(std::string("no field \"t\""));
    return detail::parse_rfc3339(item_.time, "t");
  }

  tl::expected<Message, std::string> quote() const {
    Quote q;
    q.instrument = instrument_->id;
    auto bp = decimal<Price>(item_.bp, "bp", true);
    auto bs = decimal<Quantity>(item_.bs, "bs", false);
    auto ap = decimal<Price>(item_.ap, "ap", true);
    auto as = decimal<Quantity>(item_.as, "as", false);
    auto t = time();
    for (const std::string* error :
         {bp ? nullptr : &bp.error(), bs ? nullptr : &bs.error(), ap ? nullptr : &ap.error(),
          as ? nullptr : &as.error(), t ? nullptr : &t.error()}) {
      if (error != nullptr) return fail(*error);
    }
    q.bid_price = *bp;
    q.bid_size = *bs;
    q.ask_price = *ap;
    q.ask_size = *as;
    q.ts_event = *t;
    return q;
  }

  tl::expected<Message, std::string> trade() const {
    Trade out;
    out.instrument = instrument_->id;
    auto p = decimal<Price>(item_.p, "p", true);
    auto s = decimal<Quantity>(item_.s, "s", false);
    auto t = time();
    if (!p) return fail(p.error());
    if (!s) return fail(s.error());
    if (!t) return fail(t.error());
    out.price = *p;
    out.size = *s;
    out.trade_id = std::string(item_.i);
    out.ts_event = *t;
    return out;
  }

  tl::expected<Message, std::string> bar() const {
    Bar out;
    out.instrument = instrument_->id;
    auto o = decimal<Price>(item_.o, "o", true);
    auto h = decimal<Price>(item_.h, "h", true);
    auto l = decimal<Price>(item_.l, "l", true);
    auto c = decimal<Price>(item_.c, "c", true);
    auto v = decimal<Quantity>(item_.v, "v", false);
    auto t = time();
    for (const std::string* error :
         {o ? nullptr : &o.error(), h ? nullptr : &h.error(), l ? nullptr : &l.error(),
          c ? nullptr : &c.error(), v ? nullptr : &v.error(), t ? nullptr : &t.error()}) {
      if (error != nullptr) return fail(*error);
    }
    if (!item_.n.empty() &&
        std::from_chars(item_.n.data(), item_.n.data() + item_.n.size(), out.trade_count).ec !=
            std::errc()) {
      return fail("field \"n\": " + detail::quoted(item_.n) + " is not a trade count");
    }
    out.open = *o;
    out.high = *h;
    out.low = *l;
    out.close = *c;
    out.volume = *v;
    out.ts_start = *t;
    out.ts_event = *t + kMinuteNs;  // `b` is a minute bar stamped with its start (§1.11)
    out.ts_init = now_;
    return out;
  }

  static constexpr TimestampNs kMinuteNs = 60'000'000'000;

  const CodecState& state_;
  const ItemText& item_;
  TimestampNs now_;
  const Instrument* instrument_ = nullptr;
};

DecodeError frame_error(const CodecState& state, std::string what) {
  return DecodeError{state.options.venue + " stream: " + what};
}

std::string request_json(std::string_view action, const SubscribeRequest& request) {
  json::JsonWriter out;
  out.begin_object().field("action", action);
  auto list = [&](std::string_view key, const std::vector<std::string>& symbols) {
    if (symbols.empty()) return;
    out.key(key).begin_array();
    for (const std::string& symbol : symbols) out.value(symbol);
    out.end_array();
  };
  list("trades", request.trades);
  list("quotes", request.quotes);
  list("bars", request.bars);
  return out.end_object().take();
}

}  // namespace

InstrumentLookup make_instrument_lookup(const std::vector<Instrument>& instruments) {
  auto table = std::make_shared<std::unordered_map<std::string, const Instrument*>>();
  for (const Instrument& instrument : instruments) (*table)[instrument.id.symbol] = &instrument;
  return [table](std::string_view symbol) -> const Instrument* {
    auto it = table->find(std::string(symbol));
    return it == table->end() ? nullptr : it->second;
  };
}

AlpacaCodec::AlpacaCodec(InstrumentLookup lookup, CodecOptions options)
    : state_(std::make_unique<CodecState>(std::move(lookup), std::move(options))) {}
AlpacaCodec::~AlpacaCodec() = default;
AlpacaCodec::AlpacaCodec(AlpacaCodec&&) noexcept = default;
AlpacaCodec& AlpacaCodec::operator=(AlpacaCodec&&) noexcept = default;

tl::expected<Frame, DecodeError> AlpacaCodec::decode(std::string_view frame, TimestampNs now) {
  CodecState& state = *state_;
  if (frame.size() > state.options.max_frame_bytes) {
    return tl::make_unexpected(
        frame_error(state, "frame of " + std::to_string(frame.size()) + " bytes exceeds the " +
                               std::to_string(state.options.max_frame_bytes) + "-byte limit"));
  }
  if (auto error = state.validator.parse(frame.data(), frame.size()).error()) {
    return tl::make_unexpected(frame_error(state, detail::json_failure(error)));
  }
  detail::od::document doc;
  detail::od::array items;
  if (auto error = state.iterate(frame).get(doc)) {
    return tl::make_unexpected(frame_error(state, detail::json_failure(error)));
  }
  if (doc.get_array().get(items) != simdjson::SUCCESS) {
    return tl::make_unexpected(frame_error(state, "frame is not a JSON array (§1.11)"));
  }
  Frame out;
  for (auto element : items) {
    detail::od::object object;
    if (element.get_object().get(object) != simdjson::SUCCESS) {
      out.item_errors.push_back(state.options.venue + " stream: array item is not an object");
      continue;
    }
    ItemText item;
    read_item(object, item);
    ItemDecoder decoder(state, item, now);
    if (!item.error.empty()) {
      out.item_errors.push_back(decoder.where(item.error));
    } else if (item.type.empty()) {
      out.item_errors.push_back(decoder.where("no field \"T\""));
    } else if (auto message = decoder.decode()) {
      out.messages.push_back(std::move(*message));
    } else {
      out.item_errors.push_back(std::move(message.error()));
    }
  }
  return out;
}

std::string encode_auth(std::string_view key, std::string_view secret) {
  json::JsonWriter out;
  return out.begin_object()
      .field("action", "auth")
      .field("key", key)
      .field("secret", secret)
      .end_object()
      .take();
}

std::string encode_subscribe(const SubscribeRequest& request) {
  return request_json("subscribe", request);
}

std::string encode_unsubscribe(const SubscribeRequest& request) {
  return request_json("unsubscribe", request);
}

}  // namespace troupe::alpaca
