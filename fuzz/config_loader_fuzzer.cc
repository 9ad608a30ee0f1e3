// libFuzzer target: the TOML configuration loader (src/config). Invariants: no crash or
// escaping exception; a configuration that loads also validates.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = obvpn::config::LoadString(text, "fuzz.toml");
  if (c.ok() && !obvpn::config::Validate(*c, "fuzz.toml").ok()) std::abort();
  return 0;
}
