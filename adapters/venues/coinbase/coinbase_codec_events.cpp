// Channel payloads of CoinbaseCodec: l2_data (§3.4), market_trades (§3.6), heartbeats (§3.3),
// subscriptions (§3.2), plus the small readers shared with the envelope.

#include "adapters/venues/coinbase/codec_internal.hpp"
#include "adapters/venues/coinbase/time_parsing.hpp"

#include <algorithm>

namespace troupe::coinbase::detail {
namespace {

constexpr std::size_t kMaxQuotedText = 64;

std::string at(std::string_view field, std::size_t index) {
  return "field \"" + std::string(field) + "\"[" + std::to_string(index) + "]";
}

/// Iterates the JSON array `value`, calling `fn(od::value&, index)` per element; stops at the
/// first error `fn` returns.
template <class Fn>
tl::expected<void, std::string> for_each_element(od::value& value, std::string_view field,
                                                 Fn&& fn) {
  od::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return tl::make_unexpected("field \"" + std::string(field) + "\": not an array");
  }
  std::size_t index = 0;
  for (auto element : array) {
    od::value item;
    if (auto error = element.get(item)) return tl::make_unexpected(json_failure(error));
    if (auto done = fn(item, index); !done) return done;
    ++index;
  }
  return {};
}

/// Iterates the JSON object `value`, calling `fn(key, od::value&)` per field.
template <class Fn>
tl::expected<void, std::string> for_each_field(od::value& value, std::string_view where, Fn&& fn) {
  od::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return tl::make_unexpected(std::string(where) + ": not an object");
  }
  for (auto field : object) {
    std::string_view key;
    od::value item;
    if (auto error = field.unescaped_key().get(key)) return tl::make_unexpected(json_failure(error));
    if (auto error = field.value().get(item)) return tl::make_unexpected(json_failure(error));
    if (auto done = fn(key, item); !done) return done;
  }
  return {};
}

/// Reads the string fields of one update / trade object into `out`; other fields are skipped.
tl::expected<void, std::string> read_item(od::value& value, const std::string& where,
                                          ItemText& out) {
  return for_each_field(value, where, [&](std::string_view key, od::value& item) {
    std::string_view* slot = key == "side"                              ? &out.side
                             : key == "price_level" || key == "price"   ? &out.price
                             : key == "new_quantity" || key == "size"   ? &out.quantity
                             : key == "event_time" || key == "time"     ? &out.time
                             : key == "trade_id"                        ? &out.trade_id
                             : key == "product_id"                      ? &out.product_id
                                                                        : nullptr;
    if (slot == nullptr) return tl::expected<void, std::string>{};
    auto text = read_string(item, where + " \"" + std::string(key) + "\"");
    if (!text) return tl::expected<void, std::string>(tl::make_unexpected(text.error()));
    *slot = *text;
    return tl::expected<void, std::string>{};
  });
}

template <class Value>
tl::expected<Value, std::string> read_decimal(std::string_view text, std::uint8_t precision,
                                              const std::string& where) {
  if (text.empty()) return tl::make_unexpected(where + ": missing");
  auto parsed = Value::parse(text, precision);
  if (!parsed) {
    return tl::make_unexpected(where + ": " + quoted(text) + " is not a decimal at precision " +
                               std::to_string(precision) + " (" + to_string(parsed.error()) + ")");
  }
  return *parsed;
}

tl::expected<TimestampNs, std::string> read_time(std::string_view text, const std::string& where) {
  if (text.empty()) return TimestampNs{0};  // optional field
  auto parsed = parse_rfc3339(text);
  if (!parsed) return tl::make_unexpected(where + ": " + parsed.error());
  return *parsed;
}

/// Converts one level2 update ("bid" / "offer", §3.4) into a BookDelta.
tl::expected<BookDelta, std::string> to_delta(const ItemText& text, const Instrument& instrument,
                                              const std::string& where, TimestampNs& latest) {
  BookDelta delta;
  // "ask" is accepted as an alias of "offer" defensively (§3.4).
  if (text.side == "bid") {
    delta.side = Side::Buy;
  } else if (text.side == "offer" || text.side == "ask") {
    delta.side = Side::Sell;
  } else {
    return tl::make_unexpected(where + " \"side\": " + quoted(text.side) + " is not bid/offer");
  }
  auto price = read_decimal<Price>(text.price, instrument.price_precision, where + " \"price_level\"");
  if (!price) return tl::make_unexpected(price.error());
  if (!price->is_positive()) return tl::make_unexpected(where + " \"price_level\": not positive");
  auto size = read_decimal<Quantity>(text.quantity, instrument.size_precision,
                                     where + " \"new_quantity\"");
  if (!size) return tl::make_unexpected(size.error());
  if (size->is_negative()) return tl::make_unexpected(where + " \"new_quantity\": negative");
  auto time = read_time(text.time, where + " \"event_time\"");
  if (!time) return tl::make_unexpected(time.error());
  latest = std::max(latest, *time);
  delta.price = *price;
  delta.size = *size;
  return delta;
}

