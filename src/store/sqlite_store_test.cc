// SqliteStore behaviour beyond the Store conformance suite: the file, its schema
// version, and how environment failures map to the error contract of store.h.
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

#include "store/sqlite_store_internal.h"
#include "store/store_conformance.h"

namespace obvpn::store {
namespace {

using testing::HasCode;
using testing::IsOk;
using testing::ScopedTempDir;

constexpr AppId kApp = 1251001002;
constexpr int64_t kNow = 1700000000;

// A raw SQLite handle on the test's database, for looking under the store.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
  }
  ~RawDb() { sqlite3_close(db_); }

  void Exec(const std::string& sql) {
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err != nullptr ? err : "");
    sqlite3_free(err);
  }

  // The first column of the first row of `sql`, as an integer.
  int64_t QueryInt(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  }

  std::string QueryText(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    std::string v;
    if (sqlite3_step(st) == SQLITE_ROW) {
      v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return v;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  SqliteOptions Options() const {
    SqliteOptions o;
    o.path = dir_.File("obvpn.db");
    return o;
  }

  std::unique_ptr<Store> OpenOrDie() {
    auto store = OpenSqliteStore(Options());
    EXPECT_TRUE(IsOk(store.status()));
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Creates a database holding one tenant with an account, then closes it.
  void Populate() {
    auto store = OpenOrDie();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(IsOk(store->AddTenant(kApp, kNow)));
    AccountWrite w;
    w.app_id = kApp;
    w.password_hash = "$argon2id$h";
    w.now = kNow;
    w.replay = ReplayClaim{"key-1", kNow + 300};
    auto outcome = store->CreateAccount(w);
    ASSERT_TRUE(IsOk(outcome.status()));
    ASSERT_EQ(*outcome, WriteOutcome::kApplied);
  }

  void WriteFile(const std::string& content) {
    std::ofstream out(Options().path, std::ios::binary);
    out << content;
  }

  ScopedTempDir dir_;
};

TEST_F(SqliteStoreTest, DataPersistsAcrossReopen) {
  Populate();
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  auto exists = store->TenantExists(kApp);
  ASSERT_TRUE(IsOk(exists.status()));
  EXPECT_TRUE(*exists);
  auto account = store->FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  ASSERT_TRUE(account->has_value());
  EXPECT_EQ((*account)->password_hash, "$argon2id$h");
  auto claimed = store->ClaimReplay({"key-1", kNow + 300});
  ASSERT_TRUE(IsOk(claimed.status()));
  EXPECT_FALSE(*claimed);
}

TEST_F(SqliteStoreTest, NewDatabaseHasCurrentSchemaVersion) {
  Populate();
  RawDb raw(Options().path);
  EXPECT_EQ(raw.QueryInt("PRAGMA user_version"), SqliteSchemaVersion());
}

TEST_F(SqliteStoreTest, NewDatabaseUsesWalJournal) {
  Populate();
  RawDb raw(Options().path);
  EXPECT_EQ(raw.QueryText("PRAGMA journal_mode"), "wal");
}

// The encoding note of sqlite_store.cc: app ids are stored bit-cast to signed 64-bit.
TEST_F(SqliteStoreTest, StoresAppIdBitCastToSigned64) {
  {
    auto store = OpenOrDie();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(IsOk(store->AddTenant(AppId{1} << 63, kNow)));
  }
  RawDb raw(Options().path);
  EXPECT_EQ(raw.QueryInt("SELECT app_id FROM tenants"), INT64_MIN);
}

TEST_F(SqliteStoreTest, ReopeningCurrentDatabaseKeepsItsGeneration) {
  Populate();
  int64_t generation = 0;
  {
    auto store = OpenOrDie();
    ASSERT_NE(store, nullptr);
    auto g = store->Generation();
    ASSERT_TRUE(IsOk(g.status()));
    generation = *g;
  }
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  auto g = store->Generation();
  ASSERT_TRUE(IsOk(g.status()));
  EXPECT_EQ(*g, generation);
  EXPECT_GT(generation, 0);
}

// Migrations are versioned (SPEC §6): a version-1 database (before RADIUS sessions)
// keeps its data and gains the version-2 sessions table on open.
TEST_F(SqliteStoreTest, Version1DatabaseMigratesToCurrentKeepingData) {
  Populate();
  {
    RawDb raw(Options().path);
    raw.Exec("DROP TABLE radius_sessions; PRAGMA user_version = 1");
  }
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  {
    RawDb raw(Options().path);
    EXPECT_EQ(raw.QueryInt("PRAGMA user_version"), SqliteSchemaVersion());
  }
  auto account = store->FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  ASSERT_TRUE(account->has_value());
  EXPECT_EQ((*account)->password_hash, "$argon2id$h");
  ASSERT_TRUE(IsOk(store->RecordSessionStart(kApp, "gw", "s1", kNow)));
  auto count = store->CountActiveSessions(kApp);
  ASSERT_TRUE(IsOk(count.status()));
  EXPECT_EQ(*count, 1);
}

TEST_F(SqliteStoreTest, SchemaVersionIsTwo) { EXPECT_EQ(SqliteSchemaVersion(), 2); }

TEST_F(SqliteStoreTest, NewerSchemaVersionIsDataLoss) {
  Populate();
  {
    RawDb raw(Options().path);
    raw.Exec("PRAGMA user_version = " + std::to_string(SqliteSchemaVersion() + 1));
  }
  auto store = OpenSqliteStore(Options());
  ASSERT_TRUE(HasCode(store.status(), StatusCode::kDataLoss));
  EXPECT_NE(store.status().message().find("newer than this binary"), std::string::npos)
      << store.status().message();
}

TEST_F(SqliteStoreTest, GarbageFileIsDataLoss) {
  WriteFile(std::string(8192, 'x'));
  auto store = OpenSqliteStore(Options());
  EXPECT_TRUE(HasCode(store.status(), StatusCode::kDataLoss));
}

TEST_F(SqliteStoreTest, OtherApplicationsDatabaseIsDataLoss) {
  {
    RawDb raw(Options().path);
    raw.Exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
  }
  auto store = OpenSqliteStore(Options());
  EXPECT_TRUE(HasCode(store.status(), StatusCode::kDataLoss));
}

TEST_F(SqliteStoreTest, VersionedDatabaseWithForeignApplicationIdIsDataLoss) {
  {
    RawDb raw(Options().path);
    raw.Exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY); PRAGMA user_version = 1");
  }
  auto store = OpenSqliteStore(Options());
  EXPECT_TRUE(HasCode(store.status(), StatusCode::kDataLoss));
}

TEST_F(SqliteStoreTest, MissingFileWithoutCreateIsNotFound) {
  SqliteOptions o = Options();
  o.create_if_missing = false;
  auto store = OpenSqliteStore(o);
  EXPECT_TRUE(HasCode(store.status(), StatusCode::kNotFound));
  EXPECT_FALSE(std::ifstream(o.path).good()) << "the file must not be created";
}

TEST_F(SqliteStoreTest, ExistingFileWithoutCreateOpens) {
  Populate();
  SqliteOptions o = Options();
  o.create_if_missing = false;
  auto store = OpenSqliteStore(o);
  EXPECT_TRUE(IsOk(store.status()));
}

TEST_F(SqliteStoreTest, MissingDirectoryIsUnavailable) {
  SqliteOptions o;
  o.path = dir_.File("no-such-dir/obvpn.db");
  auto store = OpenSqliteStore(o);
  EXPECT_TRUE(HasCode(store.status(), StatusCode::kUnavailable));
}

TEST_F(SqliteStoreTest, EmptyPathIsInvalidArgument) {
  auto store = OpenSqliteStore(SqliteOptions{});
  EXPECT_TRUE(HasCode(store.status(), StatusCode::kInvalidArgument));
}

// store.h: "busy past its timeout → Unavailable"; WAL lets reads go on meanwhile.
TEST_F(SqliteStoreTest, WriteWhileAnotherWriterHoldsTheLockIsUnavailable) {
  SqliteOptions o = Options();
  o.busy_timeout_ms = 50;
  auto opened = OpenSqliteStore(o);
  ASSERT_TRUE(IsOk(opened.status()));
  Store& store = **opened;
  ASSERT_TRUE(IsOk(store.AddTenant(kApp, kNow)));

  RawDb other(o.path);
  other.Exec("BEGIN IMMEDIATE");
  EXPECT_TRUE(HasCode(store.AddTenant(kApp + 1, kNow), StatusCode::kUnavailable));
  auto claimed = store.ClaimReplay({"key", kNow});
  EXPECT_TRUE(HasCode(claimed.status(), StatusCode::kUnavailable));
  auto exists = store.TenantExists(kApp);
  ASSERT_TRUE(IsOk(exists.status()));
  EXPECT_TRUE(*exists);
  other.Exec("ROLLBACK");

  EXPECT_TRUE(IsOk(store.AddTenant(kApp + 1, kNow)));
}

// Every write on a read-only database is Unavailable and changes nothing.
void ExpectWritesUnavailable(Store& store) {
  EXPECT_TRUE(HasCode(store.AddTenant(kApp + 1, kNow), StatusCode::kUnavailable));
  ApiKey key;
  key.secret_id = "AKIDro";
  key.app_id = kApp;
  EXPECT_TRUE(HasCode(store.AddKey(key), StatusCode::kUnavailable));
  AccountWrite w;
  w.app_id = kApp;
  w.password_hash = "$argon2id$changed";
  w.now = kNow + 1;
  w.replay = ReplayClaim{"key-2", kNow + 300};
  EXPECT_TRUE(HasCode(store.UpdateAccount(w).status(), StatusCode::kUnavailable));
  EXPECT_TRUE(HasCode(store.SetAccountLocked(kApp, true, kNow), StatusCode::kUnavailable));
  EXPECT_TRUE(HasCode(store.ClaimReplay({"key-3", kNow}).status(), StatusCode::kUnavailable));
  EXPECT_TRUE(HasCode(store.AppendAudit(AuditEvent{}), StatusCode::kUnavailable));
  EXPECT_TRUE(HasCode(store.SetMeta("k", "v"), StatusCode::kUnavailable));
  // Reads still work.
  auto account = store.FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  ASSERT_TRUE(account->has_value());
}

void ExpectPopulatedStateUnchanged(Store& store) {
  auto tenants = store.ListTenants();
  ASSERT_TRUE(IsOk(tenants.status()));
  EXPECT_EQ(tenants->size(), 1u);
  auto account = store.FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  ASSERT_TRUE(account->has_value());
  EXPECT_EQ((*account)->password_hash, "$argon2id$h");
  EXPECT_FALSE((*account)->locked);
  auto claimed = store.ClaimReplay({"key-2", kNow + 300});
  ASSERT_TRUE(IsOk(claimed.status()));
  EXPECT_TRUE(*claimed) << "the claim of the failed update must not be kept";
  auto events = store.ListAudit({});
  ASSERT_TRUE(IsOk(events.status()));
  EXPECT_EQ(events->size(), 1u);  // the create of Populate()
  auto meta = store.GetMeta("k");
  ASSERT_TRUE(IsOk(meta.status()));
  EXPECT_EQ(*meta, "");
}

TEST_F(SqliteStoreTest, ReadOnlyConnectionWritesAreUnavailableAndChangeNothing) {
  Populate();
  {
    auto ro = OpenSqliteStoreReadOnly(Options());
    ASSERT_TRUE(IsOk(ro.status()));
    ExpectWritesUnavailable(**ro);
  }
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  ExpectPopulatedStateUnchanged(*store);
}

TEST_F(SqliteStoreTest, ReadOnlyFileWritesAreUnavailableAndChangeNothing) {
  if (geteuid() == 0) {
    GTEST_SKIP() << "running as root, where mode 0400 does not stop writes; "
                    "ReadOnlyConnectionWritesAreUnavailableAndChangeNothing covers the "
                    "read-only contract";
  }
  Populate();
  ASSERT_EQ(chmod(Options().path.c_str(), 0400), 0);
  {
    auto store = OpenSqliteStore(Options());
    if (!store.ok()) {
      // Opening may already fail (WAL needs its side files): still Unavailable.
      EXPECT_TRUE(HasCode(store.status(), StatusCode::kUnavailable));
    } else {
      ExpectWritesUnavailable(**store);
    }
  }
  // SQLite gives the -wal and -shm files the mode of the database file; a read-only
  // connection cannot remove them, so they are restored too.
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string file = Options().path + suffix;
    if (access(file.c_str(), F_OK) == 0) {
      ASSERT_EQ(chmod(file.c_str(), 0600), 0) << file;
    }
  }
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  ExpectPopulatedStateUnchanged(*store);
}

