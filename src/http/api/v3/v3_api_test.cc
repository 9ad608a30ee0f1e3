// V3Api driven in process: one test per row of SPEC §4's error table (and the success
// paths of both signature styles), with a fake clock, a real SQLite store behind the
// fault-injecting decorator, and requests signed with the signing library (whose TC3 code
// is pinned to the public vector in tc3_signature_test.cc; the integration tests sign
// independently and with the official SDK).
#include "http/api/v3/v3_api.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "crypto/crypto.h"
#include "crypto/secret_box.h"
#include "http/signing/form.h"
#include "http/signing/tc3_signature.h"
#include "http/signing/v2_signature.h"
#include "store/fault_injecting_store.h"
#include "store/sqlite_store.h"

namespace obvpn::http::api {
namespace {

namespace asio = boost::asio;
using signing::Params;

constexpr uint64_t kApp = 1251001002;
constexpr std::string_view kSecretId = "AKIDv3testv3testv3testv3testv3test01";
constexpr std::string_view kSecretKey = "v3TestSecretKeyv3TestSecretKey0123456789";
constexpr std::string_view kRequestId = "0f8fad5b-d9cb-469f-a165-70867728950e";
constexpr std::string_view kHost = "bm.tencentcloudapi.com:8443";

// A TC3 request as a client builds it; every field can be bent by a test.
struct Tc3Opts {
  std::string method = "POST";
  std::string host = std::string(kHost);   // the Host header
  std::optional<std::string> signed_host;  // default: host
  std::optional<std::string> action = "SetOutBandVpnAuthPassword";
  std::optional<std::string> version = "2018-04-23";
  std::optional<std::string> region = "ap-guangzhou";
  std::optional<std::string> token;
  std::optional<int64_t> timestamp;  // default: now
  std::optional<std::string> date;   // default: UTC date of timestamp
  std::string service = "bm";
  std::string content_type = "application/json";
  std::string body = R"({"Password":"abcd1234","Operate":"Create"})";
  std::string query;
  std::string secret_id = std::string(kSecretId);
  std::string secret_key = std::string(kSecretKey);
};

// A v1 (HmacSHA1/HmacSHA256) request: the common parameters, then `extra`, minus `drop`.
struct V1Opts {
  std::string method = "GET";
  std::string sign = "HmacSHA1";  // or "HmacSHA256", or "" (SignatureMethod absent)
  std::string host = std::string(kHost);
  std::optional<int64_t> timestamp;
  Params extra = {{"Password", "abcd1234"}, {"Operate", "create"}};
  std::vector<std::string> drop;
  std::string secret_id = std::string(kSecretId);
  std::string secret_key = std::string(kSecretKey);
  uint64_t nonce = 42;
};

class V3ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("v3api-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    fault_file_ = (dir_ / "fault").string();
    SetFault("none");
    auto s = store::OpenSqliteStore({(dir_ / "t.db").string()});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = store::MakeFaultInjectingStore(std::move(*s), fault_file_);
    auto box = crypto::SecretBox::FromKey(crypto::Secret(crypto::RandomBytes(32)));
    ASSERT_TRUE(box.ok());
    box_ = std::make_unique<crypto::SecretBox>(std::move(*box));
    ASSERT_TRUE(store_->AddTenant(kApp, clock_.NowUnix()).ok());
    AddKey(kSecretId, kSecretKey);
    keys_ = std::make_unique<auth::KeyRing>(*store_, *box_);
    limiter_ = std::make_unique<auth::RateLimiter>(clock_);
    service_ = std::make_unique<accounts::Service>(*store_, clock_, password::HashParams{1024, 1});
    pool_ = std::make_unique<password::HashPool>(1, 16);
    config_ =
        std::make_unique<ConfigHolder>(std::make_shared<const config::Config>(config::Defaults()));
    api_ = std::make_unique<V3Api>(Deps(replay_));
  }
  void TearDown() override {
    api_.reset();
    pool_.reset();
    std::filesystem::remove_all(dir_);
  }

