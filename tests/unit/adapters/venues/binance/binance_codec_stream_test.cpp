// BinanceCodec on market-data frames: the documented shapes of exchange-protocols.md §2.2 and
// §2.6, and malformed, truncated, unknown and oversized input.

#include "adapters/venues/binance/binance_codec.hpp"

#include <gtest/gtest.h>

#include "binance_test_support.hpp"

namespace troupe::binance {
namespace {

using testing::btcusdt;

class BinanceStreamCodec : public ::testing::Test {
 protected:
  std::vector<Instrument> instruments{btcusdt()};
  BinanceCodec codec{make_instrument_lookup(instruments)};
  static constexpr TimestampNs kNow = 1'718'000'000'500'000'000;

  template <class T>
  T decode_as(std::string_view frame) {
    auto decoded = codec.decode_stream(frame, kNow);
    EXPECT_TRUE(decoded.has_value()) << (decoded ? "" : decoded.error().what);
    if (!decoded) return T{};
    EXPECT_TRUE(std::holds_alternative<T>(*decoded));
    return std::holds_alternative<T>(*decoded) ? std::get<T>(*decoded) : T{};
  }

  DecodeError error_of(std::string_view frame) {
    auto decoded = codec.decode_stream(frame, kNow);
    EXPECT_FALSE(decoded.has_value());
    return decoded ? DecodeError{} : decoded.error();
  }
};

constexpr std::string_view kDepthExample =
    R"({"e":"depthUpdate","E":1718000000123,"s":"BTCUSDT","U":157,"u":160,)"
    R"("b":[["60000.10","0.00000000"],["59999.90","0.75000000"]],"a":[["60000.20","0.10000000"]]})";

TEST_F(BinanceStreamCodec, DecodesTheDocumentedRawDepthUpdate) {
  auto update = decode_as<DepthUpdate>(kDepthExample);
  EXPECT_EQ(update.instrument.symbol, "BTCUSDT");
  EXPECT_EQ(update.first_update_id, 157u);
  EXPECT_EQ(update.final_update_id, 160u);
  EXPECT_EQ(update.ts_event, 1'718'000'000'123'000'000);
  ASSERT_EQ(update.deltas.size(), 3u);
  EXPECT_EQ(update.deltas[0].side, Side::Buy);
  EXPECT_EQ(update.deltas[0].price, Price::from_raw(6000010, 2));
  EXPECT_TRUE(update.deltas[0].size.is_zero());
  EXPECT_EQ(update.deltas[1].size, Quantity::from_raw(75000000, 8));
  EXPECT_EQ(update.deltas[2].side, Side::Sell);
  EXPECT_EQ(update.deltas[2].price, Price::from_raw(6000020, 2));
}

TEST_F(BinanceStreamCodec, DecodesTheSameDepthUpdateFromACombinedStreamFrame) {
  const std::string frame =
      R"({"stream":"btcusdt@depth@100ms","data":)" + std::string(kDepthExample) + "}";
  auto update = decode_as<DepthUpdate>(frame);
  EXPECT_EQ(update.first_update_id, 157u);
  EXPECT_EQ(update.deltas.size(), 3u);
}

TEST_F(BinanceStreamCodec, AcceptsFieldsInAnyOrderAndIgnoresUnknownOnes) {
  auto update = decode_as<DepthUpdate>(
      R"({"b":[["1.00","2"]],"a":[],"x":{"nested":[1,2]},"u":9,"U":8,"s":"BTCUSDT",)"
      R"("E":5,"e":"depthUpdate"})");
  EXPECT_EQ(update.first_update_id, 8u);
  ASSERT_EQ(update.deltas.size(), 1u);
  EXPECT_EQ(update.deltas[0].size, Quantity::from_raw(200000000, 8));
}

TEST_F(BinanceStreamCodec, DecodesATradeWhoseBuyerWasTakerAsABuyAggressor) {
  auto trade = decode_as<TradeTick>(
      R"({"e":"trade","E":1718000000200,"s":"BTCUSDT","t":99001,"p":"60000.00",)"
      R"("q":"0.00400000","T":1718000000199,"m":false,"M":true})");
  EXPECT_EQ(trade.instrument.symbol, "BTCUSDT");
  EXPECT_EQ(trade.price, Price::from_raw(6000000, 2));
  EXPECT_EQ(trade.size, Quantity::from_raw(400000, 8));
  EXPECT_EQ(trade.aggressor, Side::Buy);
  EXPECT_EQ(trade.trade_id.value, "99001");
  EXPECT_EQ(trade.ts_event, 1'718'000'000'199'000'000);
  EXPECT_EQ(trade.ts_init, kNow);
}

TEST_F(BinanceStreamCodec, DecodesATradeWhoseBuyerWasMakerAsASellAggressor) {
  auto trade = decode_as<TradeTick>(
      R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":7,)"
      R"("p":"1.00","q":"1","T":1,"m":true,"M":true,"b":88,"a":50}})");
  EXPECT_EQ(trade.aggressor, Side::Sell);
}

TEST_F(BinanceStreamCodec, DecodesTheDocumentedBookTickerIntoAQuote) {
  auto quote = decode_as<QuoteTick>(
      R"({"u":400900217,"s":"BTCUSDT","b":"60000.10","B":"0.50000000","a":"60000.20",)"
      R"("A":"0.30000000"})");
  EXPECT_EQ(quote.bid_price, Price::from_raw(6000010, 2));
  EXPECT_EQ(quote.bid_size, Quantity::from_raw(50000000, 8));
  EXPECT_EQ(quote.ask_price, Price::from_raw(6000020, 2));
  EXPECT_EQ(quote.ask_size, Quantity::from_raw(30000000, 8));
  EXPECT_EQ(quote.ts_event, kNow);
}

TEST_F(BinanceStreamCodec, DecodesSubscribeResultsAndControlErrors) {
  EXPECT_EQ(decode_as<SubscribeResult>(R"({"result":null,"id":1})").id, "1");
  auto error = decode_as<ControlError>(R"({"code":2,"msg":"Invalid request: bad","id":"x9"})");
  EXPECT_EQ(error.code, 2);
  EXPECT_EQ(error.message, "Invalid request: bad");
  EXPECT_EQ(error.id, "x9");
}

TEST_F(BinanceStreamCodec, RecognisesServerShutdownRawAndCombined) {
  EXPECT_EQ(decode_as<ServerShutdown>(R"({"e":"serverShutdown","E":1718000000000})").ts_event,
            1'718'000'000'000'000'000);
  decode_as<ServerShutdown>(R"({"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1}})");
}

