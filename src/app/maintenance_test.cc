// Backup, restore and master key rotation of a data directory (app/maintenance.h),
// including the crash-safety contract of rotate-master-key.
#include "app/maintenance.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "app/data_dir_lock.h"
#include "app/runtime.h"
#include "app/test_util.h"
#include "crypto/crypto.h"
#include "crypto/secret_box.h"

namespace obvpn::app {
namespace {

using testing::HasCode;
using testing::IsOk;
using testing::TempDir;

constexpr store::AppId kApp = 1251001002;
constexpr const char* kSecretId = "AKIDmaintenance00000000000000000001";
constexpr const char* kSecretKey = "the-secret-key-of-the-tenant-0123456789";
constexpr const char* kRadiusSecret = "radius-shared-secret";

config::Config ConfigIn(const std::string& data_dir) {
  config::Config c = config::Defaults();
  c.data_dir = data_dir;
  return c;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool Exists(const std::string& path) { return std::filesystem::exists(path); }

// A data directory with one tenant, its key and one RADIUS client, all sealed with the
// directory's (generated) master key.
void Populate(const config::Config& c) {
  auto rt = OpenRuntime(c);
  ASSERT_TRUE(IsOk(rt.status()));
  ASSERT_TRUE(IsOk(rt->store->AddTenant(kApp, 1)));
  store::ApiKey k;
  k.secret_id = kSecretId;
  k.app_id = kApp;
  k.sealed_secret_key = rt->box->Seal(kSecretKey, kSecretId);
  ASSERT_TRUE(IsOk(rt->store->AddKey(k)));
  store::RadiusClient rc;
  rc.name = "gw";
  rc.address = "127.0.0.1/32";
  rc.sealed_secret = rt->box->Seal(kRadiusSecret, "radius-client:gw");
  ASSERT_TRUE(IsOk(rt->store->AddRadiusClient(rc)));
}

// Opens the directory as obvpnd does and checks that every secret reads back.
void ExpectSecretsOpen(const config::Config& c) {
  auto rt = OpenRuntime(c);
  ASSERT_TRUE(IsOk(rt.status()));
  auto key = rt->store->FindKey(kSecretId);
  ASSERT_TRUE(IsOk(key.status()));
  ASSERT_TRUE(key->has_value());
  auto secret = rt->box->Open((*key)->sealed_secret_key, kSecretId);
  ASSERT_TRUE(IsOk(secret.status()));
  EXPECT_EQ(secret->reveal(), kSecretKey);
  auto clients = rt->store->ListRadiusClients();
  ASSERT_TRUE(IsOk(clients.status()));
  ASSERT_EQ(clients->size(), 1u);
  auto radius = rt->box->Open((*clients)[0].sealed_secret, "radius-client:gw");
  ASSERT_TRUE(IsOk(radius.status()));
  EXPECT_EQ(radius->reveal(), kRadiusSecret);
}

bool HasAudit(const config::Config& c, const std::string& action) {
  auto rt = OpenRuntime(c);
  if (!rt.ok()) return false;
  auto events = rt->store->ListAudit({});
  if (!events.ok()) return false;
  for (const auto& e : *events) {
    if (e.action == action) return true;
  }
  return false;
}

class MaintenanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv(kMasterKeyEnv);
    source_ = ConfigIn(dir_.File("source"));
    target_ = ConfigIn(dir_.File("target"));
    Populate(source_);
  }
  void TearDown() override { unsetenv(kMasterKeyEnv); }

  std::string Backup() {
    const std::string file = dir_.File("backup.db");
    auto info = BackupDatabase(source_, file);
    EXPECT_TRUE(IsOk(info.status()));
    return file;
  }

  RestoreOptions Restore(const std::string& file, bool with_key = true) {
    RestoreOptions o;
    o.file = file;
    if (with_key) o.key_file = source_.MasterKeyPath();
    return o;
  }