  ApiDeps Deps(auth::ReplayCache& replay) {
    return ApiDeps{*config_, *keys_, replay, *limiter_, *service_, *pool_, clock_};
  }

  void SetFault(std::string_view what) { std::ofstream(fault_file_) << what << "\n"; }

  void AddKey(std::string_view id, std::string_view key, std::vector<std::string> actions = {},
              std::optional<int64_t> expires_at = std::nullopt, std::string token = "") {
    store::ApiKey k;
    k.secret_id = std::string(id);
    k.app_id = kApp;
    k.sealed_secret_key = box_->Seal(key, id);
    k.actions = std::move(actions);
    k.expires_at = expires_at;
    if (!token.empty()) k.token_sha256_hex = crypto::HexEncode(crypto::Sha256(token));
    k.created_at = clock_.NowUnix();
    ASSERT_TRUE(store_->AddKey(k).ok());
  }

  void Configure(void (*edit)(config::Config&)) {
    config::Config c = *config_->Get();
    edit(c);
    config_->Set(std::make_shared<const config::Config>(std::move(c)));
  }

  Request Tc3(const Tc3Opts& o) const {
    Request r = Base(o.method, o.host, o.query);
    r.content_type = o.content_type;
    r.headers.emplace_back("content-type", o.content_type);
    const int64_t ts = o.timestamp.value_or(clock_.NowUnix());
    r.headers.emplace_back("x-tc-timestamp", std::to_string(ts));
    if (o.action) r.headers.emplace_back("x-tc-action", *o.action);
    if (o.version) r.headers.emplace_back("x-tc-version", *o.version);
    if (o.region) r.headers.emplace_back("x-tc-region", *o.region);
    if (o.token) r.headers.emplace_back("x-tc-token", *o.token);
    if (o.method == "POST") r.body = o.body;
    const std::string date = o.date.value_or(signing::Tc3Date(ts));
    const std::string signed_host = o.signed_host.value_or(o.host);
    signing::Tc3Request tr;
    tr.http_method = o.method;
    tr.canonical_query = o.query;
    tr.headers = {{"content-type", o.content_type}, {"host", signed_host}};
    tr.payload = r.body;
    const std::string sig = signing::Tc3Sign(
        o.secret_key, date, o.service,
        signing::Tc3StringToSign(std::to_string(ts), signing::Tc3CredentialScope(date, o.service),
                                 signing::Tc3CanonicalRequest(tr)));
    r.headers.emplace_back(
        "authorization",
        signing::FormatTc3Authorization(o.secret_id, date, o.service, "content-type;host", sig));
    return r;
  }

  Request V1(const V1Opts& o) const {
    Params p = {{"Action", "SetOutBandVpnAuthPassword"},
                {"Version", "2018-04-23"},
                {"Region", "gz"},
                {"Timestamp", std::to_string(o.timestamp.value_or(clock_.NowUnix()))},
                {"Nonce", std::to_string(o.nonce)},
                {"SecretId", o.secret_id},
                {"RequestClient", "SDK_NODEJS_4.1.313"}};
    if (!o.sign.empty()) p.push_back({"SignatureMethod", o.sign});
    for (const auto& e : o.extra) {
      bool replaced = false;
      for (auto& q : p) {
        if (q.key == e.key) {
          q.value = e.value;
          replaced = true;
        }
      }
      if (!replaced) p.push_back(e);
    }
    std::erase_if(p, [&](const signing::Param& q) {
      return std::find(o.drop.begin(), o.drop.end(), q.key) != o.drop.end();
    });
    const auto method =
        o.sign == "HmacSHA256" ? signing::V2Method::kHmacSha256 : signing::V2Method::kHmacSha1;
    signing::V2Request sreq;
    sreq.http_method = o.method;
    sreq.host = o.host;
    sreq.path = "/";
    sreq.params = &p;
    sreq.rewrite_underscores = false;
    if (std::find(o.drop.begin(), o.drop.end(), "Signature") == o.drop.end()) {
      p.push_back({"Signature",
                   signing::V2Sign(o.secret_key, signing::V2StringToSign(sreq, method), method)});
    }
    const std::string form = signing::EncodeForm(p);
    Request r = Base(o.method, o.host, o.method == "GET" ? form : "");
    if (o.method == "POST") {
      r.content_type = "application/x-www-form-urlencoded";
      r.headers.emplace_back("content-type", r.content_type);
      r.body = form;
    }
    return r;
  }