TEST_F(BinanceStreamCodec, ReportsUnknownEventTypesWithoutFailing) {
  EXPECT_EQ(decode_as<UnknownEvent>(R"({"e":"kline","E":1,"s":"BTCUSDT","k":{"t":1}})").event_type,
            "kline");
  // aggTrade reuses "a" as a number: still just an unknown event, not a type error.
  EXPECT_EQ(decode_as<UnknownEvent>(R"({"e":"aggTrade","E":1,"s":"BTCUSDT","a":12345,"p":"1"})")
                .event_type,
            "aggTrade");
}

TEST_F(BinanceStreamCodec, NamesTheFieldIndexAndTextOfABadDecimal) {
  auto error = error_of(R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"a":[],)"
                        R"("b":[["1.00","1"],["2.00","1"],["3.00","1"],["12.3x","1"]]})");
  EXPECT_EQ(error.what,
            R"(binance depthUpdate BTCUSDT: field "b"[3][0]: "12.3x" is not a decimal)");
  EXPECT_TRUE(error.may_affect_book);
  EXPECT_EQ(error.symbol, "BTCUSDT");
}

TEST_F(BinanceStreamCodec, RefusesPricesWithMoreDecimalsThanTheInstrument) {
  auto error =
      error_of(R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[["1.001","1"]]})");
  EXPECT_EQ(error.what,
            R"(binance depthUpdate BTCUSDT: field "a"[0][0]: "1.001" has more than 2 decimals)");
}

TEST_F(BinanceStreamCodec, NamesAMissingField) {
  auto error = error_of(R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","u":2,"b":[],"a":[]})");
  EXPECT_EQ(error.what, R"(binance depthUpdate BTCUSDT: missing field "U")");
  EXPECT_TRUE(error.may_affect_book);
}

TEST_F(BinanceStreamCodec, NamesAFieldOfTheWrongType) {
  auto error = error_of(R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":"1","u":2,"b":[],"a":[]})");
  EXPECT_EQ(error.what, R"(binance depthUpdate BTCUSDT: field "U": not an unsigned integer)");
}

TEST_F(BinanceStreamCodec, RefusesALevelThatIsNotAPair) {
  auto error =
      error_of(R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[["1.00"]],"a":[]})");
  EXPECT_NE(error.what.find(R"(field "b"[0]: expected [price, quantity], got 1 element(s))"),
            std::string::npos)
      << error.what;
}

