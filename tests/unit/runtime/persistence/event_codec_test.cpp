#include "runtime/persistence/event_codec.hpp"

#include <caf/deep_to_string.hpp>

#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <vector>

namespace troupe::persistence {
namespace {

// Collects every leaf field an `inspect()` overload visits, as text, in visiting order. Two
// events with equal leaves are equal in every field their inspect() names.
struct LeafCollector {
  using result_type = void;
  static constexpr bool reads_state = true;
  static constexpr bool writes_state = false;

  std::vector<std::string> leaves;

  template <class... Ts>
  void operator()(Ts&... xs) {
    (visit(xs), ...);
  }

  template <class T>
  void visit(T& x) {
    if constexpr (std::is_enum_v<T>)
      leaves.push_back(std::to_string(static_cast<int>(x)));
    else if constexpr (std::is_arithmetic_v<T>)
      leaves.push_back(std::to_string(x));
    else if constexpr (std::is_same_v<T, std::string>)
      leaves.push_back("'" + x + "'");
    else
      inspect(*this, x);
  }
};

std::vector<std::string> leaves_of(JournalEvent event) {
  LeafCollector collector;
  std::visit([&collector](auto& x) { inspect(collector, x); }, event);
  return collector.leaves;
}

std::string caf_text_of(const JournalEvent& event) {
  return std::visit([](const auto& x) { return caf::deep_to_string(x); }, event);
}

SubmitOrder sample_order() {
  SubmitOrder order;
  order.account = AccountId{"paper-binance"};
  order.strategy = StrategyId{"obi-btc"};
  order.client_order_id = ClientOrderId{"paper-binance-3-17"};
  order.instrument = InstrumentId{VenueId{"binance"}, "BTCUSDT"};
  order.side = Side::Sell;
  order.type = OrderType::StopLimit;
  order.time_in_force = TimeInForce::Ioc;
  order.quantity = Quantity::from_raw(150'000'000, 8);
  order.price = Price::from_raw(-2'715'012, 2);  // negative: sign must survive
  order.trigger_price = Price::from_raw(2'716'000, 3);
  order.ts_init = 1'700'000'000'000'000'001;
  return order;
}

// One event of every journaled type, every field set to a non-default value.
std::vector<JournalEvent> sample_events() {
  const InstrumentId instrument{VenueId{"binance"}, "ETHUSDT"};
  OrderFilled filled;
  filled.account = AccountId{"acct"};
  filled.strategy = StrategyId{"twap-eth"};
  filled.client_order_id = ClientOrderId{"acct-2-9"};
  filled.venue_order_id = VenueOrderId{"88812"};
  filled.trade_id = TradeId{"t-991"};
  filled.instrument = instrument;
  filled.side = Side::Sell;
  filled.last_quantity = Quantity::from_raw(25, 3);
  filled.last_price = Price::from_raw(312'055, 2);
  filled.cum_quantity = Quantity::from_raw(75, 3);
  filled.leaves_quantity = Quantity::from_raw(925, 3);
  filled.commission = Money::from_raw(-7, 8);
  filled.commission_asset = "BNB";
  filled.liquidity = LiquiditySide::Maker;
  filled.ts_event = -5;
  filled.ts_init = INT64_MAX;
  return {
      OrderSubmitted{sample_order(), 11, 12},
      OrderAccepted{AccountId{"acct"}, ClientOrderId{"acct-2-7"}, VenueOrderId{"v-1"}, instrument,
                    21, 22},
      OrderRejected{AccountId{"acct"}, ClientOrderId{"acct-2-8"}, instrument,
                    "-2010 insufficient balance", 31, 32},
      OrderDenied{AccountId{"acct"}, StrategyId{"obi"}, ClientOrderId{"acct-2-9"}, instrument,
                  DenyReason::MaxPosition, std::string{"position 3\0.5 > max", 19}, 41, 42},
      filled,
      OrderCanceled{AccountId{"acct"}, ClientOrderId{"acct-2-10"}, VenueOrderId{"v-2"}, instrument,
                    "ioc_remainder", INT64_MIN, 62},
      CancelOrder{AccountId{"acct"}, StrategyId{"obi"}, ClientOrderId{"acct-2-11"}, instrument, 71},
  };
}

JournalEvent default_of(const JournalEvent& event) {
  return std::visit([](const auto& x) { return JournalEvent{std::decay_t<decltype(x)>{}}; }, event);
}

TEST(EventCodec, SamplesSetEveryInspectedFieldToANonDefaultValue) {
  const auto samples = sample_events();
  ASSERT_EQ(samples.size(), std::variant_size_v<JournalEvent>);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ(samples[i].index(), i);
    const auto set = leaves_of(samples[i]);
    const auto defaults = leaves_of(default_of(samples[i]));
    ASSERT_EQ(set.size(), defaults.size());
    for (std::size_t leaf = 0; leaf < set.size(); ++leaf)
      EXPECT_NE(set[leaf], defaults[leaf]) << type_name(samples[i]) << " leaf " << leaf;
  }
}

TEST(EventCodec, EveryEventTypeRoundTripsExactlyThroughItsInspectFields) {
  for (const auto& event : sample_events()) {
    SCOPED_TRACE(std::string{type_name(event)});
    const std::string bytes = encode(event);
    auto decoded = decode(bytes);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ(decoded->index(), event.index());
    EXPECT_EQ(leaves_of(*decoded), leaves_of(event));
    EXPECT_EQ(caf_text_of(*decoded), caf_text_of(event));
    EXPECT_EQ(encode(*decoded), bytes);
  }
}

TEST(EventCodec, EnvelopeStartsWithVersionAndStableTag) {
  for (const auto& event : sample_events()) {
    const std::string bytes = encode(event);
    ASSERT_GE(bytes.size(), 4u);
    EXPECT_EQ(static_cast<unsigned char>(bytes[0]), kEventFormatVersion);
    EXPECT_EQ(bytes[1], 0);
    EXPECT_EQ(static_cast<unsigned char>(bytes[2]), static_cast<unsigned>(tag_of(event)));
    EXPECT_EQ(bytes[3], 0);
  }
  EXPECT_EQ(tag_of(JournalEvent{OrderFilled{}}), EventTag::OrderFilled);
  EXPECT_EQ(static_cast<int>(EventTag::OrderCanceled), 6);
  EXPECT_EQ(static_cast<int>(EventTag::CancelOrder), 7);
}

TEST(EventCodec, EncodesOrderAcceptedV1ToTheDocumentedBytes) {
  const OrderAccepted accepted{AccountId{"a"},
                               ClientOrderId{"c"},
                               VenueOrderId{"v"},
                               InstrumentId{VenueId{"x"}, "y"},
                               1,
                               -2};
  const std::string expected{
      "\x01\x00"
      "\x02\x00"  // version 1, tag 2
      "\x01\x00\x00\x00"
      "a"  // account
      "\x01\x00\x00\x00"
      "c"  // client_order_id
      "\x01\x00\x00\x00"
      "v"  // venue_order_id
      "\x01\x00\x00\x00"
      "x"  // instrument.venue
      "\x01\x00\x00\x00"
      "y"                                  // instrument.symbol
      "\x01\x00\x00\x00\x00\x00\x00\x00"   // ts_event
      "\xfe\xff\xff\xff\xff\xff\xff\xff",  // ts_init
      4 + 5 * 5 + 16};
  EXPECT_EQ(encode(accepted), expected);
}

TEST(EventCodec, TruncatedInputFailsCleanlyAtEveryBytePosition) {
  for (const auto& event : sample_events()) {
    const std::string bytes = encode(event);
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      auto decoded = decode(std::string_view{bytes}.substr(0, size));
      ASSERT_FALSE(decoded.has_value()) << type_name(event) << " cut to " << size;
      EXPECT_EQ(decoded.error().code, CodecErrorCode::Truncated) << decoded.error().message;
      if (size >= 4) {
        EXPECT_NE(decoded.error().message.find(type_name(event)), std::string::npos)
            << decoded.error().message;
      }
    }
  }
}

TEST(EventCodec, TrailingBytesAreRefused) {
  const std::string bytes = encode(sample_events()[1]) + "x";
  auto decoded = decode(bytes);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code, CodecErrorCode::TrailingBytes);
  EXPECT_NE(decoded.error().message.find("1 trailing bytes"), std::string::npos);
}