/// Reads one `l2_data` event object into `out` (skipped when its product is unknown).
tl::expected<void, DecodeError> read_l2_event(od::value& value, std::size_t index,
                                              const ChannelContext& context, L2Data& out) {
  std::string_view type;
  std::string_view product;
  std::vector<ItemText>& items = context.state.items;
  items.clear();
  const std::string where = at("events", index);
  auto read = for_each_field(value, where, [&](std::string_view key, od::value& item) {
    if (key == "type" || key == "product_id") {
      auto text = read_string(item, where + " \"" + std::string(key) + "\"");
      if (!text) return tl::expected<void, std::string>(tl::make_unexpected(text.error()));
      (key == "type" ? type : product) = *text;
      return tl::expected<void, std::string>{};
    }
    if (key != "updates") return tl::expected<void, std::string>{};
    return for_each_element(item, "updates", [&](od::value& update, std::size_t i) {
      return read_item(update, at("updates", i), items.emplace_back());
    });
  });
  if (!read) return tl::make_unexpected(channel_error(context, product, read.error(), true));
  if (product.empty()) {
    return tl::make_unexpected(
        channel_error(context, "", where + ": missing field \"product_id\"", true));
  }
  if (type != "snapshot" && type != "update") {
    return tl::make_unexpected(channel_error(
        context, product, where + " \"type\": " + quoted(type) + " is not snapshot/update", true));
  }
  const Instrument* instrument = context.state.lookup(product);
  if (instrument == nullptr) {
    out.unknown_products.emplace_back(product);
    return {};
  }
  L2Event event{instrument->id, type == "snapshot", {}, 0};
  event.levels.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto delta = to_delta(items[i], *instrument, at("updates", i), event.ts_event);
    if (!delta) return tl::make_unexpected(channel_error(context, product, delta.error(), true));
    event.levels.push_back(*delta);
  }
  // Snapshots carry event_time 1970-01-01 (§3.4): fall back to the envelope time.
  if (event.ts_event == 0) event.ts_event = context.timestamp;
  out.events.push_back(std::move(event));
  return {};
}

/// Converts one trade (§3.6). `side` is the maker's side per the docs: the aggressor is the
/// opposite one (unless CodecOptions::trade_side_is_maker is false).
tl::expected<TradeTick, std::string> to_trade(const ItemText& text, const Instrument& instrument,
                                              const std::string& where, bool side_is_maker,
                                              TimestampNs now) {
  TradeTick trade;
  Side side = Side::Buy;
  if (text.side == "BUY") {
    side = Side::Buy;
  } else if (text.side == "SELL") {
    side = Side::Sell;
  } else {
    return tl::make_unexpected(where + " \"side\": " + quoted(text.side) + " is not BUY/SELL");
  }
  trade.aggressor = side_is_maker ? (side == Side::Buy ? Side::Sell : Side::Buy) : side;
  auto price = read_decimal<Price>(text.price, instrument.price_precision, where + " \"price\"");
  if (!price) return tl::make_unexpected(price.error());
  auto size = read_decimal<Quantity>(text.quantity, instrument.size_precision, where + " \"size\"");
  if (!size) return tl::make_unexpected(size.error());
  if (!price->is_positive() || !size->is_positive()) {
    return tl::make_unexpected(where + ": price and size must be positive");
  }
  auto time = read_time(text.time, where + " \"time\"");
  if (!time) return tl::make_unexpected(time.error());
  if (text.trade_id.empty()) return tl::make_unexpected(where + ": missing field \"trade_id\"");
  trade.instrument = instrument.id;
  trade.price = *price;
  trade.size = *size;
  trade.trade_id = TradeId{std::string(text.trade_id)};
  trade.ts_event = *time;
  trade.ts_init = now;
  return trade;
}

}  // namespace

simdjson::simdjson_result<od::document> CodecState::iterate(std::string_view text) {
  // reserve() first: assigning text that fits the capacity never reallocates, so the padding
  // bytes simdjson may read past the end are owned by the buffer.
  buffer.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(text.data(), text.size());
  return parser.iterate(
      simdjson::padded_string_view(buffer.data(), text.size(), buffer.capacity()));
}

std::string json_failure(simdjson::error_code error) {
  return std::string("invalid JSON: ") + simdjson::error_message(error);
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  out.append(text.substr(0, kMaxQuotedText));
  if (text.size() > kMaxQuotedText) out.append("...");
  out.push_back('"');
  return out;
}

DecodeError channel_error(const ChannelContext& context, std::string_view product,
                          std::string_view detail, bool affects_book) {
  DecodeError error;
  error.what = context.state.options.venue + " " + std::string(context.channel);
  if (!product.empty()) error.what.append(" ").append(product);
  error.what.append(": ").append(detail);
  error.product = std::string(product);
  error.may_affect_book = affects_book;
  return error;
}

