#include "runtime/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace troupe {
namespace {

// Misusing the registry is a programming error (a typo in a metric name, one name registered
// as two types): fail loudly at startup instead of exporting something Prometheus rejects.
[[noreturn]] void misuse(const std::string& what) {
  std::fprintf(stderr, "troupe: metrics registry misuse: %s\n", what.c_str());
  std::abort();
}

bool is_name_char(char c, bool first, bool allow_colon) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
  if (allow_colon && c == ':') return true;
  return !first && c >= '0' && c <= '9';
}

bool matches_name(const std::string& name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!is_name_char(name[i], i == 0, allow_colon)) return false;
  return true;
}

std::string escape_label_value(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string escape_help(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

// Sorts by label name and checks names, so that {a,b} and {b,a} name the same series.
Labels canonical(Labels labels, const std::string& metric, bool histogram) {
  std::sort(labels.begin(), labels.end());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto& name = labels[i].first;
    if (!is_valid_label_name(name))
      misuse("metric '" + metric + "': invalid label name '" + name + "'");
    if (histogram && name == "le")
      misuse("histogram '" + metric + "': label name 'le' is reserved");
    if (i > 0 && labels[i - 1].first == name)
      misuse("metric '" + metric + "': duplicate label name '" + name + "'");
  }
  return labels;
}

// Renders `{a="x",b="y"}` plus an optional extra pair (the histogram's `le`); "" when empty.
std::string render_labels(const Labels& labels, const char* extra_name = nullptr,
                          const std::string& extra_value = {}) {
  if (labels.empty() && extra_name == nullptr) return {};
  std::string out = "{";
  bool first = true;
  auto add = [&](const std::string& k, const std::string& v) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    out += escape_label_value(v);
    out += '"';
  };
  for (const auto& [k, v] : labels) add(k, v);
  if (extra_name != nullptr) add(extra_name, extra_value);
  out += '}';
  return out;
}

}  // namespace

bool is_valid_metric_name(const std::string& name) { return matches_name(name, true); }

bool is_valid_label_name(const std::string& name) {
  return matches_name(name, false) && name.rfind("__", 0) != 0;
}

std::string format_metric_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

void Counter::inc(double v) {
  if (!(v >= 0.0)) misuse("counter incremented by " + format_metric_value(v) + " (must be >= 0)");
  value_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (!std::isfinite(bounds_[i]))
      misuse("histogram bucket bound " + format_metric_value(bounds_[i]) +
             " is not finite (+Inf is implicit)");
    if (i > 0 && !(bounds_[i - 1] < bounds_[i]))
      misuse("histogram bucket bounds must be strictly increasing");
  }
}

void Histogram::observe(double v) {
  if (std::isnan(v)) misuse("histogram observed NaN");
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
  const auto slot = static_cast<std::size_t>(it - bounds_.begin());
  buckets_[slot].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t Histogram::cumulative_count(std::size_t i) const {
  std::uint64_t total = 0;
  for (std::size_t j = 0; j <= i && j <= bounds_.size(); ++j) total += bucket_count(j);
  return total;
}

struct MetricsRegistry::Family {
  std::string help;
  Kind kind = Kind::Counter;
  std::vector<double> buckets;
  std::map<Labels, std::unique_ptr<Counter>> counters;
  std::map<Labels, std::unique_ptr<Gauge>> gauges;
  std::map<Labels, std::unique_ptr<Histogram>> histograms;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

const char* MetricsRegistry::kind_name(Kind kind) {
  switch (kind) {
    case Kind::Counter:
      return "counter";
    case Kind::Gauge:
      return "gauge";
    case Kind::Histogram:
      return "histogram";
  }
  return "untyped";
}

MetricsRegistry::Family& MetricsRegistry::family(const std::string& name, std::string help,
                                                 Kind kind) {
  if (!is_valid_metric_name(name))
    misuse("invalid metric name '" + name + "' (must match [a-zA-Z_:][a-zA-Z0-9_:]*)");
  auto& slot = families_[name];
  if (!slot) {
    slot = std::make_unique<Family>();
    slot->help = std::move(help);
    slot->kind = kind;
  } else if (slot->kind != kind) {
    misuse("metric '" + name + "' registered as " + kind_name(slot->kind) + ", requested as " +
           kind_name(kind));
  }
  return *slot;
}

Counter& MetricsRegistry::counter(std::string name, std::string help, Labels labels) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto& fam = family(name, std::move(help), Kind::Counter);
  auto& slot = fam.counters[canonical(std::move(labels), name, false)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& MetricsRegistry::gauge(std::string name, std::string help, Labels labels) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto& fam = family(name, std::move(help), Kind::Gauge);
  auto& slot = fam.gauges[canonical(std::move(labels), name, false)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& MetricsRegistry::histogram(std::string name, std::string help,
                                      std::vector<double> buckets, Labels labels) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto& fam = family(name, std::move(help), Kind::Histogram);
  if (fam.histograms.empty())
    fam.buckets = buckets;
  else if (fam.buckets != buckets)
    misuse("histogram '" + name + "' requested with different buckets than registered");
  auto& slot = fam.histograms[canonical(std::move(labels), name, true)];
  if (!slot) slot = std::make_unique<Histogram>(std::move(buckets));
  return *slot;
}

std::string MetricsRegistry::exposition() const {
  std::lock_guard<std::mutex> guard(mutex_);
  std::string out;
  for (const auto& [name, fam] : families_) {
    out += "# HELP " + name + ' ' + escape_help(fam->help) + '\n';
    out += "# TYPE " + name + ' ' + kind_name(fam->kind) + '\n';
    for (const auto& [labels, c] : fam->counters)
      out += name + render_labels(labels) + ' ' + format_metric_value(c->value()) + '\n';
    for (const auto& [labels, g] : fam->gauges)
      out += name + render_labels(labels) + ' ' + format_metric_value(g->value()) + '\n';
    for (const auto& [labels, h] : fam->histograms) {
      const auto& bounds = h->bounds();
      // Each slot is read once and accumulated here so that +Inf always equals _count, even
      // while other threads observe.
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i <= bounds.size(); ++i) {
        cumulative += h->bucket_count(i);
        const std::string le = i < bounds.size() ? format_metric_value(bounds[i]) : "+Inf";
        out += name + "_bucket" + render_labels(labels, "le", le) + ' ' +
               std::to_string(cumulative) + '\n';
      }
      out += name + "_sum" + render_labels(labels) + ' ' + format_metric_value(h->sum()) + '\n';
      out += name + "_count" + render_labels(labels) + ' ' + std::to_string(cumulative) + '\n';
    }
  }
  return out;
}

}  // namespace troupe
