// Router: per-path body limits and the envelope of oversized bodies (SPEC §4, §7).
#include "http/api/router.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "crypto/crypto.h"
#include "crypto/secret_box.h"
#include "store/sqlite_store.h"

namespace obvpn::http::api {
namespace {

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("router-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = store::OpenSqliteStore({(dir_ / "t.db").string()});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auto box = crypto::SecretBox::FromKey(crypto::Secret(crypto::RandomBytes(32)));
    ASSERT_TRUE(box.ok());
    box_ = std::make_unique<crypto::SecretBox>(std::move(*box));
    config::Config c = config::Defaults();
    c.api.max_body_bytes = 1000;
    c.api.max_json_body_bytes = 5000;
    config_ = std::make_unique<ConfigHolder>(std::make_shared<const config::Config>(c));
    keys_ = std::make_unique<auth::KeyRing>(*store_, *box_);
    limiter_ = std::make_unique<auth::RateLimiter>(clock_);
    service_ = std::make_unique<accounts::Service>(*store_, clock_, password::HashParams{1024, 1});
    router_ = std::make_unique<Router>(
        ApiDeps{*config_, *keys_, replay_, *limiter_, *service_, pool_, clock_});
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static Request At(std::string path) {
    Request r;
    r.method = "POST";
    r.path = std::move(path);
    r.request_id = "6f1c2a57-3a0e-4b4e-9d43-1f5a8c0b7e21";
    return r;
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<crypto::SecretBox> box_;
  std::unique_ptr<ConfigHolder> config_;
  std::unique_ptr<auth::KeyRing> keys_;
  auth::ReplayCache replay_;
  std::unique_ptr<auth::RateLimiter> limiter_;
  std::unique_ptr<accounts::Service> service_;
  password::HashPool pool_{1, 1};
  std::unique_ptr<Router> router_;
};

TEST_F(RouterTest, V3PathGetsTheJsonBodyLimit) {
  EXPECT_EQ(router_->BodyLimit("/"), 5000u);
  EXPECT_EQ(router_->BodyLimit("/v2/index.php"), 1000u);
  EXPECT_EQ(router_->BodyLimit("/other"), 1000u);
}

TEST_F(RouterTest, TooLargeOnV3PathIsRequestSizeLimitExceededWithHttp200) {
  const Response r = router_->TooLarge(At("/"), 5000);
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/json");
  const auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["Response"]["Error"]["Code"], "RequestSizeLimitExceeded");
  EXPECT_EQ(j["Response"]["RequestId"], "6f1c2a57-3a0e-4b4e-9d43-1f5a8c0b7e21");
  EXPECT_NE(j["Response"]["Error"]["Message"].get<std::string>().find("5000"), std::string::npos);
}

TEST_F(RouterTest, TooLargeOnV2PathKeepsTheV2Envelope) {
  const Response r = router_->TooLarge(At("/v2/index.php"), 1000);
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(nlohmann::json::parse(r.body)["code"], 4000);
}

TEST_F(RouterTest, TooLargeElsewhereIs413) {
  EXPECT_EQ(router_->TooLarge(At("/x"), 1000).status, 413u);
}

}  // namespace
}  // namespace obvpn::http::api
