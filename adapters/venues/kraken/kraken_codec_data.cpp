// KrakenCodec: the `book` (§4.2) and `trade` (§4.3) channels.

#include "adapters/venues/kraken/kraken_codec_internal.hpp"

#include <limits>
#include <optional>

namespace troupe::kraken::detail {
namespace {

/// What one book item holds before its symbol's precisions are known (fields come in any order).
struct BookItemText {
  std::string_view symbol;
  std::optional<std::uint64_t> checksum;
  std::string_view timestamp;
};

std::string indexed(std::string_view field, std::size_t index) {
  return std::string(field) + "[" + std::to_string(index) + "]";
}

tl::expected<LevelText, std::string> read_level(od::value& element, const std::string& where) {
  od::object level;
  if (element.get_object().get(level) != simdjson::SUCCESS) {
    return tl::make_unexpected("field \"" + where + "\": not a {price, qty} object");
  }
  LevelText text;
  for (auto entry : level) {
    od::field field;
    std::string_view key;
    if (auto error = std::move(entry).get(field)) return tl::make_unexpected(json_failure(error));
    if (auto error = field.unescaped_key().get(key)) {
      return tl::make_unexpected(json_failure(error));
    }
    if (key != "price" && key != "qty") continue;  // tolerate new fields (§0.1)
    auto number = read_number_text(field.value(), where + "." + std::string(key));
    if (!number) return tl::make_unexpected(number.error());
    (key == "price" ? text.price : text.quantity) = *number;
  }
  if (text.price.empty() || text.quantity.empty()) {
    return tl::make_unexpected("field \"" + where + "\": needs both price and qty");
  }
  return text;
}

tl::expected<void, std::string> read_levels(od::value& value, std::string_view field,
                                            std::vector<LevelText>& out) {
  out.clear();
  od::array levels;
  if (value.get_array().get(levels) != simdjson::SUCCESS) {
    return tl::make_unexpected("field \"" + std::string(field) + "\": not an array");
  }
  for (auto element : levels) {
    od::value level;
    if (auto error = element.get(level)) return tl::make_unexpected(json_failure(error));
    auto text = read_level(level, indexed(field, out.size()));
    if (!text) return tl::make_unexpected(text.error());
    out.push_back(*text);
  }
  return {};
}

tl::expected<void, std::string> collect_book_item(od::object& item, CodecState& state,
                                                  BookItemText& text) {
  state.bids.clear();
  state.asks.clear();
  for (auto entry : item) {
    od::field field;
    std::string_view key;
    if (auto error = std::move(entry).get(field)) return tl::make_unexpected(json_failure(error));
    if (auto error = field.unescaped_key().get(key)) {
      return tl::make_unexpected(json_failure(error));
    }
    tl::expected<void, std::string> read;
    if (key == "symbol") {
      auto symbol = read_string(field.value(), key);
      if (!symbol) return tl::make_unexpected(symbol.error());
      text.symbol = *symbol;
    } else if (key == "bids" || key == "asks") {
      read = read_levels(field.value(), key, key == "bids" ? state.bids : state.asks);
    } else if (key == "checksum") {
      auto checksum = read_uint(field.value(), key);
      if (!checksum) return tl::make_unexpected(checksum.error());
      text.checksum = *checksum;
    } else if (key == "timestamp") {
      auto timestamp = read_string(field.value(), key);
      if (!timestamp) return tl::make_unexpected(timestamp.error());
      text.timestamp = *timestamp;
    }
    if (!read) return read;
  }
  return {};
}

tl::expected<void, std::string> convert_levels(const std::vector<LevelText>& texts,
                                               std::string_view field, const Instrument& instrument,
                                               std::vector<BookLevel>& out) {
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string where = indexed(field, i);
    auto price = parse_exact<Price>(texts[i].price, instrument.price_precision, where + ".price");
    if (!price) return tl::make_unexpected(price.error());
    auto size = parse_exact<Quantity>(texts[i].quantity, instrument.size_precision, where + ".qty");
    if (!size) return tl::make_unexpected(size.error());
    if (!price->is_positive()) {
      return tl::make_unexpected("field \"" + where + ".price\": " + detail::quoted(texts[i].price) +
                                 " is not positive");
    }
    if (size->is_negative()) {
      return tl::make_unexpected("field \"" + where + ".qty\": " + detail::quoted(texts[i].quantity) +
                                 " is negative");
    }
    out.push_back(BookLevel{*price, *size});
  }
  return {};
}

tl::expected<BookMessage, std::string> convert_book_item(const BookItemText& text,
                                                         const Instrument& instrument,
                                                         CodecState& state, bool snapshot,
                                                         TimestampNs now) {
  if (!text.checksum) return tl::make_unexpected("no \"checksum\"");
  if (*text.checksum > std::numeric_limits<std::uint32_t>::max()) {
    return tl::make_unexpected("field \"checksum\": " + std::to_string(*text.checksum) +
                               " exceeds 32 bits");
  }
  BookMessage message;
  message.instrument = instrument.id;
  message.snapshot = snapshot;
  message.checksum = static_cast<std::uint32_t>(*text.checksum);
  message.ts_event = now;
  if (!text.timestamp.empty()) {
    auto ts = parse_rfc3339(text.timestamp, "timestamp");
    if (!ts) return tl::make_unexpected(ts.error());
    message.ts_event = *ts;
  }
  if (auto read = convert_levels(state.bids, "bids", instrument, message.bids); !read) {
    return tl::make_unexpected(read.error());
  }
  if (auto read = convert_levels(state.asks, "asks", instrument, message.asks); !read) {
    return tl::make_unexpected(read.error());
  }
  return message;
}

DecodeError channel_error(const CodecState& state, std::string_view channel,
                          std::string_view symbol, const std::string& what, bool book) {
  std::string text = state.venue + " " + std::string(channel);
  if (!symbol.empty()) text.append(" ").append(symbol);
  return DecodeError{text + ": " + what, std::string(symbol), book};
}

/// The fields of one trade item as text (valid until the next parse).
struct TradeText {
  std::string_view side;
  std::string_view price;
  std::string_view qty;
  std::string_view timestamp;
  std::optional<std::uint64_t> trade_id;
};

tl::expected<void, std::string> collect_trade(od::object& item, TradeText& text,
                                              std::string& symbol) {
  for (auto entry : item) {
    od::field field;
    std::string_view key;
    if (auto error = std::move(entry).get(field)) return tl::make_unexpected(json_failure(error));
    if (auto error = field.unescaped_key().get(key)) {
      return tl::make_unexpected(json_failure(error));
    }
    if (key == "symbol" || key == "side" || key == "timestamp") {
      auto read = read_string(field.value(), key);
      if (!read) return tl::make_unexpected(read.error());
      if (key == "symbol") {
        symbol = std::string(*read);
      } else {
        (key == "side" ? text.side : text.timestamp) = *read;
      }
    } else if (key == "price" || key == "qty") {
      auto read = read_number_text(field.value(), key);
      if (!read) return tl::make_unexpected(read.error());
      (key == "price" ? text.price : text.qty) = *read;
    } else if (key == "trade_id") {
      auto id = read_uint(field.value(), key);
      if (!id) return tl::make_unexpected(id.error());
      text.trade_id = *id;
    }
  }
  return {};
}

tl::expected<TradeTick, std::string> read_trade(od::object& item, CodecState& state,
                                                TimestampNs now, std::string& symbol) {
  TradeText text;
  if (auto collected = collect_trade(item, text, symbol); !collected) {
    return tl::make_unexpected(collected.error());
  }
  const Instrument* instrument = state.lookup(symbol);
  if (instrument == nullptr) return tl::make_unexpected("unknown symbol " + detail::quoted(symbol));
  if (text.price.empty() || text.qty.empty() || text.side.empty() || !text.trade_id) {
    return tl::make_unexpected("needs symbol, side, price, qty and trade_id");
  }
  if (text.side != "buy" && text.side != "sell") {
    return tl::make_unexpected("field \"side\": " + detail::quoted(text.side) + " is not buy or sell");
  }
  auto price = parse_exact<Price>(text.price, instrument->price_precision, "price");
  if (!price) return tl::make_unexpected(price.error());
  auto qty = parse_exact<Quantity>(text.qty, instrument->size_precision, "qty");
  if (!qty) return tl::make_unexpected(qty.error());
  TradeTick trade;
  trade.instrument = instrument->id;
  trade.aggressor = text.side == "buy" ? Side::Buy : Side::Sell;
  trade.price = *price;
  trade.size = *qty;
  trade.trade_id = TradeId{std::to_string(*text.trade_id)};
  trade.ts_init = now;
  trade.ts_event = now;
  if (!text.timestamp.empty()) {
    auto ts = parse_rfc3339(text.timestamp, "timestamp");
    if (!ts) return tl::make_unexpected(ts.error());
    trade.ts_event = *ts;
  }
  return trade;
}

}  // namespace

