#include "adapters/net/url.hpp"

#include "adapters/net/transport.hpp"

#include <gtest/gtest.h>

namespace troupe::net {
namespace {

TEST(Url, ParseQueryDecodesPercentEscapesAndPlusInOrder) {
  const auto params = parse_query("?symbol=BTC%2FUSDT&note=a+b%20c&flag&&empty=");
  const QueryParams expected{
      {"symbol", "BTC/USDT"}, {"note", "a b c"}, {"flag", ""}, {"empty", ""}};
  EXPECT_EQ(params, expected);
}

TEST(Url, ParseQueryKeepsMalformedEscapesLiterally) {
  const auto params = parse_query("a=%zz&b=100%&c=%4");
  const QueryParams expected{{"a", "%zz"}, {"b", "100%"}, {"c", "%4"}};
  EXPECT_EQ(params, expected);
}

TEST(Url, UrlEncodeKeepsUnreservedCharactersAndEncodesTheRest) {
  EXPECT_EQ(url_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(url_encode(std::string("\0\x7f", 2)), "%00%7F");
}

TEST(Url, BuildQueryRoundTripsThroughParseQuery) {
  const QueryParams params{{"symbol", "BTCUSDT"}, {"note", "x+y z&w=1"}, {"k%", "100%"}};
  const auto query = build_query(params);
  EXPECT_EQ(query, "symbol=BTCUSDT&note=x%2By%20z%26w%3D1&k%25=100%25");
  EXPECT_EQ(parse_query(query), params);
}

TEST(Url, FormBodiesParseLikeQueries) {
  const QueryParams expected{{"side", "BUY"}, {"quantity", "0.001"}};
  EXPECT_EQ(parse_form("side=BUY&quantity=0.001"), expected);
}

TEST(Url, QueryParamReturnsTheFirstDecodedMatchOrNothing) {
  EXPECT_EQ(query_param("a=1&b=x%20y&a=2", "a"), "1");
  EXPECT_EQ(query_param("a=1&b=x%20y", "b"), "x y");
  EXPECT_EQ(query_param("s%74atus=open", "status"), "open");
  EXPECT_EQ(query_param("a=1", "missing"), std::nullopt);
  EXPECT_EQ(query_param("", "a"), std::nullopt);
}

TEST(Transport, FindHeaderIgnoresCase) {
  const Headers headers{{"Content-Type", "text/plain"}, {"x-api-key", "k"}};
  ASSERT_NE(find_header(headers, "content-type"), nullptr);
  EXPECT_EQ(*find_header(headers, "content-type"), "text/plain");
  EXPECT_EQ(*find_header(headers, "X-API-KEY"), "k");
  EXPECT_EQ(find_header(headers, "X-Api-Ke"), nullptr);
}

TEST(Transport, RequestSplitsTargetIntoPathAndQuery) {
  HttpRequest request;
  request.target = "/api/v3/depth?symbol=BTCUSDT&limit=100";
  EXPECT_EQ(request.path(), "/api/v3/depth");
  EXPECT_EQ(request.query(), "symbol=BTCUSDT&limit=100");
  request.target = "/health";
  EXPECT_EQ(request.path(), "/health");
  EXPECT_EQ(request.query(), "");
  request.target = "/x?";
  EXPECT_EQ(request.path(), "/x");
  EXPECT_EQ(request.query(), "");
}

}  // namespace
}  // namespace troupe::net
