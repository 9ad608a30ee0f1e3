#include "load_result.h"

#include <cstdio>

namespace obvpn::bench {
namespace {

std::string Micros(int64_t nanos) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(nanos) / 1000.0);
  return buf;
}

}  // namespace

void LoadResult::Merge(const LoadResult& other) {
  latency.Merge(other.latency);
  for (const auto& [k, v] : other.outcomes) outcomes[k] += v;
  ok += other.ok;
  errors += other.errors;
  if (other.seconds > seconds) seconds = other.seconds;
}

std::string FormatResultLine(const std::string& label, const LoadResult& r) {
  char rps[32];
  std::snprintf(rps, sizeof rps, "%.1f", r.rps());
  std::string out = "RESULT";
  if (!label.empty()) out += " label=" + label;
  out += " rps=" + std::string(rps);
  out += " ok=" + std::to_string(r.ok) + " errors=" + std::to_string(r.errors);
  out += " p50_us=" + Micros(r.latency.Percentile(0.50));
  out += " p90_us=" + Micros(r.latency.Percentile(0.90));
  out += " p99_us=" + Micros(r.latency.Percentile(0.99));
  out += " p999_us=" + Micros(r.latency.Percentile(0.999));
  out += " max_us=" + Micros(r.latency.max());
  out += " mean_us=" + Micros(static_cast<int64_t>(r.latency.mean()));
  out += " codes=";
  bool first = true;
  for (const auto& [k, v] : r.outcomes) {
    if (!first) out += ',';
    first = false;
    out += k + ":" + std::to_string(v);
  }
  if (first) out += "none";
  return out;
}

std::string FormatResultText(const LoadResult& r) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "  requests   %llu in %.2f s (%llu ok, %llu errors)\n"
                "  throughput %.1f requests/s\n"
                "  latency    p50 %s us  p90 %s us  p99 %s us  p99.9 %s us  max %s us\n",
                static_cast<unsigned long long>(r.ok + r.errors), r.seconds,
                static_cast<unsigned long long>(r.ok), static_cast<unsigned long long>(r.errors),
                r.rps(), Micros(r.latency.Percentile(0.50)).c_str(),
                Micros(r.latency.Percentile(0.90)).c_str(),
                Micros(r.latency.Percentile(0.99)).c_str(),
                Micros(r.latency.Percentile(0.999)).c_str(), Micros(r.latency.max()).c_str());
  std::string out = buf;
  out += "  outcomes  ";
  for (const auto& [k, v] : r.outcomes) out += " " + k + "=" + std::to_string(v);
  out += "\n";
  return out;
}

}  // namespace obvpn::bench