  static Request Base(std::string method, std::string host, std::string query) {
    Request r;
    r.method = std::move(method);
    r.path = "/";
    r.query = std::move(query);
    r.target = r.query.empty() ? "/" : "/?" + r.query;
    r.host = host;
    r.headers.emplace_back("host", std::move(host));
    r.peer = "127.0.0.1:50000";
    r.request_id = std::string(kRequestId);
    return r;
  }

  Response Send(Request r) { return SendTo(*api_, std::move(r)); }

  static Response SendTo(V3Api& api, Request r) {
    asio::io_context io;
    Response out;
    bool done = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          out = co_await api.Handle(r);
          done = true;
        },
        asio::detached);
    io.run();
    EXPECT_TRUE(done);
    return out;
  }

  // The body as JSON, after the checks every API 3.0 response must pass.
  static nlohmann::json Body(const Response& r) {
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.content_type, "application/json");
    nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    EXPECT_TRUE(j.is_object()) << r.body;
    if (!j.is_object() || !j.contains("Response")) return nlohmann::json::object();
    EXPECT_EQ(j["Response"]["RequestId"], kRequestId) << r.body;
    return j["Response"];
  }

  static void ExpectOk(const Response& r) {
    const nlohmann::json resp = Body(r);
    EXPECT_FALSE(resp.contains("Error")) << r.body;
    EXPECT_EQ(r.log.api, "v3");
  }

  static void ExpectError(const Response& r, std::string_view code, std::string_view part = "") {
    const nlohmann::json resp = Body(r);
    ASSERT_TRUE(resp.contains("Error")) << r.body;
    EXPECT_EQ(resp["Error"]["Code"], code) << r.body;
    const std::string message = resp["Error"]["Message"].get<std::string>();
    EXPECT_NE(message.find(part), std::string::npos) << "message: " << message;
  }

  bool HasAccount() {
    auto a = store_->FindAccount(kApp);
    return a.ok() && a->has_value();
  }

  std::filesystem::path dir_;
  std::string fault_file_;
  FakeClock clock_{1700000000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<crypto::SecretBox> box_;
  std::unique_ptr<auth::KeyRing> keys_;
  auth::ReplayCache replay_;
  std::unique_ptr<auth::RateLimiter> limiter_;
  std::unique_ptr<accounts::Service> service_;
  std::unique_ptr<password::HashPool> pool_;
  std::unique_ptr<ConfigHolder> config_;
  std::unique_ptr<V3Api> api_;
};

// --- success paths ---------------------------------------------------------------------

TEST_F(V3ApiTest, Tc3PostCreatesTheAccount) {
  const Response r = Send(Tc3({}));
  ExpectOk(r);
  EXPECT_EQ(r.body, R"({"Response":{"RequestId":")" + std::string(kRequestId) + R"("}})");
  EXPECT_TRUE(HasAccount());
  EXPECT_EQ(r.log.action, "SetOutBandVpnAuthPassword");
  EXPECT_EQ(r.log.app_id, kApp);
}

TEST_F(V3ApiTest, Tc3AcceptsAHostSignedWithoutItsPort) {
  // The Node.js SDK sends Host with the port and signs it without (PEERS.md).
  Tc3Opts o;
  o.signed_host = "bm.tencentcloudapi.com";
  ExpectOk(Send(Tc3(o)));
}