TEST(EventCodec, UnknownTagFailsCleanlyAndNamesTheTag) {
  for (std::uint16_t tag : {0, 8, 0x0100, 0xFFFF}) {
    std::string bytes = encode(sample_events()[4]);
    bytes[2] = static_cast<char>(tag & 0xFF);
    bytes[3] = static_cast<char>(tag >> 8);
    auto decoded = decode(bytes);
    ASSERT_FALSE(decoded.has_value()) << tag;
    EXPECT_EQ(decoded.error().code, CodecErrorCode::UnknownTag);
    EXPECT_NE(decoded.error().message.find("tag " + std::to_string(tag)), std::string::npos)
        << decoded.error().message;
  }
}

TEST(EventCodec, UnknownVersionFailsCleanlyAndNamesTheVersion) {
  for (std::uint16_t version : {0, kEventFormatVersion + 1, 0xFFFF}) {
    std::string bytes = encode(sample_events()[0]);
    bytes[0] = static_cast<char>(version & 0xFF);
    bytes[1] = static_cast<char>(version >> 8);
    auto decoded = decode(bytes);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code, CodecErrorCode::UnknownVersion);
    EXPECT_NE(decoded.error().message.find("version " + std::to_string(version)),
              std::string::npos);
  }
}

TEST(EventCodec, CorruptingAnyByteNeverCrashesAndNeverYieldsTheOriginal) {
  for (const auto& event : sample_events()) {
    const std::string bytes = encode(event);
    const auto original = leaves_of(event);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      for (unsigned char mask : {0x01, 0x80, 0xFF}) {
        std::string corrupt = bytes;
        corrupt[i] = static_cast<char>(static_cast<unsigned char>(corrupt[i]) ^ mask);
        auto decoded = decode(corrupt);
        if (decoded && decoded->index() == event.index()) {
          EXPECT_NE(leaves_of(*decoded), original) << type_name(event) << " byte " << i;
        }
      }
    }
  }
}

