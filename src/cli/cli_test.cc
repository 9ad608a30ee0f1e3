// obvpnctl's pure pieces (argument, time, CIDR and endpoint parsing, v2 request
// building, output rendering) and its admin commands against a real SQLite store.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/call.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/clock.h"
#include "crypto/crypto.h"
#include "http/signing/form.h"
#include "http/signing/tc3_signature.h"
#include "http/signing/v2_signature.h"
#include "store/sqlite_store.h"

namespace obvpn::cli {
namespace {

using http::signing::FindParam;
using http::signing::Params;

// --- ParseAppId ---

TEST(ParseAppId, AcceptsDecimal) {
  auto r = ParseAppId("1251001002");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 1251001002u);
}

TEST(ParseAppId, AcceptsMaxUint64) {
  auto r = ParseAppId("18446744073709551615");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, UINT64_MAX);
}

TEST(ParseAppId, RejectsBadValues) {
  for (const char* s : {"", "0", "-1", "+5", "12a", " 1", "18446744073709551616", "1.0"}) {
    auto r = ParseAppId(s);
    EXPECT_FALSE(r.ok()) << s;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << s;
    }
  }
}

// --- ParseTimeSpec / FormatRfc3339 ---

constexpr int64_t kNow = 1800000000;

TEST(ParseTimeSpec, AcceptsUnixSeconds) {
  auto r = ParseTimeSpec("1764576000", kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 1764576000);
}

TEST(ParseTimeSpec, RelativeDurationsAreNowMinus) {
  const struct {
    const char* text;
    int64_t ago;
  } cases[] = {{"30s", 30}, {"15m", 900}, {"2h", 7200}, {"7d", 604800}, {"1w", 604800}, {"0m", 0}};
  for (const auto& c : cases) {
    auto r = ParseTimeSpec(c.text, kNow);
    ASSERT_TRUE(r.ok()) << c.text;
    EXPECT_EQ(*r, kNow - c.ago) << c.text;
  }
}

TEST(ParseTimeSpec, AcceptsRfc3339Utc) {
  auto r = ParseTimeSpec("2026-12-01T08:00:00Z", kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 1796112000);  // date -u -d 2026-12-01T08:00:00Z +%s
}

TEST(ParseTimeSpec, AcceptsRfc3339Variants) {
  const struct {
    const char* text;
    int64_t want;
  } cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2026-12-01t08:00:00z", 1796112000},         // RFC 3339 §5.6 NOTE: lower case
      {"2026-12-01T08:00:00.123456Z", 1796112000},  // fraction truncated
      {"2026-12-01T16:00:00+08:00", 1796112000},    // offset east of UTC
      {"2026-12-01T07:30:00-00:30", 1796112000},    // offset west of UTC
      {"2024-02-29T00:00:00Z", 1709164800},         // leap day
      {"2000-02-29T00:00:00Z", 951782400},          // divisible by 400
  };
  for (const auto& c : cases) {
    auto r = ParseTimeSpec(c.text, kNow);
    ASSERT_TRUE(r.ok()) << c.text;
    EXPECT_EQ(*r, c.want) << c.text;
  }
}

TEST(ParseTimeSpec, RejectsMalformed) {
  for (const char* s : {"", "yesterday", "m", "15x", "-5m", "2026-12-01", "2026-12-01T08:00:00",
                        "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
                        "2026-12-01T24:00:00Z", "2026-12-01T08:60:00Z", "2026-12-01T08:00:00.Z",
                        "2026-12-01T08:00:00+8:00", "2026-12-01 08:00:00Z",
                        "2026-12-01T08:00:00Zjunk", "99999999999999999999d"}) {
    EXPECT_FALSE(ParseTimeSpec(s, kNow).ok()) << s;
  }
}

TEST(FormatRfc3339, FormatsUtc) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1796112000), "2026-12-01T08:00:00Z");
}

TEST(FormatRfc3339, RoundTripsThroughParse) {
  for (int64_t t : {int64_t{0}, int64_t{951782400}, int64_t{1796112000}, int64_t{4102444799}}) {
    auto r = ParseTimeSpec(FormatRfc3339(t), kNow);
    ASSERT_TRUE(r.ok()) << t;
    EXPECT_EQ(*r, t);
  }
}

// --- ValidateCidr ---

TEST(ValidateCidr, AcceptsAddressesAndNetworks) {
  for (const char* s : {"127.0.0.1", "127.0.0.1/32", "10.0.0.0/8", "0.0.0.0/0", "::1", "::1/128",
                        "fd00::/8", "2001:db8::/32", "::/0", "::ffff:10.0.0.1"}) {
    EXPECT_TRUE(ValidateCidr(s).ok()) << s;
  }
}

TEST(ValidateCidr, RejectsMalformed) {
  for (const char* s :
       {"", "localhost", "10.0.0", "10.0.0.256", "10.0.0.1/33", "10.0.0.1/", "10.0.0.1/-1",
        "10.0.0.1/a", "::1/129", "fe80::1%eth0", "10.0.0.1/32/1", " 10.0.0.1", "010.0.0.1"}) {
    EXPECT_FALSE(ValidateCidr(s).ok()) << s;
  }
}

TEST(ValidateCidr, RejectsHostBitsNamingTheNetwork) {
  Status s = ValidateCidr("10.1.2.3/16");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("10.1.0.0/16"), std::string::npos) << s.message();
  Status v6 = ValidateCidr("2001:db8::1/64");
  ASSERT_FALSE(v6.ok());
  EXPECT_NE(v6.message().find("2001:db8::/64"), std::string::npos) << v6.message();
}

// --- ParseEndpoint ---