TEST_F(V3ApiTest, Tc3AcceptsCharsetInContentTypeAndCaseInsensitiveOperate) {
  Tc3Opts o;
  o.content_type = "application/json; charset=utf-8";
  o.body = R"({"Operate":"cReAtE","Password":"abcd1234"})";
  ExpectOk(Send(Tc3(o)));
}

TEST_F(V3ApiTest, Tc3GetCarriesParametersInTheQuery) {
  Tc3Opts o;
  o.method = "GET";
  o.content_type = "application/x-www-form-urlencoded";
  o.query = "Operate=Create&Password=abcd%231234";
  ExpectOk(Send(Tc3(o)));
  EXPECT_TRUE(HasAccount());
}

TEST_F(V3ApiTest, Tc3UpdateAfterCreate) {
  ExpectOk(Send(Tc3({})));
  Tc3Opts o;
  o.body = R"({"Password":"wxyz#9876","Operate":"Update"})";
  ExpectOk(Send(Tc3(o)));
}

TEST_F(V3ApiTest, V1HmacSha1GetCreatesTheAccount) {
  ExpectOk(Send(V1({})));
  EXPECT_TRUE(HasAccount());
}

TEST_F(V3ApiTest, V1HmacSha256PostCreatesTheAccount) {
  V1Opts o;
  o.method = "POST";
  o.sign = "HmacSHA256";
  ExpectOk(Send(V1(o)));
}

TEST_F(V3ApiTest, V1WithoutSignatureMethodIsHmacSha1AndLanguageIsKnown) {
  V1Opts o;
  o.sign = "";
  o.extra.push_back({"Language", "en-US"});
  ExpectOk(Send(V1(o)));
}

// --- authentication rows -----------------------------------------------------------------

TEST_F(V3ApiTest, JsonPostWithoutAuthorizationIsInvalidAuthorization) {
  Request r = Tc3({});
  std::erase_if(r.headers, [](const auto& h) { return h.first == "authorization"; });
  ExpectError(Send(r), "AuthFailure.InvalidAuthorization", "Authorization");
}

TEST_F(V3ApiTest, MalformedAuthorizationIsInvalidAuthorization) {
  Request r = Tc3({});
  for (auto& [k, v] : r.headers) {
    if (k == "authorization") v.replace(v.find("SignedHeaders"), 1, "s");
  }
  ExpectError(Send(r), "AuthFailure.InvalidAuthorization", "SignedHeaders");
}

TEST_F(V3ApiTest, WrongSecretKeyIsSignatureFailure) {
  Tc3Opts o;
  o.secret_key = "x" + std::string(kSecretKey).substr(1);
  ExpectError(Send(Tc3(o)), "AuthFailure.SignatureFailure", "signature");
  EXPECT_FALSE(HasAccount());
}

TEST_F(V3ApiTest, BodyChangedAfterSigningIsSignatureFailure) {
  Request r = Tc3({});
  r.body = R"({"Password":"abcd1235","Operate":"Create"})";
  ExpectError(Send(r), "AuthFailure.SignatureFailure");
}

TEST_F(V3ApiTest, HostSignedWithAnotherPortIsSignatureFailure) {
  Tc3Opts o;
  o.signed_host = "bm.tencentcloudapi.com:9443";
  ExpectError(Send(Tc3(o)), "AuthFailure.SignatureFailure");
}

TEST_F(V3ApiTest, V1SignedWithTheHostWithoutPortIsSignatureFailure) {
  // The v1 string to sign carries the endpoint exactly (SDKs include the port there).
  V1Opts bare;
  bare.host = "bm.tencentcloudapi.com";
  Request r = V1(bare);
  r.host = std::string(kHost);
  for (auto& [k, v] : r.headers) {
    if (k == "host") v = kHost;
  }
  ExpectError(Send(r), "AuthFailure.SignatureFailure");
}

