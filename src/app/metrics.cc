#include "app/metrics.h"

#include <charconv>
#include <cmath>
#include <cstdio>

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

Metrics::Series& Metrics::SeriesOf(std::string_view name, std::string_view labels, Type type) {
  // '\n' cannot be in a metric name, so name + '\n' + labels is unambiguous.
  thread_local std::string key;
  key.assign(name).append(1, '\n').append(labels);
  if (auto it = index_.find(std::string_view(key)); it != index_.end()) return *it->second;
  Series& s = FamilyOf(std::string(name), type).series[std::string(labels)];
  index_.emplace(key, &s);
  return s;
}

void Metrics::Add(std::string_view name, std::string_view labels, uint64_t n) {
  std::lock_guard lock(mu_);
  SeriesOf(name, labels, Type::kCounter).value += static_cast<double>(n);
}

void Metrics::Set(std::string_view name, std::string_view labels, double value) {
  std::lock_guard lock(mu_);
  SeriesOf(name, labels, Type::kGauge).value = value;
}

void Metrics::Observe(std::string_view name, std::string_view labels, double seconds) {
  std::lock_guard lock(mu_);
  Record(SeriesOf(name, labels, Type::kHistogram), seconds);
}

void Metrics::Record(Series& s, double seconds) {
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
  // Built in a per-thread buffer, so a request allocates nothing here after the first.
  // The values are fixed names in practice; anything that would need escaping takes
  // the general path.
  auto plain = [](std::string_view v) {
    return v.find_first_of("\\\"\n") == std::string_view::npos;
  };
  thread_local std::string labels;
  if (plain(api) && plain(action)) {
    labels.assign("api=\"").append(api).append("\",action=\"").append(action).append("\"");
  } else {
    labels = Labels({{"api", api}, {"action", action}});
  }
  const size_t without_code = labels.size();
  char code_text[16];
  const int n = std::snprintf(code_text, sizeof code_text, "%d", code);
  labels.append(",code=\"").append(code_text, static_cast<size_t>(n)).append("\"");
  const std::string_view all(labels);
  std::lock_guard lock(mu_);  // one lock for both series
  SeriesOf("obvpn_api_requests_total", all, Type::kCounter).value += 1;
  Record(
      SeriesOf("obvpn_api_request_duration_seconds", all.substr(0, without_code), Type::kHistogram),
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
