// AlpacaCodec on the §1.11 frame shapes: exact decimals from JSON number tokens, RFC 3339
// nanosecond times, control messages, and the ways a frame or one of its items can be unusable.

#include "adapters/venues/alpaca/alpaca_codec.hpp"

#include <gtest/gtest.h>

#include "alpaca_test_support.hpp"

namespace troupe::alpaca {
namespace {

using testing::px;
using testing::qty;

class AlpacaCodecTest : public ::testing::Test {
 protected:
  Frame decode(std::string_view text) {
    auto frame = codec.decode(text, kNow);
    EXPECT_TRUE(frame) << (frame ? "" : frame.error().what);
    return frame ? *frame : Frame{};
  }

  static constexpr TimestampNs kNow = 1'717'425'010'000'000'000;
  std::vector<Instrument> instruments{testing::equity("AAPL"), testing::equity("MSFT")};
  AlpacaCodec codec{make_instrument_lookup(instruments)};
};

TEST_F(AlpacaCodecTest, QuotesKeepExactPricesAndNanosecondTimes) {
  Frame frame = decode(testing::kQuotes);
  ASSERT_EQ(frame.messages.size(), 2u);
  EXPECT_TRUE(frame.item_errors.empty());
  const auto& aapl = std::get<Quote>(frame.messages[0]);
  EXPECT_EQ(aapl.instrument, instruments[0].id);
  EXPECT_EQ(aapl.bid_price.raw(), 18723);
  EXPECT_EQ(aapl.bid_price.precision(), 2);
  EXPECT_EQ(aapl.bid_size, qty("2"));
  EXPECT_EQ(aapl.ask_price, px("187.25"));
  EXPECT_EQ(aapl.ask_size, qty("3"));
  EXPECT_EQ(aapl.ts_event, testing::kQuoteTimeNs);
  const auto& msft = std::get<Quote>(frame.messages[1]);
  EXPECT_EQ(msft.bid_price, px("412.10"));
  EXPECT_EQ(msft.ts_event, 1'717'425'002'460'100'000);
}

TEST_F(AlpacaCodecTest, TradeCarriesIdPriceSizeAndTime) {
  Frame frame = decode(testing::kTrade);
  ASSERT_EQ(frame.messages.size(), 1u);
  const auto& trade = std::get<Trade>(frame.messages[0]);
  EXPECT_EQ(trade.price, px("187.24"));
  EXPECT_EQ(trade.size, qty("100"));
  EXPECT_EQ(trade.trade_id, "52983525029461");
  EXPECT_EQ(trade.ts_event, 1'717'425'002'456'789'123);
}

TEST_F(AlpacaCodecTest, MinuteBarIsStampedWithItsStartAndEnd) {
  Frame frame = decode(testing::kBar);
  ASSERT_EQ(frame.messages.size(), 1u) << (frame.item_errors.empty() ? "" : frame.item_errors[0]);
  const auto& bar = std::get<Bar>(frame.messages[0]);
  EXPECT_EQ(bar.open, px("528.01"));
  EXPECT_EQ(bar.high, px("528.30"));
  EXPECT_EQ(bar.low, px("527.95"));
  EXPECT_EQ(bar.close, px("528.22"));
  EXPECT_EQ(bar.volume, qty("48211"));
  EXPECT_EQ(bar.trade_count, 612u);
  EXPECT_EQ(bar.ts_start, 1'717'425'000'000'000'000);
  EXPECT_EQ(bar.ts_event, bar.ts_start + 60'000'000'000);
  EXPECT_EQ(bar.ts_init, kNow);
}

TEST_F(AlpacaCodecTest, ControlMessagesDecode) {
  EXPECT_EQ(std::get<Success>(decode(testing::kConnected).messages.at(0)).message, "connected");
  auto error = std::get<ErrorMessage>(
      decode(R"([{"T":"error","code":406,"msg":"connection limit exceeded"}])").messages.at(0));
  EXPECT_EQ(error.code, 406);
  EXPECT_EQ(error.message, "connection limit exceeded");
  auto sub =
      std::get<Subscription>(decode(testing::subscription_echo({"AAPL", "MSFT"})).messages.at(0));
  EXPECT_EQ(sub.trades, (std::vector<std::string>{"AAPL", "MSFT"}));
  EXPECT_EQ(sub.quotes, (std::vector<std::string>{"AAPL", "MSFT"}));
  EXPECT_TRUE(sub.bars.empty());
}

TEST_F(AlpacaCodecTest, OffsetTimesConvertToUtc) {
  Frame frame =
      decode(R"([{"T":"t","S":"AAPL","i":1,"p":1.5,"s":1,"t":"2024-06-03T10:30:02.5-04:00"}])");
  EXPECT_EQ(std::get<Trade>(frame.messages.at(0)).ts_event, 1'717'425'002'500'000'000);
}

TEST_F(AlpacaCodecTest, BadItemIsReportedAndTheRestOfTheFrameSurvives) {
  Frame frame = decode(
      R"([{"T":"q","S":"AAPL","bp":187.235,"bs":1,"ap":187.25,"as":1,"t":"2024-06-03T14:30:00Z"},)"
      R"({"T":"t","S":"MSFT","i":2,"p":412.11,"s":5,"t":"2024-06-03T14:30:00Z"}])");
  ASSERT_EQ(frame.item_errors.size(), 1u);
  EXPECT_NE(frame.item_errors[0].find("alpaca stream q AAPL: field \"bp\": \"187.235\""),
            std::string::npos)
      << frame.item_errors[0];
  ASSERT_EQ(frame.messages.size(), 1u);
  EXPECT_EQ(std::get<Trade>(frame.messages[0]).price, px("412.11"));
}

TEST_F(AlpacaCodecTest, ItemErrorsNameTheProblem) {
  auto first_error = [&](std::string_view text) {
    Frame frame = decode(text);
    return frame.item_errors.empty() ? std::string() : frame.item_errors[0];
  };
  EXPECT_NE(first_error(
                R"([{"T":"q","S":"TSLA","bp":1,"bs":1,"ap":2,"as":1,"t":"2024-06-03T14:30:00Z"}])")
                .find("\"TSLA\" is not subscribed"),
            std::string::npos);
  EXPECT_NE(first_error(R"([{"T":"t","S":"AAPL","p":"187.24","s":1,"t":"2024-06-03T14:30:00Z"}])")
                .find("field \"p\": not a number"),
            std::string::npos);
  EXPECT_NE(first_error(R"([{"T":"t","S":"AAPL","p":187.24,"s":1,"t":"yesterday"}])")
                .find("not an RFC 3339 time"),
            std::string::npos);
  EXPECT_NE(first_error(R"([{"T":"t","S":"AAPL","s":1,"t":"2024-06-03T14:30:00Z"}])")
                .find("no field \"p\""),
            std::string::npos);
  EXPECT_NE(first_error(R"([{"S":"AAPL"}])").find("no field \"T\""), std::string::npos);
  EXPECT_NE(first_error(R"([42])").find("not an object"), std::string::npos);
  EXPECT_NE(first_error(R"([{"T":"error","msg":"x"}])").find("field \"code\""), std::string::npos);
}

TEST_F(AlpacaCodecTest, UnknownTypesAreFlaggedAndKnownUnusedOnesIgnored) {
  Frame frame = decode(
      R"([{"T":"zz","S":"AAPL"},{"T":"c","S":"AAPL","x":"V","oi":1,"op":1.0,"os":1,"oc":[],"ci":2,"cp":1.1,"cs":1,"cc":[],"z":"C","t":"2024-06-03T14:30:00Z"},{"T":"x","S":"AAPL"}])");
  ASSERT_EQ(frame.messages.size(), 3u);
  EXPECT_EQ(std::get<UnknownType>(frame.messages[0]).type, "zz");
  EXPECT_EQ(std::get<Ignored>(frame.messages[1]).type, "c");
  EXPECT_EQ(std::get<Ignored>(frame.messages[2]).type, "x");
}

TEST_F(AlpacaCodecTest, UnreadableFramesAreDecodeErrors) {
  auto error = [&](std::string_view text) {
    auto frame = codec.decode(text, kNow);
    return frame ? std::string() : frame.error().what;
  };
  EXPECT_NE(error(R"([{"T":"q","S":"AAPL",)").find("alpaca stream: invalid JSON"),
            std::string::npos);
  EXPECT_NE(error(R"({"T":"success","msg":"connected"})").find("not a JSON array"),
            std::string::npos);
  AlpacaCodec small(make_instrument_lookup(instruments), CodecOptions{"alpaca", 64});
  auto big = small.decode(testing::kQuotes, kNow);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().what.find("exceeds the 64-byte limit"), std::string::npos);
}

TEST(AlpacaRequests, EncodeAuthAndSubscriptions) {
  EXPECT_EQ(encode_auth("AKID", "s\"ecret"),
            R"({"action":"auth","key":"AKID","secret":"s\"ecret"})");
  EXPECT_EQ(encode_subscribe({{"AAPL"}, {"AMD", "MSFT"}, {"*"}}),
            R"({"action":"subscribe","trades":["AAPL"],"quotes":["AMD","MSFT"],"bars":["*"]})");
  EXPECT_EQ(encode_unsubscribe({{}, {}, {"*"}}), R"({"action":"unsubscribe","bars":["*"]})");
}

}  // namespace
}  // namespace troupe::alpaca