TEST(ParseEndpoint, ParsesHttpWithPort) {
  auto r = ParseEndpoint("http://127.0.0.1:8080");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->tls);
  EXPECT_EQ(r->host, "127.0.0.1");
  EXPECT_EQ(r->port, 8080);
  EXPECT_EQ(r->host_header, "127.0.0.1:8080");
  EXPECT_EQ(r->path, "");
  EXPECT_TRUE(r->host_is_ip);
}

TEST(ParseEndpoint, DefaultPortsAndHostHeaderWithoutPort) {
  auto http = ParseEndpoint("http://bm.api.qcloud.com");
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->port, 80);
  EXPECT_EQ(http->host_header, "bm.api.qcloud.com");
  EXPECT_FALSE(http->host_is_ip);
  auto https = ParseEndpoint("HTTPS://bm.api.qcloud.com/");
  ASSERT_TRUE(https.ok());
  EXPECT_TRUE(https->tls);
  EXPECT_EQ(https->port, 443);
  EXPECT_EQ(https->host_header, "bm.api.qcloud.com");
  EXPECT_EQ(https->path, "");
}

TEST(ParseEndpoint, KeepsAnExplicitDefaultPortInTheHostHeader) {
  auto r = ParseEndpoint("https://example.com:443");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->port, 443);
  EXPECT_EQ(r->host_header, "example.com:443");
}

TEST(ParseEndpoint, ParsesBracketedIpv6) {
  auto r = ParseEndpoint("http://[::1]:9000/v2/index.php");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->host, "::1");
  EXPECT_EQ(r->port, 9000);
  EXPECT_EQ(r->host_header, "[::1]:9000");
  EXPECT_EQ(r->path, "/v2/index.php");
  EXPECT_TRUE(r->host_is_ip);
}

TEST(ParseEndpoint, RejectsMalformed) {
  for (const char* s : {"", "127.0.0.1:8080", "ftp://host", "http://", "http://:80",
                        "http://host:0", "http://host:65536", "http://host:8x",
                        "http://host:", "http://user@host", "http://host/?a=1", "http://host#frag",
                        "http://[::1", "http://[zz]:80", "http://::1:80", "http://ho st"}) {
    EXPECT_FALSE(ParseEndpoint(s).ok()) << s;
  }
}

// --- ParseActionList / ParseNameValues / small parsers ---

TEST(ParseActionList, SplitsTrimsAndDeduplicates) {
  auto r = ParseActionList("GetOutBandVPNAuthInfo, SetOutBandVPNAuthPwd,GetOutBandVPNAuthInfo");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<std::string>{"GetOutBandVPNAuthInfo", "SetOutBandVPNAuthPwd"}));
}

TEST(ParseActionList, RejectsEmptyAndOddNames) {
  for (const char* s : {"", ",", "A,,B", "A,", "Get-Info", "A B"}) {
    EXPECT_FALSE(ParseActionList(s).ok()) << s;
  }
}

TEST(IsKnownAction, KnowsBothApiVersions) {
  EXPECT_TRUE(IsKnownAction("GetOutBandVPNAuthInfo"));
  EXPECT_TRUE(IsKnownAction("SetOutBandVPNAuthPwd"));
  EXPECT_TRUE(IsKnownAction("SetOutBandVpnAuthPassword"));
  EXPECT_FALSE(IsKnownAction("DescribeInstances"));
}

TEST(ParseNameValues, KeepsOrderAndEqualsInValues) {
  auto r = ParseNameValues({"password=a=b", "createOrUpdate=create", "empty="});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].key, "password");
  EXPECT_EQ((*r)[0].value, "a=b");
  EXPECT_EQ((*r)[2].value, "");
}

