// CountingStore reports store failures by method name and nothing else.
#include "app/counting_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "app/test_util.h"
#include "store/fault_injecting_store.h"
#include "store/sqlite_store.h"

namespace obvpn::app {
namespace {

using testing::IsOk;
using testing::TempDir;

class CountingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto inner = store::OpenSqliteStore({dir_.File("obvpn.db")});
    ASSERT_TRUE(IsOk(inner.status()));
    control_ = dir_.File("fault");
    store_ =
        MakeCountingStore(store::MakeFaultInjectingStore(std::move(*inner), control_),
                          [this](std::string_view op, const Status&) { ops_.emplace_back(op); });
  }
  void Arm(const std::string& word) { std::ofstream(control_) << word << "\n"; }

  TempDir dir_;
  std::string control_;
  std::vector<std::string> ops_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(CountingStoreTest, ReportsAnUnavailableStoreByMethodName) {
  Arm("read");
  EXPECT_FALSE(store_->FindKey("AKIDx").ok());
  EXPECT_FALSE(store_->Generation().ok());
  EXPECT_EQ(ops_, (std::vector<std::string>{"FindKey", "Generation"}));
}

TEST_F(CountingStoreTest, DoesNotReportAnswersThatAreNotFailures) {
  ASSERT_TRUE(IsOk(store_->AddTenant(1, 1)));
  EXPECT_EQ(store_->AddTenant(1, 1).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->DeleteKey("AKIDnone").code(), StatusCode::kNotFound);
  EXPECT_TRUE(ops_.empty());
}

TEST_F(CountingStoreTest, ForwardsResults) {
  ASSERT_TRUE(IsOk(store_->AddTenant(7, 1)));
  auto exists = store_->TenantExists(7);
  ASSERT_TRUE(IsOk(exists.status()));
  EXPECT_TRUE(*exists);
}

TEST(IsStoreFailure, CountsOnlyUnavailableDataLossAndInternal) {
  EXPECT_TRUE(IsStoreFailure(Unavailable("x")));
  EXPECT_TRUE(IsStoreFailure(DataLoss("x")));
  EXPECT_TRUE(IsStoreFailure(Internal("x")));
  EXPECT_FALSE(IsStoreFailure(Status::Ok()));
  EXPECT_FALSE(IsStoreFailure(NotFound("x")));
  EXPECT_FALSE(IsStoreFailure(AlreadyExists("x")));
  EXPECT_FALSE(IsStoreFailure(InvalidArgument("x")));
  EXPECT_FALSE(IsStoreFailure(PermissionDenied("x")));
}

}  // namespace
}  // namespace obvpn::app
