#include "runtime/config_reader.hpp"

#include <cmath>
#include <cstdlib>

namespace troupe::config_detail {
namespace {

int line_of(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  return node.Mark().line + 1;  // yaml-cpp lines are 0-based; a null mark (-1) gives 0
}

std::string kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing (null)";
    case YAML::NodeType::Scalar:
      return "\"" + node.Scalar() + "\"";
    default:
      return "nothing";
  }
}

std::string format_number(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    auto dot = key.find('.', start);
    parts.push_back(key.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::optional<std::size_t> parse_index(const std::string& text) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

ConfigError override_error(const std::string& key, std::string message) {
  return ConfigError{key, 0, std::move(message), "--set"};
}

}  // namespace

tl::expected<std::string, ConfigError> apply_override(YAML::Node& root,
                                                      const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    return tl::make_unexpected(
        override_error("", "expected key=value, got \"" + assignment + "\""));
  const std::string key = assignment.substr(0, eq);
  const auto parts = split_key(key);
  for (const auto& part : parts)
    if (part.empty()) return tl::make_unexpected(override_error(key, "empty key segment"));
  YAML::Node value;
  try {
    value = eq + 1 == assignment.size() ? YAML::Node(std::string())
                                        : YAML::Load(assignment.substr(eq + 1));
  } catch (const YAML::Exception& e) {
    return tl::make_unexpected(override_error(key, "invalid value: " + e.msg));
  }
  if (!root.IsDefined() || root.IsNull()) root.reset(YAML::Node(YAML::NodeType::Map));
  if (!root.IsMap())
    return tl::make_unexpected(override_error(key, "the document is not a mapping"));
  // Walk with reset(): assigning one yaml-cpp Node handle to another would overwrite the
  // referenced node instead of moving the handle.
  YAML::Node cur;
  cur.reset(root);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    if (cur.IsScalar())
      return tl::make_unexpected(override_error(key, "\"" + parts[i] + "\" is below a scalar"));
    if (cur.IsSequence()) {
      auto idx = parse_index(parts[i]);
      if (!idx || *idx > cur.size())
        return tl::make_unexpected(override_error(key, "list index \"" + parts[i] +
                                                           "\" out of range (size " +
                                                           std::to_string(cur.size()) + ")"));
      if (*idx == cur.size())
        cur.push_back(last ? value : YAML::Node(YAML::NodeType::Map));
      else if (last)
        cur[*idx] = value;
      YAML::Node next = cur[*idx];
      cur.reset(next);
      continue;
    }
    if (last) {
      cur[parts[i]] = value;
    } else {
      YAML::Node next = cur[parts[i]];
      cur.reset(next);
    }
  }
  return key;
}

ConfigContext::ConfigContext(std::string source, std::set<std::string> overridden_keys)
    : source_(std::move(source)), overridden_(std::move(overridden_keys)) {}

void ConfigContext::fail(const std::string& key, const YAML::Node& at, std::string message) {
  if (error_) return;
  for (const auto& o : overridden_) {
    if (key == o || key.rfind(o + ".", 0) == 0) {
      error_ = ConfigError{key, 0, std::move(message), "--set"};
      return;
    }
  }
  error_ = ConfigError{key, line_of(at), std::move(message), source_};
}

Section::Section(ConfigContext& ctx, const YAML::Node& node, std::string path)
    : ctx_(&ctx), node_(node), path_(std::move(path)) {
  if (!node_.IsDefined() || node_.IsNull()) return;
  if (!node_.IsMap()) {
    ctx_->fail(path_, node_, "expected a mapping, got " + kind_of(node_));
    return;
  }
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (!it->first.IsScalar()) {
      ctx_->fail(path_, it->first, "keys must be plain names");
      return;
    }
    const std::string key = it->first.Scalar();
    for (const auto& e : entries_)
      if (e.key == key) {
        ctx_->fail(key_path(key), it->first,
                   "duplicate key (first at line " + std::to_string(line_of(e.key_node)) + ")");
        return;
      }
    entries_.push_back(Entry{key, it->first, it->second});
  }
}

std::string Section::key_path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

const Section::Entry* Section::find(const std::string& key) {
  known_.insert(key);
  for (const auto& e : entries_)
    if (e.key == key) return &e;
  return nullptr;
}

bool Section::has(const std::string& key) { return find(key) != nullptr; }

bool Section::has_mapping(const std::string& key) {
  const Entry* e = find(key);
  return e != nullptr && e->value.IsMap();
}

bool Section::require(const std::string& key) {
  if (has(key)) return true;
  ctx_->fail(key_path(key), node_, "missing required key");
  return false;
}

void Section::fail(const std::string& key, std::string message) {
  const Entry* e = find(key);
  ctx_->fail(key_path(key), e ? e->value : node_, std::move(message));
}

void Section::fail_item(const std::string& key, std::size_t index, std::string message) {
  const Entry* e = find(key);
  const std::string path = key_path(key) + "." + std::to_string(index);
  if (e != nullptr && e->value.IsSequence() && index < e->value.size())
    ctx_->fail(path, e->value[index], std::move(message));
  else
    ctx_->fail(path, e ? e->value : node_, std::move(message));
}

std::vector<std::string> Section::keys() {
  std::vector<std::string> out;
  for (const auto& e : entries_) {
    known_.insert(e.key);
    out.push_back(e.key);
  }
  return out;
}

std::string Section::quoted(const std::string& text) { return "\"" + text + "\""; }