TEST(ParseNameValues, RejectsMissingNameWithoutEchoingTheArgument) {
  auto r = ParseNameValues({"hunter2secret"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find("hunter2"), std::string::npos);
  EXPECT_FALSE(ParseNameValues({"=value"}).ok());
}

TEST(ParseNameValues, RejectsDuplicateName) { EXPECT_FALSE(ParseNameValues({"a=1", "a=2"}).ok()); }

TEST(ParseRequireMessageAuthenticator, ParsesThreeValues) {
  using store::RequireMessageAuthenticator;
  EXPECT_EQ(*ParseRequireMessageAuthenticator("yes"), RequireMessageAuthenticator::kYes);
  EXPECT_EQ(*ParseRequireMessageAuthenticator("no"), RequireMessageAuthenticator::kNo);
  EXPECT_EQ(*ParseRequireMessageAuthenticator("auto"), RequireMessageAuthenticator::kAuto);
  EXPECT_FALSE(ParseRequireMessageAuthenticator("maybe").ok());
}

TEST(ValidateRadiusClientName, AcceptsAndRejects) {
  EXPECT_TRUE(ValidateRadiusClientName("ocserv-gz_1.a").ok());
  EXPECT_FALSE(ValidateRadiusClientName("").ok());
  EXPECT_FALSE(ValidateRadiusClientName("a b").ok());
  EXPECT_FALSE(ValidateRadiusClientName(std::string(65, 'a')).ok());
}

// --- BuildV2Request ---

constexpr const char* kKey = "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA";
constexpr const char* kSecretId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA";

Credentials TestCredentials(std::string token = "") {
  Credentials c;
  c.secret_id = kSecretId;
  c.secret_key = crypto::Secret(kKey);
  if (!token.empty()) c.token = crypto::Secret(std::move(token));
  return c;
}

CallRequest TestCall(std::string method, SignMethod sign) {
  CallRequest r;
  r.endpoint = *ParseEndpoint("http://127.0.0.1:8080");
  r.sign = sign;
  r.region = "gz";
  r.http_method = std::move(method);
  r.action = "SetOutBandVPNAuthPwd";
  r.params = {{"password", "abcd 12&34"}, {"createOrUpdate", "create"}, {"instance_ids.0", "x"}};
  r.timestamp = 1700000000;
  r.nonce = 12345;
  return r;
}

// Decodes what would go on the wire and verifies it as the server does (SPEC §3.2).
Params DecodeSent(const HttpRequest& req) {
  std::string form = req.body;
  if (req.method == "GET") form = req.target.substr(req.target.find('?') + 1);
  auto p = http::signing::DecodeForm(form, 100);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? *p : Params{};
}

bool Verifies(const HttpRequest& req, const Params& params, std::string_view host,
              std::string_view path) {
  http::signing::V2Request v;
  v.http_method = req.method;
  v.host = host;
  v.path = path;
  v.params = &params;
  v.rewrite_underscores = true;
  auto method = http::signing::ParseV2Method(FindParam(params, "SignatureMethod"));
  const auto* sig = FindParam(params, "Signature");
  return method.ok() && sig != nullptr && http::signing::V2Verify(v, *method, kKey, sig->value);
}

TEST(BuildV2Request, PostPutsTheSignedFormInTheBody) {
  auto req = BuildV2Request(TestCall("POST", SignMethod::kHmacSha1), TestCredentials());
  ASSERT_TRUE(req.ok()) << req.status().message();
  EXPECT_EQ(req->method, "POST");
  EXPECT_EQ(req->target, "/v2/index.php");
  EXPECT_EQ(req->host_header, "127.0.0.1:8080");
  EXPECT_EQ(req->content_type, "application/x-www-form-urlencoded");
  const Params p = DecodeSent(*req);
  EXPECT_EQ(FindParam(p, "Action")->value, "SetOutBandVPNAuthPwd");
  EXPECT_EQ(FindParam(p, "Region")->value, "gz");
  EXPECT_EQ(FindParam(p, "Timestamp")->value, "1700000000");
  EXPECT_EQ(FindParam(p, "Nonce")->value, "12345");
  EXPECT_EQ(FindParam(p, "SecretId")->value, kSecretId);
  EXPECT_EQ(FindParam(p, "password")->value, "abcd 12&34");
  EXPECT_EQ(FindParam(p, "SignatureMethod"), nullptr);  // HmacSHA1: the legacy default
  EXPECT_EQ(FindParam(p, "Token"), nullptr);
  EXPECT_TRUE(Verifies(*req, p, "127.0.0.1:8080", "/v2/index.php"));
}

TEST(BuildV2Request, GetPutsTheSignedFormInTheQuery) {
  auto req = BuildV2Request(TestCall("GET", SignMethod::kHmacSha1), TestCredentials());
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->target.rfind("/v2/index.php?", 0), 0u) << req->target;
  EXPECT_TRUE(req->body.empty());
  EXPECT_TRUE(req->content_type.empty());
  const Params p = DecodeSent(*req);
  EXPECT_TRUE(Verifies(*req, p, "127.0.0.1:8080", "/v2/index.php"));
}

TEST(BuildV2Request, HmacSha256SendsSignatureMethod) {
  auto req = BuildV2Request(TestCall("POST", SignMethod::kHmacSha256), TestCredentials());
  ASSERT_TRUE(req.ok());
  const Params p = DecodeSent(*req);
  ASSERT_NE(FindParam(p, "SignatureMethod"), nullptr);
  EXPECT_EQ(FindParam(p, "SignatureMethod")->value, "HmacSHA256");
  EXPECT_TRUE(Verifies(*req, p, "127.0.0.1:8080", "/v2/index.php"));
}

TEST(BuildV2Request, SignsTheHostHeaderWithItsPort) {
  auto req = BuildV2Request(TestCall("POST", SignMethod::kHmacSha1), TestCredentials());
  ASSERT_TRUE(req.ok());
  const Params p = DecodeSent(*req);
  EXPECT_FALSE(Verifies(*req, p, "127.0.0.1", "/v2/index.php"));
}

TEST(BuildV2Request, UsesTheEndpointPath) {
  CallRequest call = TestCall("POST", SignMethod::kHmacSha1);
  call.endpoint = *ParseEndpoint("https://api.example.com/custom/index.php");
  auto req = BuildV2Request(call, TestCredentials());
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->target, "/custom/index.php");
  EXPECT_EQ(req->host_header, "api.example.com");
  EXPECT_TRUE(Verifies(*req, DecodeSent(*req), "api.example.com", "/custom/index.php"));
}

TEST(BuildV2Request, SendsTheSessionTokenAsToken) {
  auto req = BuildV2Request(TestCall("POST", SignMethod::kHmacSha1), TestCredentials("tok123"));
  ASSERT_TRUE(req.ok());
  const Params p = DecodeSent(*req);
  ASSERT_NE(FindParam(p, "Token"), nullptr);
  EXPECT_EQ(FindParam(p, "Token")->value, "tok123");
  EXPECT_TRUE(Verifies(*req, p, "127.0.0.1:8080", "/v2/index.php"));
}

TEST(BuildV2Request, ArgumentsReplaceCommonParameters) {
  CallRequest call = TestCall("POST", SignMethod::kHmacSha1);
  call.params.push_back({"Nonce", "7"});
  auto req = BuildV2Request(call, TestCredentials());
  ASSERT_TRUE(req.ok());
  const Params p = DecodeSent(*req);  // DecodeForm rejects duplicates, so Nonce is once
  EXPECT_EQ(FindParam(p, "Nonce")->value, "7");
  EXPECT_TRUE(Verifies(*req, p, "127.0.0.1:8080", "/v2/index.php"));
}

