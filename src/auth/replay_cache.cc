#include "auth/replay_cache.h"

#include <algorithm>

#include "crypto/crypto.h"

namespace obvpn::auth {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Reads 16 hex digits into v; false if one is not a lower-case hex digit.
bool ParseHex64(std::string_view hex, uint64_t& v) {
  v = 0;
  for (char c : hex) {
    const int d = HexValue(c);
    if (d < 0) return false;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  return true;
}

}  // namespace

ReplayCache::Fingerprint ReplayCache::FingerprintOf(std::string_view key) {
  Fingerprint fp{};
  if (key.size() == 64 && ParseHex64(key.substr(0, 16), fp[0]) &&
      ParseHex64(key.substr(16, 16), fp[1])) {
    return fp;
  }
  // Not a ReplayKey digest (tests, future callers): digest it, so that two keys share a
  // fingerprint only if SHA-256 collides on 128 bits.
  const std::string d = crypto::Sha256(key);
  for (size_t i = 0; i < 8; ++i) {
    fp[0] = (fp[0] << 8) | static_cast<unsigned char>(d[i]);
    fp[1] = (fp[1] << 8) | static_cast<unsigned char>(d[8 + i]);
  }
  return fp;
}

ReplayCache::Fingerprint ReplayCache::FingerprintOfDigest(std::string_view digest) {
  // The bytes whose hex FingerprintOf() parses: digits 0-15 are bytes 0-7, 16-31 bytes
  // 8-15, most significant first.
  Fingerprint fp{};
  for (size_t i = 0; i < 8 && 8 + i < digest.size(); ++i) {
    fp[0] = (fp[0] << 8) | static_cast<unsigned char>(digest[i]);
    fp[1] = (fp[1] << 8) | static_cast<unsigned char>(digest[8 + i]);
  }
  return fp;
}

ReplayCache::Shard& ReplayCache::ShardFor(const Fingerprint& fp) {
  return shards_[fp[1] % kShards];
}

void ReplayCache::Rebuild(Shard& s, size_t capacity, int64_t now) {
  std::vector<Slot> old = std::move(s.slots);
  s.slots.assign(capacity, Slot{});
  s.used = 0;
  const size_t mask = capacity - 1;
  for (const Slot& e : old) {
    if (e.expires_at == 0 || e.expires_at < now) continue;  // empty or expired: dropped
    size_t i = e.fp[0] & mask;
    while (s.slots[i].expires_at != 0) i = (i + 1) & mask;
    s.slots[i] = e;
    ++s.used;
  }
}

bool ReplayCache::Claim(std::string_view key, int64_t expires_at, int64_t now) {
  return ClaimFingerprint(FingerprintOf(key), expires_at, now);
}

bool ReplayCache::ClaimDigest(std::string_view digest, int64_t expires_at, int64_t now) {
  if (digest.size() != 32) return Claim(digest, expires_at, now);  // not a SHA-256 digest
  return ClaimFingerprint(FingerprintOfDigest(digest), expires_at, now);
}

bool ReplayCache::ClaimFingerprint(const Fingerprint& fp, int64_t expires_at, int64_t now) {
  expires_at = std::max<int64_t>(expires_at, 1);  // 0 marks an empty slot
  Shard& s = ShardFor(fp);
  std::lock_guard lock(s.mu);
  // Keep the table at most half full (live and expired slots alike): when it fills,
  // rebuild it without the expired claims, doubling it only if the live ones need it.
  if (s.slots.empty() || (s.used + 1) * 2 > s.slots.size()) {
    size_t live = 0;
    for (const Slot& e : s.slots) live += e.expires_at != 0 && e.expires_at >= now;
    size_t capacity = std::max(s.slots.size(), kMinSlots);
    while ((live + 1) * 4 > capacity) capacity *= 2;
    Rebuild(s, capacity, now);
  }
  // Linear probing. Slots only become empty in Rebuild, so the probe for a key ends at
  // the first empty slot; an expired slot on the way can take the new claim.
  const size_t mask = s.slots.size() - 1;
  Slot* reuse = nullptr;
  for (size_t i = fp[0] & mask;; i = (i + 1) & mask) {
    Slot& e = s.slots[i];
    if (e.expires_at == 0) {
      if (reuse == nullptr) {
        reuse = &e;
        ++s.used;
      }
      break;
    }
    if (e.fp == fp) {
      if (e.expires_at >= now) return false;  // a live claim: this is a replay
      reuse = &e;  // the same key, expired: it no longer protects anything
      break;
    }
    if (reuse == nullptr && e.expires_at < now) reuse = &e;
  }
  reuse->fp = fp;
  reuse->expires_at = expires_at;
  return true;
}

void ReplayCache::Purge(int64_t now) {
  for (Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    if (s.slots.empty()) continue;
    size_t live = 0;
    for (const Slot& e : s.slots) live += e.expires_at != 0 && e.expires_at >= now;
    size_t capacity = kMinSlots;
    while ((live + 1) * 4 > capacity) capacity *= 2;
    Rebuild(s, capacity, now);
  }
}

size_t ReplayCache::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.used;
  }
  return n;
}

std::string ReplayDigest(std::string_view scheme, std::string_view secret_id,
                         std::string_view timestamp, std::string_view nonce,
                         std::string_view signature) {
  thread_local std::string m;  // reused: no allocation per request
  m.clear();
  // NUL separators: none of the fields may contain NUL (the form decoder rejects it).
  for (std::string_view f : {scheme, secret_id, timestamp, nonce, signature}) {
    m.append(f);
    m.push_back('\0');
  }
  return crypto::Sha256(m);
}

std::string ReplayKey(std::string_view scheme, std::string_view secret_id,
                      std::string_view timestamp, std::string_view nonce,
                      std::string_view signature) {
  return crypto::HexEncode(ReplayDigest(scheme, secret_id, timestamp, nonce, signature));
}

}  // namespace obvpn::auth
