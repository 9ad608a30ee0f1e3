#include "http/signing/tc3_signature.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace obvpn::http::signing {
namespace {

// The public vector of Tencent Cloud's "Signature v3" document (SPEC §4). The body holds
// literal backslash-u escapes, exactly as the document prints them.
constexpr std::string_view kKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
constexpr std::string_view kSecretId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
constexpr std::string_view kHost = "cvm.tencentcloudapi.com";
constexpr std::string_view kTimestamp = "1551113065";
constexpr std::string_view kDate = "2019-02-25";
constexpr std::string_view kService = "cvm";
constexpr std::string_view kContentType = "application/json; charset=utf-8";
constexpr std::string_view kBody =
    R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";
constexpr std::string_view kSignature =
    "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168";

Tc3Request VectorRequest() {
  Tc3Request r;
  r.http_method = "POST";
  r.canonical_query = "";
  r.headers = {{"content-type", kContentType}, {"host", kHost}};
  r.payload = kBody;
  return r;
}

std::string SignVector(const Tc3Request& r, std::string_view key = kKey,
                       std::string_view timestamp = kTimestamp, std::string_view date = kDate,
                       std::string_view service = kService) {
  return Tc3Sign(
      key, date, service,
      Tc3StringToSign(timestamp, Tc3CredentialScope(date, service), Tc3CanonicalRequest(r)));
}

TEST(Tc3Signature, CanonicalRequestMatchesTheDocument) {
  EXPECT_EQ(Tc3CanonicalRequest(VectorRequest()),
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\n"
            "host:cvm.tencentcloudapi.com\n\ncontent-type;host\n"
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
}

TEST(Tc3Signature, StringToSignMatchesTheDocument) {
  EXPECT_EQ(Tc3StringToSign(kTimestamp, Tc3CredentialScope(kDate, kService),
                            Tc3CanonicalRequest(VectorRequest())),
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
}

TEST(Tc3Signature, SignsThePublicVector) { EXPECT_EQ(SignVector(VectorRequest()), kSignature); }

TEST(Tc3Signature, VerifiesThePublicVector) {
  EXPECT_TRUE(Tc3Verify(VectorRequest(), kTimestamp, kDate, kService, kKey, kSignature));
}

TEST(Tc3Signature, CanonicalHeaderValuesAreLowerCasedAndTrimmed) {
  Tc3Request r = VectorRequest();
  r.headers = {{"content-type", " Application/JSON; charset=UTF-8 "},
               {"host", "CVM.TencentCloudAPI.com"}};
  EXPECT_EQ(SignVector(r), kSignature);
}

// Each field of the vector changed in turn must change the signature.
struct Mutation {
  const char* name;
  void (*apply)(Tc3Request&);
  std::string_view key = kKey;
  std::string_view timestamp = kTimestamp;
  std::string_view date = kDate;
  std::string_view service = kService;
};

TEST(Tc3Signature, RejectsEveryChangedField) {
  const Mutation mutations[] = {
      {"secret key", [](Tc3Request&) {}, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLF"},
      {"timestamp", [](Tc3Request&) {}, kKey, "1551113066"},
      {"date", [](Tc3Request&) {}, kKey, kTimestamp, "2019-02-26"},
      {"service", [](Tc3Request&) {}, kKey, kTimestamp, kDate, "bm"},
      {"method", [](Tc3Request& r) { r.http_method = "GET"; }},
      {"uri", [](Tc3Request& r) { r.canonical_uri = "/v2/index.php"; }},
      {"query", [](Tc3Request& r) { r.canonical_query = "Limit=1"; }},
      {"content type", [](Tc3Request& r) { r.headers[0].value = "application/json"; }},
      {"host", [](Tc3Request& r) { r.headers[1].value = "cvm.tencentcloudapi.com:443"; }},
      {"extra signed header",
       [](Tc3Request& r) {
         r.headers.push_back({"x-tc-action", "DescribeInstances"});
       }},
      {"body",
       [](Tc3Request& r) {
         r.payload = R"({"Limit": 2, "Filters": [{"Values": ["\u672a\u547d\u540d"], )"
                     R"("Name": "instance-name"}]})";
       }},
  };
  for (const Mutation& m : mutations) {
    Tc3Request r = VectorRequest();
    m.apply(r);
    EXPECT_FALSE(Tc3Verify(r, m.timestamp, m.date, m.service, m.key, kSignature)) << m.name;
  }
}

TEST(Tc3Signature, RejectsAChangedSignature) {
  std::string sig(kSignature);
  sig.back() = sig.back() == '8' ? '9' : '8';
  EXPECT_FALSE(Tc3Verify(VectorRequest(), kTimestamp, kDate, kService, kKey, sig));
  EXPECT_FALSE(
      Tc3Verify(VectorRequest(), kTimestamp, kDate, kService, kKey, kSignature.substr(0, 63)));
  EXPECT_FALSE(Tc3Verify(VectorRequest(), kTimestamp, kDate, kService, kKey, ""));
}

TEST(Tc3Signature, FormatsTheAuthorizationAsTheSdksDo) {
  EXPECT_EQ(FormatTc3Authorization(kSecretId, kDate, kService, "content-type;host", kSignature),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
            "tc3_request, SignedHeaders=content-type;host, "
            "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
}

TEST(Tc3Authorization, ParsesTheSdkFormat) {
  auto a = ParseTc3Authorization(
      FormatTc3Authorization(kSecretId, kDate, "bm", "content-type;host", kSignature));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->secret_id, kSecretId);
  EXPECT_EQ(a->date, kDate);
  EXPECT_EQ(a->service, "bm");
  EXPECT_EQ(a->signed_headers, (std::vector<std::string>{"content-type", "host"}));
  EXPECT_EQ(a->signature, kSignature);
}

TEST(Tc3Authorization, AcceptsNoSpaceAfterCommasAndSeveralAfterTheAlgorithm) {
  const std::string sig(kSignature);
  for (const std::string& h :
       {"TC3-HMAC-SHA256 Credential=AKID1/2019-02-25/bm/tc3_request,SignedHeaders=content-type;"
        "host,Signature=" +
            sig,
        "TC3-HMAC-SHA256   Credential=AKID1/2019-02-25/bm/tc3_request,  SignedHeaders=content-"
        "type;host,  Signature=" +
            sig}) {
    auto a = ParseTc3Authorization(h);
    ASSERT_TRUE(a.ok()) << h << ": " << a.status().ToString();
    EXPECT_EQ(a->secret_id, "AKID1");
  }
}

TEST(Tc3Authorization, AcceptsMoreSignedHeadersInOrder) {
  auto a = ParseTc3Authorization(
      FormatTc3Authorization("AKID1", kDate, "bm", "content-type;host;x-tc-action", kSignature));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->signed_headers.size(), 3u);
}

struct BadHeader {
  const char* why;
  std::string header;
  const char* message_part;
};

TEST(Tc3Authorization, RejectsMalformedHeaders) {
  const std::string sig(kSignature);
  const std::string cred = "Credential=AKID1/2019-02-25/bm/tc3_request";
  const std::string sh = "SignedHeaders=content-type;host";
  const BadHeader cases[] = {
      {"empty", "", "TC3-HMAC-SHA256"},
      {"other algorithm", "HMAC-SHA256 " + cred + ", " + sh + ", Signature=" + sig,
       "TC3-HMAC-SHA256"},
      {"lower-case algorithm", "tc3-hmac-sha256 " + cred + ", " + sh + ", Signature=" + sig,
       "TC3-HMAC-SHA256"},
      {"no space after algorithm", "TC3-HMAC-SHA256" + cred + ", " + sh + ", Signature=" + sig,
       "space"},
      {"fields reordered", "TC3-HMAC-SHA256 " + sh + ", " + cred + ", Signature=" + sig,
       "Credential="},
      {"signature missing", "TC3-HMAC-SHA256 " + cred + ", " + sh, "SignedHeaders="},
      {"signed headers missing", "TC3-HMAC-SHA256 " + cred + ", Signature=" + sig,
       "SignedHeaders="},
      {"space before '='",
       "TC3-HMAC-SHA256 Credential =AKID1/2019-02-25/bm/tc3_request, " + sh + ", Signature=" + sig,
       "Credential="},
      {"three credential parts",
       "TC3-HMAC-SHA256 Credential=AKID1/2019-02-25/tc3_request, " + sh + ", Signature=" + sig,
       "Credential must be"},
      {"five credential parts",
       "TC3-HMAC-SHA256 Credential=AKID1/x/2019-02-25/bm/tc3_request, " + sh + ", Signature=" + sig,
       "Credential must be"},
      {"empty SecretId",
       "TC3-HMAC-SHA256 Credential=/2019-02-25/bm/tc3_request, " + sh + ", Signature=" + sig,
       "empty"},
      {"bad date",
       "TC3-HMAC-SHA256 Credential=AKID1/20190225/bm/tc3_request, " + sh + ", Signature=" + sig,
       "YYYY-MM-DD"},
      {"wrong terminator",
       "TC3-HMAC-SHA256 Credential=AKID1/2019-02-25/bm/tc2_request, " + sh + ", Signature=" + sig,
       "tc3_request"},
      {"unsorted signed headers",
       "TC3-HMAC-SHA256 " + cred + ", SignedHeaders=host;content-type, Signature=" + sig, "sorted"},
      {"duplicate signed header",
       "TC3-HMAC-SHA256 " + cred + ", SignedHeaders=content-type;host;host, Signature=" + sig,
       "sorted"},
      {"host not signed",
       "TC3-HMAC-SHA256 " + cred + ", SignedHeaders=content-type, Signature=" + sig,
       "content-type and host"},
      {"upper-case header name",
       "TC3-HMAC-SHA256 " + cred + ", SignedHeaders=Content-Type;host, Signature=" + sig,
       "lower-case"},
      {"upper-case hex",
       "TC3-HMAC-SHA256 " + cred + ", " + sh + ", Signature=" + std::string(64, 'A'), "hex"},
      {"short signature",
       "TC3-HMAC-SHA256 " + cred + ", " + sh + ", Signature=" + sig.substr(0, 63), "hex"},
      {"trailing text", "TC3-HMAC-SHA256 " + cred + ", " + sh + ", Signature=" + sig + ", x=y",
       "hex"},
  };
  for (const BadHeader& c : cases) {
    auto a = ParseTc3Authorization(c.header);
    ASSERT_FALSE(a.ok()) << c.why;
    EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument) << c.why;
    // The part before the fixed "(expected ...)" hint says what is wrong.
    const std::string& message = a.status().message();
    const std::string what = message.substr(0, message.find(" (expected"));
    EXPECT_NE(what.find(c.message_part), std::string::npos) << c.why << ": " << message;
    EXPECT_EQ(a.status().message().find(sig), std::string::npos) << "never echoes the signature";
  }
}

TEST(Tc3Date, IsTheUtcDateOfTheTimestamp) {
  EXPECT_EQ(Tc3Date(1551113065), "2019-02-25");
  EXPECT_EQ(Tc3Date(0), "1970-01-01");
  EXPECT_EQ(Tc3Date(-1), "1969-12-31");
  EXPECT_EQ(Tc3Date(951782400), "2000-02-29");
  EXPECT_EQ(Tc3Date(1551139199), "2019-02-25");  // 23:59:59 UTC
  EXPECT_EQ(Tc3Date(1551139200), "2019-02-26");  // 00:00:00 UTC
}

TEST(StripPort, RemovesOnlyAPort) {
  EXPECT_EQ(StripPort("bm.tencentcloudapi.com:8080"), "bm.tencentcloudapi.com");
  EXPECT_EQ(StripPort("bm.tencentcloudapi.com"), "bm.tencentcloudapi.com");
  EXPECT_EQ(StripPort("127.0.0.1:1"), "127.0.0.1");
  EXPECT_EQ(StripPort("[::1]:443"), "[::1]");
  EXPECT_EQ(StripPort("[::1]"), "[::1]");
  EXPECT_EQ(StripPort("::1"), "::1");
}

}  // namespace
}  // namespace obvpn::http::signing