TEST(EventCodec, OutOfRangeEnumAndPrecisionBytesAreInvalidValues) {
  OrderFilled filled = std::get<OrderFilled>(sample_events()[4]);
  filled.liquidity = static_cast<LiquiditySide>(7);
  auto decoded = decode(encode(filled));
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code, CodecErrorCode::InvalidValue);
  EXPECT_NE(decoded.error().message.find("OrderFilled"), std::string::npos);
  EXPECT_NE(decoded.error().message.find("liquidity"), std::string::npos);

  filled = std::get<OrderFilled>(sample_events()[4]);
  filled.last_price = Price::from_raw(1, kMaxPrecision + 1);
  decoded = decode(encode(filled));
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code, CodecErrorCode::InvalidValue);
  EXPECT_NE(decoded.error().message.find("last_price"), std::string::npos);
}

// Decodes the sample `Event` with `set(event, raw)` applied; true when it decodes.
template <class Event, class Set>
bool decodes_with(const Event& sample, int raw, Set set) {
  Event event = sample;
  set(event, raw);
  return decode(encode(event)).has_value();
}

TEST(EventCodec, AcceptsExactlyTheNamedEnumerators) {
  const auto submitted = std::get<OrderSubmitted>(sample_events()[0]);
  const auto denied = std::get<OrderDenied>(sample_events()[3]);
  const auto filled = std::get<OrderFilled>(sample_events()[4]);
  for (int raw = 0; raw < 256; ++raw) {
    SCOPED_TRACE(raw);
    EXPECT_EQ(
        decodes_with(submitted, raw, [](auto& e, int v) { e.order.side = static_cast<Side>(v); }),
        to_string(static_cast<Side>(raw)) != "unknown");
    EXPECT_EQ(decodes_with(submitted, raw,
                           [](auto& e, int v) { e.order.type = static_cast<OrderType>(v); }),
              to_string(static_cast<OrderType>(raw)) != "unknown");
    EXPECT_EQ(
        decodes_with(submitted, raw,
                     [](auto& e, int v) { e.order.time_in_force = static_cast<TimeInForce>(v); }),
        to_string(static_cast<TimeInForce>(raw)) != "unknown");
    EXPECT_EQ(
        decodes_with(denied, raw, [](auto& e, int v) { e.reason = static_cast<DenyReason>(v); }),
        to_string(static_cast<DenyReason>(raw)) != "unknown");
    EXPECT_EQ(decodes_with(filled, raw,
                           [](auto& e, int v) { e.liquidity = static_cast<LiquiditySide>(v); }),
              to_string(static_cast<LiquiditySide>(raw)) != "unknown");
  }
}

}  // namespace
}  // namespace troupe::persistence
