#pragma once
// A minimal streaming JSON writer for the simulated venue's responses and stream frames.
// Commas are inserted automatically; strings are escaped per RFC 8259.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::sim {

/// Builds one JSON text. Calls must nest properly (broken nesting aborts).
class JsonWriter {
 public:
  /// Opens `{` (as a value: after a key, in an array, or at top level).
  JsonWriter& begin_object();
  /// Closes the innermost object.
  JsonWriter& end_object();
  /// Opens `[`.
  JsonWriter& begin_array();
  /// Closes the innermost array.
  JsonWriter& end_array();
  /// Writes an object key; the next call writes its value.
  JsonWriter& key(std::string_view name);
  /// A string value (escaped).
  JsonWriter& value(std::string_view text);
  /// A string value (escaped); keeps literals from converting to bool.
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  /// A string value (escaped).
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  /// An integer value.
  JsonWriter& value(std::int64_t number);
  /// An unsigned integer value.
  JsonWriter& value(std::uint64_t number);
  /// An integer value.
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  /// `true` or `false`.
  JsonWriter& value(bool flag);
  /// `null`.
  JsonWriter& null();
  /// Inserts `json` verbatim as one value (it must be valid JSON).
  JsonWriter& raw(std::string_view json);

  /// key(name) then value(v).
  template <class T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  /// The text written so far; the writer is left empty.
  std::string take();

 private:
  void before_value();

  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

/// `text` as a quoted, escaped JSON string.
std::string json_quote(std::string_view text);

}  // namespace troupe::sim