  TempDir dir_;
  config::Config source_;
  config::Config target_;
  FakeClock clock_;
};

// ------------------------------------------------------------------------ backup

TEST_F(MaintenanceTest, BackupWritesAnOwnerOnlyFileWithoutTheKey) {
  const std::string file = Backup();
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(Exists(file + ".tmp"));
  const std::string key_text = ReadFile(source_.MasterKeyPath());
  EXPECT_EQ(ReadFile(file).find(key_text.substr(0, key_text.size() - 1)), std::string::npos);
}

TEST_F(MaintenanceTest, BackupReplacesAnOlderBackup) {
  const std::string file = dir_.File("backup.db");
  { std::ofstream(file) << "old"; }
  ASSERT_TRUE(IsOk(BackupDatabase(source_, file).status()));
  EXPECT_NE(ReadFile(file), "old");
}

TEST_F(MaintenanceTest, BackupWithoutDatabaseIsNotFound) {
  EXPECT_TRUE(HasCode(BackupDatabase(target_, dir_.File("b.db")).status(), StatusCode::kNotFound));
}

TEST_F(MaintenanceTest, BackupOfAnotherStoreKindIsInvalid) {
  config::Config c = source_;
  c.store.kind = "postgres";
  EXPECT_TRUE(HasCode(BackupDatabase(c, dir_.File("b.db")).status(), StatusCode::kInvalidArgument));
}

// ------------------------------------------------------------------------ restore

TEST_F(MaintenanceTest, RestoreIntoAFreshDirectoryOpensTheSameSecrets) {
  ASSERT_TRUE(IsOk(RestoreDatabase(target_, Restore(Backup()), clock_, "req")));
  EXPECT_EQ(ReadFile(target_.MasterKeyPath()), ReadFile(source_.MasterKeyPath()));
  struct stat st {};
  ASSERT_EQ(::stat(target_.MasterKeyPath().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ExpectSecretsOpen(target_);
  EXPECT_TRUE(HasAudit(target_, "admin.restore"));
}

TEST_F(MaintenanceTest, RestoreWithTheDirectorysOwnKeyNeedsNoKeyFile) {
  const std::string file = Backup();
  std::filesystem::create_directories(target_.data_dir);
  std::filesystem::copy_file(source_.MasterKeyPath(), target_.MasterKeyPath());
  ASSERT_TRUE(IsOk(RestoreDatabase(target_, Restore(file, /*with_key=*/false), clock_, "req")));
  ExpectSecretsOpen(target_);
}

TEST_F(MaintenanceTest, RestoreWithTheKeyFromTheEnvironment) {
  const std::string file = Backup();
  const std::string text = ReadFile(source_.MasterKeyPath());
  setenv(kMasterKeyEnv, text.substr(0, text.size() - 1).c_str(), 1);
  ASSERT_TRUE(IsOk(RestoreDatabase(target_, Restore(file, /*with_key=*/false), clock_, "req")));
  ExpectSecretsOpen(target_);
}

TEST_F(MaintenanceTest, RestoreWithoutAnyKeyIsNotFoundAndWritesNoDatabase) {
  EXPECT_TRUE(HasCode(RestoreDatabase(target_, Restore(Backup(), false), clock_, "req"),
                      StatusCode::kNotFound));
  EXPECT_FALSE(Exists(target_.DatabasePath()));
}

TEST_F(MaintenanceTest, RestoreWithTheWrongKeyIsRefusedAndWritesNothing) {
  const std::string file = Backup();
  const std::string wrong = dir_.File("wrong.key");
  ASSERT_TRUE(IsOk(crypto::CreateMasterKeyFile(wrong).status()));
  RestoreOptions o = Restore(file);
  o.key_file = wrong;
  EXPECT_TRUE(HasCode(RestoreDatabase(target_, o, clock_, "req"), StatusCode::kPermissionDenied));
  EXPECT_FALSE(Exists(target_.DatabasePath()));
  EXPECT_FALSE(Exists(target_.MasterKeyPath()));
  EXPECT_FALSE(Exists(target_.DatabasePath() + ".restore"));
}

TEST_F(MaintenanceTest, RestoreOverAnExistingDatabaseNeedsForce) {
  const std::string file = Backup();
  ASSERT_TRUE(IsOk(RestoreDatabase(target_, Restore(file), clock_, "req")));
  EXPECT_TRUE(
      HasCode(RestoreDatabase(target_, Restore(file), clock_, "req"), StatusCode::kAlreadyExists));
  RestoreOptions o = Restore(file);
  o.force = true;
  EXPECT_TRUE(IsOk(RestoreDatabase(target_, o, clock_, "req")));
  ExpectSecretsOpen(target_);
}

TEST_F(MaintenanceTest, RestoreReplacesNewerDataWithTheBackup) {
  const std::string file = Backup();
  {
    auto rt = OpenRuntime(source_);
    ASSERT_TRUE(IsOk(rt.status()));
    ASSERT_TRUE(IsOk(rt->store->AddTenant(kApp + 1, 2)));
  }
  RestoreOptions o = Restore(file);
  o.force = true;
  ASSERT_TRUE(IsOk(RestoreDatabase(source_, o, clock_, "req")));
  auto rt = OpenRuntime(source_);
  ASSERT_TRUE(IsOk(rt.status()));
  auto exists = rt->store->TenantExists(kApp + 1);
  ASSERT_TRUE(IsOk(exists.status()));
  EXPECT_FALSE(*exists);
}

TEST_F(MaintenanceTest, RestoreIsRefusedWhileObvpndHoldsTheDirectory) {
  const std::string file = Backup();
  auto daemon = DataDirLock::Acquire(target_.data_dir, DataDirLock::Mode::kShared);
  ASSERT_TRUE(IsOk(daemon.status()));
  EXPECT_TRUE(
      HasCode(RestoreDatabase(target_, Restore(file), clock_, "req"), StatusCode::kUnavailable));
  EXPECT_FALSE(Exists(target_.DatabasePath()));
}

TEST_F(MaintenanceTest, RestoreOfAFileThatIsNoBackupIsRefused) {
  const std::string file = dir_.File("garbage");
  { std::ofstream(file) << std::string(4096, 'x'); }
  EXPECT_TRUE(
      HasCode(RestoreDatabase(target_, Restore(file), clock_, "req"), StatusCode::kDataLoss));
  EXPECT_FALSE(Exists(target_.DatabasePath()));
}

// ------------------------------------------------------------------------ rotation

TEST_F(MaintenanceTest, RotateMasterKeyReSealsEverythingWithANewKey) {
  const std::string before = ReadFile(source_.MasterKeyPath());
  auto info = RotateMasterKey(source_, clock_, "req");
  ASSERT_TRUE(IsOk(info.status()));
  EXPECT_EQ(info->api_keys, 1);
  EXPECT_EQ(info->radius_clients, 1);
  EXPECT_FALSE(info->resumed);
  EXPECT_NE(ReadFile(source_.MasterKeyPath()), before);
  EXPECT_FALSE(Exists(source_.MasterKeyPath() + ".old"));
  EXPECT_FALSE(Exists(source_.MasterKeyPath() + ".new"));
  ExpectSecretsOpen(source_);
  EXPECT_TRUE(HasAudit(source_, "admin.master-key.rotate"));
}

TEST_F(MaintenanceTest, AfterRotationTheOldKeyNoLongerOpensTheDatabase) {
  const std::string old_key = dir_.File("old.key");
  std::filesystem::copy_file(source_.MasterKeyPath(), old_key);
  ASSERT_TRUE(IsOk(RotateMasterKey(source_, clock_, "req").status()));
  config::Config c = source_;
  c.secrets.master_key_file = old_key;
  EXPECT_TRUE(HasCode(OpenRuntime(c).status(), StatusCode::kPermissionDenied));
}

TEST_F(MaintenanceTest, RotateMasterKeyIsRefusedWhileObvpndHoldsTheDirectory) {
  const std::string before = ReadFile(source_.MasterKeyPath());
  auto daemon = DataDirLock::Acquire(source_.data_dir, DataDirLock::Mode::kShared);
  ASSERT_TRUE(IsOk(daemon.status()));
  EXPECT_TRUE(HasCode(RotateMasterKey(source_, clock_, "req").status(), StatusCode::kUnavailable));
  EXPECT_EQ(ReadFile(source_.MasterKeyPath()), before);
}

TEST_F(MaintenanceTest, RotateMasterKeyFromTheEnvironmentIsInvalid) {
  setenv(kMasterKeyEnv, "AAAA", 1);
  EXPECT_TRUE(
      HasCode(RotateMasterKey(source_, clock_, "req").status(), StatusCode::kInvalidArgument));
}

// A crash after the new key file was installed and before the re-seal committed: the
// key file holds a key nothing is sealed with, <key file>.old the one that opens.
void SimulateCrashBeforeCommit(const config::Config& c) {
  const std::string path = c.MasterKeyPath();
  ASSERT_EQ(::link(path.c_str(), (path + ".old").c_str()), 0);
  ASSERT_TRUE(IsOk(crypto::CreateMasterKeyFile(path + ".new").status()));
  ASSERT_EQ(::rename((path + ".new").c_str(), path.c_str()), 0);
}

TEST_F(MaintenanceTest, InterruptedRotationStillOpensWithTheOldKey) {
  SimulateCrashBeforeCommit(source_);
  auto rt = OpenRuntime(source_);
  ASSERT_TRUE(IsOk(rt.status()));
  EXPECT_TRUE(rt->used_old_master_key);
  rt = Unavailable("closed");
  ExpectSecretsOpen(source_);
}

TEST_F(MaintenanceTest, RotatingAgainCompletesAnInterruptedRotation) {
  SimulateCrashBeforeCommit(source_);
  auto info = RotateMasterKey(source_, clock_, "req");
  ASSERT_TRUE(IsOk(info.status()));
  EXPECT_TRUE(info->resumed);
  EXPECT_FALSE(Exists(source_.MasterKeyPath() + ".old"));
  auto rt = OpenRuntime(source_);
  ASSERT_TRUE(IsOk(rt.status()));
  EXPECT_FALSE(rt->used_old_master_key);
  rt = Unavailable("closed");
  ExpectSecretsOpen(source_);
}

TEST_F(MaintenanceTest, AStaleOldKeyAfterACommittedRotationIsIgnoredAndReplaced) {
  // A crash after the re-seal committed, before <key file>.old was removed.
  const std::string old_copy = dir_.File("kept.key");
  std::filesystem::copy_file(source_.MasterKeyPath(), old_copy);
  ASSERT_TRUE(IsOk(RotateMasterKey(source_, clock_, "req").status()));
  std::filesystem::copy_file(old_copy, source_.MasterKeyPath() + ".old");
  {
    auto rt = OpenRuntime(source_);
    ASSERT_TRUE(IsOk(rt.status()));
    EXPECT_FALSE(rt->used_old_master_key);
  }
  auto info = RotateMasterKey(source_, clock_, "req");
  ASSERT_TRUE(IsOk(info.status()));
  EXPECT_FALSE(info->resumed);
  EXPECT_FALSE(Exists(source_.MasterKeyPath() + ".old"));
  ExpectSecretsOpen(source_);
}

TEST_F(MaintenanceTest, RotationThatCannotOpenAValueChangesNothing) {
  // A value sealed with some other key: the re-seal must fail as a whole.
  {
    auto rt = OpenRuntime(source_);
    ASSERT_TRUE(IsOk(rt.status()));
    auto other = crypto::SecretBox::FromKey(crypto::Secret(crypto::RandomBytes(32)));
    ASSERT_TRUE(IsOk(other.status()));
    store::ApiKey k;
    k.secret_id = "AKIDforeign";
    k.app_id = kApp;
    k.sealed_secret_key = other->Seal("x", "AKIDforeign");
    ASSERT_TRUE(IsOk(rt->store->AddKey(k)));
  }
  const std::string before = ReadFile(source_.MasterKeyPath());
  EXPECT_TRUE(HasCode(RotateMasterKey(source_, clock_, "req").status(), StatusCode::kDataLoss));
  EXPECT_EQ(ReadFile(source_.MasterKeyPath()), before);
  EXPECT_FALSE(Exists(source_.MasterKeyPath() + ".old"));
  ExpectSecretsOpen(source_);
}

}  // namespace
}  // namespace obvpn::app
