#pragma once
// A small streaming JSON writer (API responses, simulated venue frames): objects and arrays built
// in order, commas placed for the caller, strings escaped (quotes, backslashes, control characters;
// invalid UTF-8 becomes U+FFFD so the output is always valid JSON). Decimals are written as
// JSON strings with their exact fixed-point text, never through double.

#include "messages/fixed_point.hpp"

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::json {

/// Appends `text` to `out` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

/// `text` as a JSON string literal, quotes included.
std::string json_quote(std::string_view text);

/// Builds one JSON document. Calls must nest correctly (a key before each value inside an
/// object); misuse is a programming error caught by assertions in debug builds.
class JsonWriter {
 public:
  /// Opens an object ("{").
  JsonWriter& begin_object();
  /// Closes the innermost object ("}").
  JsonWriter& end_object();
  /// Opens an array ("[").
  JsonWriter& begin_array();
  /// Closes the innermost array ("]").
  JsonWriter& end_array();
  /// Writes an object key; the next call writes its value.
  JsonWriter& key(std::string_view name);

  /// A string value.
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  /// true / false.
  JsonWriter& value(bool flag);
  /// An integer value (any width, signed or not).
  template <std::integral T>
  requires(!std::same_as<T, bool>) JsonWriter& value(T number) {
    if constexpr (std::is_signed_v<T>) {
      return integer(static_cast<std::int64_t>(number));
    } else {
      return unsigned_integer(static_cast<std::uint64_t>(number));
    }
  }
  /// A fixed-point decimal as a string with its exact text ("27150.12").
  template <class Tag>
  JsonWriter& value(const FixedPoint<Tag>& decimal) {
    return value(std::string_view(decimal.to_string()));
  }
  /// null.
  JsonWriter& null();
  /// An already encoded JSON value, inserted verbatim (the caller guarantees it is valid).
  JsonWriter& raw(std::string_view json);

  /// key(name) then value(v).
  template <class T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  /// key(name) then null().
  JsonWriter& null_field(std::string_view name) {
    key(name);
    return null();
  }

  /// The document so far.
  const std::string& str() const { return out_; }
  /// Moves the document out; the writer is then empty.
  std::string take();

 private:
  JsonWriter& integer(std::int64_t number);
  JsonWriter& unsigned_integer(std::uint64_t number);
  /// Writes the comma before a value or key where one is needed.
  void separate();

  std::string out_;
  /// One entry per open container: whether it already holds an item.
  std::vector<bool> has_items_;
  bool after_key_ = false;
};

}  // namespace troupe::json