TEST_F(SqliteStoreTest, ReadOnlyOpenOfMissingFileIsNotFound) {
  auto ro = OpenSqliteStoreReadOnly(Options());
  EXPECT_TRUE(HasCode(ro.status(), StatusCode::kNotFound));
}

// ---------------------------------------------------------------------------- backup

TEST_F(SqliteStoreTest, CopyWhileTheSourceIsOpenHoldsItsCommittedData) {
  Populate();
  auto live = OpenOrDie();  // the source stays open, in WAL mode, as under obvpnd
  ASSERT_NE(live, nullptr);
  ASSERT_TRUE(IsOk(live->AddTenant(kApp + 1, kNow)));
  const std::string copy = dir_.File("copy.db");
  ASSERT_TRUE(IsOk(CopySqliteDatabase(Options().path, copy, 1000)));
  ASSERT_TRUE(IsOk(live->AddTenant(kApp + 2, kNow)));  // after the copy: not in it

  auto restored = OpenSqliteStore({copy});
  ASSERT_TRUE(IsOk(restored.status()));
  auto tenants = (*restored)->ListTenants();
  ASSERT_TRUE(IsOk(tenants.status()));
  ASSERT_EQ(tenants->size(), 2u);
  EXPECT_EQ((*tenants)[1].app_id, kApp + 1);
  auto account = (*restored)->FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  EXPECT_TRUE(account->has_value());
}

