#include "http/signing/v2_signature.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/crypto.h"
#include "http/signing/form.h"

namespace obvpn::http::signing {
namespace {

constexpr size_t kLimit = 100;

// One line of tests/testdata/v2_signature_vectors.txt (format described in the file).
struct Vector {
  std::string secret_key;
  std::string http_method;
  std::string host;
  std::string path;
  std::string query;
  std::string string_to_sign;
  std::string signature;
};

std::vector<Vector> LoadVectors() {
  std::ifstream in(std::string(OBVPN_TESTDATA_DIR) + "/v2_signature_vectors.txt");
  std::vector<Vector> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Vector v;
    fields >> v.secret_key >> v.http_method >> v.host >> v.path >> v.query >> v.string_to_sign >>
        v.signature;
    if (fields)
      out.push_back(std::move(v));
    else
      ADD_FAILURE() << "malformed vector line: " << line;
  }
  return out;
}

Params MustDecode(std::string_view query) {
  Result<Params> params = DecodeForm(query, kLimit);
  EXPECT_TRUE(params.ok()) << params.status().ToString();
  return params.ok() ? std::move(params).value() : Params{};
}

V2Method MustParseMethod(const Params& params) {
  const Result<V2Method> method = ParseV2Method(FindParam(params, "SignatureMethod"));
  EXPECT_TRUE(method.ok()) << method.status().ToString();
  return method.ok() ? *method : V2Method::kHmacSha1;
}

V2Request MakeRequest(const Vector& v, const Params& params) {
  return V2Request{.http_method = v.http_method,
                   .host = v.host,
                   .path = v.path,
                   .params = &params,
                   .rewrite_underscores = true};
}

TEST(V2SignatureVectors, FileHoldsBothPublicVectors) { EXPECT_EQ(LoadVectors().size(), 2u); }

TEST(V2SignatureVectors, StringToSignMatchesPublicDocs) {
  for (const Vector& v : LoadVectors()) {
    SCOPED_TRACE(v.query);
    const Params params = MustDecode(v.query);
    EXPECT_EQ(V2StringToSign(MakeRequest(v, params), MustParseMethod(params)), v.string_to_sign);
  }
}

TEST(V2SignatureVectors, SignatureMatchesPublicDocs) {
  for (const Vector& v : LoadVectors()) {
    SCOPED_TRACE(v.query);
    const Params params = MustDecode(v.query);
    const V2Method method = MustParseMethod(params);
    EXPECT_EQ(V2Sign(v.secret_key, V2StringToSign(MakeRequest(v, params), method), method),
              v.signature);
  }
}

TEST(V2SignatureVectors, VerifyAcceptsUrlEncodedSignatureParameter) {
  for (const Vector& v : LoadVectors()) {
    SCOPED_TRACE(v.query);
    // As a client sends it: the Signature parameter URL-encoded in the same query.
    const Params params = MustDecode(v.query + "&Signature=" + UrlEncode(v.signature));
    const Param* signature = FindParam(params, "Signature");
    ASSERT_NE(signature, nullptr);
    EXPECT_TRUE(
        V2Verify(MakeRequest(v, params), MustParseMethod(params), v.secret_key, signature->value));
  }
}

TEST(ParseV2Method, AbsentIsHmacSha1) {
  const Result<V2Method> got = ParseV2Method(nullptr);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, V2Method::kHmacSha1);
}

struct MethodCase {
  std::string_view value;
  V2Method want;
};
void PrintTo(const MethodCase& c, std::ostream* os) { *os << c.value; }
std::string MethodCaseName(const testing::TestParamInfo<MethodCase>& param_info) {
  std::string name;
  for (char c : param_info.param.value) {
    if (c != '-') name += c;
  }
  return name;
}

class ParseV2MethodTest : public testing::TestWithParam<MethodCase> {};

