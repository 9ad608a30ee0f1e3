#include "store/account_presence.h"

namespace obvpn::store {

AccountPresence::AccountPresence(Store& store, size_t capacity)
    : store_(store), capacity_(capacity) {}

Result<bool> AccountPresence::HasAccount(AppId app_id) {
  {
    std::lock_guard lock(mu_);
    if (auto it = known_.find(app_id); it != known_.end()) return it->second;
  }
  // The generation is read before the row: if a change lands between the two, the
  // generations differ and the answer is not remembered (the next Refresh() would
  // drop it anyway).
  auto gen = store_.Generation();
  if (!gen.ok()) return gen.status();
  auto row = store_.FindAccount(app_id);
  if (!row.ok()) return row.status();
  const bool exists = row->has_value();
  std::lock_guard lock(mu_);
  if (generation_ == -1) generation_ = *gen;
  if (*gen == generation_) {
    if (known_.size() >= capacity_) known_.clear();
    known_.try_emplace(app_id, exists);  // a concurrent NoteCreated() wins
  }
  return exists;
}

void AccountPresence::NoteCreated(AppId app_id) {
  std::lock_guard lock(mu_);
  if (known_.size() >= capacity_) known_.clear();
  known_[app_id] = true;
}

Status AccountPresence::Refresh() {
  auto gen = store_.Generation();
  if (!gen.ok()) return gen.status();
  std::lock_guard lock(mu_);
  if (*gen != generation_) {
    known_.clear();
    generation_ = *gen;
  }
  return Status::Ok();
}

size_t AccountPresence::size() const {
  std::lock_guard lock(mu_);
  return known_.size();
}

}  // namespace obvpn::store
