#include "app/metrics.h"

#include <charconv>
#include <cmath>

namespace obvpn::app {
namespace {

// Exposition format: "value is a float represented as required by Go's ParseFloat()";
// NaN, +Inf and -Inf are spelled that way. std::to_chars gives the shortest text that
// reads back to the same double.
std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  // Plain decimals ("0.0005", not "5e-04") in the usual range, as Prometheus' own
  // clients print bucket bounds; the exponent form beyond it.
  const double mag = std::fabs(v);
  const bool fixed = v == 0 || (mag >= 1e-6 && mag < 1e15);
  auto [end, ec] = fixed ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed)
                         : std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, end);
}

std::string_view TypeName(Metrics::Type t) {
  switch (t) {
    case Metrics::Type::kCounter:
      return "counter";
    case Metrics::Type::kGauge:
      return "gauge";
    case Metrics::Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// HELP text escaping: backslash and line feed.
std::string EscapeHelp(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// `name{labels}` or `name` when there are none.
std::string SeriesName(std::string_view name, std::string_view labels) {
  std::string s(name);
  if (!labels.empty()) {
    s += '{';
    s += labels;
    s += '}';
  }
  return s;
}

}  // namespace

std::string_view BuildVersion() {
#ifdef OBVPN_VERSION
  return OBVPN_VERSION;
#else
  return "unknown";
#endif
}

std::string Metrics::Labels(
    std::initializer_list<std::pair<std::string_view, std::string_view>> labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!out.empty()) out += ',';
    out += name;
    out += "=\"";
    // Label value escaping: backslash, double quote and line feed.
    for (char c : value) {
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '"') {
        out += "\\\"";
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    out += '"';
  }
  return out;
}

Metrics::Family& Metrics::FamilyOf(const std::string& name, Type type) {
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) it->second.type = type;
  return it->second;
}

void Metrics::Describe(const std::string& name, Type type, std::string help) {
  std::lock_guard lock(mu_);
  Family& f = FamilyOf(name, type);
  f.type = type;
  f.help = std::move(help);
}

void Metrics::Add(const std::string& name, const std::string& labels, uint64_t n) {
  std::lock_guard lock(mu_);
  FamilyOf(name, Type::kCounter).series[labels].value += static_cast<double>(n);
}

void Metrics::Set(const std::string& name, const std::string& labels, double value) {
  std::lock_guard lock(mu_);
  FamilyOf(name, Type::kGauge).series[labels].value = value;
}

void Metrics::Observe(const std::string& name, const std::string& labels, double seconds) {
  std::lock_guard lock(mu_);
  Series& s = FamilyOf(name, Type::kHistogram).series[labels];
  if (s.buckets.empty()) s.buckets.assign(kBucketCount, 0);
  for (size_t i = 0; i < kBucketCount; ++i) {
    if (seconds <= kLatencyBuckets[i]) {
      ++s.buckets[i];
      break;
    }
  }
  ++s.count;
  s.sum += seconds;
}

void Metrics::ObserveRequest(std::string_view api, std::string_view action, int code,
                             double seconds) {
  const std::string code_text = std::to_string(code);
  Add("obvpn_api_requests_total", Labels({{"api", api}, {"action", action}, {"code", code_text}}));
  Observe("obvpn_api_request_duration_seconds", Labels({{"api", api}, {"action", action}}),
          seconds);
}

void Metrics::AddCallback(std::string name, Type type, std::string help,
                          std::function<std::optional<double>()> read) {
  std::lock_guard lock(mu_);
  Family& f = FamilyOf(name, type);
  f.type = type;
  f.help = std::move(help);
  f.read = std::move(read);
}

std::string Metrics::Render() const {
  // A snapshot, so that callbacks run without the lock: a callback may reach code that
  // reports to this registry (a store read failing counts a store error).
  std::map<std::string, Family> families;
  {
    std::lock_guard lock(mu_);
    families = families_;
  }
  std::string out;
  for (const auto& [name, f] : families) {
    if (!f.help.empty()) out += "# HELP " + name + " " + EscapeHelp(f.help) + "\n";
    out += "# TYPE " + name + " " + std::string(TypeName(f.type)) + "\n";
    if (f.read) {
      if (std::optional<double> v = f.read()) out += name + " " + Number(*v) + "\n";
      continue;
    }
    for (const auto& [labels, s] : f.series) {
      if (f.type != Type::kHistogram) {
        out += SeriesName(name, labels) + " " + Number(s.value) + "\n";
        continue;
      }
      // Buckets are cumulative in the format: le="x" counts every observation <= x.
      const std::string prefix = labels.empty() ? "" : labels + ",";
      uint64_t cumulative = 0;
      for (size_t i = 0; i < kBucketCount; ++i) {
        cumulative += s.buckets[i];
        out += name + "_bucket{" + prefix + "le=\"" + Number(kLatencyBuckets[i]) + "\"} " +
               std::to_string(cumulative) + "\n";
      }
      out += name + "_bucket{" + prefix + "le=\"+Inf\"} " + std::to_string(s.count) + "\n";
      out += SeriesName(name + "_sum", labels) + " " + Number(s.sum) + "\n";
      out += SeriesName(name + "_count", labels) + " " + std::to_string(s.count) + "\n";
    }
  }
  return out;
}

}  // namespace obvpn::app