TEST_F(V3ApiTest, UnknownSecretIdIsSecretIdNotFound) {
  Tc3Opts o;
  o.secret_id = "AKIDunknownunknownunknownunknown0000";
  ExpectError(Send(Tc3(o)), "AuthFailure.SecretIdNotFound");
  V1Opts v;
  v.secret_id = o.secret_id;
  ExpectError(Send(V1(v)), "AuthFailure.SecretIdNotFound");
}

TEST_F(V3ApiTest, TimestampOutsideTheWindowIsSignatureExpire) {
  Tc3Opts o;
  o.timestamp = clock_.NowUnix() - 301;
  ExpectError(Send(Tc3(o)), "AuthFailure.SignatureExpire", "X-TC-Timestamp");
  o.timestamp = clock_.NowUnix() + 301;
  ExpectError(Send(Tc3(o)), "AuthFailure.SignatureExpire");
  V1Opts v;
  v.timestamp = clock_.NowUnix() - 301;
  ExpectError(Send(V1(v)), "AuthFailure.SignatureExpire", "Timestamp");
}

TEST_F(V3ApiTest, CredentialScopeServiceMustBeBm) {
  Tc3Opts o;
  o.service = "cvm";
  ExpectError(Send(Tc3(o)), "AuthFailure.InvalidAuthorization", "bm");
}

TEST_F(V3ApiTest, CredentialScopeDateMustBeTheUtcDateOfTheTimestamp) {
  Tc3Opts o;
  o.date = signing::Tc3Date(clock_.NowUnix() + 86400);
  ExpectError(Send(Tc3(o)), "AuthFailure.InvalidAuthorization", "UTC date");
}

TEST_F(V3ApiTest, MissingSignedHeaderIsInvalidAuthorization) {
  Request r = Tc3({});
  std::erase_if(r.headers, [](const auto& h) { return h.first == "content-type"; });
  r.headers.emplace_back("x-other", "1");
  r.content_type = "application/json";  // as if only the parsed field were set
  ExpectError(Send(r), "AuthFailure.InvalidAuthorization", "content-type");
}

TEST_F(V3ApiTest, DuplicatedSignedHeaderIsInvalidAuthorization) {
  Request r = Tc3({});
  r.headers.emplace_back("content-type", "text/plain");
  ExpectError(Send(r), "AuthFailure.InvalidAuthorization", "more than once");
}

TEST_F(V3ApiTest, V1WithoutSignatureIsInvalidAuthorization) {
  V1Opts o;
  o.drop = {"Signature"};
  ExpectError(Send(V1(o)), "AuthFailure.InvalidAuthorization", "Signature");
}

TEST_F(V3ApiTest, V1Tc2SignatureMethodIsInvalidParameter) {
  V1Opts o;
  o.sign = "TC2-HmacSHA256";
  ExpectError(Send(V1(o)), "InvalidParameter", "SignatureMethod");
}

TEST_F(V3ApiTest, TemporaryKeyNeedsItsToken) {
  constexpr std::string_view kTempId = "AKIDtemptemptemptemptemptemptemp0001";
  AddKey(kTempId, kSecretKey, {}, clock_.NowUnix() + 3600, "the-token");
  Tc3Opts o;
  o.secret_id = std::string(kTempId);
  ExpectError(Send(Tc3(o)), "AuthFailure.TokenFailure", "X-TC-Token");
  // X-TC-Token is not signed: each attempt changes the body so it is a new request.
  o.token = "wrong";
  o.body = R"({"Password":"abcd1234","Operate":"Create" })";
  ExpectError(Send(Tc3(o)), "AuthFailure.TokenFailure");
  o.token = "the-token";
  o.body = R"({"Password":"abcd1234","Operate":"Create"  })";
  ExpectOk(Send(Tc3(o)));

  V1Opts v;
  v.secret_id = std::string(kTempId);
  v.extra = {{"Password", "abcd1234"}, {"Operate", "update"}};
  ExpectError(Send(V1(v)), "AuthFailure.TokenFailure", "Token");
  v.extra.push_back({"Token", "the-token"});
  v.nonce = 43;
  ExpectOk(Send(V1(v)));
}

