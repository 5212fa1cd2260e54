#include "runtime/type_ids.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/deep_to_string.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace troupe {
namespace {

// Lists the fields an `inspect` overload visits, so that two objects compare field by field
// without every message defining operator==.
struct FieldLister {
  using result_type = void;
  static constexpr bool reads_state = true;
  static constexpr bool writes_state = false;

  struct Field {
    const void* ptr;
    bool (*equal)(const void*, const void*);
  };
  std::vector<Field> fields;

  template <class... Ts>
  void operator()(Ts&... xs) {
    (fields.push_back(Field{&xs, &equal_as<Ts>}), ...);
  }

  template <class T>
  static bool equal_as(const void* a, const void* b);
};

template <class T>
concept Inspectable = requires(FieldLister& f, T& x) {
  inspect(f, x);
};

template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};

template <class T>
bool fields_equal(const T& a, const T& b) {
  if constexpr (IsVector<T>::value) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!fields_equal(a[i], b[i])) return false;
    return true;
  } else if constexpr (Inspectable<T>) {
    FieldLister fa, fb;
    inspect(fa, const_cast<T&>(a));
    inspect(fb, const_cast<T&>(b));
    if (fa.fields.size() != fb.fields.size()) return false;
    for (std::size_t i = 0; i < fa.fields.size(); ++i)
      if (!fa.fields[i].equal(fa.fields[i].ptr, fb.fields[i].ptr)) return false;
    return true;
  } else {
    return a == b;
  }
}

template <class T>
bool FieldLister::equal_as(const void* a, const void* b) {
  return fields_equal(*static_cast<const T*>(a), *static_cast<const T*>(b));
}

const InstrumentId kBtc{VenueId{"binance"}, "BTCUSDT"};
Price px(const char* s) { return Price::parse(s, 2).value(); }
Quantity qty(const char* s) { return Quantity::parse(s, 5).value(); }
Money money(const char* s) { return Money::parse(s, 8).value(); }

SubmitOrder sample_submit() {
  return SubmitOrder{
      AccountId{"paper"}, StrategyId{"obi-btc"}, ClientOrderId{"paper-1-7"}, kBtc,
      Side::Sell,         OrderType::StopLimit,  TimeInForce::Ioc,           qty("0.01"),
      px("60000.10"),     px("59990.00"),        1714500000000000001};
}

Instrument sample_instrument() {
  Instrument x;
  x.id = kBtc;
  x.base = "BTC";
  x.quote = "USDT";
  x.price_precision = 2;
  x.size_precision = 5;
  x.tick_size = px("0.01");
  x.lot_size = qty("0.00001");
  x.min_quantity = qty("0.0001");
  x.min_notional = Money::parse("5", 2).value();
  x.tradable = false;
  return x;
}

OrderRecord sample_record() {
  return OrderRecord{sample_submit(),
                     VenueOrderId{"v-99"},
                     OrderStatus::PartiallyFilled,
                     qty("0.005"),
                     px("60000.05"),
                     "partial",
                     11,
                     12};
}

PositionRecord sample_position() {
  return PositionRecord{kBtc,         qty("-0.02"),  px("60010.00"), px("60000.00"),
                        money("1.5"), money("-0.2"), money("0.03")};
}

VenueTop sample_venue_top() {
  return VenueTop{kBtc, "USDT", true, true, true, BookLevel{px("100.00"), qty("1")},
                  BookLevel{px("100.10"), qty("2")}, 5, 6};
}

// One non-default sample of every type in the troupe type-ID block.
auto samples() {
  return std::make_tuple(
      VenueId{"kraken"}, AccountId{"paper"}, StrategyId{"obi"}, ClientOrderId{"c-1"},
      VenueOrderId{"v-1"}, TradeId{"t-1"}, kBtc, px("27150.12"), qty("-1.5"), money("-0.00000001"),
      sample_instrument(), Side::Sell, OrderType::StopLimit, TimeInForce::Fok,
      OrderStatus::PendingCancel, LiquiditySide::Maker, DenyReason::NoMarketPrice,
      TradingState::Halted, ResyncReason::Checksum, SessionState::Syncing,
      QuoteTick{kBtc, px("1.01"), qty("2"), px("1.02"), qty("3"), 5, 6},
      TradeTick{kBtc, px("100.50"), qty("0.5"), Side::Sell, TradeId{"t-2"}, 7, 8},
      BookDelta{Side::Sell, px("101.00"), qty("0")},
      BookDeltas{kBtc,
                 160,
                 170,
                 {{Side::Buy, px("1.00"), qty("1")}, {Side::Sell, px("2.00"), qty("0")}},
                 9,
                 10},
      BookLevel{px("99.99"), qty("4")},
      BookSnapshot{kBtc,
                   42,
                   {{px("99.99"), qty("1")}},
                   {{px("100.01"), qty("2")}, {px("100.02"), qty("3")}},
                   1,
                   2},
      sample_submit(),
      CancelOrder{AccountId{"paper"}, StrategyId{"s"}, ClientOrderId{"c-9"}, kBtc, 3},
      OrderSubmitted{sample_submit(), 4, 5},
      OrderAccepted{AccountId{"paper"}, ClientOrderId{"c"}, VenueOrderId{"v"}, kBtc, 6, 7},
      OrderRejected{AccountId{"paper"}, ClientOrderId{"c"}, kBtc, "-2010 insufficient balance", 8,
                    9},
      OrderDenied{AccountId{"paper"}, StrategyId{"s"}, ClientOrderId{"c"}, kBtc,
                  DenyReason::MaxOrderNotional, "notional 1200.00 > max 1000.00", 1, 2},
      OrderFilled{AccountId{"paper"}, StrategyId{"s"}, ClientOrderId{"c"}, VenueOrderId{"v"},
                  TradeId{"t"}, kBtc, Side::Sell, qty("0.1"), px("60000.00"), qty("0.2"),
                  qty("0.3"), money("0.06"), "USDT", LiquiditySide::Taker, 3, 4},
      OrderCanceled{AccountId{"paper"}, ClientOrderId{"c"}, VenueOrderId{"v"}, kBtc,
                    "ioc_remainder", 5, 6},
      BookResyncStarted{kBtc, ResyncReason::Gap, "expected U=161, got U=170", 7},
      SessionStateChanged{VenueId{"binance"}, "orders", SessionState::Live, "connected", 8},
      sample_record(), sample_position(), CashBalance{"USDT", money("100000")},
      PortfolioSnapshot{AccountId{"paper"},
                        {sample_position()},
                        {CashBalance{"BTC", money("1")}},
                        money("1.5"),
                        money("-0.2"),
                        money("0.03"),
                        17,
                        18},
      SubmitOrderResponse{true, sample_record(),
                          OrderDenied{AccountId{"paper"}, StrategyId{"s"}, ClientOrderId{"c"}, kBtc,
                                      DenyReason::MaxPosition, "x", 1, 2}},
      std::vector<OrderRecord>{sample_record(), OrderRecord{}},
      std::vector<Instrument>{sample_instrument()},
      std::vector<PositionRecord>{sample_position(), sample_position()},
      ChildStatus{"book-btc", true, 3},
      std::vector<ChildStatus>{ChildStatus{"a", false, 1}, ChildStatus{"b", true, 0}},
      std::vector<std::string>{"a", "b"},
      Bar{kBtc, px("100.00"), px("101.00"), px("99.50"), px("100.50"), qty("12.5"), 42, 1, 2, 3},
      sample_venue_top(),
      ConsolidatedBook{"BTC", {sample_venue_top(), VenueTop{}}, 0, 0, true, 9});
}

