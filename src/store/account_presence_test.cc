// AccountPresence over the real SQLite store; the fault-injecting decorator shows which
// answers come from memory (a read fault cannot reach them).
#include "store/account_presence.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "store/fault_injecting_store.h"
#include "store/sqlite_store.h"
#include "store/store_conformance.h"

namespace obvpn::store {
namespace {

using testing::ScopedTempDir;

AccountWrite Create(AppId app_id) {
  AccountWrite w;
  w.app_id = app_id;
  w.password_hash = "$argon2id$h";
  w.now = 1;
  w.audit.app_id = app_id;
  w.audit.action = "SetOutBandVPNAuthPwd";
  return w;
}

class AccountPresenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto inner = OpenSqliteStore({dir_.File("obvpn.db")});
    ASSERT_TRUE(inner.ok());
    control_ = dir_.File("fault");
    store_ = MakeFaultInjectingStore(std::move(*inner), control_);
    for (AppId a : {1, 2, 3}) ASSERT_TRUE(store_->AddTenant(a, 1).ok());
  }
  void Arm(const std::string& word) { std::ofstream(control_) << word << "\n"; }
  void Disarm() { std::ofstream(control_) << "\n"; }
  bool Has(AccountPresence& p, AppId a) {
    auto r = p.HasAccount(a);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() && *r;
  }

  ScopedTempDir dir_;
  std::string control_;
  std::unique_ptr<Store> store_;
};

TEST_F(AccountPresenceTest, AnswersFromMemoryOnceRead) {
  ASSERT_EQ(*store_->CreateAccount(Create(1)), WriteOutcome::kApplied);
  AccountPresence p(*store_);
  EXPECT_TRUE(Has(p, 1));
  EXPECT_FALSE(Has(p, 2));
  Arm("read");
  EXPECT_TRUE(Has(p, 1)) << "remembered";
  EXPECT_FALSE(Has(p, 2)) << "remembered";
  auto unknown = p.HasAccount(3);
  ASSERT_FALSE(unknown.ok()) << "not remembered: the store's error";
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnavailable);
  Disarm();
  EXPECT_FALSE(Has(p, 3)) << "an error is not remembered";
}

TEST_F(AccountPresenceTest, AnAccountCreatedElsewhereIsSeenAfterRefresh) {
  AccountPresence p(*store_);
  EXPECT_FALSE(Has(p, 1));
  // Another node (or process) creates it: the store's generation moves.
  ASSERT_EQ(*store_->CreateAccount(Create(1)), WriteOutcome::kApplied);
  EXPECT_FALSE(Has(p, 1)) << "still the remembered answer until Refresh";
  ASSERT_TRUE(p.Refresh().ok());
  EXPECT_TRUE(Has(p, 1));
}

TEST_F(AccountPresenceTest, ADeletedAccountIsGoneAfterRefresh) {
  ASSERT_EQ(*store_->CreateAccount(Create(1)), WriteOutcome::kApplied);
  AccountPresence p(*store_);
  EXPECT_TRUE(Has(p, 1));
  ASSERT_TRUE(store_->DeleteAccount(1).ok());
  ASSERT_TRUE(p.Refresh().ok());
  EXPECT_FALSE(Has(p, 1));
}

TEST_F(AccountPresenceTest, NoteCreatedAnswersWithoutTheStore) {
  AccountPresence p(*store_);
  EXPECT_FALSE(Has(p, 1));
  ASSERT_EQ(*store_->CreateAccount(Create(1)), WriteOutcome::kApplied);
  p.NoteCreated(1);
  Arm("read");
  EXPECT_TRUE(Has(p, 1));
}

TEST_F(AccountPresenceTest, RefreshWithoutChangeKeepsEntries) {
  ASSERT_EQ(*store_->CreateAccount(Create(1)), WriteOutcome::kApplied);
  AccountPresence p(*store_);
  EXPECT_TRUE(Has(p, 1));
  AccountWrite update = Create(1);
  update.password_hash = "$argon2id$other";
  ASSERT_EQ(*store_->UpdateAccount(update), WriteOutcome::kApplied);  // no generation move
  ASSERT_TRUE(p.Refresh().ok());
  EXPECT_EQ(p.size(), 1u);
  Arm("read");
  EXPECT_TRUE(Has(p, 1));
}

TEST_F(AccountPresenceTest, StaysWithinItsCapacity) {
  ASSERT_EQ(*store_->CreateAccount(Create(2)), WriteOutcome::kApplied);
  AccountPresence p(*store_, 2);
  for (int round = 0; round < 3; ++round) {
    EXPECT_FALSE(Has(p, 1));
    EXPECT_TRUE(Has(p, 2));
    EXPECT_FALSE(Has(p, 3));
    EXPECT_LE(p.size(), 2u);
  }
  // Unknown tenants beyond the capacity never grow it.
  for (AppId a = 100; a < 200; ++a) EXPECT_FALSE(Has(p, a));
  EXPECT_LE(p.size(), 2u);
}

}  // namespace
}  // namespace obvpn::store
