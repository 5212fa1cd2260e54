#include "adapters/sim/signing.hpp"

#include "adapters/sim/http_params.hpp"

#include <gtest/gtest.h>

namespace troupe::sim {
namespace {

// exchange-protocols.md §2.5 and §2.10: published and composed HMAC-SHA256 vectors.
constexpr const char* kBinanceSecret =
    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

TEST(Signing, BinancePublishedRestVectorVerifies) {
  const std::string payload =
      "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&"
      "timestamp=1499827319559";
  EXPECT_EQ(hmac_sha256_hex(kBinanceSecret, payload),
            "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
}

TEST(Signing, ComposedRestVectorVerifies) {
  const std::string payload =
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01000000&price=60000.00&"
      "newClientOrderId=cli-0001&recvWindow=5000&timestamp=1718000000000";
  EXPECT_TRUE(signature_valid("sim-secret-0123456789", payload,
                              "bc8911df9a551d9469b5efc164d93b3d141d6a463b5c93a327e402fc35a0f992"));
}

TEST(Signing, WebSocketApiVectorVerifiesOverAlphabeticallySortedParams) {
  const std::string payload = sorted_payload({
      {"symbol", "BTCUSDT"},
      {"side", "SELL"},
      {"type", "LIMIT"},
      {"timeInForce", "GTC"},
      {"quantity", "0.01000000"},
      {"price", "52000.00"},
      {"recvWindow", "100"},
      {"timestamp", "1645423376532"},
      {"apiKey", "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"},
  });
  EXPECT_EQ(hmac_sha256_hex(kBinanceSecret, payload),
            "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24");
}

TEST(Signing, SignatureComparisonIgnoresHexCaseButNotContent) {
  const std::string payload = "a=1&timestamp=2";
  std::string signature = hmac_sha256_hex("k", payload);
  std::string upper = signature;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(signature_valid("k", payload, upper));
  signature[0] = signature[0] == '0' ? '1' : '0';
  EXPECT_FALSE(signature_valid("k", payload, signature));
  EXPECT_FALSE(signature_valid("k", payload, ""));
  EXPECT_FALSE(signature_valid("other", payload, hmac_sha256_hex("k", payload)));
}

TEST(HttpParams, SignedPayloadIsQueryPlusBodyWithoutTheSignaturePair) {
  auto in_query = split_signature("symbol=X&timestamp=1&signature=abc", "");
  EXPECT_EQ(in_query.payload, "symbol=X&timestamp=1");
  EXPECT_EQ(in_query.signature, "abc");
  auto in_body = split_signature("symbol=X", "side=BUY&timestamp=1&signature=def");
  EXPECT_EQ(in_body.payload, "symbol=Xside=BUY&timestamp=1");
  EXPECT_EQ(in_body.signature, "def");
  EXPECT_FALSE(split_signature("a=1", "b=2").signature.has_value());
}

TEST(HttpParams, QueryWinsOverBodyAndValuesArePercentDecoded) {
  auto params = Params::parse("symbol=BTCUSDT&newClientOrderId=a%2Fb", "symbol=ETHUSDT&side=BUY");
  ASSERT_TRUE(params.has_value());
  EXPECT_EQ(params->get("symbol"), "BTCUSDT");
  EXPECT_EQ(params->get("side"), "BUY");
  EXPECT_EQ(params->get("newClientOrderId"), "a/b");
  EXPECT_FALSE(params->get("price").has_value());
}

TEST(HttpParams, MalformedEscapeIsRefusedNamingTheParameter) {
  auto params = Params::parse("symbol=BTC%ZZ", "");
  ASSERT_FALSE(params.has_value());
  EXPECT_NE(params.error().find("'symbol'"), std::string::npos) << params.error();
  EXPECT_FALSE(Params::parse("price=1%2", "").has_value());
}

TEST(HttpParams, TargetSplitsIntoPathAndQueryAndHeadersMatchCaseInsensitively) {
  auto [path, query] = split_target("/api/v3/depth?symbol=BTCUSDT&limit=5");
  EXPECT_EQ(path, "/api/v3/depth");
  EXPECT_EQ(query, "symbol=BTCUSDT&limit=5");
  EXPECT_EQ(split_target("/api/v3/ping").second, "");
  net::Headers headers{{"x-mbx-apikey", "k"}};
  ASSERT_NE(header_value(headers, "X-MBX-APIKEY"), nullptr);
  EXPECT_EQ(*header_value(headers, "X-MBX-APIKEY"), "k");
  EXPECT_EQ(header_value(headers, "Content-Type"), nullptr);
}

}  // namespace
}  // namespace troupe::sim