caf::actor_system_config& registered(caf::actor_system_config& cfg) {
  register_message_types(cfg);
  return cfg;
}

class TypeIds : public ::testing::Test {
 protected:
  caf::actor_system_config cfg_;
  caf::actor_system sys_{registered(cfg_)};
};

TEST_F(TypeIds, EveryRegisteredTypeRoundTripsThroughTheBinarySerializer) {
  std::apply(
      [&](const auto&... sample) {
        (
            [&](const auto& x) {
              using T = std::decay_t<decltype(x)>;
              const std::string name = caf::type_name<T>::value;
              SCOPED_TRACE(name);
              ASSERT_FALSE(fields_equal(x, T{})) << "sample must differ from a default value";
              std::vector<char> buf;
              caf::binary_serializer sink{sys_, buf};
              ASSERT_FALSE(sink(const_cast<T&>(x)));
              T copy{};
              caf::binary_deserializer source{sys_, buf};
              ASSERT_FALSE(source(copy));
              EXPECT_TRUE(fields_equal(x, copy));
              EXPECT_EQ(source.remaining(), 0u);
            }(sample),
            ...);
      },
      samples());
}

TEST_F(TypeIds, EveryTypeOfTheIdBlockHasASampleAndIsKnownToTheSystem) {
  std::set<std::string> sampled;
  std::apply(
      [&](const auto&... x) {
        (sampled.insert(caf::type_name<std::decay_t<decltype(x)>>::value), ...);
      },
      samples());
  constexpr auto begin = caf::id_block::troupe::begin;
  constexpr auto end = caf::id_block::troupe::end;
  EXPECT_EQ(sampled.size(), static_cast<std::size_t>(end - begin));
  std::vector<std::string> block_names;
  [&]<std::size_t... Is>(std::index_sequence<Is...>) {
    (block_names.push_back(caf::type_name_by_id<begin + Is>::value), ...);
  }
  (std::make_index_sequence<end - begin>{});
  for (const auto& name : block_names) {
    EXPECT_TRUE(sampled.count(name)) << name << " has no sample";
    EXPECT_NE(sys_.types().make_value(name), nullptr) << name << " is not registered";
  }
}

TEST_F(TypeIds, DeepToStringRendersMessagesWithTheirTextForms) {
  const auto quote = QuoteTick{kBtc, px("1.01"), qty("2"), px("1.02"), qty("3"), 5, 6};
  EXPECT_EQ(caf::deep_to_string(quote), "BTCUSDT.binance, 1.01, 2.00000, 1.02, 3.00000, 5, 6");
  const auto denied = OrderDenied{AccountId{"paper"},
                                  StrategyId{"s"},
                                  ClientOrderId{"c"},
                                  kBtc,
                                  DenyReason::MaxOrderNotional,
                                  "too big",
                                  1,
                                  2};
  EXPECT_EQ(caf::deep_to_string(denied),
            "paper, s, c, BTCUSDT.binance, max_order_notional, \"too big\", 1, 2");
  std::vector<std::string> rendered;
  std::apply([&](const auto&... x) { (rendered.push_back(caf::deep_to_string(x)), ...); },
             samples());
  for (const auto& text : rendered) {
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(text.find("<unprintable>"), std::string::npos) << text;
  }
}

TEST_F(TypeIds, RendersTheSupervisorErrorCategory) {
  EXPECT_EQ(sys_.render(make_error(SupervisorError::MaxRestartsExceeded)),
            "supervisor: max_restarts_exceeded");
}

}  // namespace
}  // namespace troupe