TEST_F(V3ApiTest, ExpiredTemporaryKeyIsSecretIdNotFound) {
  constexpr std::string_view kTempId = "AKIDtemptemptemptemptemptemptemp0002";
  AddKey(kTempId, kSecretKey, {}, clock_.NowUnix() - 1, "t");
  Tc3Opts o;
  o.secret_id = std::string(kTempId);
  o.token = "t";
  ExpectError(Send(Tc3(o)), "AuthFailure.SecretIdNotFound", "expired");
}

TEST_F(V3ApiTest, ApiHostsBindsTheSignedHostAndAllowsTheBareName) {
  Configure([](config::Config& c) { c.api.hosts = {"bm.tencentcloudapi.com"}; });
  Tc3Opts node_style;
  node_style.signed_host = "bm.tencentcloudapi.com";
  ExpectOk(Send(Tc3(node_style)));
  Tc3Opts other;
  other.host = "127.0.0.1:8443";
  ExpectError(Send(Tc3(other)), "AuthFailure.SignatureFailure", "Host");
}

// --- replays -------------------------------------------------------------------------------

TEST_F(V3ApiTest, Tc3ReplayIsInvalidAuthorizationSayingReplay) {
  const Request r = Tc3({});
  ExpectOk(Send(r));
  ExpectError(Send(r), "AuthFailure.InvalidAuthorization", "replay");
}

TEST_F(V3ApiTest, Tc3ReplayWithOtherUnsignedHeadersIsStillAReplay) {
  Tc3Opts o;
  o.action = "DescribeDevices";
  const Request wrong = Tc3(o);
  ExpectError(Send(wrong), "InvalidAction");
  // The same signature re-sent with the right unsigned X-TC-Action header.
  Request fixed = wrong;
  for (auto& [k, v] : fixed.headers) {
    if (k == "x-tc-action") v = "SetOutBandVpnAuthPassword";
  }
  ExpectError(Send(fixed), "AuthFailure.InvalidAuthorization", "replay");
  EXPECT_FALSE(HasAccount());
}

TEST_F(V3ApiTest, FailedRequestIsClaimedDurablyForOtherNodes) {
  Tc3Opts o;
  o.region = "xx";
  const Request wrong = Tc3(o);
  ExpectError(Send(wrong), "UnsupportedRegion");
  // Another node (its own in-memory replay cache, the same store) gets the captured
  // request with a corrected unsigned X-TC-Region.
  auth::ReplayCache other_cache;
  V3Api other(Deps(other_cache));
  Request fixed = wrong;
  for (auto& [k, v] : fixed.headers) {
    if (k == "x-tc-region") v = "ap-guangzhou";
  }
  ExpectError(SendTo(other, fixed), "AuthFailure.InvalidAuthorization", "replay");
  EXPECT_FALSE(HasAccount());
  // And the failure is audited with the request id.
  auto events = store_->ListAudit({});
  ASSERT_TRUE(events.ok());
  bool found = false;
  for (const auto& e : *events) {
    found = found || (e.request_id == kRequestId && e.detail == "UnsupportedRegion");
  }
  EXPECT_TRUE(found);
}

TEST_F(V3ApiTest, V1ReplayIsRefusedButASharedNonceIsNot) {
  const Request r = V1({});
  ExpectOk(Send(r));
  ExpectError(Send(r), "AuthFailure.InvalidAuthorization", "replay");
  V1Opts other;  // same Nonce and Timestamp, other content
  other.extra = {{"Password", "abcd1234"}, {"Operate", "update"}};
  ExpectOk(Send(V1(other)));
}

// --- request rows --------------------------------------------------------------------------

TEST_F(V3ApiTest, KeyOutsideItsAllowListIsUnauthorizedOperation) {
  constexpr std::string_view kLimitedId = "AKIDlimitedlimitedlimitedlimited0001";
  AddKey(kLimitedId, kSecretKey, {"GetOutBandVPNAuthInfo"});
  Tc3Opts o;
  o.secret_id = std::string(kLimitedId);
  ExpectError(Send(Tc3(o)), "UnauthorizedOperation", "SetOutBandVpnAuthPassword");
}

