// Microbenchmarks (Google Benchmark) of the per-request CPU work of obvpnd: signature
// verification (API 2.0 and TC3), form decoding, the RADIUS codec steps, and one argon2id
// hash at the configured default cost. The hash figure is the one that bounds
// SetOutBandVPNAuthPwd and RADIUS accepts (SPEC §9: cores ÷ hash time); it records why
// the default cost was chosen (docs/performance.md).
//
//   obvpn-microbench [--benchmark_filter=REGEX] [--benchmark_min_time=SECONDS]
#include <benchmark/benchmark.h>

#include <string>

#include "config/config.h"
#include "http/signing/form.h"
#include "http/signing/tc3_signature.h"
#include "http/signing/v2_signature.h"
#include "password/password.h"
#include "radius/packet/packet.h"
#include "requests.h"

namespace obvpn::bench {
namespace {

namespace signing = http::signing;

constexpr std::string_view kSecretKey = "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA";
constexpr std::string_view kHost = "127.0.0.1:8080";

// A GetOutBandVPNAuthInfo query as obvpn-bench (and qcloudcli) sends it.
std::string GetQuery(signing::V2Method method) {
  V2Options o;
  o.host = std::string(kHost);
  o.method = method;
  const Credential key{1251001002, "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA", std::string(kSecretKey)};
  WireRequest w = BuildV2Request(key, V2Action::kGet, o, 1700000000, 1234567);
  return w.target.substr(w.target.find('?') + 1);
}

void BM_DecodeForm(benchmark::State& state) {
  const std::string query = GetQuery(signing::V2Method::kHmacSha1);
  for (auto _ : state) {
    auto p = signing::DecodeForm(query, 100);
    benchmark::DoNotOptimize(p);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * query.size()));
}
BENCHMARK(BM_DecodeForm);

void V2VerifyBench(benchmark::State& state, signing::V2Method method) {
  const std::string query = GetQuery(method);
  auto params = signing::DecodeForm(query, 100);
  if (!params.ok()) {
    state.SkipWithError("decode failed");
    return;
  }
  const std::string signature = signing::FindParam(*params, "Signature")->value;
  signing::V2Request r;
  r.http_method = "GET";
  r.host = kHost;
  r.path = "/v2/index.php";
  r.params = &*params;
  for (auto _ : state) {
    const bool ok = signing::V2Verify(r, method, kSecretKey, signature);
    if (!ok) state.SkipWithError("signature did not verify");
    benchmark::DoNotOptimize(ok);
  }
}
void BM_V2VerifyHmacSha1(benchmark::State& state) {
  V2VerifyBench(state, signing::V2Method::kHmacSha1);
}
void BM_V2VerifyHmacSha256(benchmark::State& state) {
  V2VerifyBench(state, signing::V2Method::kHmacSha256);
}
BENCHMARK(BM_V2VerifyHmacSha1);
BENCHMARK(BM_V2VerifyHmacSha256);

// TC3: parse the Authorization header and verify a SetOutBandVpnAuthPassword body, as the
// v3 front end does for every request (SPEC §4).
void BM_Tc3ParseAndVerify(benchmark::State& state) {
  const std::string body = R"({"Password":"Bench1234pw","Operate":"Update"})";
  const std::string ct = "application/json";
  signing::Tc3Request r;
  r.http_method = "POST";
  r.headers = {{"content-type", ct}, {"host", "bm.tencentcloudapi.com"}};
  r.payload = body;
  const std::string ts = "1700000000";
  const std::string date = signing::Tc3Date(1700000000);
  const std::string sig =
      signing::Tc3Sign(kSecretKey, date, "bm",
                       signing::Tc3StringToSign(ts, signing::Tc3CredentialScope(date, "bm"),
                                                signing::Tc3CanonicalRequest(r)));
  const std::string header = signing::FormatTc3Authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA",
                                                             date, "bm", "content-type;host", sig);
  for (auto _ : state) {
    auto auth = signing::ParseTc3Authorization(header);
    const bool ok = auth.ok() && signing::Tc3Verify(r, ts, auth->date, auth->service, kSecretKey,
                                                    auth->signature);
    if (!ok) state.SkipWithError("TC3 signature did not verify");
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_Tc3ParseAndVerify);

// An Access-Request as the bench client and radclient send it.
struct RadiusFixture {
  std::string secret = "bench-radius-secret";
  radius::Authenticator auth{};
  std::string datagram;
  RadiusFixture() {
    for (size_t i = 0; i < auth.size(); ++i) auth[i] = static_cast<uint8_t>(i * 7 + 1);
    auto hidden = radius::EncryptUserPassword("Bench1234pw", auth, secret);
    std::vector<radius::Attribute> attrs = {
        radius::StringAttribute(radius::attr::kUserName, "1300000000"),
        radius::StringAttribute(radius::attr::kUserPassword, hidden.ok() ? *hidden : ""),
        radius::Ipv4Attribute(radius::attr::kNasIpAddress, {127, 0, 0, 1}),
        radius::StringAttribute(radius::attr::kNasIdentifier, "obvpn-bench")};
    auto p = radius::EncodeAccessRequest(42, auth, attrs, secret, true);
    if (p.ok()) datagram = *p;
  }
};

// Check → Verify → Decode (User-Name, User-Password): the work before the hash.
void BM_RadiusDecodeAccessRequest(benchmark::State& state) {
  RadiusFixture f;
  for (auto _ : state) {
    auto checked = radius::Check(f.datagram);
    if (!checked.ok()) {
      state.SkipWithError("check failed");
      break;
    }
    auto reason = radius::VerifyRequest(checked.packet(), f.secret, {});
    auto user = radius::GetString(checked.packet(), radius::attr::kUserName);
    auto pw = radius::DecryptUserPassword(checked.packet(), f.secret);
    if (reason || !user.ok() || !pw.ok()) state.SkipWithError("verify/decode failed");
    benchmark::DoNotOptimize(pw);
  }
}
BENCHMARK(BM_RadiusDecodeAccessRequest);

// The Access-Accept of SPEC §5: Message-Authenticator first, Class = userGroup.
void BM_RadiusEncodeAccept(benchmark::State& state) {
  RadiusFixture f;
  auto checked = radius::Check(f.datagram);
  if (!checked.ok()) {
    state.SkipWithError("check failed");
    return;
  }
  const std::vector<radius::Attribute> attrs = {
      radius::StringAttribute(radius::attr::kClass, "bm1300000000")};
  for (auto _ : state) {
    auto reply =
        radius::EncodeReply(checked.packet(), radius::Code::kAccessAccept, attrs, f.secret);
    benchmark::DoNotOptimize(reply);
  }
}
BENCHMARK(BM_RadiusEncodeAccept);

// One argon2id hash (and one verification) at the configured default cost
// (config::Defaults(): password.argon2_memory_kib, argon2_iterations).
void BM_Argon2idHash(benchmark::State& state) {
  const config::PasswordConfig p = config::Defaults().password;
  state.SetLabel("m=" + std::to_string(p.argon2_memory_kib) +
                 "KiB,t=" + std::to_string(p.argon2_iterations) + ",p=1");
  for (auto _ : state) {
    auto h = password::Hash("Bench1234pw", {p.argon2_memory_kib, p.argon2_iterations});
    if (!h.ok()) state.SkipWithError("hash failed");
    benchmark::DoNotOptimize(h);
  }
}
BENCHMARK(BM_Argon2idHash)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Argon2idVerify(benchmark::State& state) {
  const config::PasswordConfig p = config::Defaults().password;
  auto phc = password::Hash("Bench1234pw", {p.argon2_memory_kib, p.argon2_iterations});
  if (!phc.ok()) {
    state.SkipWithError("hash failed");
    return;
  }
  for (auto _ : state) {
    auto ok = password::Verify(*phc, "Bench1234pw");
    if (!ok.ok() || !*ok) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_Argon2idVerify)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace obvpn::bench

BENCHMARK_MAIN();
