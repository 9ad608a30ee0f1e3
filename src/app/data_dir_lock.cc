#include "app/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace obvpn::app {

Result<DataDirLock> DataDirLock::Acquire(const std::string& data_dir, Mode mode) {
  std::error_code ec;
  if (std::filesystem::exists(data_dir, ec) && !std::filesystem::is_directory(data_dir, ec)) {
    return InvalidArgument("data_dir '" + data_dir + "' exists and is not a directory");
  }
  if (!std::filesystem::exists(data_dir, ec)) {
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return Unavailable("cannot create data_dir '" + data_dir + "': " + ec.message());
    // The data directory holds the database and the master key: owner only (SPEC §6).
    if (::chmod(data_dir.c_str(), 0700) != 0) {
      return Unavailable("cannot chmod data_dir '" + data_dir + "': " + std::strerror(errno));
    }
  }
  const std::string path = data_dir + "/" + kFileName;
  // Read-only is enough for flock. The file is empty (no secret; the 0700 directory
  // keeps others out anyway) and made 0644, so that a lock file created by obvpnctl run
  // as root does not lock the service user's obvpnd out of its own data directory.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    const std::string what = "cannot open lock file '" + path + "': " + std::strerror(err);
    return err == EACCES ? PermissionDenied(what) : Unavailable(what);
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_uid == ::geteuid() && (st.st_mode & 0777) != 0644) {
    (void)::fchmod(fd, 0644);  // the umask (077 in obvpnd and obvpnctl) narrowed it
  }
  // flock, not fcntl: an flock belongs to the open file description, so it conflicts
  // between two opens in one process too (tests), and is not dropped when some other
  // descriptor of the same file is closed.
  const int op = (mode == Mode::kShared ? LOCK_SH : LOCK_EX) | LOCK_NB;
  while (::flock(fd, op) != 0) {
    const int err = errno;
    if (err == EINTR) continue;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Unavailable(
          "data_dir '" + data_dir + "' is in use (" +
          (mode == Mode::kShared
               ? "obvpnctl restore or rotate-master-key is running on it"
               : "obvpnd, or obvpnctl restore or rotate-master-key, is running on it") +
          ")");
    }
    return Unavailable("cannot lock '" + path + "': " + std::strerror(err));
  }
  return DataDirLock(fd);
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace obvpn::app
