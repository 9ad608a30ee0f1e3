#include "histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace obvpn::bench {

// Values below kSubBuckets get one bucket each (exact); above, the bucket of v is
// (exponent group, the kSubBucketBits bits below the leading one).
size_t Histogram::BucketOf(int64_t nanos) {
  if (nanos < static_cast<int64_t>(kSubBuckets))
    return static_cast<size_t>(std::max<int64_t>(nanos, 0));
  const auto v = static_cast<uint64_t>(nanos);
  const int msb = 63 - std::countl_zero(v);  // >= kSubBucketBits
  const int group = msb - kSubBucketBits + 1;
  if (group > kMaxExponent) return kBuckets - 1;
  const uint64_t sub = (v >> (msb - kSubBucketBits)) & (kSubBuckets - 1);
  return static_cast<size_t>(group) * kSubBuckets + static_cast<size_t>(sub);
}

int64_t Histogram::UpperBound(size_t bucket) {
  const size_t group = bucket / kSubBuckets;
  const size_t sub = bucket % kSubBuckets;
  if (group == 0) return static_cast<int64_t>(sub);
  // Values of this bucket: [(kSubBuckets + sub) << (group - 1), (kSubBuckets + sub + 1) <<
  // (group - 1)).
  const int shift = static_cast<int>(group) - 1;
  return static_cast<int64_t>(((kSubBuckets + sub + 1) << shift) - 1);
}

void Histogram::Record(int64_t nanos) {
  nanos = std::max<int64_t>(nanos, 0);
  ++counts_[BucketOf(nanos)];
  ++count_;
  min_ = std::min(min_, nanos);
  max_ = std::max(max_, nanos);
  sum_ += nanos;
}

void Histogram::Merge(const Histogram& other) {
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

int64_t Histogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const auto rank =
      std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    // The last bucket also holds every clamped value: its bound says nothing.
    if (seen >= rank) return i == kBuckets - 1 ? max_ : std::min(UpperBound(i), max_);
  }
  return max_;
}

}  // namespace obvpn::bench
