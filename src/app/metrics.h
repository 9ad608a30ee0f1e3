// Metrics: the counters and histograms behind `/metrics` (Prometheus text exposition
// format 0.0.4). Label sets are small and bounded (actions and codes come from fixed
// tables or are replaced by "other"). Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace obvpn::app {

class Metrics {
 public:
  // One API request finished.
  void ObserveRequest(const std::string& api, const std::string& action, int code,
                      double seconds);
  // A named counter with one label set, e.g. ("obvpn_store_errors_total", "op=\"read\"").
  void Add(const std::string& name, const std::string& labels, uint64_t n = 1);

  // Gauges/counters read at render time.
  void AddCallback(std::string name, std::string type, std::string help,
                   std::function<double()> read);

  std::string Render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  struct Callback {
    std::string name, type, help;
    std::function<double()> read;
  };
  mutable std::mutex mu_;
  std::map<std::string, uint64_t> requests_;  // labels → count
  std::map<std::string, Histogram> latency_;  // api label → histogram
  std::map<std::string, std::map<std::string, uint64_t>> counters_;
  std::vector<Callback> callbacks_;
};

}  // namespace obvpn::app
