// AccountPresence: which tenants have a VPN account, remembered in memory.
//
// Why (docs/performance.md): GetOutBandVPNAuthInfo needs only "has an account?" (its
// be_first), and a RADIUS Access-Request for a tenant without an account needs only
// "no"; asking the store for each one was a tenth of a Get's CPU, and a store read can
// wait behind a writer's checkpoint. An entry is valid while the store's Generation() is
// unchanged: creating and deleting an account moves it (store.h), and Refresh(), polled
// with the key ring's (every 250 ms in obvpnd), drops every entry when it moved — so a
// change made on another node or by obvpnctl is seen within that period, as for keys.
//
// Bounded: at `capacity` entries the table is emptied and refilled from the store, so
// requests for made-up tenants (a RADIUS username spray) cost store reads, never memory.
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "core/status.h"
#include "store/store.h"

namespace obvpn::store {

class AccountPresence {
 public:
  explicit AccountPresence(Store& store, size_t capacity = size_t{1} << 17);

  // Whether the tenant has an account: from memory, or from the store (then remembered).
  // The store's error when it cannot be read.
  Result<bool> HasAccount(AppId app_id);
  // This node just created the tenant's account (the store's answer is known).
  void NoteCreated(AppId app_id);
  // Drops every entry when the store's Generation() moved since the entries were read.
  Status Refresh();

  size_t size() const;

 private:
  Store& store_;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<AppId, bool> known_;
  int64_t generation_ = -1;  // of every entry in known_; -1 before the first read
};

}  // namespace obvpn::store
