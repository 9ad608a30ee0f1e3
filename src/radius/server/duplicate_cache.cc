#include "radius/server/duplicate_cache.h"

#include <utility>

namespace obvpn::radius {

DuplicateCache::DuplicateCache(int64_t window_ns, size_t max_entries, size_t max_bytes)
    : window_ns_(window_ns), max_entries_(max_entries), max_bytes_(max_bytes) {}

void DuplicateCache::EraseLocked(std::unordered_map<std::string, Entry>::iterator it) {
  bytes_ -= it->second.reply.size();
  entries_.erase(it);
}

void DuplicateCache::ExpireLocked(int64_t now_ns) {
  while (!expiry_.empty() && expiry_.front().at <= now_ns) {
    auto it = entries_.find(expiry_.front().key);
    // An entry re-armed by Complete has a newer serial; only its newest record counts.
    if (it != entries_.end() && it->second.serial == expiry_.front().serial) EraseLocked(it);
    expiry_.pop_front();
  }
}

DuplicateLookup DuplicateCache::Begin(const std::string& key, uint64_t digest, int64_t now_ns) {
  if (window_ns_ <= 0) return {};
  std::lock_guard lock(mu_);
  ExpireLocked(now_ns);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    // RFC 5080 §2.2.2: a duplicate has the same source, Identifier and Request
    // Authenticator; other content under the same key is a different (suspect) packet.
    if (it->second.digest != digest) return {DuplicateState::kMismatch, {}};
    if (!it->second.done) return {DuplicateState::kInProgress, {}};
    return {DuplicateState::kCached, it->second.reply};
  }
  if (entries_.size() >= max_entries_) return {};
  Entry e;
  e.digest = digest;
  e.serial = next_serial_++;
  // An in-progress entry expires too, so a request whose processing is lost cannot pin
  // its key forever.
  expiry_.push_back({now_ns + window_ns_, key, e.serial});
  entries_.emplace(key, std::move(e));
  return {};
}

void DuplicateCache::Complete(const std::string& key, std::string reply, int64_t now_ns) {
  if (window_ns_ <= 0) return;
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  if (bytes_ + reply.size() > max_bytes_) {
    EraseLocked(it);
    return;
  }
  bytes_ += reply.size();
  it->second.done = true;
  it->second.reply = std::move(reply);
  it->second.serial = next_serial_++;
  expiry_.push_back({now_ns + window_ns_, key, it->second.serial});
}

void DuplicateCache::Abandon(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) EraseLocked(it);
}

size_t DuplicateCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace obvpn::radius
