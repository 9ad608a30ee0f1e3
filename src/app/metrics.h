// Metrics: the counters, gauges and histograms behind `/metrics`, rendered in the
// Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/). Names follow the
// Prometheus conventions: an `obvpn_` prefix, base units in the name (`_seconds`),
// `_total` on counters. Every family has HELP and TYPE lines (promtool check metrics).
//
// Label sets must stay small and bounded: callers pass values from fixed tables (API
// versions, action names, result codes, reason names) and map anything else to "other",
// so a client cannot grow the number of series. Values are escaped as the format requires.
//
// Thread-safe: every method may be called from any thread. Render() works on a snapshot
// and runs the callbacks without holding the registry's lock, so a callback may report
// to the registry itself (what it adds shows in the next scrape).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace obvpn::app {

class Metrics {
 public:
  enum class Type { kCounter, kGauge, kHistogram };

  // Upper bounds (seconds) of the latency histograms: from 0.5 ms (a cached v2 Get) to
  // 10 s (argon2id hashes queued behind a full pool).
  static constexpr double kLatencyBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                               0.1,    0.25,  0.5,    1,     2.5,  5,     10};

  // A label set, rendered `a="x",b="y"` with the values escaped (\\, \", \n). The result
  // is the `labels` argument of Add/Set/Observe.
  static std::string Labels(
      std::initializer_list<std::pair<std::string_view, std::string_view>> labels);

  // Declares a family with its TYPE and HELP. A family that is declared but has no
  // series yet is rendered with its HELP and TYPE lines only. Declaring again replaces
  // the help text.
  void Describe(const std::string& name, Type type, std::string help);

  // Counter: adds n to the series `labels` of `name` (declared as kCounter, or an
  // undeclared name, which is then rendered as a counter without help text).
  void Add(std::string_view name, std::string_view labels, uint64_t n = 1);
  // Gauge: sets the series to `value`.
  void Set(std::string_view name, std::string_view labels, double value);
  // Histogram (kLatencyBuckets): records one observation, in seconds.
  void Observe(std::string_view name, std::string_view labels, double seconds);

  // One finished API request: obvpn_api_requests_total{api,action,code} and
  // obvpn_api_request_duration_seconds{api,action}.
  void ObserveRequest(std::string_view api, std::string_view action, int code, double seconds);

  // A gauge or counter with no labels read at render time; a callback returning nullopt
  // (e.g. the store is unreachable) leaves the series out of that scrape.
  void AddCallback(std::string name, Type type, std::string help,
                   std::function<std::optional<double>()> read);

  std::string Render() const;

 private:
  static constexpr size_t kBucketCount = std::size(kLatencyBuckets);
  struct Series {
    double value = 0;               // counter or gauge
    std::vector<uint64_t> buckets;  // histogram: per-bucket (non-cumulative) counts
    uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    Type type = Type::kCounter;
    std::string help;
    std::map<std::string, Series> series;         // labels → series
    std::function<std::optional<double>()> read;  // callback families only
  };

  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  Family& FamilyOf(const std::string& name, Type type);  // requires mu_
  // The series of (name, labels), created on first use. Requires mu_. Found through
  // index_ without building a string (these run for every request, SPEC §9).
  Series& SeriesOf(std::string_view name, std::string_view labels, Type type);
  static void Record(Series& s, double seconds);  // one histogram observation; requires mu_

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;  // guarded by mu_; rendered in name order
  // name + '\n' + labels → its series in families_ (map nodes never move or go away).
  std::unordered_map<std::string, Series*, KeyHash, std::equal_to<>> index_;
};

// The version of this build (the CMake project version), for obvpn_build_info.
std::string_view BuildVersion();

}  // namespace obvpn::app