TEST(BuildV2Request, MatchesThePublicSha256Vector) {
  // SPEC §3.2 second vector, built through BuildV2Request.
  CallRequest call;
  call.endpoint = *ParseEndpoint("http://cvm.api.qcloud.com");
  call.sign = SignMethod::kHmacSha256;
  call.region = "ap-guangzhou";
  call.http_method = "GET";
  call.action = "DescribeInstances";
  call.params = {{"InstanceIds.0", "ins-09dx96dg"}};
  call.timestamp = 1465185768;
  call.nonce = 11886;
  auto req = BuildV2Request(call, TestCredentials());
  ASSERT_TRUE(req.ok());
  const Params p = DecodeSent(*req);
  EXPECT_EQ(FindParam(p, "Signature")->value, "0EEm/HtGRr/VJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s=");
}

TEST(BuildV2Request, RejectsTc3AndSignatureArgumentAndOtherMethods) {
  EXPECT_FALSE(
      BuildV2Request(TestCall("POST", SignMethod::kTc3HmacSha256), TestCredentials()).ok());
  CallRequest with_sig = TestCall("POST", SignMethod::kHmacSha1);
  with_sig.params.push_back({"Signature", "x"});
  EXPECT_FALSE(BuildV2Request(with_sig, TestCredentials()).ok());
  EXPECT_FALSE(BuildV2Request(TestCall("PUT", SignMethod::kHmacSha1), TestCredentials()).ok());
}

// --- BuildV3Request ---

CallRequest TestV3Call(std::string method, SignMethod sign) {
  CallRequest r;
  r.endpoint = *ParseEndpoint("http://bm.tencentcloudapi.com:8080");
  r.sign = sign;
  r.region = "ap-guangzhou";
  r.http_method = std::move(method);
  r.action = "SetOutBandVpnAuthPassword";
  r.params = {{"Password", "abcd#1234"}, {"Operate", "Create"}};
  r.timestamp = 1551113065;
  r.nonce = 12345;
  return r;
}

