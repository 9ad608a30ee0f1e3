#include "app/metrics.h"

#include <sstream>

namespace obvpn::app {
namespace {

std::string Fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

void Metrics::ObserveRequest(const std::string& api, const std::string& action, int code,
                             double seconds) {
  const std::string labels =
      "api=\"" + api + "\",action=\"" + action + "\",code=\"" + std::to_string(code) + "\"";
  std::lock_guard lock(mu_);
  ++requests_[labels];
  Histogram& h = latency_[api];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::Add(const std::string& name, const std::string& labels, uint64_t n) {
  std::lock_guard lock(mu_);
  counters_[name][labels] += n;
}

void Metrics::AddCallback(std::string name, std::string type, std::string help,
                          std::function<double()> read) {
  std::lock_guard lock(mu_);
  callbacks_.push_back({std::move(name), std::move(type), std::move(help), std::move(read)});
}

std::string Metrics::Render() const {
  std::ostringstream os;
  std::lock_guard lock(mu_);
  os << "# HELP obvpn_api_requests_total API requests by API version, action and result code.\n"
     << "# TYPE obvpn_api_requests_total counter\n";
  for (const auto& [labels, n] : requests_) {
    os << "obvpn_api_requests_total{" << labels << "} " << n << "\n";
  }
  os << "# HELP obvpn_api_request_duration_seconds API request latency.\n"
     << "# TYPE obvpn_api_request_duration_seconds histogram\n";
  for (const auto& [api, h] : latency_) {
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      os << "obvpn_api_request_duration_seconds_bucket{api=\"" << api << "\",le=\""
         << Fmt(kBuckets[i]) << "\"} " << h.counts[i] << "\n";
    }
    os << "obvpn_api_request_duration_seconds_bucket{api=\"" << api << "\",le=\"+Inf\"} "
       << h.count << "\n";
    os << "obvpn_api_request_duration_seconds_sum{api=\"" << api << "\"} " << Fmt(h.sum) << "\n";
    os << "obvpn_api_request_duration_seconds_count{api=\"" << api << "\"} " << h.count << "\n";
  }
  for (const auto& [name, series] : counters_) {
    os << "# TYPE " << name << " counter\n";
    for (const auto& [labels, n] : series) {
      os << name;
      if (!labels.empty()) os << "{" << labels << "}";
      os << " " << n << "\n";
    }
  }
  for (const Callback& c : callbacks_) {
    os << "# HELP " << c.name << " " << c.help << "\n# TYPE " << c.name << " " << c.type << "\n"
       << c.name << " " << Fmt(c.read()) << "\n";
  }
  return os.str();
}

}  // namespace obvpn::app
