// libFuzzer target: the TC3 Authorization header codec and signer (src/http/signing/
// tc3_signature.h) and the JSON body parser the v3 front end uses (nlohmann::json).
// Input: the header value, a newline, then the body. Invariants: no crash; a parsed
// header formats back to a header that parses to the same fields; a signature computed
// over the body verifies, and fails for another key.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "http/signing/tc3_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace obvpn::http::signing;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  const std::string_view header = in.substr(0, nl);
  const std::string_view body = nl == std::string_view::npos ? "" : in.substr(nl + 1);

  const auto json =
      nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  (void)json;

  auto auth = ParseTc3Authorization(header);
  if (!auth.ok()) return 0;
  std::string joined;
  for (const std::string& h : auth->signed_headers) {
    if (!joined.empty()) joined += ';';
    joined += h;
  }
  auto again = ParseTc3Authorization(
      FormatTc3Authorization(auth->secret_id, auth->date, auth->service, joined, auth->signature));
  if (!again.ok() || again->secret_id != auth->secret_id || again->date != auth->date ||
      again->service != auth->service || again->signature != auth->signature ||
      again->signed_headers != auth->signed_headers) {
    std::abort();
  }
  Tc3Request req;
  req.http_method = "POST";
  req.headers = {{"content-type", "application/json"}, {"host", "bm.tencentcloudapi.com"}};
  req.payload = body;
  const std::string scope = Tc3CredentialScope(auth->date, auth->service);
  const std::string sts = Tc3StringToSign("1700000000", scope, Tc3CanonicalRequest(req));
  const std::string sig = Tc3Sign("fuzz-key", auth->date, auth->service, sts);
  if (!Tc3Verify(req, "1700000000", auth->date, auth->service, "fuzz-key", sig)) std::abort();
  if (Tc3Verify(req, "1700000000", auth->date, auth->service, "other-key", sig)) std::abort();
  return 0;
}