const std::string* SentHeader(const HttpRequest& req, std::string_view name) {
  for (const auto& [k, v] : req.headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

// Verifies a TC3 request as the server does: parse Authorization, rebuild the canonical
// request from what would go on the wire.
bool Tc3Verifies(const HttpRequest& req) {
  const std::string* authorization = SentHeader(req, "Authorization");
  const std::string* timestamp = SentHeader(req, "X-TC-Timestamp");
  if (authorization == nullptr || timestamp == nullptr) return false;
  auto a = http::signing::ParseTc3Authorization(*authorization);
  EXPECT_TRUE(a.ok()) << a.status().message();
  if (!a.ok()) return false;
  http::signing::Tc3Request t;
  t.http_method = req.method;
  const size_t q = req.target.find('?');
  t.canonical_query =
      q == std::string::npos ? std::string_view() : std::string_view(req.target).substr(q + 1);
  t.headers = {{"content-type", req.content_type}, {"host", req.host_header}};
  t.payload = req.body;
  return a->service == "bm" && a->secret_id == kSecretId &&
         a->date == http::signing::Tc3Date(std::stoll(*timestamp)) &&
         http::signing::Tc3Verify(t, *timestamp, a->date, a->service, kKey, a->signature);
}

TEST(BuildV3Request, Tc3PostSendsJsonAndTheXTcHeaders) {
  auto req = BuildRequest(ApiVersion::kV3, TestV3Call("POST", SignMethod::kTc3HmacSha256),
                          TestCredentials());
  ASSERT_TRUE(req.ok()) << req.status().message();
  EXPECT_EQ(req->method, "POST");
  EXPECT_EQ(req->target, "/");
  EXPECT_EQ(req->host_header, "bm.tencentcloudapi.com:8080");
  EXPECT_EQ(req->content_type, "application/json");
  EXPECT_EQ(req->body, R"({"Password":"abcd#1234","Operate":"Create"})");
  ASSERT_NE(SentHeader(*req, "X-TC-Action"), nullptr);
  EXPECT_EQ(*SentHeader(*req, "X-TC-Action"), "SetOutBandVpnAuthPassword");
  EXPECT_EQ(*SentHeader(*req, "X-TC-Version"), "2018-04-23");
  EXPECT_EQ(*SentHeader(*req, "X-TC-Timestamp"), "1551113065");
  EXPECT_EQ(*SentHeader(*req, "X-TC-Region"), "ap-guangzhou");
  EXPECT_EQ(SentHeader(*req, "X-TC-Token"), nullptr);
  EXPECT_EQ(
      SentHeader(*req, "Authorization")
          ->rfind("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA/2019-02-25/bm/"
                  "tc3_request, SignedHeaders=content-type;host, Signature=",
                  0),
      0u);
  EXPECT_TRUE(Tc3Verifies(*req));
}

TEST(BuildV3Request, Tc3GetSignsTheQuery) {
  auto req = BuildV3Request(TestV3Call("GET", SignMethod::kTc3HmacSha256), TestCredentials());
  ASSERT_TRUE(req.ok()) << req.status().message();
  EXPECT_EQ(req->target, "/?Password=abcd%231234&Operate=Create");
  EXPECT_EQ(req->content_type, "application/x-www-form-urlencoded");
  EXPECT_TRUE(req->body.empty());
  EXPECT_TRUE(Tc3Verifies(*req));
}

TEST(BuildV3Request, Tc3SendsTheSessionTokenAsXTcToken) {
  auto req =
      BuildV3Request(TestV3Call("POST", SignMethod::kTc3HmacSha256), TestCredentials("tok123"));
  ASSERT_TRUE(req.ok());
  ASSERT_NE(SentHeader(*req, "X-TC-Token"), nullptr);
  EXPECT_EQ(*SentHeader(*req, "X-TC-Token"), "tok123");
  EXPECT_TRUE(Tc3Verifies(*req));
}

TEST(BuildV3Request, Tc3SignatureDependsOnTheBody) {
  auto req = BuildV3Request(TestV3Call("POST", SignMethod::kTc3HmacSha256), TestCredentials());
  ASSERT_TRUE(req.ok());
  req->body = R"({"Password":"abcd#1235","Operate":"Create"})";
  EXPECT_FALSE(Tc3Verifies(*req));
}

bool V1Verifies(const HttpRequest& req, const Params& params) {
  http::signing::V2Request v;
  v.http_method = req.method;
  v.host = req.host_header;
  v.path = "/";
  v.params = &params;
  v.rewrite_underscores = false;
  auto method = http::signing::ParseV2Method(FindParam(params, "SignatureMethod"));
  const auto* sig = FindParam(params, "Signature");
  return method.ok() && sig != nullptr && http::signing::V2Verify(v, *method, kKey, sig->value);
}

TEST(BuildV3Request, V1SignsWithPathSlashAndNoUnderscoreRewriting) {
  for (SignMethod sign : {SignMethod::kHmacSha1, SignMethod::kHmacSha256}) {
    for (std::string method : {"GET", "POST"}) {
      CallRequest call = TestV3Call(method, sign);
      call.params.push_back({"a_b", "1"});  // signed as a_b, not a.b
      auto req = BuildV3Request(call, TestCredentials("tok123"));
      ASSERT_TRUE(req.ok()) << req.status().message();
      EXPECT_EQ(req->target.substr(0, 1), "/");
      EXPECT_TRUE(req->headers.empty());
      const Params p = DecodeSent(*req);
      EXPECT_EQ(FindParam(p, "Version")->value, "2018-04-23");
      EXPECT_EQ(FindParam(p, "Action")->value, "SetOutBandVpnAuthPassword");
      EXPECT_EQ(FindParam(p, "Region")->value, "ap-guangzhou");
      EXPECT_EQ(FindParam(p, "Token")->value, "tok123");
      EXPECT_EQ(FindParam(p, "SignatureMethod")->value,
                sign == SignMethod::kHmacSha1 ? "HmacSHA1" : "HmacSHA256");
      EXPECT_EQ(FindParam(p, "Password")->value, "abcd#1234");
      EXPECT_TRUE(V1Verifies(*req, p)) << method;
    }
  }
}

TEST(BuildV3Request, RejectsAnotherPathASignatureArgumentAndOtherMethods) {
  CallRequest path = TestV3Call("POST", SignMethod::kTc3HmacSha256);
  path.endpoint = *ParseEndpoint("http://127.0.0.1:8080/v2/index.php");
  EXPECT_FALSE(BuildV3Request(path, TestCredentials()).ok());
  CallRequest sig = TestV3Call("POST", SignMethod::kHmacSha1);
  sig.params.push_back({"Signature", "x"});
  EXPECT_FALSE(BuildV3Request(sig, TestCredentials()).ok());
  EXPECT_FALSE(
      BuildV3Request(TestV3Call("PUT", SignMethod::kTc3HmacSha256), TestCredentials()).ok());
}

TEST(CallDefaults, DependOnTheApiVersion) {
  EXPECT_EQ(DefaultSignMethod(ApiVersion::kV2), "HmacSHA1");
  EXPECT_EQ(DefaultSignMethod(ApiVersion::kV3), "TC3-HMAC-SHA256");
  EXPECT_EQ(DefaultRegion(ApiVersion::kV2), "gz");
  EXPECT_EQ(DefaultRegion(ApiVersion::kV3), "ap-guangzhou");
}

TEST(ParseSignMethod, ParsesExactNames) {
  EXPECT_EQ(*ParseSignMethod("HmacSHA1"), SignMethod::kHmacSha1);
  EXPECT_EQ(*ParseSignMethod("HmacSHA256"), SignMethod::kHmacSha256);
  EXPECT_EQ(*ParseSignMethod("TC3-HMAC-SHA256"), SignMethod::kTc3HmacSha256);
  EXPECT_FALSE(ParseSignMethod("hmacsha1").ok());
}

TEST(ClassifyReply, TellsSuccessErrorAndGarbage) {
  EXPECT_EQ(ClassifyReply(R"({"code":0,"message":"","codeDesc":"Success","data":null})"),
            ReplyKind::kSuccess);
  EXPECT_EQ(ClassifyReply(R"({"code":4100,"message":"x","codeDesc":"AuthFailure"})"),
            ReplyKind::kApiError);
  EXPECT_EQ(ClassifyReply(R"({"Response":{"RequestId":"r"}})"), ReplyKind::kSuccess);
  EXPECT_EQ(ClassifyReply(R"({"Response":{"Error":{"Code":"AuthFailure"},"RequestId":"r"}})"),
            ReplyKind::kApiError);
  EXPECT_EQ(ClassifyReply("<html>404</html>"), ReplyKind::kNotJson);
  EXPECT_EQ(ClassifyReply(R"({"code":"0"})"), ReplyKind::kNotJson);
  EXPECT_EQ(ClassifyReply("[]"), ReplyKind::kNotJson);
}

// --- output ---

TEST(RenderTable, AlignsColumnsWithoutTrailingSpaces) {
  EXPECT_EQ(RenderTable({"A", "LONG"}, {{"xyz", "1"}, {"q", ""}}),
            "A    LONG\n"
            "xyz  1\n"
            "q\n");
}

TEST(RenderFields, AlignsValues) {
  EXPECT_EQ(RenderFields({{"a", "1"}, {"long", "2"}}), "a:    1\nlong: 2\n");
}

TEST(Output, AlwaysJsonIgnoresTextMode) {
  Output o;
  o.json = {{"a", 1}};
  o.text = "a: 1\n";
  EXPECT_EQ(o.Render(false), "a: 1\n");
  EXPECT_EQ(o.Render(true), "{\"a\":1}\n");
  o.always_json = true;
  EXPECT_EQ(o.Render(false), "{\"a\":1}\n");
}

// --- commands against a real SQLite store ---

class CommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "obvpnctl_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    store::SqliteOptions opts;
    opts.path = dir_ + "/obvpn.db";
    auto s = store::OpenSqliteStore(opts);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto b = crypto::SecretBox::FromKey(crypto::Secret(std::string(32, 'k')));
    ASSERT_TRUE(b.ok());
    box_ = std::make_unique<crypto::SecretBox>(std::move(*b));
    ctx_ = std::make_unique<AdminContext>(AdminContext{*store_, *box_, clock_, warnings_, "req-1"});
  }
  void TearDown() override {
    ctx_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::vector<store::AuditEvent> Events() {
    auto e = store_->ListAudit({});
    EXPECT_TRUE(e.ok());
    return e.ok() ? *e : std::vector<store::AuditEvent>{};
  }

  std::string WriteFile(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    ::chmod(path.c_str(), 0600);
    return path;
  }

  std::string dir_;
  FakeClock clock_{1700000000};
  std::ostringstream warnings_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<crypto::SecretBox> box_;
  std::unique_ptr<AdminContext> ctx_;
};

TEST_F(CommandsTest, TenantAddPrintsAKeyThatIsStoredSealed) {
  auto out = TenantAdd(*ctx_, 1251001002);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_TRUE(out->always_json);
  const Json& j = out->json;
  EXPECT_EQ(j["appId"], 1251001002u);
  const std::string secret_id = j["secretId"];
  const std::string secret_key = j["secretKey"];
  EXPECT_EQ(secret_id.rfind("AKID", 0), 0u);
  EXPECT_EQ(secret_id.size(), 36u);
  EXPECT_EQ(secret_key.size(), 40u);
  auto key = store_->FindKey(secret_id);
  ASSERT_TRUE(key.ok() && key->has_value());
  EXPECT_EQ((*key)->app_id, 1251001002u);
  EXPECT_EQ((*key)->sealed_secret_key.find(secret_key), std::string::npos);
  auto opened = box_->Open((*key)->sealed_secret_key, secret_id);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->reveal(), secret_key);
}

TEST_F(CommandsTest, TenantAddAuditsWithoutTheKey) {
  auto out = TenantAdd(*ctx_, 1251001002);
  ASSERT_TRUE(out.ok());
  const std::string secret_key = out->json["secretKey"];
  const auto events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].action, "admin.tenant.add");
  EXPECT_EQ(events[1].action, "admin.key.add");
  for (const auto& e : events) {
    EXPECT_EQ(e.source, "obvpnctl");
    EXPECT_EQ(e.app_id, 1251001002u);
    EXPECT_EQ(e.result_code, 0);
    EXPECT_EQ(e.request_id, "req-1");
    EXPECT_EQ(e.detail.find(secret_key), std::string::npos);
  }
}

