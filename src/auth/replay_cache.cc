#include "auth/replay_cache.h"

#include <functional>

#include "crypto/crypto.h"

namespace obvpn::auth {

ReplayCache::Shard& ReplayCache::ShardFor(std::string_view key) {
  return shards_[std::hash<std::string_view>{}(key) % kShards];
}

bool ReplayCache::Claim(std::string_view key, int64_t expires_at, int64_t now) {
  Shard& s = ShardFor(key);
  std::lock_guard lock(s.mu);
  // Amortised purge: every 1024 inserts into a shard, drop its expired claims, so memory
  // stays bounded by the request rate times the window.
  if (++s.inserts_since_purge >= 1024) {
    s.inserts_since_purge = 0;
    std::erase_if(s.claims, [now](const auto& kv) { return kv.second < now; });
  }
  auto [it, inserted] = s.claims.try_emplace(std::string(key), expires_at);
  if (inserted) return true;
  if (it->second < now) {  // an expired claim no longer protects anything
    it->second = expires_at;
    return true;
  }
  return false;
}

void ReplayCache::Purge(int64_t now) {
  for (Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    std::erase_if(s.claims, [now](const auto& kv) { return kv.second < now; });
  }
}

size_t ReplayCache::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.claims.size();
  }
  return n;
}

std::string ReplayKey(std::string_view scheme, std::string_view secret_id,
                      std::string_view timestamp, std::string_view nonce,
                      std::string_view signature) {
  std::string m;
  m.reserve(scheme.size() + secret_id.size() + timestamp.size() + nonce.size() +
            signature.size() + 4);
  // NUL separators: none of the fields may contain NUL (the form decoder rejects it).
  for (std::string_view f : {scheme, secret_id, timestamp, nonce, signature}) {
    m.append(f);
    m.push_back('\0');
  }
  return crypto::HexEncode(crypto::Sha256(m));
}

}  // namespace obvpn::auth
