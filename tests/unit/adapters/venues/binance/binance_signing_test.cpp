// Signing against the published vectors of exchange-protocols.md §2.5 and §2.10.

#include "adapters/venues/binance/binance_signing.hpp"

#include <gtest/gtest.h>

namespace troupe::binance {
namespace {

constexpr std::string_view kPublishedSecret =
    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

TEST(BinanceSigning, MatchesBinancesPublishedRestVector) {
  EXPECT_EQ(hmac_sha256_hex(kPublishedSecret,
                            "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
                            "&recvWindow=5000&timestamp=1499827319559"),
            "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
}

TEST(BinanceSigning, SignsRestParametersInTheOrderGiven) {
  const QueryParams params{{"symbol", "BTCUSDT"},
                           {"side", "BUY"},
                           {"type", "LIMIT"},
                           {"timeInForce", "GTC"},
                           {"quantity", "0.01000000"},
                           {"price", "60000.00"},
                           {"newClientOrderId", "cli-0001"},
                           {"recvWindow", "5000"},
                           {"timestamp", "1718000000000"}};
  EXPECT_EQ(signed_query(params, "sim-secret-0123456789"),
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01000000"
            "&price=60000.00&newClientOrderId=cli-0001&recvWindow=5000&timestamp=1718000000000"
            "&signature=bc8911df9a551d9469b5efc164d93b3d141d6a463b5c93a327e402fc35a0f992");
}

TEST(BinanceSigning, SortsWebSocketApiParametersBeforeSigning) {
  const QueryParams params{
      {"symbol", "BTCUSDT"},
      {"side", "SELL"},
      {"type", "LIMIT"},
      {"timeInForce", "GTC"},
      {"quantity", "0.01000000"},
      {"price", "52000.00"},
      {"recvWindow", "100"},
      {"timestamp", "1645423376532"},
      {"apiKey", "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"}};
  EXPECT_EQ(ws_api_payload(params),
            "apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
            "&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT"
            "&timeInForce=GTC&timestamp=1645423376532&type=LIMIT");
  EXPECT_EQ(ws_api_signature(params, kPublishedSecret),
            "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24");
}

TEST(BinanceSigning, PercentEncodesValuesButNotUnreservedCharacters) {
  EXPECT_EQ(percent_encode("cli-0001_a.b~c"), "cli-0001_a.b~c");
  EXPECT_EQ(percent_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(encode_query({{"a", "1 2"}, {"b", "x"}}), "a=1%202&b=x");
}

}  // namespace
}  // namespace troupe::binance
