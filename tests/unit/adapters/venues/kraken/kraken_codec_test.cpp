// KrakenCodec on the reference's example frames (§4.1-§4.3) and on malformed, truncated,
// unknown and oversized frames.

#include "adapters/venues/kraken/kraken_codec.hpp"

#include <gtest/gtest.h>

#include "kraken_test_support.hpp"

namespace troupe::kraken {
namespace {

constexpr TimestampNs kNow = 1'717'425'000'000'000'000;

class KrakenCodecTest : public ::testing::Test {
 protected:
  tl::expected<KrakenMessage, DecodeError> decode(std::string_view frame) {
    return codec.decode(frame, kNow);
  }
  template <class T>
  T decode_as(std::string_view frame) {
    auto decoded = decode(frame);
    EXPECT_TRUE(decoded) << (decoded ? "" : decoded.error().what);
    EXPECT_TRUE(decoded && std::holds_alternative<T>(*decoded));
    return decoded && std::holds_alternative<T>(*decoded) ? std::get<T>(*decoded) : T{};
  }

  std::vector<Instrument> instruments{testing::ethusd(), testing::btcusd()};
  KrakenCodec codec{make_instrument_lookup(instruments)};
};

TEST_F(KrakenCodecTest, DecodesTheBookSnapshotExampleExactly) {
  auto frame = decode_as<BookFrame>(testing::kEthSnapshot);
  ASSERT_EQ(frame.books.size(), 1u);
  const BookMessage& book = frame.books[0];
  EXPECT_TRUE(book.snapshot);
  EXPECT_EQ(book.instrument, testing::ethusd().id);
  ASSERT_EQ(book.bids.size(), 3u);
  ASSERT_EQ(book.asks.size(), 3u);
  EXPECT_EQ(book.bids[0].price, Price::from_raw(300025, 2));
  EXPECT_EQ(book.bids[2].size, Quantity::from_raw(12000, 8));
  EXPECT_EQ(book.asks[0].price, Price::from_raw(300050, 2));
  EXPECT_EQ(book.asks[0].size, Quantity::from_raw(125000000, 8));
  EXPECT_EQ(book.checksum, 2927590739U);
  EXPECT_EQ(book.ts_event, 1'717'425'000'100'000'000);
}

TEST_F(KrakenCodecTest, DecodesTheBookUpdateExampleWithAZeroQuantity) {
  auto frame = decode_as<BookFrame>(testing::kEthUpdate);
  ASSERT_EQ(frame.books.size(), 1u);
  EXPECT_FALSE(frame.books[0].snapshot);
  ASSERT_EQ(frame.books[0].asks.size(), 1u);
  EXPECT_TRUE(frame.books[0].asks[0].size.is_zero());
  EXPECT_EQ(frame.books[0].checksum, 2170461505U);
}

TEST_F(KrakenCodecTest, DecodesTheTradeExample) {
  auto frame = decode_as<TradeFrame>(testing::kEthTrade);
  ASSERT_EQ(frame.trades.size(), 1u);
  const TradeTick& trade = frame.trades[0];
  EXPECT_EQ(trade.instrument, testing::ethusd().id);
  EXPECT_EQ(trade.aggressor, Side::Buy);
  EXPECT_EQ(trade.price, Price::from_raw(300050, 2));
  EXPECT_EQ(trade.size, Quantity::from_raw(25000000, 8));
  EXPECT_EQ(trade.trade_id.value, "4665846");
  EXPECT_EQ(trade.ts_event, 1'717'425'000'300'123'000);
  EXPECT_EQ(trade.ts_init, kNow);
}

TEST_F(KrakenCodecTest, DecodesConnectionLevelMessages) {
  decode_as<Heartbeat>(R"({"channel":"heartbeat"})");
  auto status = decode_as<SystemStatus>(
      R"({"channel":"status","type":"update","data":[{"version":"2.0.0","system":"online","api_version":"v2","connection_id":1234567890}]})");
  EXPECT_EQ(status.system, "online");
  EXPECT_EQ(status.api_version, "v2");
  EXPECT_EQ(status.connection_id, 1234567890u);
  auto pong = decode_as<MethodResponse>(
      R"({"method":"pong","req_id":101,"time_in":"2024-06-03T14:30:00.000100Z","time_out":"2024-06-03T14:30:00.000200Z"})");
  EXPECT_EQ(pong.method, "pong");
  EXPECT_EQ(pong.req_id, 101);
}

TEST_F(KrakenCodecTest, DecodesSubscribeAcksAndErrors) {
  auto ack = decode_as<MethodResponse>(
      R"({"method":"subscribe","result":{"channel":"book","depth":10,"snapshot":true,"symbol":"ETH/USD"},"success":true,"req_id":7,"time_in":"2024-06-03T14:30:00.000100Z","time_out":"2024-06-03T14:30:00.000200Z"})");
  EXPECT_TRUE(ack.success);
  EXPECT_EQ(ack.channel, "book");
  EXPECT_EQ(ack.symbol, "ETH/USD");
  EXPECT_EQ(ack.req_id, 7);
  auto refused = decode_as<MethodResponse>(
      R"({"error":"Currency pair not supported","method":"subscribe","req_id":8,"success":false,"symbol":"ABC/USD"})");
  EXPECT_FALSE(refused.success);
  EXPECT_EQ(refused.error, "Currency pair not supported");
  EXPECT_EQ(refused.symbol, "ABC/USD");
  auto limited = decode_as<MethodResponse>(
      R"({"error":"Exceeded msg rate","method":"subscribe","req_id":9,"success":false})");
  EXPECT_EQ(limited.error, "Exceeded msg rate");
  EXPECT_EQ(limited.req_id, 9);
}

TEST_F(KrakenCodecTest, DecodesABareVenueErrorAsARefusalOfNoNamedRequest) {
  for (const char* frame :
       {R"({"error":"Exceeded msg rate"})", R"({"Error":"Exceeded msg rate"})"}) {
    auto bare = decode_as<MethodResponse>(frame);
    EXPECT_FALSE(bare.success) << frame;
    EXPECT_EQ(bare.method, "") << frame;
    EXPECT_EQ(bare.error, "Exceeded msg rate") << frame;
    EXPECT_FALSE(bare.req_id.has_value()) << frame;
  }
}

TEST_F(KrakenCodecTest, ToleratesUnknownChannelsAndFields) {
  auto unknown = decode_as<UnknownMessage>(R"({"channel":"ohlc","type":"update","data":[]})");
  EXPECT_NE(unknown.description.find("ohlc"), std::string::npos);
  auto frame = decode_as<BookFrame>(
      R"({"channel":"book","type":"update","new":1,"data":[{"symbol":"ETH/USD","extra":[1,2],"bids":[{"price":1.00,"qty":1,"x":true}],"asks":[],"checksum":1}]})");
  ASSERT_EQ(frame.books.size(), 1u);
  EXPECT_EQ(frame.books[0].ts_event, kNow);  // no timestamp: time of receipt
}

struct BadFrame {
  const char* name;
  std::string frame;
  std::string expected_text;
  std::string symbol;
  bool may_affect_book;
};

TEST_F(KrakenCodecTest, ReportsMalformedFramesWithVenueChannelAndField) {
  const std::vector<BadFrame> cases = {
      {"not json", "{\"channel\":", "kraken frame: invalid JSON", "", true},
      {"truncated book", testing::kEthSnapshot.substr(0, 80), "kraken", "", true},
      {"no channel or method", R"({"foo":1})", "neither", "", true},
      {"price as string",
       R"({"channel":"book","type":"update","data":[{"symbol":"ETH/USD","bids":[{"price":"3000.30","qty":1}],"asks":[],"checksum":1}]})",
       "kraken book ETH/USD: field \"bids[0].price\": not a number", "ETH/USD", true},
      {"too many decimals",
       R"({"channel":"book","type":"update","data":[{"symbol":"ETH/USD","bids":[{"price":3000.305,"qty":1}],"asks":[],"checksum":1}]})",
       "bids[0].price", "ETH/USD", true},
      {"negative qty",
       R"({"channel":"book","type":"update","data":[{"symbol":"ETH/USD","bids":[{"price":3000.30,"qty":-1}],"asks":[],"checksum":1}]})",
       "is negative", "ETH/USD", true},
      {"checksum over 32 bits",
       R"({"channel":"book","type":"update","data":[{"symbol":"ETH/USD","bids":[],"asks":[],"checksum":4294967296}]})",
       "exceeds 32 bits", "ETH/USD", true},
      {"missing checksum",
       R"({"channel":"book","type":"update","data":[{"symbol":"ETH/USD","bids":[],"asks":[]}]})",
       "no \"checksum\"", "ETH/USD", true},
      {"bad type", R"({"channel":"book","type":"delta","data":[]})", "kraken book: field \"type\"",
       "", true},
      {"unknown symbol",
       R"({"channel":"book","type":"update","data":[{"symbol":"DOGE/USD","bids":[],"asks":[],"checksum":1}]})",
       "unknown symbol", "", false},
      {"bad timestamp",
       R"({"channel":"book","type":"update","data":[{"symbol":"ETH/USD","bids":[],"asks":[],"checksum":1,"timestamp":"yesterday"}]})",
       "not an RFC 3339 time", "ETH/USD", true},
      {"bad trade side",
       R"({"channel":"trade","type":"update","data":[{"symbol":"ETH/USD","side":"up","price":1.00,"qty":1,"trade_id":1}]})",
       "kraken trade ETH/USD: field \"side\"", "ETH/USD", false},
      {"trade without id",
       R"({"channel":"trade","type":"update","data":[{"symbol":"ETH/USD","side":"buy","price":1.00,"qty":1}]})",
       "needs symbol", "ETH/USD", false},
      {"oversized", "{\"channel\":\"book\",\"pad\":\"" + std::string(kMaxFrameBytes, 'x') + "\"}",
       "exceeds the", "", true},
  };
  for (const BadFrame& c : cases) {
    auto decoded = decode(c.frame);
    ASSERT_FALSE(decoded) << c.name;
    EXPECT_NE(decoded.error().what.find(c.expected_text), std::string::npos)
        << c.name << ": " << decoded.error().what;
    EXPECT_EQ(decoded.error().symbol, c.symbol) << c.name;
    EXPECT_EQ(decoded.error().may_affect_book, c.may_affect_book) << c.name;
  }
}

TEST_F(KrakenCodecTest, EncodesSubscribeRequestsAsTheReferenceShows) {
  EXPECT_EQ(
      encode_subscribe(ChannelRequest{"book", {"ETH/USD"}, 10, true, 7}),
      R"({"method":"subscribe","params":{"channel":"book","symbol":["ETH/USD"],"depth":10,"snapshot":true},"req_id":7})");
  EXPECT_EQ(
      encode_unsubscribe(ChannelRequest{"trade", {"ETH/USD", "BTC/USD"}, {}, {}, 8}),
      R"({"method":"unsubscribe","params":{"channel":"trade","symbol":["ETH/USD","BTC/USD"]},"req_id":8})");
  EXPECT_EQ(encode_ping(101), R"({"method":"ping","req_id":101})");
}

}  // namespace
}  // namespace troupe::kraken