TEST_F(CommandsTest, TenantAddTwiceFailsAndIsAudited) {
  ASSERT_TRUE(TenantAdd(*ctx_, 1251001002).ok());
  auto again = TenantAdd(*ctx_, 1251001002);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "tenant 1251001002 already exists");
  const auto events = Events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().action, "admin.tenant.add");
  EXPECT_EQ(events.back().result_code, 4000);
}

TEST_F(CommandsTest, KeyAddTemporaryStoresOnlyTheTokenHash) {
  ASSERT_TRUE(TenantAdd(*ctx_, 7).ok());
  KeyAddOptions o;
  o.actions = {"GetOutBandVPNAuthInfo"};
  o.expires_in = 3600;
  auto out = KeyAdd(*ctx_, 7, o);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->json["expiresAt"], 1700003600);
  const std::string token = out->json["token"];
  EXPECT_EQ(token.size(), 40u);
  auto key = store_->FindKey(out->json["secretId"].get<std::string>());
  ASSERT_TRUE(key.ok() && key->has_value());
  EXPECT_EQ((*key)->token_sha256_hex, crypto::HexEncode(crypto::Sha256(token)));
  EXPECT_EQ((*key)->expires_at, 1700003600);
  EXPECT_EQ((*key)->actions, o.actions);
}

TEST_F(CommandsTest, KeyAddPermanentHasNoToken) {
  ASSERT_TRUE(TenantAdd(*ctx_, 7).ok());
  auto out = KeyAdd(*ctx_, 7, {});
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->json.contains("token"));
  EXPECT_FALSE(out->json.contains("expiresAt"));
}

TEST_F(CommandsTest, KeyAddWarnsOnUnknownActionButAccepts) {
  ASSERT_TRUE(TenantAdd(*ctx_, 7).ok());
  KeyAddOptions o;
  o.actions = {"DescribeInstances"};
  EXPECT_TRUE(KeyAdd(*ctx_, 7, o).ok());
  EXPECT_NE(warnings_.str().find("DescribeInstances"), std::string::npos);
}

TEST_F(CommandsTest, KeyAddToUnknownTenantIsNotFound) {
  auto out = KeyAdd(*ctx_, 99, {});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_NE(out.status().message().find("tenant 99 does not exist"), std::string::npos);
}

TEST_F(CommandsTest, KeyListNeverShowsTheKey) {
  auto added = TenantAdd(*ctx_, 7);
  ASSERT_TRUE(added.ok());
  const std::string secret_key = added->json["secretKey"];
  auto out = KeyList(*ctx_, 7);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->json.size(), 1u);
  EXPECT_EQ(out->json[0]["secretId"], added->json["secretId"]);
  EXPECT_EQ(out->json[0]["enabled"], true);
  EXPECT_TRUE(out->json[0]["expiresAt"].is_null());
  EXPECT_EQ(out->json.dump().find(secret_key), std::string::npos);
  EXPECT_EQ(out->text.find(secret_key), std::string::npos);
}

