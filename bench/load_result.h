// LoadResult: what one load run measured (requests/s, latency histogram, outcomes by
// code), how it prints, and how two results merge. Shared by the HTTP and RADIUS modes
// of obvpn-bench.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "histogram.h"

namespace obvpn::bench {

struct LoadResult {
  Histogram latency;                         // measured requests only (after warm-up)
  std::map<std::string, uint64_t> outcomes;  // "0", "4400", "http_503", "io_timeout", ...
  uint64_t ok = 0;                           // measured requests with the expected outcome
  uint64_t errors = 0;                       // measured requests with any other outcome
  double seconds = 0;                        // length of the measured interval

  double rps() const { return seconds > 0 ? static_cast<double>(ok + errors) / seconds : 0; }
  void Merge(const LoadResult& other);
};

// One line that scripts parse: "RESULT key=value ..." with rps, ok, errors, latencies in
// microseconds (p50_us, p90_us, p99_us, p999_us, max_us, mean_us) and the outcomes as
// codes=0:123,4400:5. `label` is printed first as label=... when non-empty.
std::string FormatResultLine(const std::string& label, const LoadResult& r);

// A human-readable block: the same numbers as a small table.
std::string FormatResultText(const LoadResult& r);

}  // namespace obvpn::bench