TEST_F(SqliteStoreTest, CopyLeavesASelfContainedRollbackJournalFile) {
  Populate();
  const std::string copy = dir_.File("copy.db");
  ASSERT_TRUE(IsOk(CopySqliteDatabase(Options().path, copy, 1000)));
  EXPECT_FALSE(std::ifstream(copy + "-wal").good());
  RawDb raw(copy);
  EXPECT_EQ(raw.QueryText("PRAGMA journal_mode"), "delete");
  EXPECT_EQ(raw.QueryInt("PRAGMA user_version"), SqliteSchemaVersion());
}

TEST_F(SqliteStoreTest, CopyOverAnExistingDatabaseReplacesItsContent) {
  Populate();
  const std::string other = dir_.File("other.db");
  {
    auto o = OpenSqliteStore({other});
    ASSERT_TRUE(IsOk(o.status()));
    ASSERT_TRUE(IsOk((*o)->AddTenant(42, kNow)));
  }
  ASSERT_TRUE(IsOk(CopySqliteDatabase(Options().path, other, 1000)));
  auto o = OpenSqliteStore({other});
  ASSERT_TRUE(IsOk(o.status()));
  auto tenants = (*o)->ListTenants();
  ASSERT_TRUE(IsOk(tenants.status()));
  ASSERT_EQ(tenants->size(), 1u);
  EXPECT_EQ((*tenants)[0].app_id, kApp);
}

TEST_F(SqliteStoreTest, CopyOfMissingSourceIsNotFound) {
  EXPECT_TRUE(HasCode(CopySqliteDatabase(dir_.File("none.db"), dir_.File("copy.db"), 1000),
                      StatusCode::kNotFound));
}

TEST_F(SqliteStoreTest, CopyOfForeignDatabaseIsDataLoss) {
  {
    RawDb raw(Options().path);
    raw.Exec("CREATE TABLE t (x)");
  }
  EXPECT_TRUE(HasCode(CopySqliteDatabase(Options().path, dir_.File("copy.db"), 1000),
                      StatusCode::kDataLoss));
}

TEST_F(SqliteStoreTest, CopyOfGarbageFileIsDataLoss) {
  WriteFile(std::string(8192, 'x'));
  EXPECT_TRUE(HasCode(CopySqliteDatabase(Options().path, dir_.File("copy.db"), 1000),
                      StatusCode::kDataLoss));
}

}  // namespace
}  // namespace obvpn::store