TEST_F(BinanceStreamCodec, RefusesAnUpdateWhoseFirstIdExceedsItsLastId) {
  auto error = error_of(R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":9,"u":2,"b":[],"a":[]})");
  EXPECT_NE(error.what.find("U=9 is greater than u=2"), std::string::npos) << error.what;
}

TEST_F(BinanceStreamCodec, RefusesUnknownSymbols) {
  auto error =
      error_of(R"({"e":"trade","E":1,"s":"DOGEUSDT","t":1,"p":"1","q":"1","T":1,"m":true})");
  EXPECT_EQ(error.what, "binance trade DOGEUSDT: unknown symbol");
  EXPECT_FALSE(error.may_affect_book);
}

TEST_F(BinanceStreamCodec, TruncatedCombinedDepthFrameNamesItsSymbolForResync) {
  auto error = error_of(
      R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1)");
  EXPECT_TRUE(error.may_affect_book);
  EXPECT_EQ(error.symbol, "BTCUSDT");
  EXPECT_NE(error.what.find("invalid JSON"), std::string::npos) << error.what;
}

TEST_F(BinanceStreamCodec, TruncatedFrameOfUnknownKindMayAffectEveryBook) {
  auto error = error_of(R"({"e":"depthUp)");
  EXPECT_TRUE(error.may_affect_book);
  EXPECT_TRUE(error.symbol.empty());
}

TEST_F(BinanceStreamCodec, TruncatedTradeFrameDoesNotAffectBooks) {
  auto error = error_of(R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTC)");
  EXPECT_FALSE(error.may_affect_book);
  EXPECT_NE(error.what.find("binance"), std::string::npos);
}

TEST_F(BinanceStreamCodec, RefusesFramesThatAreNotJsonObjects) {
  for (std::string_view frame : {"[1,2]", "42", "\"text\"", "", "   ", "\x01\x02\xff garbage",
                                 "{\"e\":\"trade\"} {\"e\":\"trade\"}", "{\"e\":tru}"}) {
    auto decoded = codec.decode_stream(frame, kNow);
    EXPECT_FALSE(decoded.has_value()) << frame;
    if (!decoded) {
      EXPECT_EQ(decoded.error().what.rfind("binance", 0), 0u) << decoded.error().what;
    }
  }
}

TEST_F(BinanceStreamCodec, RefusesOversizedFramesBeforeParsing) {
  const std::string frame(kMaxFrameBytes + 1, '{');
  auto error = error_of(frame);
  EXPECT_NE(error.what.find("exceeds the 1048576-byte limit"), std::string::npos) << error.what;
}

TEST_F(BinanceStreamCodec, KeepsDecodingAfterABadFrame) {
  error_of(R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[["x","1"]],"a":[]})");
  EXPECT_EQ(decode_as<DepthUpdate>(kDepthExample).final_update_id, 160u);
}

TEST_F(BinanceStreamCodec, DecodesTheDocumentedDepthSnapshot) {
  auto snapshot = codec.decode_depth_snapshot(testing::snapshot_body(160), instruments[0], kNow);
  ASSERT_TRUE(snapshot.has_value()) << snapshot.error().what;
  EXPECT_EQ(snapshot->sequence, 160u);
  ASSERT_EQ(snapshot->bids.size(), 2u);
  EXPECT_EQ(snapshot->bids[0].price, Price::from_raw(6000010, 2));
  EXPECT_EQ(snapshot->asks[1].size, Quantity::from_raw(200000000, 8));
  EXPECT_EQ(snapshot->ts_init, kNow);
}

TEST_F(BinanceStreamCodec, NamesTheSymbolAndFieldOfABadSnapshot) {
  auto snapshot = codec.decode_depth_snapshot(
      R"({"lastUpdateId":1,"bids":[["1.00","1"]],"asks":[["1.00","-1"]]})", instruments[0], kNow);
  ASSERT_FALSE(snapshot.has_value());
  EXPECT_EQ(snapshot.error().what,
            R"(binance depth snapshot BTCUSDT: field "asks"[0][1]: "-1" is a negative quantity)");
  auto missing = codec.decode_depth_snapshot(R"({"bids":[],"asks":[]})", instruments[0], kNow);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().what,
            R"(binance depth snapshot BTCUSDT: missing field "lastUpdateId")");
}

}  // namespace
}  // namespace troupe::binance
