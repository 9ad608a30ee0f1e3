// DataDirLock: an flock(2) on `<data_dir>/obvpn.lock` that keeps obvpnd and the offline
// maintenance commands (`obvpnctl restore`, `obvpnctl rotate-master-key`) apart.
// obvpnd holds it shared for its whole life (several obvpnd may share one data
// directory); the maintenance commands hold it exclusive, so each refuses while the
// other runs. The kernel releases it when the process exits, so a crash leaves no stale
// lock; the file itself is never removed (removing a lock file races with its users).
//
// Thread safety: one object per holder; move-only.
#pragma once

#include <string>

#include "core/status.h"

namespace obvpn::app {

class DataDirLock {
 public:
  enum class Mode { kShared, kExclusive };

  // Takes the lock without waiting, creating the directory (mode 0700) and the lock
  // file (empty, 0644) when missing. Unavailable "... is in use" when a conflicting lock
  // is held; InvalidArgument when data_dir is not a directory; Unavailable or
  // PermissionDenied when the file cannot be opened.
  static Result<DataDirLock> Acquire(const std::string& data_dir, Mode mode);

  DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataDirLock& operator=(DataDirLock&&) = delete;
  DataDirLock(const DataDirLock&) = delete;
  ~DataDirLock();

  // The lock file's name inside the data directory.
  static constexpr const char* kFileName = "obvpn.lock";

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace obvpn::app
