#include "accounts/service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/sqlite_store.h"

namespace obvpn::accounts {
namespace {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("svc-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = store::OpenSqliteStore({(dir_ / "t.db").string()});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->AddTenant(kApp, 1).ok());
    service_ = std::make_unique<Service>(*store_, clock_, password::HashParams{1024, 1});
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  PreparedSet Set(SetOperation op, std::string pw, std::string replay_key) {
    PreparedSet s;
    s.caller = caller_;
    s.op = op;
    s.password = std::move(pw);
    s.replay = store::ReplayClaim{std::move(replay_key), clock_.NowUnix() + 600};
    s.action = "SetOutBandVPNAuthPwd";
    return s;
  }

  static constexpr uint64_t kApp = 1251001002;
  std::filesystem::path dir_;
  FakeClock clock_{1700000000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Service> service_;
  Caller caller_{kApp, "AKIDexample", "127.0.0.1:1", "rid-1"};
  config::Zone zone_{1000100003, "gz", "115.159.242.100:443"};
};

TEST_F(ServiceTest, BeFirstUntilCreateThenFalse) {
  auto before = service_->GetAuthInfo(caller_, zone_);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->be_first);
  EXPECT_EQ(before->user_name, "1251001002");
  EXPECT_EQ(before->user_group, "bm1251001002");
  EXPECT_EQ(before->vpn_gw_addr, "115.159.242.100:443");
  ASSERT_TRUE(service_->CommitSet(Set(SetOperation::kCreate, "tencentV%89", "r1")).ok());
  auto after = service_->GetAuthInfo(caller_, zone_);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->be_first);
}

TEST_F(ServiceTest, CreateTwiceIsAccountExists) {
  ASSERT_TRUE(service_->CommitSet(Set(SetOperation::kCreate, "abcd1234", "r1")).ok());
  auto again = service_->CommitSet(Set(SetOperation::kCreate, "abcd1234", "r2"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.failure().error, ApiError::kAccountExists);
  EXPECT_NE(again.failure().message.find("update"), std::string::npos);
}

TEST_F(ServiceTest, UpdateWithoutAccountIsAccountMissing) {
  auto r = service_->CommitSet(Set(SetOperation::kUpdate, "abcd1234", "r1"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure().error, ApiError::kAccountMissing);
}

TEST_F(ServiceTest, UpdateReplacesTheHash) {
  ASSERT_TRUE(service_->CommitSet(Set(SetOperation::kCreate, "abcd1234", "r1")).ok());
  ASSERT_TRUE(service_->CommitSet(Set(SetOperation::kUpdate, "wxyz9876", "r2")).ok());
  auto acct = store_->FindAccount(kApp);
  ASSERT_TRUE(acct.ok() && acct->has_value());
  EXPECT_TRUE(*password::Verify((*acct)->password_hash, "wxyz9876"));
  EXPECT_FALSE(*password::Verify((*acct)->password_hash, "abcd1234"));
}

TEST_F(ServiceTest, SameReplayKeyTwiceIsReplayAndChangesNothing) {
  ASSERT_TRUE(service_->CommitSet(Set(SetOperation::kCreate, "abcd1234", "same")).ok());
  auto r = service_->CommitSet(Set(SetOperation::kUpdate, "wxyz9876", "same"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure().error, ApiError::kReplay);
  auto acct = store_->FindAccount(kApp);
  EXPECT_TRUE(*password::Verify((*acct)->password_hash, "abcd1234"));
}

// SPEC §3.2: a failed request replayed after the state changed must not succeed.
TEST_F(ServiceTest, FailedUpdateCannotBeReplayedAfterCreate) {
  auto first = service_->CommitSet(Set(SetOperation::kUpdate, "wxyz9876", "upd"));
  ASSERT_EQ(first.failure().error, ApiError::kAccountMissing);
  ASSERT_TRUE(service_->CommitSet(Set(SetOperation::kCreate, "abcd1234", "cr")).ok());
  auto replayed = service_->CommitSet(Set(SetOperation::kUpdate, "wxyz9876", "upd"));
  ASSERT_FALSE(replayed.ok());
  EXPECT_EQ(replayed.failure().error, ApiError::kReplay);
}

TEST_F(ServiceTest, RecordFailedMutationClaimsReplayAndAudits) {
  ApiFailure f{ApiError::kInvalidParameter, "password rule"};
  ASSERT_TRUE(service_
                  ->RecordFailedMutation(caller_, "SetOutBandVPNAuthPwd",
                                         store::ReplayClaim{"bad", 2000000000}, f)
                  .ok());
  auto claimed = store_->ClaimReplay({"bad", 2000000000});
  ASSERT_TRUE(claimed.ok());
  EXPECT_FALSE(*claimed);
  auto audit = store_->ListAudit({});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].result_code, 4000);
  EXPECT_EQ((*audit)[0].request_id, "rid-1");
}

TEST_F(ServiceTest, SuccessfulSetIsAudited) {
  ASSERT_TRUE(service_->CommitSet(Set(SetOperation::kCreate, "abcd1234", "r1")).ok());
  auto audit = store_->ListAudit({});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].result_code, 0);
  EXPECT_EQ((*audit)[0].detail, "create");
  EXPECT_EQ((*audit)[0].secret_id, "AKIDexample");
}

TEST(ServiceStatic, ResolveZoneUsesFirstZoneOfRegionAndChecksZoneId) {
  config::Config c = config::Defaults();
  c.zones = {{1000800001, "bj", "a:1"}, {1000800002, "bj", "b:2"}, {1000100003, "gz", "c:3"}};
  auto first = Service::ResolveZone(c, "ap-beijing", std::nullopt);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.value()->id, 1000800001u);
  auto second = Service::ResolveZone(c, "bj", 1000800002);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.value()->vpn_gateway, "b:2");
  auto wrong = Service::ResolveZone(c, "bj", 1000100003);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.failure().error, ApiError::kInvalidParameter);
  auto unknown = Service::ResolveZone(c, "sh", std::nullopt);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.failure().error, ApiError::kUnsupportedRegion);
}

TEST(ServiceStatic, ParseOperationIsCaseInsensitive) {
  EXPECT_EQ(Service::ParseOperation("CREATE", "x").value(), SetOperation::kCreate);
  EXPECT_EQ(Service::ParseOperation("Update", "x").value(), SetOperation::kUpdate);
  EXPECT_FALSE(Service::ParseOperation("upsert", "x").ok());
}

TEST(ServiceStatic, CheckAppIdRefusesAnotherTenant) {
  Caller c{5, "AKID", "", ""};
  EXPECT_FALSE(Service::CheckAppId(c, std::nullopt).has_value());
  EXPECT_FALSE(Service::CheckAppId(c, 5).has_value());
  auto f = Service::CheckAppId(c, 6);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->error, ApiError::kOperationDenied);
}

}  // namespace
}  // namespace obvpn::accounts
