// libFuzzer target: the API 2.0 canonical string and verifier (src/http/signing). Input:
// a query string. Invariants: no crash; a signature made over the decoded parameters
// verifies; any other signature does not.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/signing/form.h"
#include "http/signing/v2_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace obvpn::http::signing;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto params = DecodeForm(text, 100);
  if (!params.ok()) return 0;
  auto method = ParseV2Method(FindParam(*params, "SignatureMethod"));
  if (!method.ok()) return 0;
  for (bool rewrite : {true, false}) {
    V2Request req{"GET", "127.0.0.1:8080", "/v2/index.php", &*params, rewrite};
    const std::string sts = V2StringToSign(req, *method);
    const std::string sig = V2Sign("fuzz-key", sts, *method);
    if (!V2Verify(req, *method, "fuzz-key", sig)) std::abort();
    if (V2Verify(req, *method, "other-key", sig)) std::abort();
    const Param* given = FindParam(*params, "Signature");
    if (given != nullptr && given->value != sig &&
        V2Verify(req, *method, "fuzz-key", given->value)) {
      std::abort();
    }
  }
  return 0;
}