TEST_F(CommandsTest, KeyDisableAndDelete) {
  auto added = TenantAdd(*ctx_, 7);
  ASSERT_TRUE(added.ok());
  const std::string id = added->json["secretId"];
  ASSERT_TRUE(KeySetEnabled(*ctx_, id, false).ok());
  EXPECT_FALSE((*store_->FindKey(id))->enabled);
  EXPECT_EQ(Events().back().action, "admin.key.disable");
  ASSERT_TRUE(KeyDelete(*ctx_, id).ok());
  EXPECT_FALSE(store_->FindKey(id)->has_value());
  EXPECT_EQ(Events().back().action, "admin.key.delete");
  EXPECT_EQ(Events().back().app_id, 7u);
}

TEST_F(CommandsTest, KeyRotatePrintsANewKeyAndExpiresTheOldOneAfterTheGrace) {
  ASSERT_TRUE(TenantAdd(*ctx_, 7).ok());
  KeyAddOptions add;
  add.actions = {"GetOutBandVPNAuthInfo"};
  auto old_key = KeyAdd(*ctx_, 7, add);
  ASSERT_TRUE(old_key.ok());
  const std::string old_id = old_key->json["secretId"];
  KeyRotateOptions o;
  o.grace_s = 600;
  auto out = KeyRotate(*ctx_, old_id, o);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_TRUE(out->always_json);
  EXPECT_EQ(out->json["appId"], 7u);
  EXPECT_EQ(out->json["replaces"], old_id);
  EXPECT_EQ(out->json["oldKeyExpiresAt"], 1700000600);
  EXPECT_FALSE(out->json.contains("token"));
  const std::string new_id = out->json["secretId"];
  const std::string new_key = out->json["secretKey"];
  EXPECT_NE(new_id, old_id);

  auto stored_new = store_->FindKey(new_id);
  ASSERT_TRUE(stored_new.ok() && stored_new->has_value());
  EXPECT_EQ((*stored_new)->actions, add.actions);
  EXPECT_FALSE((*stored_new)->expires_at.has_value());
  auto opened = box_->Open((*stored_new)->sealed_secret_key, new_id);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->reveal(), new_key);
  auto stored_old = store_->FindKey(old_id);
  ASSERT_TRUE(stored_old.ok() && stored_old->has_value());
  EXPECT_EQ((*stored_old)->expires_at, 1700000600);
  EXPECT_TRUE((*stored_old)->token_sha256_hex.empty());

  EXPECT_EQ(Events().back().action, "admin.key.rotate");
  EXPECT_EQ(Events().back().detail.find(new_key), std::string::npos);
}

TEST_F(CommandsTest, KeyRotateWithoutGraceExpiresTheOldKeyNow) {
  auto added = TenantAdd(*ctx_, 7);
  ASSERT_TRUE(added.ok());
  const std::string old_id = added->json["secretId"];
  KeyRotateOptions o;
  o.grace_s = 0;
  ASSERT_TRUE(KeyRotate(*ctx_, old_id, o).ok());
  EXPECT_EQ((*store_->FindKey(old_id))->expires_at, 1700000000);
}

TEST_F(CommandsTest, KeyRotateDefaultGraceIsOneDay) {
  auto added = TenantAdd(*ctx_, 7);
  ASSERT_TRUE(added.ok());
  auto out = KeyRotate(*ctx_, added->json["secretId"], {});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->json["oldKeyExpiresAt"], 1700000000 + 86400);
}

TEST_F(CommandsTest, KeyRotateOfATemporaryKeyIsRefused) {
  ASSERT_TRUE(TenantAdd(*ctx_, 7).ok());
  KeyAddOptions add;
  add.expires_in = 60;
  auto tmp = KeyAdd(*ctx_, 7, add);
  ASSERT_TRUE(tmp.ok());
  auto out = KeyRotate(*ctx_, tmp->json["secretId"], {});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  auto keys = store_->ListKeys(7);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->size(), 2u);
}

TEST_F(CommandsTest, KeyRotateOfAnUnknownKeyIsNotFoundAndAudited) {
  auto out = KeyRotate(*ctx_, "AKIDnope", {});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Events().back().action, "admin.key.rotate");
  EXPECT_EQ(Events().back().result_code, 4100);
}

TEST_F(CommandsTest, KeyRotateRejectsANegativeGrace) {
  auto added = TenantAdd(*ctx_, 7);
  ASSERT_TRUE(added.ok());
  KeyRotateOptions o;
  o.grace_s = -1;
  auto out = KeyRotate(*ctx_, added->json["secretId"], o);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(CommandsTest, KeyDeleteUnknownIsNotFoundAndAudited) {
  auto out = KeyDelete(*ctx_, "AKIDnope");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Events().back().action, "admin.key.delete");
  EXPECT_EQ(Events().back().result_code, 4100);
}

TEST_F(CommandsTest, AccountShowWithoutAccount) {
  ASSERT_TRUE(TenantAdd(*ctx_, 1251001002).ok());
  auto out = AccountShow(*ctx_, 1251001002);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->json["exists"], false);
  EXPECT_EQ(out->json["locked"], false);
  EXPECT_EQ(out->json["userName"], "1251001002");
  EXPECT_EQ(out->json["userGroup"], "bm1251001002");
  EXPECT_TRUE(out->json["createdAt"].is_null());
}

TEST_F(CommandsTest, AccountShowAndLockExistingAccountNeverShowsTheHash) {
  ASSERT_TRUE(TenantAdd(*ctx_, 7).ok());
  store::AccountWrite w;
  w.app_id = 7;
  w.password_hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA";
  w.now = 1700000000;
  ASSERT_TRUE(store_->CreateAccount(w).ok());
  ASSERT_TRUE(AccountChange(*ctx_, 7, AccountOp::kLock).ok());
  auto out = AccountShow(*ctx_, 7);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->json["exists"], true);
  EXPECT_EQ(out->json["locked"], true);
  EXPECT_EQ(out->json.dump().find("argon2"), std::string::npos);
  EXPECT_EQ(Events().back().action, "admin.account.lock");
}

