// Histogram: a log-linear latency histogram for the load generator (obvpn-bench). Values
// are nanoseconds; each power of two is split into kSubBuckets linear buckets, so a
// percentile is reported with a relative error under 1/kSubBuckets (about 3%) from 1 ns to
// about 9 hours (2^45 ns), in fixed memory. Histograms merge by adding counts, so every
// connection keeps its own without locks and the totals are summed at the end.
//
// Not thread-safe: one histogram per thread or connection, then Merge.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace obvpn::bench {

class Histogram {
 public:
  static constexpr int kSubBucketBits = 5;
  static constexpr size_t kSubBuckets = size_t{1} << kSubBucketBits;  // 32
  static constexpr int kMaxExponent = 40;  // groups above the exact one; larger values clamp

  // Records one value (negative values count as 0).
  void Record(int64_t nanos);
  // Adds every count of `other`.
  void Merge(const Histogram& other);

  uint64_t count() const { return count_; }
  int64_t min() const { return count_ ? min_ : 0; }
  int64_t max() const { return max_; }
  double mean() const {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0;
  }

  // The value at quantile q in [0, 1]: the upper bound of the bucket that holds the
  // ceil(q * count)-th smallest value, clamped to the largest recorded value. 0 when empty.
  int64_t Percentile(double q) const;

  // Bucket helpers, public for the tests.
  static size_t BucketOf(int64_t nanos);
  static int64_t UpperBound(size_t bucket);

 private:
  static constexpr size_t kBuckets = (kMaxExponent + 1) * kSubBuckets;
  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  int64_t min_ = INT64_MAX;
  int64_t max_ = 0;
  // Sum of values for the mean; 2^63 ns is 292 years of accumulated latency.
  int64_t sum_ = 0;
};

}  // namespace obvpn::bench
