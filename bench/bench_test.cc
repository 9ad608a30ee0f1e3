// Tests of the load generator's pure parts: the latency histogram and the signed
// requests (which must verify with the server's own signature code).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "histogram.h"
#include "http/signing/form.h"
#include "http/signing/v2_signature.h"
#include "load_result.h"
#include "requests.h"

namespace obvpn::bench {
namespace {

namespace signing = http::signing;

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (int64_t v = 0; v < 64; ++v) h.Record(v);
  EXPECT_EQ(h.count(), 64u);
  EXPECT_EQ(h.Percentile(0.5), 31);
  EXPECT_EQ(h.Percentile(1.0), 63);
  EXPECT_EQ(h.min(), 0);
}

TEST(Histogram, PercentileIsWithinThreePercentAbove) {
  Histogram h;
  for (int64_t v = 1; v <= 100000; ++v) h.Record(v * 1000);  // 1 µs .. 100 ms
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = q * 100000 * 1000;
    const auto got = static_cast<double>(h.Percentile(q));
    EXPECT_GE(got, exact) << q;
    EXPECT_LE(got, exact * 1.032) << q;
  }
}

TEST(Histogram, EveryValueFallsInsideItsBucket) {
  for (int64_t v : {int64_t{0}, int64_t{31}, int64_t{32}, int64_t{1000}, int64_t{123456789},
                    int64_t{1} << 44}) {
    const size_t b = Histogram::BucketOf(v);
    EXPECT_LE(v, Histogram::UpperBound(b)) << v;
    if (b > 0) {
      EXPECT_GT(v, Histogram::UpperBound(b - 1)) << v;
    }
  }
}

TEST(Histogram, HugeValuesClampToTheLastBucket) {
  Histogram h;
  h.Record(INT64_MAX);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.Percentile(0.5), INT64_MAX);  // clamped to the recorded max
}

TEST(Histogram, MergeAddsCounts) {
  Histogram a, b;
  a.Record(10);
  b.Record(1000);
  b.Record(2000);
  a.Merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.min(), 10);
  EXPECT_EQ(a.max(), 2000);
}

TEST(Histogram, EmptyReportsZero) {
  Histogram h;
  EXPECT_EQ(h.Percentile(0.99), 0);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.mean(), 0);
}

Credential TestKey() { return {1251001002, "AKIDbench", "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA"}; }

// Decodes what BuildV2Request put on the wire and verifies it as obvpnd does.
bool VerifiesAsServer(const WireRequest& w, const V2Options& o, signing::V2Method method) {
  const std::string text = w.method == "GET" ? w.target.substr(w.target.find('?') + 1) : w.body;
  auto params = signing::DecodeForm(text, 100);
  if (!params.ok()) return false;
  const signing::Param* sig = signing::FindParam(*params, "Signature");
  if (sig == nullptr) return false;
  signing::V2Request r;
  r.http_method = w.method;
  r.host = o.host;
  r.path = o.path;
  r.params = &*params;
  return signing::V2Verify(r, method, TestKey().secret_key, sig->value);
}

struct SignCase {
  V2Action action;
  signing::V2Method method;
  bool post;
};

class SignedRequest : public ::testing::TestWithParam<SignCase> {};

TEST_P(SignedRequest, VerifiesWithTheServersSignatureCode) {
  const SignCase c = GetParam();
  V2Options o;
  o.host = "127.0.0.1:8080";
  o.method = c.method;
  o.post = c.post;
  o.password = "Bench1234pw";
  const WireRequest w = BuildV2Request(TestKey(), c.action, o, 1700000000, 42);
  EXPECT_EQ(w.method, c.post ? "POST" : "GET");
  EXPECT_TRUE(VerifiesAsServer(w, o, c.method));
}

INSTANTIATE_TEST_SUITE_P(
    AllShapes, SignedRequest,
    ::testing::Values(SignCase{V2Action::kGet, signing::V2Method::kHmacSha1, false},
                      SignCase{V2Action::kGet, signing::V2Method::kHmacSha256, false},
                      SignCase{V2Action::kSet, signing::V2Method::kHmacSha1, true},
                      SignCase{V2Action::kSet, signing::V2Method::kHmacSha256, false}));

TEST(SignedRequest, DoesNotVerifyForAnotherHost) {
  V2Options o;
  o.host = "127.0.0.1:8080";
  const WireRequest w = BuildV2Request(TestKey(), V2Action::kGet, o, 1700000000, 42);
  o.host = "127.0.0.1:8081";
  EXPECT_FALSE(VerifiesAsServer(w, o, signing::V2Method::kHmacSha1));
}

TEST(SignedRequest, CarriesTheGivenNonceAndTimestamp) {
  V2Options o;
  o.host = "h";
  const WireRequest w = BuildV2Request(TestKey(), V2Action::kGet, o, 1700000001, 987654321);
  EXPECT_NE(w.target.find("Nonce=987654321"), std::string::npos);
  EXPECT_NE(w.target.find("Timestamp=1700000001"), std::string::npos);
  EXPECT_NE(w.target.find("Action=GetOutBandVPNAuthInfo"), std::string::npos);
}

TEST(ParseKeys, ReadsLinesAndSkipsComments) {
  auto keys = ParseKeys("# header\n1 AKIDa keya\n\n2\tAKIDb  keyb # trailing\n");
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[1].app_id, 2u);
  EXPECT_EQ((*keys)[1].secret_id, "AKIDb");
  EXPECT_EQ((*keys)[1].secret_key, "keyb");
}

TEST(ParseKeys, RejectsALineWithTwoFields) {
  auto keys = ParseKeys("1 AKIDa\n");
  ASSERT_FALSE(keys.ok());
  EXPECT_NE(keys.status().message().find("line 1"), std::string::npos);
}

TEST(ParseKeys, RejectsAnEmptyFile) { EXPECT_FALSE(ParseKeys("# nothing\n").ok()); }

TEST(V2Code, ReadsTheLeadingCode) {
  EXPECT_EQ(V2Code(R"({"code":0,"message":"","codeDesc":"Success","data":{}})"), 0);
  EXPECT_EQ(V2Code(R"({"code": 4400,"message":"x"})"), 4400);
}

TEST(V2Code, IsMinusOneWithoutACode) {
  EXPECT_EQ(V2Code("not json"), -1);
  EXPECT_EQ(V2Code(R"({"Response":{"code":1}})"), -1);
}

TEST(LoadResult, ResultLineCarriesRateLatencyAndCodes) {
  LoadResult r;
  r.latency.Record(1000000);
  r.outcomes["0"] = 3;
  r.outcomes["4400"] = 1;
  r.ok = 3;
  r.errors = 1;
  r.seconds = 2;
  const std::string line = FormatResultLine("get", r);
  EXPECT_EQ(line.rfind("RESULT label=get rps=2.0 ok=3 errors=1 ", 0), 0u) << line;
  EXPECT_NE(line.find("codes=0:3,4400:1"), std::string::npos) << line;
  EXPECT_NE(line.find("p99_us="), std::string::npos) << line;
}

}  // namespace
}  // namespace obvpn::bench
