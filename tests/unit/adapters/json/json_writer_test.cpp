#include "adapters/json/json_writer.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <limits>

namespace troupe::json {
namespace {

std::string as_json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(as_json_string("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(as_json_string("\n\r\t\b\f"), R"("\n\r\t\b\f")");
  EXPECT_EQ(as_json_string(std::string("\x01\x1f\0", 3)), R"("\u0001\u001f\u0000")");
  EXPECT_EQ(as_json_string("/ and \x7f stay"), "\"/ and \x7f stay\"");
}

TEST(JsonWriter, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(as_json_string("€ 𝄞 é"), "\"€ 𝄞 é\"");
  EXPECT_EQ(as_json_string("a\xff"
                           "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(as_json_string("\xc3"), R"("\ufffd")");                      // truncated sequence
  EXPECT_EQ(as_json_string("\xc0\xaf"), R"("\ufffd\ufffd")");            // overlong '/'
  EXPECT_EQ(as_json_string("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // UTF-16 surrogate
  simdjson::dom::parser parser;
  EXPECT_FALSE(parser.parse(as_json_string("x\xfe\xc3(y")).error());
}

TEST(JsonWriter, PlacesCommasInNestedContainers) {
  JsonWriter out;
  out.begin_object()
      .field("a", 1)
      .key("list")
      .begin_array()
      .value("x")
      .begin_object()
      .end_object()
      .begin_array()
      .end_array()
      .null()
      .end_array()
      .field("flag", false)
      .null_field("none")
      .end_object();
  EXPECT_EQ(out.str(), R"({"a":1,"list":["x",{},[],null],"flag":false,"none":null})");
}

TEST(JsonWriter, WritesDecimalsAsExactStringsAndIntegersAtTheirLimits) {
  JsonWriter out;
  out.begin_array()
      .value(Price::from_raw(2715012, 2))
      .value(Quantity::from_raw(-5, 8))
      .value(std::numeric_limits<std::int64_t>::min())
      .value(std::numeric_limits<std::uint64_t>::max())
      .end_array();
  EXPECT_EQ(out.take(), R"(["27150.12","-0.00000005",-9223372036854775808,18446744073709551615])");
  EXPECT_EQ(out.str(), "");
}

TEST(JsonWriter, RawInsertsEncodedValuesVerbatimWithCommas) {
  JsonWriter out;
  out.begin_object().key("data").raw(R"({"e":"trade"})").key("id").raw("7").end_object();
  EXPECT_EQ(out.take(), R"({"data":{"e":"trade"},"id":7})");
  EXPECT_EQ(json_quote("a\"b"), R"("a\"b")");
}

}  // namespace
}  // namespace troupe::json