TEST_F(V3ApiTest, MissingParametersAreMissingParameter) {
  Tc3Opts o;
  o.body = R"({"Operate":"Create"})";
  ExpectError(Send(Tc3(o)), "MissingParameter", "'Password'");
  o.body = R"({"Password":"abcd1234"})";
  ExpectError(Send(Tc3(o)), "MissingParameter", "'Operate'");
  Tc3Opts no_region;
  no_region.region.reset();
  ExpectError(Send(Tc3(no_region)), "MissingParameter", "X-TC-Region");
  Tc3Opts no_ts;
  Request r = Tc3(no_ts);
  std::erase_if(r.headers, [](const auto& h) { return h.first == "x-tc-timestamp"; });
  ExpectError(Send(r), "MissingParameter", "X-TC-Timestamp");
  V1Opts v;
  v.drop = {"Version"};
  ExpectError(Send(V1(v)), "MissingParameter", "'Version'");
}

TEST_F(V3ApiTest, ExtraParametersAreUnknownParameter) {
  Tc3Opts o;
  o.body = R"({"Password":"abcd1234","Operate":"Create","Region":"gz"})";
  ExpectError(Send(Tc3(o)), "UnknownParameter", "'Region'");
  Tc3Opts get;
  get.method = "GET";
  get.query = "Operate=Create&Password=abcd1234&zoneId=1";
  ExpectError(Send(Tc3(get)), "UnknownParameter", "'zoneId'");
  V1Opts v;
  v.extra.push_back({"createOrUpdate", "create"});
  ExpectError(Send(V1(v)), "UnknownParameter", "'createOrUpdate'");
  EXPECT_FALSE(HasAccount());
}

TEST_F(V3ApiTest, BadOperateAndPasswordRuleAreInvalidParameter) {
  Tc3Opts o;
  o.body = R"({"Password":"abcd1234","Operate":"Upsert"})";
  ExpectError(Send(Tc3(o)), "InvalidParameter", "Operate");
  o.body = R"({"Password":"short1","Operate":"Create"})";
  const Response r = Send(Tc3(o));
  ExpectError(r, "InvalidParameter", "8 to 16");
  EXPECT_EQ(r.body.find("short1"), std::string::npos) << "the password never appears";
}

TEST_F(V3ApiTest, JsonBodyErrorsAreInvalidParameter) {
  // More requests than the default 5 per second, all within one second of the fake clock.
  Configure([](config::Config& c) { c.limits.v3_per_second = 100; });
  const struct {
    const char* body;
    const char* part;
  } cases[] = {
      {R"({"Password":"abcd1234","Operate":)", "not valid JSON"},
      {R"(["Password","abcd1234"])", "JSON object"},
      {R"({"Password":12345678,"Operate":"Create"})", "must be a string"},
      {R"({"Password":"abcd1234","Operate":null})", "must be a string"},
      {R"({"Password":"abcd1234","Password":"wxyz9876","Operate":"Create"})", "more than once"},
      {"{\"Password\":\"abcd\xff"
       "1234\",\"Operate\":\"Create\"}",
       "not valid JSON"},
  };
  for (const auto& c : cases) {
    Tc3Opts o;
    o.body = c.body;
    ExpectError(Send(Tc3(o)), "InvalidParameter", c.part);
  }
  EXPECT_FALSE(HasAccount());
}

TEST_F(V3ApiTest, Tc3PostWithAQueryStringIsInvalidParameter) {
  Tc3Opts o;
  o.query = "Password=abcd1234";
  ExpectError(Send(Tc3(o)), "InvalidParameter", "query");
}

