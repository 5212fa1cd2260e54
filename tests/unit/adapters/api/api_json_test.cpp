#include "adapters/api/api_json.hpp"

#include <gtest/gtest.h>

namespace troupe::api {
namespace {

TEST(ApiJson, Rfc3339WritesUtcWithNanoseconds) {
  EXPECT_EQ(rfc3339(1'709'294'400'123'456'789), "2024-03-01T12:00:00.123456789Z");
  EXPECT_EQ(rfc3339(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(rfc3339(-1), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(rfc3339(951'782'400'000'000'000), "2000-02-29T00:00:00.000000000Z");
}

TEST(ApiJson, ErrorBodyNamesFieldOrReasonWhenGiven) {
  EXPECT_EQ(error_json(404, "no route"), R"({"code":404,"message":"no route"})");
  EXPECT_EQ(error_json(422, "qty is required", "qty"),
            R"({"code":422,"field":"qty","message":"qty is required"})");
  EXPECT_EQ(error_json(403, "too big", {}, "max_order_notional"),
            R"({"code":403,"reason":"max_order_notional","message":"too big"})");
}

}  // namespace
}  // namespace troupe::api