tl::expected<KrakenMessage, DecodeError> decode_book(CodecState& state, od::value& data,
                                                     bool snapshot, TimestampNs now) {
  od::array items;
  if (data.get_array().get(items) != simdjson::SUCCESS) {
    return tl::make_unexpected(channel_error(state, "book", "", "field \"data\": not an array",
                                             true));
  }
  BookFrame frame;
  for (auto element : items) {
    od::object item;
    BookItemText text;
    if (auto error = element.get_object().get(item)) {
      return tl::make_unexpected(channel_error(state, "book", "", json_failure(error), true));
    }
    auto collected = collect_book_item(item, state, text);
    // symbol may have been read before the failure: only that book is then suspect.
    const std::string symbol(text.symbol);
    if (!collected) {
      return tl::make_unexpected(channel_error(state, "book", symbol, collected.error(), true));
    }
    const Instrument* instrument = state.lookup(symbol);
    if (instrument == nullptr) {
      // Not one of ours: no book of ours is affected.
      return tl::make_unexpected(channel_error(state, "book", "",
                                               "unknown symbol " + detail::quoted(symbol), false));
    }
    auto message = convert_book_item(text, *instrument, state, snapshot, now);
    if (!message) {
      return tl::make_unexpected(channel_error(state, "book", symbol, message.error(), true));
    }
    frame.books.push_back(std::move(*message));
  }
  return frame;
}

tl::expected<KrakenMessage, DecodeError> decode_trades(CodecState& state, od::value& data,
                                                       bool snapshot, TimestampNs now) {
  od::array items;
  if (data.get_array().get(items) != simdjson::SUCCESS) {
    return tl::make_unexpected(
        channel_error(state, "trade", "", "field \"data\": not an array", false));
  }
  TradeFrame frame;
  frame.snapshot = snapshot;
  for (auto element : items) {
    od::object item;
    if (auto error = element.get_object().get(item)) {
      return tl::make_unexpected(channel_error(state, "trade", "", json_failure(error), false));
    }
    std::string symbol;
    auto trade = read_trade(item, state, now, symbol);
    if (!trade) {
      return tl::make_unexpected(channel_error(state, "trade", symbol, trade.error(), false));
    }
    frame.trades.push_back(std::move(*trade));
  }
  return frame;
}

}  // namespace troupe::kraken::detail
