#pragma once
// Internal to the config loader: typed, validated reads from a yaml-cpp tree that remember the
// first error with its key and line, and reject keys nobody asked for (typos). Only
// runtime/config_*.cpp include this header.

#include "messages/fixed_point.hpp"
#include "runtime/config_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace troupe::config_detail {

/// Applies one "dotted.key=value" assignment to `root`; on success returns the dotted key.
tl::expected<std::string, ConfigError> apply_override(YAML::Node& root,
                                                      const std::string& assignment);

/// Shared state of one load: the source name, keys set by --set, and the first error.
class ConfigContext {
 public:
  ConfigContext(std::string source, std::set<std::string> overridden_keys);

  /// Records an error at `key` (line taken from `at`) unless an earlier one exists.
  void fail(const std::string& key, const YAML::Node& at, std::string message);
  /// True once any error was recorded.
  bool failed() const { return error_.has_value(); }
  /// The first recorded error.
  const std::optional<ConfigError>& error() const { return error_; }

 private:
  std::string source_;
  std::set<std::string> overridden_;
  std::optional<ConfigError> error_;
};

/// Whether a decimal may be negative, zero or must be positive.
enum class Sign { Any, NonNegative, Positive };

/// One YAML mapping (possibly absent) at dotted path `path`. Every read is optional: an absent
/// key leaves the output untouched (the struct default). Keys a reader never asked about are
/// reported by finish().
class Section {
 public:
  Section(ConfigContext& ctx, const YAML::Node& node, std::string path);

  /// Dotted path of `key` in this section.
  std::string key_path(const std::string& key) const;
  /// True when `key` is present (and marks it known).
  bool has(const std::string& key);
  /// True when `key` is present and holds a mapping (a key that is either a scalar or a
  /// section, like `tls: true` / `tls: {enabled: true, ca_file: ...}`).
  bool has_mapping(const std::string& key);
  /// Records "missing required key" unless `key` is present; returns whether it is.
  bool require(const std::string& key);
  /// Records an error at `key` (its line, or the section's when absent).
  void fail(const std::string& key, std::string message);
  /// Records an error at element `index` of the list under `key` (path `key.index`).
  void fail_item(const std::string& key, std::size_t index, std::string message);
  /// All keys present, in file order (marks them known).
  std::vector<std::string> keys();

  void text(const std::string& key, std::string& out);
  void boolean(const std::string& key, bool& out);
  void number(const std::string& key, double& out, double min, double max);
  /// Reads `key` if its value is one of `allowed`; returns true when it was read.
  bool choice(const std::string& key, std::initializer_list<std::string_view> allowed,
              std::string& out);
  /// A list of scalars.
  void text_list(const std::string& key, std::vector<std::string>& out);

  template <class T>
  void integer(const std::string& key, T& out, T min = std::numeric_limits<T>::min(),
               T max = std::numeric_limits<T>::max());

  /// A decimal parsed exactly at `precision`.
  template <class Tag>
  void decimal(const std::string& key, std::uint8_t precision, FixedPoint<Tag>& out,
               Sign sign = Sign::NonNegative) {
    if (auto raw = decimal_raw(key, precision, sign))
      out = FixedPoint<Tag>::from_raw(*raw, precision);
  }

  /// The mapping under `key` (absent: an empty section).
  Section section(const std::string& key);
  /// The mappings of the list under `key`, with paths `key.0`, `key.1`, ...
  std::vector<Section> sections(const std::string& key);

  /// Reports the first key present that no read asked about.
  void finish();

 private:
  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
  };
  const Entry* find(const std::string& key);
  // The scalar under `key`, ${ENV}-expanded; nullopt when absent or on error.
  std::optional<std::string> scalar(const std::string& key, const char* expected);
  std::optional<std::int64_t> decimal_raw(const std::string& key, std::uint8_t precision,
                                          Sign sign);
  static std::string quoted(const std::string& text);

  ConfigContext* ctx_;
  YAML::Node node_;
  std::string path_;
  std::vector<Entry> entries_;
  std::set<std::string> known_;
};

template <class T>
void Section::integer(const std::string& key, T& out, T min, T max) {
  static_assert(std::is_integral_v<T>);
  auto text = scalar(key, "an integer");
  if (!text) return;
  std::string_view digits = *text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  T value{};
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  const bool negative_unsigned = std::is_unsigned_v<T> && !digits.empty() && digits[0] == '-';
  if ((ec == std::errc::invalid_argument || end != digits.data() + digits.size()) &&
      !negative_unsigned) {
    fail(key, "expected an integer, got " + quoted(*text));
    return;
  }
  if (ec == std::errc::result_out_of_range || negative_unsigned || value < min || value > max) {
    fail(key, "must be between " + std::to_string(+min) + " and " + std::to_string(+max) +
                  ", got " + *text);
    return;
  }
  out = value;
}

}  // namespace troupe::config_detail
