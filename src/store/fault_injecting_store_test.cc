// FaultInjectingStore: with no fault armed it is a faithful Store (the whole conformance
// suite runs through it); armed, the chosen class of operations fails with Unavailable
// and changes nothing.
#include "store/fault_injecting_store.h"

#include <fstream>
#include <memory>

#include "store/sqlite_store.h"
#include "store/store_conformance.h"

namespace obvpn::store::testing {
namespace {

class FaultFreeEnv final : public StoreEnv {
 public:
  Result<std::unique_ptr<Store>> Open() override {
    auto inner = OpenSqliteStore({dir_.File("obvpn.db")});
    if (!inner.ok()) return inner.status();
    return MakeFaultInjectingStore(std::move(*inner), dir_.File("no-such-control-file"));
  }

 private:
  ScopedTempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(FaultInjectingDisarmed, StoreConformanceTest,
                         ::testing::Values(StoreFactory{
                             "fault_injecting_disarmed",
                             [] { return std::make_unique<FaultFreeEnv>(); }}),
                         StoreFactoryName);

class FaultInjectingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto inner = OpenSqliteStore({dir_.File("obvpn.db")});
    ASSERT_TRUE(inner.ok());
    control_ = dir_.File("fault");
    store_ = MakeFaultInjectingStore(std::move(*inner), control_);
    ASSERT_TRUE(store_->AddTenant(7, 1).ok());
  }
  void Arm(const std::string& word) { std::ofstream(control_) << word << "\n"; }

  ScopedTempDir dir_;
  std::string control_;
  std::unique_ptr<Store> store_;
};

TEST_F(FaultInjectingStoreTest, ReadFaultFailsReadsOnly) {
  Arm("read");
  auto r = store_->FindAccount(7);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(store_->Generation().ok());
  EXPECT_TRUE(store_->AddTenant(8, 1).ok());
}

TEST_F(FaultInjectingStoreTest, WriteFaultFailsWritesAndChangesNothing) {
  Arm("write");
  AccountWrite w;
  w.app_id = 7;
  w.password_hash = "$argon2id$x";
  w.replay = ReplayClaim{"k", 100};
  auto r = store_->CreateAccount(w);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  Arm("none");
  auto acct = store_->FindAccount(7);
  ASSERT_TRUE(acct.ok());
  EXPECT_FALSE(acct->has_value());
  auto claimed = store_->ClaimReplay({"k", 100});
  ASSERT_TRUE(claimed.ok());
  EXPECT_TRUE(*claimed) << "the failed write must not have claimed the replay key";
}

TEST_F(FaultInjectingStoreTest, AllFailsEverything) {
  Arm("all");
  EXPECT_FALSE(store_->ListTenants().ok());
  EXPECT_FALSE(store_->AddTenant(9, 1).ok());
}

}  // namespace
}  // namespace obvpn::store::testing