TEST_F(V3ApiTest, UnknownActionVersionAndRegion) {
  // The X-TC-* headers are not signed: each request gets its own body (else a replay).
  Tc3Opts o;
  o.action = "DescribeDevices";
  ExpectError(Send(Tc3(o)), "InvalidAction", "SetOutBandVpnAuthPassword");
  Tc3Opts v;
  v.version = "2017-03-12";
  v.body += " ";
  ExpectError(Send(Tc3(v)), "NoSuchVersion", "2018-04-23");
  Tc3Opts r;
  r.region = "ap-mars";
  r.body += "  ";
  ExpectError(Send(Tc3(r)), "UnsupportedRegion", "ap-mars");
  V1Opts v1;
  v1.extra.push_back({"Version", "2017-03-12"});
  ExpectError(Send(V1(v1)), "NoSuchVersion");
  V1Opts a1;
  a1.extra.push_back({"Action", "SetOutBandVPNAuthPwd"});
  a1.nonce = 44;
  ExpectError(Send(V1(a1)), "InvalidAction");
}

TEST_F(V3ApiTest, CreateOnExistingAndUpdateOnMissingAreFailedOperation) {
  Tc3Opts upd;
  upd.body = R"({"Password":"abcd1234","Operate":"Update"})";
  ExpectError(Send(Tc3(upd)), "FailedOperation", "Operate=Create");
  ExpectOk(Send(Tc3({})));
  Tc3Opts again;
  again.body = R"({"Password":"wxyz9876","Operate":"Create"})";
  ExpectError(Send(Tc3(again)), "FailedOperation", "Operate=Update");
}

TEST_F(V3ApiTest, SixthRequestInOneSecondIsRequestLimitExceeded) {
  for (int i = 0; i < 5; ++i) {
    Tc3Opts o;
    o.body = R"({"Password":"abcd1234","Operate":"Bad)" + std::to_string(i) + R"("})";
    ExpectError(Send(Tc3(o)), "InvalidParameter");
  }
  ExpectError(Send(Tc3({})), "RequestLimitExceeded", "5");
  clock_.Advance(std::chrono::seconds(1));
  ExpectOk(Send(Tc3({})));
}

TEST_F(V3ApiTest, PlainHttpWhileTlsIsRequiredIsUnsupportedProtocol) {
  Configure([](config::Config& c) { c.api.require_tls = true; });
  ExpectError(Send(Tc3({})), "UnsupportedProtocol", "HTTPS");
  Request tls = Tc3({});
  tls.tls = true;
  ExpectOk(Send(tls));
}

TEST_F(V3ApiTest, StoreWriteFailureIsInternalError) {
  SetFault("write");
  ExpectError(Send(Tc3({})), "InternalError");
  SetFault("none");
  EXPECT_FALSE(HasAccount());
}

TEST_F(V3ApiTest, KeyStoreReadFailureIsInternalError) {
  SetFault("read");
  ExpectError(Send(Tc3({})), "InternalError", "key store");
}

TEST_F(V3ApiTest, OtherMethodsAndContentTypesAreInvalidParameter) {
  Request put = Tc3({});
  put.method = "PUT";
  ExpectError(Send(put), "InvalidParameter", "GET or POST");
  Tc3Opts o;
  o.content_type = "text/plain";
  ExpectError(Send(Tc3(o)), "InvalidParameter", "application/json");
}

TEST_F(V3ApiTest, FailureEnvelopeCarriesTheRequestId) {
  Request r = Base("POST", std::string(kHost), "");
  const Response resp = V3Api::Failure(
      r, {accounts::ApiError::kRequestTooLarge, "the request body is larger than 1 bytes"});
  ExpectError(resp, "RequestSizeLimitExceeded", "larger than");
  EXPECT_EQ(resp.body, R"({"Response":{"Error":{"Code":"RequestSizeLimitExceeded","Message":)"
                       R"("the request body is larger than 1 bytes"},"RequestId":")" +
                           std::string(kRequestId) + R"("}})");
}

}  // namespace
}  // namespace obvpn::http::api
