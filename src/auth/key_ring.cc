#include "auth/key_ring.h"

#include <algorithm>

namespace obvpn::auth {

bool KeyInfo::AllowsAction(std::string_view action) const {
  return actions.empty() || std::find(actions.begin(), actions.end(), action) != actions.end();
}

KeyRing::KeyRing(store::Store& store, const crypto::SecretBox& box) : store_(store), box_(box) {}

Result<std::shared_ptr<const KeyInfo>> KeyRing::Find(std::string_view secret_id) {
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(secret_id);
    if (it != cache_.end()) return it->second;
  }
  // Read the generation before the row: if an admin change lands between the two, the
  // next Refresh() sees a newer generation and drops what we insert here.
  auto gen = store_.Generation();
  if (!gen.ok()) return gen.status();
  auto row = store_.FindKey(secret_id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return std::shared_ptr<const KeyInfo>();
  const store::ApiKey& k = **row;
  auto secret = box_.Open(k.sealed_secret_key, k.secret_id);
  if (!secret.ok()) return DataLoss("SecretKey of " + k.secret_id + " cannot be decrypted");
  auto info = std::make_shared<KeyInfo>();
  info->secret_id = k.secret_id;
  info->app_id = k.app_id;
  info->secret_key = std::move(*secret);
  info->enabled = k.enabled;
  info->actions = k.actions;
  info->expires_at = k.expires_at;
  info->token_sha256_hex = k.token_sha256_hex;
  std::lock_guard lock(mu_);
  if (generation_ == -1) generation_ = *gen;
  if (*gen == generation_) cache_[info->secret_id] = info;
  return std::shared_ptr<const KeyInfo>(info);
}

Status KeyRing::Refresh() {
  auto gen = store_.Generation();
  if (!gen.ok()) return gen.status();
  std::lock_guard lock(mu_);
  if (*gen != generation_) {
    cache_.clear();
    generation_ = *gen;
  }
  return Status::Ok();
}

void KeyRing::Clear() {
  std::lock_guard lock(mu_);
  cache_.clear();
  generation_ = -1;
}

}  // namespace obvpn::auth
