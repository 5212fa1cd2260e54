// CoinbaseCodec on the reference's example frames (§3.2–§3.6) and on malformed, truncated,
// unknown and oversized ones; RFC 3339 parsing; subscribe encoding.

#include "adapters/venues/coinbase/coinbase_codec.hpp"
#include "adapters/venues/coinbase/time_parsing.hpp"

#include <gtest/gtest.h>

#include "coinbase_test_support.hpp"

namespace troupe::coinbase {
namespace {

constexpr TimestampNs kNow = 1'717'425'000'000'000'000;

class CoinbaseCodecTest : public ::testing::Test {
 protected:
  std::vector<Instrument> instruments{testing::btcusd()};
  CoinbaseCodec codec{make_instrument_lookup(instruments)};
};

TEST_F(CoinbaseCodecTest, DecodesTheLevel2SnapshotExample) {
  auto message = codec.decode(testing::l2_snapshot(2), kNow);
  ASSERT_TRUE(message) << message.error().what;
  EXPECT_EQ(message->sequence_num, 2u);
  EXPECT_EQ(message->timestamp, *parse_rfc3339("2024-06-03T14:30:00.5Z"));
  const auto& data = std::get<L2Data>(message->payload);
  ASSERT_EQ(data.events.size(), 1u);
  const L2Event& event = data.events[0];
  EXPECT_TRUE(event.snapshot);
  EXPECT_EQ(event.instrument.symbol, "BTC-USD");
  ASSERT_EQ(event.levels.size(), 3u);
  EXPECT_EQ(event.levels[0].side, Side::Buy);
  EXPECT_EQ(event.levels[0].price, *Price::parse("60000.10", 2));
  EXPECT_EQ(event.levels[0].size, *Quantity::parse("0.5", 8));
  EXPECT_EQ(event.levels[2].side, Side::Sell);  // "offer"
  EXPECT_EQ(event.ts_event, message->timestamp);  // 1970 event_time falls back to the envelope
}

TEST_F(CoinbaseCodecTest, DecodesTheLevel2UpdateExample) {
  auto message = codec.decode(testing::l2_update(3), kNow);
  ASSERT_TRUE(message) << message.error().what;
  const L2Event& event = std::get<L2Data>(message->payload).events.at(0);
  EXPECT_FALSE(event.snapshot);
  ASSERT_EQ(event.levels.size(), 2u);
  EXPECT_TRUE(event.levels[0].size.is_zero());
  EXPECT_EQ(event.levels[1].price, *Price::parse("60000.15", 2));
  EXPECT_EQ(event.ts_event, *parse_rfc3339("2024-06-03T14:30:00.611Z"));
}

TEST_F(CoinbaseCodecTest, TradeSideIsTheMakerSoTheAggressorIsTheOpposite) {
  auto message = codec.decode(testing::trades(9), kNow);
  ASSERT_TRUE(message) << message.error().what;
  const auto& trades = std::get<MarketTrades>(message->payload);
  EXPECT_FALSE(trades.snapshot);
  ASSERT_EQ(trades.trades.size(), 1u);
  const TradeTick& trade = trades.trades[0];
  EXPECT_EQ(trade.aggressor, Side::Buy);  // maker SELL → the taker bought
  EXPECT_EQ(trade.price, *Price::parse("60000.20", 2));
  EXPECT_EQ(trade.size, *Quantity::parse("0.004", 8));
  EXPECT_EQ(trade.trade_id.value, "660012345");
  EXPECT_EQ(trade.ts_event, *parse_rfc3339("2024-06-03T14:30:02.701Z"));
  EXPECT_EQ(trade.ts_init, kNow);
}

TEST_F(CoinbaseCodecTest, DecodesHeartbeatsWithStringOrNumberCounters) {
  auto text = codec.decode(testing::heartbeat(7), kNow);
  ASSERT_TRUE(text) << text.error().what;
  EXPECT_EQ(std::get<Heartbeat>(text->payload).counter, 3600u);
  auto number = codec.decode(
      R"({"channel":"heartbeats","sequence_num":8,"events":[{"heartbeat_counter":3601}]})", kNow);
  ASSERT_TRUE(number) << number.error().what;
  EXPECT_EQ(std::get<Heartbeat>(number->payload).counter, 3601u);
}

TEST_F(CoinbaseCodecTest, DecodesSubscriptionsAndErrors) {
  auto ack = codec.decode(
      R"({"channel":"subscriptions","client_id":"","timestamp":"2024-06-03T14:30:00.000000001Z","sequence_num":1,)"
      R"("events":[{"subscriptions":{"level2":["BTC-USD"],"heartbeats":["heartbeats"]}}]})",
      kNow);
  ASSERT_TRUE(ack) << ack.error().what;
  const auto& channels = std::get<Subscriptions>(ack->payload).channels;
  ASSERT_EQ(channels.size(), 2u);
  EXPECT_EQ(channels[0].first, "level2");
  EXPECT_EQ(channels[0].second, std::vector<std::string>{"BTC-USD"});
  auto error = codec.decode(R"({"type":"error","message":"failure to subscribe"})", kNow);
  ASSERT_TRUE(error) << error.error().what;
  EXPECT_FALSE(error->sequence_num);
  EXPECT_EQ(std::get<VenueError>(error->payload).message, "failure to subscribe");
}

TEST_F(CoinbaseCodecTest, ToleratesUnknownFieldsChannelsProductsAndFieldOrder) {
  auto other = codec.decode(R"({"channel":"ticker","sequence_num":4,"events":[{"x":1}]})", kNow);
  ASSERT_TRUE(other);
  EXPECT_EQ(std::get<OtherChannel>(other->payload).channel, "ticker");
  auto unknown = codec.decode(testing::l2_update(5, "DOGE-USD"), kNow);
  ASSERT_TRUE(unknown);
  EXPECT_TRUE(std::get<L2Data>(unknown->payload).events.empty());
  EXPECT_EQ(std::get<L2Data>(unknown->payload).unknown_products,
            std::vector<std::string>{"DOGE-USD"});
  auto reordered = codec.decode(
      R"({"events":[{"updates":[{"new_quantity":"1","price_level":"1.5","side":"ask","new":1}],)"
      R"("product_id":"BTC-USD","type":"update"}],"sequence_num":6,"extra":{},"channel":"l2_data"})",
      kNow);
  ASSERT_TRUE(reordered) << reordered.error().what;
  EXPECT_EQ(std::get<L2Data>(reordered->payload).events.at(0).levels.at(0).side, Side::Sell);
}

struct BadFrame {
  const char* name;
  std::string frame;
  const char* expected_text;
  bool affects_book;
  bool has_sequence;
};

TEST_F(CoinbaseCodecTest, ReportsMalformedFramesWithVenueChannelAndField) {
  const std::vector<BadFrame> cases = {
      {"truncated", testing::l2_update(3).substr(0, 120), "coinbase frame: invalid JSON", true,
       false},
      {"not an object", "[1,2]", "coinbase frame: invalid JSON", true, false},
      {"no channel", R"({"sequence_num":1,"events":[]})", "missing field \"channel\"", true, true},
      {"no sequence", R"({"channel":"l2_data","events":[]})", "missing field \"sequence_num\"",
       true, false},
      {"bad price",
       R"({"channel":"l2_data","sequence_num":3,"events":[{"type":"update","product_id":"BTC-USD",)"
       R"("updates":[{"side":"bid","price_level":"6x","new_quantity":"1"}]}]})",
       "coinbase l2_data BTC-USD: field \"updates\"[0] \"price_level\": \"6x\" is not a decimal",
       true, true},
      {"too precise",
       R"({"channel":"l2_data","sequence_num":3,"events":[{"type":"update","product_id":"BTC-USD",)"
       R"("updates":[{"side":"bid","price_level":"1.001","new_quantity":"1"}]}]})",
       "is not a decimal at precision 2", true, true},
      {"bad side",
       R"({"channel":"l2_data","sequence_num":3,"events":[{"type":"update","product_id":"BTC-USD",)"
       R"("updates":[{"side":"middle","price_level":"1","new_quantity":"1"}]}]})",
       "\"middle\" is not bid/offer", true, true},
      {"unknown event type",
       R"({"channel":"l2_data","sequence_num":3,"events":[{"type":"delta","product_id":"BTC-USD","updates":[]}]})",
       "\"delta\" is not snapshot/update", true, true},
      {"events not array", R"({"channel":"l2_data","sequence_num":3,"events":{}})",
       "field \"events\": not an array", true, true},
      {"bad trade side",
       R"({"channel":"market_trades","sequence_num":3,"events":[{"type":"update","trades":[{"trade_id":"1",)"
       R"("product_id":"BTC-USD","price":"1","size":"1","side":"UP","time":"2024-06-03T14:30:02Z"}]}]})",
       "coinbase market_trades BTC-USD: trade 0 \"side\": \"UP\" is not BUY/SELL", false, true},
      {"bad timestamp", R"({"channel":"heartbeats","sequence_num":3,"timestamp":"yesterday","events":[]})",
       "field \"timestamp\"", false, true},
      {"trailing", R"({"channel":"heartbeats","sequence_num":3,"events":[]} {})", "trailing", true,
       false},
  };
  for (const BadFrame& c : cases) {
    auto decoded = codec.decode(c.frame, kNow);
    ASSERT_FALSE(decoded) << c.name;
    EXPECT_NE(decoded.error().what.find(c.expected_text), std::string::npos)
        << c.name << ": " << decoded.error().what;
    EXPECT_EQ(decoded.error().may_affect_book, c.affects_book) << c.name;
    EXPECT_EQ(decoded.error().sequence_num.has_value(), c.has_sequence) << c.name;
  }
}

TEST(CoinbaseCodecLimits, RefusesOversizedFramesUnparsed) {
  std::vector<Instrument> instruments{testing::btcusd()};
  CodecOptions options;
  options.max_frame_bytes = 64;
  CoinbaseCodec codec(make_instrument_lookup(instruments), options);
  auto decoded = codec.decode(testing::l2_snapshot(1), kNow);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().what.find("exceeds max_frame_bytes=64"), std::string::npos);
  EXPECT_TRUE(decoded.error().may_affect_book);
}

TEST(CoinbaseTimeParsing, ParsesRfc3339VariantsAndRejectsGarbage) {
  EXPECT_EQ(*parse_rfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*parse_rfc3339("2024-06-03T14:30:00.000000001Z"), 1'717'425'000'000'000'001);
  EXPECT_EQ(*parse_rfc3339("2024-06-03T16:30:00+02:00"), 1'717'425'000'000'000'000);
  EXPECT_EQ(*parse_rfc3339("2024-06-03T14:30:00.1234567891Z"), 1'717'425'000'123'456'789);
  for (const char* bad : {"", "2024-06-03", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z",
                          "2024-06-03T14:30:00", "2024-06-03T14:30:00Zx", "1969-12-31T23:59:59Z",
                          "2024-06-03T14:30:00.Z"}) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
}

TEST(CoinbaseSubscription, EncodesOneChannelPerMessage) {
  EXPECT_EQ(encode_subscription("subscribe", "level2", {"BTC-USD", "ETH-USD"}),
            R"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"})");
  EXPECT_EQ(encode_subscription("subscribe", "heartbeats", {}),
            R"({"type":"subscribe","channel":"heartbeats"})");
  EXPECT_EQ(encode_subscription("unsubscribe", "level2", {"BTC-USD"}, "eyJ.x.y"),
            R"({"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"level2","jwt":"eyJ.x.y"})");
}

}  // namespace
}  // namespace troupe::coinbase