tl::expected<std::string_view, std::string> read_string(od::value& value, std::string_view field) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return tl::make_unexpected(std::string(field) + ": not a string");
  }
  return text;
}

tl::expected<std::uint64_t, std::string> read_counter(od::value& value, std::string_view field) {
  std::uint64_t number = 0;
  if (value.get_uint64().get(number) == simdjson::SUCCESS) return number;
  std::string_view text;
  // Heartbeat counters come as strings in the docs and as numbers in traffic (§3.3).
  if (value.get_string().get(text) == simdjson::SUCCESS && !text.empty() && text.size() <= 19 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::stoull(std::string(text));
  }
  return tl::make_unexpected("field \"" + std::string(field) + "\": not a non-negative integer");
}

tl::expected<L2Data, DecodeError> decode_l2(od::value& events, const ChannelContext& context) {
  L2Data out;
  std::optional<DecodeError> failure;
  auto read = for_each_element(events, "events", [&](od::value& event, std::size_t index) {
    if (auto done = read_l2_event(event, index, context, out); !done) {
      failure = std::move(done.error());
      return tl::expected<void, std::string>(tl::make_unexpected(std::string()));
    }
    return tl::expected<void, std::string>{};
  });
  if (failure) return tl::make_unexpected(std::move(*failure));
  if (!read) return tl::make_unexpected(channel_error(context, "", read.error(), true));
  return out;
}

tl::expected<MarketTrades, DecodeError> decode_trades(od::value& events,
                                                      const ChannelContext& context) {
  MarketTrades out;
  out.snapshot = true;
  std::vector<ItemText>& items = context.state.items;
  items.clear();
  auto read = for_each_element(events, "events", [&](od::value& event, std::size_t index) {
    const std::string where = at("events", index);
    return for_each_field(event, where, [&](std::string_view key, od::value& item) {
      if (key == "type") {
        auto type = read_string(item, where + " \"type\"");
        if (!type) return tl::expected<void, std::string>(tl::make_unexpected(type.error()));
        out.snapshot = out.snapshot && *type == "snapshot";
        return tl::expected<void, std::string>{};
      }
      if (key != "trades") return tl::expected<void, std::string>{};
      return for_each_element(item, "trades", [&](od::value& trade, std::size_t i) {
        return read_item(trade, at("trades", i), items.emplace_back());
      });
    });
  });
  if (!read) return tl::make_unexpected(channel_error(context, "", read.error(), false));
  if (items.empty()) out.snapshot = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Instrument* instrument = context.state.lookup(items[i].product_id);
    if (instrument == nullptr) {
      out.unknown_products.emplace_back(items[i].product_id);
      continue;
    }
    auto trade = to_trade(items[i], *instrument, "trade " + std::to_string(i),
                          context.state.options.trade_side_is_maker, context.now);
    if (!trade) {
      return tl::make_unexpected(
          channel_error(context, items[i].product_id, trade.error(), false));
    }
    out.trades.push_back(std::move(*trade));
  }
  return out;
}

tl::expected<Heartbeat, DecodeError> decode_heartbeat(od::value& events,
                                                      const ChannelContext& context) {
  Heartbeat out;
  auto read = for_each_element(events, "events", [&](od::value& event, std::size_t index) {
    return for_each_field(event, at("events", index), [&](std::string_view key, od::value& item) {
      if (key != "heartbeat_counter") return tl::expected<void, std::string>{};
      auto counter = read_counter(item, "heartbeat_counter");
      if (!counter) return tl::expected<void, std::string>(tl::make_unexpected(counter.error()));
      out.counter = *counter;
      return tl::expected<void, std::string>{};
    });
  });
  if (!read) return tl::make_unexpected(channel_error(context, "", read.error(), false));
  return out;
}

tl::expected<Subscriptions, DecodeError> decode_subscriptions(od::value& events,
                                                              const ChannelContext& context) {
  Subscriptions out;
  auto read = for_each_element(events, "events", [&](od::value& event, std::size_t index) {
    const std::string where = at("events", index);
    return for_each_field(event, where, [&](std::string_view key, od::value& map) {
      if (key != "subscriptions") return tl::expected<void, std::string>{};
      return for_each_field(map, where + " \"subscriptions\"", [&](std::string_view channel,
                                                                   od::value& ids) {
        auto& entry = out.channels.emplace_back(std::string(channel), std::vector<std::string>{});
        return for_each_element(ids, channel, [&](od::value& id, std::size_t) {
          auto text = read_string(id, std::string(channel) + " product id");
          if (!text) return tl::expected<void, std::string>(tl::make_unexpected(text.error()));
          entry.second.emplace_back(*text);
          return tl::expected<void, std::string>{};
        });
      });
    });
  });
  if (!read) return tl::make_unexpected(channel_error(context, "", read.error(), false));
  return out;
}

}  // namespace troupe::coinbase::detail
