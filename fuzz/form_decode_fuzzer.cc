// libFuzzer target: the form/query decoder (src/http/signing/form.h) — the first code
// every API 2.0 byte reaches. Invariants: no crash; a successful decode yields unique,
// valid-UTF-8, NUL-free keys within the limit; encode → decode round-trips.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

#include "core/strings.h"
#include "http/signing/form.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace obvpn::http::signing;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = DecodeForm(text, 100);
  if (!r.ok()) return 0;
  if (r->size() > 100) std::abort();
  std::set<std::string> keys;
  for (const Param& p : *r) {
    if (p.key.empty() || !obvpn::IsValidUtf8(p.key) || !obvpn::IsValidUtf8(p.value)) std::abort();
    if (p.key.find('\0') != std::string::npos || p.value.find('\0') != std::string::npos) {
      std::abort();
    }
    if (!keys.insert(p.key).second) std::abort();
  }
  auto again = DecodeForm(EncodeForm(*r), 100);
  if (!again.ok() || again->size() != r->size()) std::abort();
  for (size_t i = 0; i < r->size(); ++i) {
    if ((*again)[i].key != (*r)[i].key || (*again)[i].value != (*r)[i].value) std::abort();
  }
  return 0;
}