std::optional<std::string> Section::scalar(const std::string& key, const char* expected) {
  const Entry* e = find(key);
  if (!e) return std::nullopt;
  if (!e->value.IsScalar()) {
    ctx_->fail(key_path(key), e->value,
               std::string("expected ") + expected + ", got " + kind_of(e->value));
    return std::nullopt;
  }
  auto expanded = expand_environment(e->value.Scalar());
  if (!expanded) {
    ctx_->fail(key_path(key), e->value, expanded.error());
    return std::nullopt;
  }
  return *expanded;
}

void Section::text(const std::string& key, std::string& out) {
  const Entry* e = find(key);
  if (e && e->value.IsNull()) {  // `api_key:` with nothing after it means empty
    out.clear();
    return;
  }
  if (auto t = scalar(key, "a string")) out = *t;
}

void Section::boolean(const std::string& key, bool& out) {
  auto t = scalar(key, "true or false");
  if (!t) return;
  if (*t == "true" || *t == "True" || *t == "TRUE" || *t == "yes" || *t == "on")
    out = true;
  else if (*t == "false" || *t == "False" || *t == "FALSE" || *t == "no" || *t == "off")
    out = false;
  else
    fail(key, "expected true or false, got " + quoted(*t));
}

void Section::number(const std::string& key, double& out, double min, double max) {
  auto t = scalar(key, "a number");
  if (!t) return;
  char* end = nullptr;
  const double v = std::strtod(t->c_str(), &end);
  if (t->empty() || end != t->c_str() + t->size() || !std::isfinite(v)) {
    fail(key, "expected a number, got " + quoted(*t));
    return;
  }
  if (v < min || v > max) {
    fail(key,
         "must be between " + format_number(min) + " and " + format_number(max) + ", got " + *t);
    return;
  }
  out = v;
}

bool Section::choice(const std::string& key, std::initializer_list<std::string_view> allowed,
                     std::string& out) {
  auto t = scalar(key, "a name");
  if (!t) return false;
  std::string list;
  for (auto a : allowed) {
    if (*t == a) {
      out = *t;
      return true;
    }
    list += (list.empty() ? "" : "|") + std::string(a);
  }
  fail(key, "expected one of " + list + ", got " + quoted(*t));
  return false;
}

void Section::text_list(const std::string& key, std::vector<std::string>& out) {
  const Entry* e = find(key);
  if (!e) return;
  if (!e->value.IsSequence()) {
    ctx_->fail(key_path(key), e->value, "expected a list, got " + kind_of(e->value));
    return;
  }
  std::vector<std::string> items;
  for (std::size_t i = 0; i < e->value.size(); ++i) {
    const YAML::Node item = e->value[i];
    const std::string path = key_path(key) + "." + std::to_string(i);
    if (!item.IsScalar()) {
      ctx_->fail(path, item, "expected a name, got " + kind_of(item));
      return;
    }
    auto expanded = expand_environment(item.Scalar());
    if (!expanded) {
      ctx_->fail(path, item, expanded.error());
      return;
    }
    items.push_back(*expanded);
  }
  out = std::move(items);
}

std::optional<std::int64_t> Section::decimal_raw(const std::string& key, std::uint8_t precision,
                                                 Sign sign) {
  auto t = scalar(key, "a decimal number");
  if (!t) return std::nullopt;
  auto raw = detail::parse_decimal(*t, precision);
  if (!raw) {
    switch (raw.error()) {
      case FixedPointError::TooManyDecimals:
        fail(key, "more than " + std::to_string(precision) + " decimals, got " + quoted(*t));
        break;
      case FixedPointError::Overflow:
        fail(key, "out of range, got " + quoted(*t));
        break;
      case FixedPointError::InvalidPrecision:
        fail(key, "precision " + std::to_string(precision) + " is above 18");
        break;
      default:
        fail(key, "expected a decimal number, got " + quoted(*t));
    }
    return std::nullopt;
  }
  if (sign == Sign::Positive && *raw <= 0) {
    fail(key, "must be positive, got " + quoted(*t));
    return std::nullopt;
  }
  if (sign == Sign::NonNegative && *raw < 0) {
    fail(key, "must not be negative, got " + quoted(*t));
    return std::nullopt;
  }
  return *raw;
}

Section Section::section(const std::string& key) {
  const Entry* e = find(key);
  return Section(*ctx_, e ? e->value : YAML::Node(), key_path(key));
}

std::vector<Section> Section::sections(const std::string& key) {
  std::vector<Section> out;
  const Entry* e = find(key);
  if (!e || e->value.IsNull()) return out;
  if (!e->value.IsSequence()) {
    ctx_->fail(key_path(key), e->value, "expected a list, got " + kind_of(e->value));
    return out;
  }
  for (std::size_t i = 0; i < e->value.size(); ++i) {
    const YAML::Node item = e->value[i];
    const std::string path = key_path(key) + "." + std::to_string(i);
    if (!item.IsMap()) {
      ctx_->fail(path, item, "expected a mapping, got " + kind_of(item));
      return out;
    }
    out.emplace_back(*ctx_, item, path);
  }
  return out;
}

void Section::finish() {
  for (const auto& e : entries_) {
    if (known_.count(e.key)) continue;
    std::string list;
    for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
    ctx_->fail(key_path(e.key), e.key_node, "unknown key (known keys here: " + list + ")");
    return;
  }
}

}  // namespace troupe::config_detail
