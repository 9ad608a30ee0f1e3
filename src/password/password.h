// The VPN password: the rule every new password must pass (SPEC §3.6) and its storage
// as an argon2id PHC string (libsodium). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace obvpn::password {

// SPEC §3.6: 8 to 16 characters; each an ASCII letter, ASCII digit or one of
// "!#$%&^*()"; at least two of the three classes present. On failure returns
// InvalidArgument whose message states the rule that failed (never the password).
Status CheckRule(std::string_view password);

struct HashParams {
  uint32_t memory_kib = 19456;  // argon2 m
  uint32_t iterations = 2;      // argon2 t
};

// argon2id PHC string, e.g. "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>", with a
// fresh random salt. Internal on allocation failure.
Result<std::string> Hash(std::string_view password, const HashParams& params);

// True if `password` matches `phc` (constant time inside libsodium); false if not.
// InvalidArgument if `phc` is not an argon2id PHC string.
Result<bool> Verify(std::string_view phc, std::string_view password);

// True when `phc` was made with other parameters than `params` (rehash on next login).
bool NeedsRehash(std::string_view phc, const HashParams& params);

}  // namespace obvpn::password