TEST_F(CommandsTest, AccountLockWithoutAccountIsNotFound) {
  ASSERT_TRUE(TenantAdd(*ctx_, 7).ok());
  auto out = AccountChange(*ctx_, 7, AccountOp::kLock);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(out.status().message(), "tenant 7 has no VPN account");
  EXPECT_EQ(Events().back().result_code, 10105);
}

TEST_F(CommandsTest, AccountShowCountsActiveRadiusSessions) {
  ASSERT_TRUE(TenantAdd(*ctx_, 7).ok());
  ASSERT_TRUE(store_->RecordSessionStart(7, "gw", "s1", 1700000000).ok());
  ASSERT_TRUE(store_->RecordSessionStart(7, "gw", "s2", 1700000000).ok());
  ASSERT_TRUE(store_->RecordSessionStop(7, "gw", "s2", 1700000001).ok());
  auto out = AccountShow(*ctx_, 7);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->json["activeSessions"], 1);
  EXPECT_NE(out->text.find("activeSessions"), std::string::npos);
}

TEST_F(CommandsTest, AccountShowUnknownTenantIsNotFound) {
  EXPECT_EQ(AccountShow(*ctx_, 5).status().code(), StatusCode::kNotFound);
}

TEST_F(CommandsTest, RadiusClientAddStripsOneNewlineAndSeals) {
  RadiusClientAddOptions o;
  o.name = "gw1";
  o.address = "127.0.0.1/32";
  o.secret_file = WriteFile("secret", "0123456789abcdef\n\n");
  o.require_message_authenticator = store::RequireMessageAuthenticator::kAuto;
  ASSERT_TRUE(RadiusClientAdd(*ctx_, o).ok());
  auto list = store_->ListRadiusClients();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  auto opened = box_->Open((*list)[0].sealed_secret, "radius-client:gw1");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->reveal(), "0123456789abcdef\n");
  EXPECT_EQ((*list)[0].require_message_authenticator, store::RequireMessageAuthenticator::kAuto);
  EXPECT_EQ(Events().back().action, "admin.radius-client.add");
}

TEST_F(CommandsTest, RadiusClientAddRefusesEmptySecret) {
  RadiusClientAddOptions o;
  o.name = "gw1";
  o.address = "::1";
  o.secret_file = WriteFile("empty", "\n");
  EXPECT_FALSE(RadiusClientAdd(*ctx_, o).ok());
  o.secret_file = dir_ + "/missing";
  EXPECT_FALSE(RadiusClientAdd(*ctx_, o).ok());
}

TEST_F(CommandsTest, RadiusClientListNeverShowsTheSecret) {
  RadiusClientAddOptions o;
  o.name = "gw1";
  o.address = "10.0.0.0/8";
  o.secret_file = WriteFile("secret", "s3cr3t-s3cr3t-s3cr3t");
  ASSERT_TRUE(RadiusClientAdd(*ctx_, o).ok());
  auto out = RadiusClientList(*ctx_);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->json[0]["name"], "gw1");
  EXPECT_EQ(out->json[0]["requireMessageAuthenticator"], "yes");
  EXPECT_EQ(out->json.dump().find("s3cr3t"), std::string::npos);
  EXPECT_EQ(out->text.find("s3cr3t"), std::string::npos);
  ASSERT_TRUE(RadiusClientRemove(*ctx_, "gw1").ok());
  EXPECT_EQ(RadiusClientRemove(*ctx_, "gw1").status().code(), StatusCode::kNotFound);
}

TEST_F(CommandsTest, AuditListFiltersOldestFirst) {
  ASSERT_TRUE(TenantAdd(*ctx_, 1).ok());
  clock_.SetUnix(1700000100);
  ASSERT_TRUE(TenantAdd(*ctx_, 2).ok());
  AuditOptions all;
  auto out = AuditList(*ctx_, all);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->json.size(), 4u);
  EXPECT_EQ(out->json[0]["appId"], 1u);
  EXPECT_EQ(out->json[3]["appId"], 2u);
  AuditOptions since;
  since.since = 1700000100;
  EXPECT_EQ(AuditList(*ctx_, since)->json.size(), 2u);
  AuditOptions one_app;
  one_app.app_id = 1;
  EXPECT_EQ(AuditList(*ctx_, one_app)->json.size(), 2u);
}

TEST_F(CommandsTest, TenantListCountsKeys) {
  ASSERT_TRUE(TenantAdd(*ctx_, 1).ok());
  ASSERT_TRUE(KeyAdd(*ctx_, 1, {}).ok());
  auto out = TenantList(*ctx_);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->json.size(), 1u);
  EXPECT_EQ(out->json[0]["keys"], 2u);
  EXPECT_EQ(out->json[0]["account"], false);
}

TEST(ZoneList, ListsConfiguredZones) {
  const Output out = ZoneList(config::Defaults());
  ASSERT_FALSE(out.json.empty());
  EXPECT_TRUE(out.json[0].contains("zoneId"));
  EXPECT_TRUE(out.json[0].contains("vpnGwAddr"));
  EXPECT_FALSE(out.json[0]["regionName"].get<std::string>().empty());
}

TEST(AuditResultCode, MapsStatusCodes) {
  EXPECT_EQ(AuditResultCode(Status::Ok(), 4100), 0);
  EXPECT_EQ(AuditResultCode(NotFound(""), 4100), 4100);
  EXPECT_EQ(AuditResultCode(AlreadyExists(""), 4100), 4000);
  EXPECT_EQ(AuditResultCode(Unavailable(""), 4100), 10100);
  EXPECT_EQ(AuditResultCode(DataLoss(""), 4100), 6000);
}

}  // namespace
}  // namespace obvpn::cli