TEST_P(ParseV2MethodTest, MapsKnownName) {
  const Param param{"SignatureMethod", std::string(GetParam().value)};
  const Result<V2Method> got = ParseV2Method(&param);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(Names, ParseV2MethodTest,
                         testing::Values(MethodCase{"HmacSHA1", V2Method::kHmacSha1},
                                         MethodCase{"HmacSHA256", V2Method::kHmacSha256},
                                         MethodCase{"TC2-HmacSHA256", V2Method::kTc2HmacSha256}),
                         MethodCaseName);

class ParseV2MethodRejectTest : public testing::TestWithParam<std::string_view> {};

TEST_P(ParseV2MethodRejectTest, RejectsOtherValue) {
  const Param param{"SignatureMethod", std::string(GetParam())};
  const Result<V2Method> got = ParseV2Method(&param);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = got.status().message();
  EXPECT_NE(message.find("SignatureMethod must be HmacSHA1 or HmacSHA256"), std::string::npos);
  EXPECT_NE(message.find("TC2-HmacSHA256"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Values, ParseV2MethodRejectTest,
                         testing::Values("", "hmacsha256", "HMACSHA1", "HmacSHA512", "HmacSHA1 ",
                                         "TC3-HMAC-SHA256"));

// A request over `params` with fixed method, host and path.
V2Request Request(const Params& params, bool rewrite_underscores = true) {
  return V2Request{.http_method = "GET",
                   .host = "bm.api.qcloud.com",
                   .path = "/v2/index.php",
                   .params = &params,
                   .rewrite_underscores = rewrite_underscores};
}

TEST(CanonicalQuery, ExcludesSignature) {
  const Params params = {{"b", "2"}, {"Signature", "abc="}, {"a", "1"}};
  EXPECT_EQ(CanonicalQuery(Request(params)), "a=1&b=2");
}

TEST(CanonicalQuery, SortsByByteOrder) {
  // Upper case sorts before lower case, '.' before digits.
  const Params params = {{"b", "1"}, {"a1", "2"}, {"a.", "3"}, {"B", "4"}, {"a", "5"}};
  EXPECT_EQ(CanonicalQuery(Request(params)), "B=4&a=5&a.=3&a1=2&b=1");
}

TEST(CanonicalQuery, SortsBytesAboveAsciiAfterAscii) {
  const Params params = {{"\xE6\x9C\xAA", "1"}, {"z", "2"}};
  EXPECT_EQ(CanonicalQuery(Request(params)), "z=2&\xE6\x9C\xAA=1");
}

TEST(CanonicalQuery, RewritesUnderscoresInKeys) {
  const Params params = {{"instance_ids.0", "ins_1"}, {"_x_", "y"}};
  EXPECT_EQ(CanonicalQuery(Request(params)), ".x.=y&instance.ids.0=ins_1");
}

TEST(CanonicalQuery, KeepsUnderscoresWhenRewritingIsOff) {
  const Params params = {{"instance_ids.0", "ins_1"}};
  EXPECT_EQ(CanonicalQuery(Request(params, /*rewrite_underscores=*/false)), "instance_ids.0=ins_1");
}

TEST(V2Verify, UnderscoreKeyVerifiesWithSignatureOverDottedKey) {
  // A client that rewrote "instance_ids.0" to "instance.ids.0" before signing (SPEC §3.2
  // step 2) must verify against the key as sent.
  const Params dotted = {{"instance.ids.0", "ins-1"}};
  const Params sent = {{"instance_ids.0", "ins-1"}};
  const std::string signature =
      V2Sign("key", V2StringToSign(Request(dotted), V2Method::kHmacSha1), V2Method::kHmacSha1);
  EXPECT_TRUE(V2Verify(Request(sent), V2Method::kHmacSha1, "key", signature));
  EXPECT_FALSE(V2Verify(Request(sent, /*rewrite_underscores=*/false), V2Method::kHmacSha1, "key",
                        signature));
}

TEST(CanonicalQuery, SortsAfterRewriting) {
  // Before rewriting "aZ" < "a_b" ('Z' 0x5A < '_' 0x5F); after it "a.b" < "aZ".
  const Params params = {{"aZ", "1"}, {"a_b", "2"}};
  EXPECT_EQ(CanonicalQuery(Request(params)), "a.b=2&aZ=1");
  EXPECT_EQ(CanonicalQuery(Request(params, /*rewrite_underscores=*/false)), "aZ=1&a_b=2");
}

// Up to 32 entries are insertion-sorted, more go through std::stable_sort: both give
// byte order, and keys that rewriting makes equal keep their wire order.
TEST(CanonicalQuery, SortsFewAndManyEntriesAlike) {
  for (size_t n : {3u, 32u, 33u, 100u}) {
    Params params;
    std::vector<std::string> keys;
    for (size_t i = 0; i < n; ++i) {
      // Reverse order on the wire; "k.i" and "k_i" collide after rewriting.
      const std::string key = "k" + std::to_string(5000 - i);
      params.push_back({i % 2 ? key + "_x" : key + ".x", std::to_string(i)});
      params.push_back({key + "_x", "u" + std::to_string(i)});
    }
    const std::string got = CanonicalQuery(Request(params));
    // Expected: keys ascending; for each key the wire order of its two entries.
    std::string want;
    for (size_t i = n; i-- > 0;) {
      const std::string key = "k" + std::to_string(5000 - i) + ".x";
      if (!want.empty()) want += '&';
      want += key + "=" + std::to_string(i) + "&" + key + "=u" + std::to_string(i);
    }
    EXPECT_EQ(got, want) << n;
  }
}

TEST(CanonicalQuery, UsesRawDecodedValues) {
  const Params params = {{"a", "x y&z=%41+"}};
  EXPECT_EQ(CanonicalQuery(Request(params)), "a=x y&z=%41+");
}

TEST(CanonicalQuery, NoParametersIsEmpty) {
  const Params params;
  EXPECT_EQ(CanonicalQuery(Request(params)), "");
  V2Request request = Request(params);
  request.params = nullptr;
  EXPECT_EQ(CanonicalQuery(request), "");
}

TEST(V2StringToSign, JoinsMethodHostPathAndQuery) {
  const Params params = {{"b", "2"}, {"a", "1"}};
  EXPECT_EQ(V2StringToSign(Request(params), V2Method::kHmacSha1),
            "GETbm.api.qcloud.com/v2/index.php?a=1&b=2");
}

TEST(V2StringToSign, HmacSha256UsesTheSameString) {
  const Params params = {{"b", "2"}, {"a", "1"}};
  EXPECT_EQ(V2StringToSign(Request(params), V2Method::kHmacSha256),
            V2StringToSign(Request(params), V2Method::kHmacSha1));
}

// The qcloudapi-sdk TC2 request of the brief: key "secret", POST to 127.0.0.1:8080.
const Params& Tc2Params() {
  static const Params* params = new Params{{"Action", "GetOutBandVPNAuthInfo"},
                                           {"Nonce", "1"},
                                           {"Region", "gz"},
                                           {"SecretId", "AKIDtest"},
                                           {"SignatureMethod", "TC2-HmacSHA256"},
                                           {"Timestamp", "1700000000"}};
  return *params;
}

V2Request Tc2Request() {
  return V2Request{.http_method = "POST",
                   .host = "127.0.0.1:8080",
                   .path = "/v2/index.php",
                   .params = &Tc2Params(),
                   .rewrite_underscores = true};
}

constexpr std::string_view kTc2Query =
    "Action=GetOutBandVPNAuthInfo&Nonce=1&Region=gz&SecretId=AKIDtest&"
    "SignatureMethod=TC2-HmacSHA256&Timestamp=1700000000";

TEST(V2StringToSign, Tc2HashesTheQuery) {
  ASSERT_EQ(CanonicalQuery(Tc2Request()), kTc2Query);
  // sha256(kTc2Query) in hex, computed with Node's crypto module.
  EXPECT_EQ(V2StringToSign(Tc2Request(), V2Method::kTc2HmacSha256),
            "POST127.0.0.1:8080/v2/index.php?\n"
            "ec8161140e8e6142bc126fb54384c489c11edf69b18fa6331d9768ec29540282");
}

TEST(V2Sign, Tc2MatchesStepByStepConstruction) {
  const std::string string_to_sign =
      "POST127.0.0.1:8080/v2/index.php?\n" + crypto::HexEncode(crypto::Sha256(kTc2Query));
  const std::string want = crypto::Base64Encode(crypto::HmacSha256("secret", string_to_sign));
  EXPECT_EQ(V2Sign("secret", V2StringToSign(Tc2Request(), V2Method::kTc2HmacSha256),
                   V2Method::kTc2HmacSha256),
            want);
}

TEST(V2Sign, Tc2MatchesQcloudapiSdkVector) {
  // Computed with Node: base64(hmac_sha256("secret", "POST127.0.0.1:8080/v2/index.php?" +
  // "\n" + sha256hex(qstr))), qstr the sorted "k=v" pairs joined by '&'.
  EXPECT_EQ(V2Sign("secret", V2StringToSign(Tc2Request(), V2Method::kTc2HmacSha256),
                   V2Method::kTc2HmacSha256),
            "g+Ep3Ny0dOVZb/qCCaGqfAXra+3uSiVbuN4NRigiyoA=");
}

TEST(V2Sign, Tc2DiffersFromPlainHmacSha256) {
  const V2Request request = Tc2Request();
  EXPECT_NE(
      V2Sign("secret", V2StringToSign(request, V2Method::kTc2HmacSha256), V2Method::kTc2HmacSha256),
      V2Sign("secret", V2StringToSign(request, V2Method::kHmacSha256), V2Method::kHmacSha256));
}

TEST(V2Sign, HmacSha1AndHmacSha256Differ) {
  EXPECT_NE(V2Sign("k", "data", V2Method::kHmacSha1), V2Sign("k", "data", V2Method::kHmacSha256));
}

// Signature of the TC2 request as the client computed it.
const std::string& Tc2Signature() {
  static const std::string* signature =
      new std::string("g+Ep3Ny0dOVZb/qCCaGqfAXra+3uSiVbuN4NRigiyoA=");
  return *signature;
}

TEST(V2Verify, AcceptsCorrectSignature) {
  EXPECT_TRUE(V2Verify(Tc2Request(), V2Method::kTc2HmacSha256, "secret", Tc2Signature()));
}

TEST(V2Verify, RejectsSignatureWithOneChangedCharacter) {
  std::string signature = Tc2Signature();
  signature[5] = signature[5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(V2Verify(Tc2Request(), V2Method::kTc2HmacSha256, "secret", signature));
}

TEST(V2Verify, RejectsTruncatedSignature) {
  const std::string signature = Tc2Signature().substr(0, Tc2Signature().size() - 1);
  EXPECT_FALSE(V2Verify(Tc2Request(), V2Method::kTc2HmacSha256, "secret", signature));
}

TEST(V2Verify, RejectsEmptySignature) {
  EXPECT_FALSE(V2Verify(Tc2Request(), V2Method::kTc2HmacSha256, "secret", ""));
}

TEST(V2Verify, RejectsWrongKey) {
  EXPECT_FALSE(V2Verify(Tc2Request(), V2Method::kTc2HmacSha256, "secreT", Tc2Signature()));
}

TEST(V2Verify, RejectsSignatureMadeWithAnotherMethod) {
  EXPECT_FALSE(V2Verify(Tc2Request(), V2Method::kHmacSha256, "secret", Tc2Signature()));
}

TEST(V2Verify, RejectsHostWithoutThePortTheClientSigned) {
  V2Request request = Tc2Request();
  request.host = "127.0.0.1";
  EXPECT_FALSE(V2Verify(request, V2Method::kTc2HmacSha256, "secret", Tc2Signature()));
}

TEST(V2Verify, RejectsOtherHttpMethod) {
  V2Request request = Tc2Request();
  request.http_method = "GET";
  EXPECT_FALSE(V2Verify(request, V2Method::kTc2HmacSha256, "secret", Tc2Signature()));
}

TEST(V2Verify, RejectsOtherPath) {
  V2Request request = Tc2Request();
  request.path = "/";
  EXPECT_FALSE(V2Verify(request, V2Method::kTc2HmacSha256, "secret", Tc2Signature()));
}

TEST(V2Verify, RejectsChangedParameterValue) {
  Params params = Tc2Params();
  params[1].value = "2";
  V2Request request = Tc2Request();
  request.params = &params;
  EXPECT_FALSE(V2Verify(request, V2Method::kTc2HmacSha256, "secret", Tc2Signature()));
}

TEST(V2Verify, IgnoresSignatureParameter) {
  Params params = Tc2Params();
  params.push_back({"Signature", Tc2Signature()});
  V2Request request = Tc2Request();
  request.params = &params;
  EXPECT_TRUE(V2Verify(request, V2Method::kTc2HmacSha256, "secret", Tc2Signature()));
}

TEST(V2StringToSign, HostWithPortDiffersFromWithout) {
  const Params params = {{"a", "1"}};
  V2Request with_port = Request(params);
  with_port.host = "bm.api.qcloud.com:443";
  EXPECT_NE(V2StringToSign(with_port, V2Method::kHmacSha1),
            V2StringToSign(Request(params), V2Method::kHmacSha1));
}

TEST(V2StringToSign, GetAndPostDiffer) {
  const Params params = {{"a", "1"}};
  V2Request post = Request(params);
  post.http_method = "POST";
  EXPECT_EQ(V2StringToSign(post, V2Method::kHmacSha1), "POSTbm.api.qcloud.com/v2/index.php?a=1");
  EXPECT_NE(V2StringToSign(post, V2Method::kHmacSha1),
            V2StringToSign(Request(params), V2Method::kHmacSha1));
}

}  // namespace
}  // namespace obvpn::http::signing
