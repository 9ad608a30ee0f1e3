// DataDirLock: obvpnd (shared) and the maintenance commands (exclusive) exclude each
// other; flock conflicts between two opens even within one process.
#include "app/data_dir_lock.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <optional>

#include "app/test_util.h"

namespace obvpn::app {
namespace {

using testing::HasCode;
using testing::IsOk;
using testing::TempDir;
using Mode = DataDirLock::Mode;

TEST(DataDirLock, SharedLocksCoexist) {
  TempDir dir;
  auto a = DataDirLock::Acquire(dir.path(), Mode::kShared);
  auto b = DataDirLock::Acquire(dir.path(), Mode::kShared);
  EXPECT_TRUE(IsOk(a.status()));
  EXPECT_TRUE(IsOk(b.status()));
}

TEST(DataDirLock, ExclusiveIsRefusedWhileSharedIsHeld) {
  TempDir dir;
  auto shared = DataDirLock::Acquire(dir.path(), Mode::kShared);
  ASSERT_TRUE(IsOk(shared.status()));
  auto exclusive = DataDirLock::Acquire(dir.path(), Mode::kExclusive);
  EXPECT_TRUE(HasCode(exclusive.status(), StatusCode::kUnavailable));
  EXPECT_NE(exclusive.status().message().find("obvpnd"), std::string::npos);
}

TEST(DataDirLock, SharedIsRefusedWhileExclusiveIsHeld) {
  TempDir dir;
  auto exclusive = DataDirLock::Acquire(dir.path(), Mode::kExclusive);
  ASSERT_TRUE(IsOk(exclusive.status()));
  EXPECT_TRUE(
      HasCode(DataDirLock::Acquire(dir.path(), Mode::kShared).status(), StatusCode::kUnavailable));
}

TEST(DataDirLock, ReleasedOnDestruction) {
  TempDir dir;
  {
    auto shared = DataDirLock::Acquire(dir.path(), Mode::kShared);
    ASSERT_TRUE(IsOk(shared.status()));
  }
  EXPECT_TRUE(IsOk(DataDirLock::Acquire(dir.path(), Mode::kExclusive).status()));
}

TEST(DataDirLock, CreatesAMissingDataDirOwnerOnly) {
  TempDir dir;
  const std::string data = dir.File("var/data");
  ASSERT_TRUE(IsOk(DataDirLock::Acquire(data, Mode::kShared).status()));
  struct stat st {};
  ASSERT_EQ(::stat(data.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(DataDirLock, ADataDirThatIsAFileIsInvalid) {
  TempDir dir;
  const std::string file = dir.File("plain");
  { std::ofstream(file) << "x"; }
  auto lock = DataDirLock::Acquire(file, Mode::kShared);
  EXPECT_TRUE(HasCode(lock.status(), StatusCode::kInvalidArgument));
  EXPECT_NE(lock.status().message().find("not a directory"), std::string::npos);
}

}  // namespace
}  // namespace obvpn::app
