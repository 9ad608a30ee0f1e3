#include "password/password.h"

#include <sodium.h>

#include <cstring>
#include <string>

#include "crypto/sodium_init.h"

namespace obvpn::password {

namespace {

constexpr size_t kMinLength = 8;
constexpr size_t kMaxLength = 16;
constexpr std::string_view kSymbols = "!#$%&^*()";
constexpr std::string_view kArgon2idPrefix = "$argon2id$";

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSymbol(char c) { return c != '\0' && kSymbols.find(c) != std::string_view::npos; }

// libsodium's argon2id takes opslimit = t and memlimit in bytes; it encodes m in KiB.
size_t MemLimitBytes(const HashParams& params) {
  return static_cast<size_t>(params.memory_kib) * 1024u;
}

}  // namespace

// SPEC §3.6. The length is counted in bytes: every allowed character is one ASCII byte,
// so a multi-byte (or invalid) UTF-8 sequence fails the character check anyway and its
// byte count cannot make an otherwise valid length pass. The checks run in a fixed order
// (length, characters, classes) so the message names the first rule that failed; no
// message quotes the password or the offending character (SPEC §3.6: the password never
// appears in a response or a log).
Status CheckRule(std::string_view password) {
  if (password.size() < kMinLength || password.size() > kMaxLength) {
    return InvalidArgument("password must be 8 to 16 characters long");
  }
  bool has_letter = false;
  bool has_digit = false;
  bool has_symbol = false;
  for (const char c : password) {
    if (IsAsciiLetter(c)) {
      has_letter = true;
    } else if (IsAsciiDigit(c)) {
      has_digit = true;
    } else if (IsSymbol(c)) {
      has_symbol = true;
    } else {
      return InvalidArgument(
          "password may contain only ASCII letters, digits and the symbols !#$%&^*()");
    }
  }
  if (static_cast<int>(has_letter) + static_cast<int>(has_digit) + static_cast<int>(has_symbol) <
      2) {
    return InvalidArgument(
        "password must contain at least two of: letters, digits, symbols !#$%&^*()");
  }
  return Status::Ok();
}

// argon2id (RFC 9106) through libsodium, which draws a fresh 16-byte salt and always
// uses parallelism 1; the PHC string records v, m, t and p so parameters can change
// later (NeedsRehash) without invalidating stored hashes.
Result<std::string> Hash(std::string_view password, const HashParams& params) {
  crypto::EnsureSodiumInitialized();
  if (params.iterations < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      MemLimitBytes(params) < crypto_pwhash_argon2id_MEMLIMIT_MIN) {
    return InvalidArgument("argon2id parameters below the minimum (t >= 1, m >= 8 KiB)");
  }
  char out[crypto_pwhash_STRBYTES] = {};
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.iterations,
                            MemLimitBytes(params), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("argon2id hashing failed (out of memory?)");
  }
  return std::string(out);
}

Result<bool> Verify(std::string_view phc, std::string_view password) {
  crypto::EnsureSodiumInitialized();
  // libsodium reads a NUL-terminated string of at most crypto_pwhash_STRBYTES - 1 bytes.
  if (phc.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix ||
      phc.size() >= crypto_pwhash_STRBYTES || phc.find('\0') != std::string_view::npos) {
    return InvalidArgument("stored password hash is not an argon2id PHC string");
  }
  const std::string phc_z(phc);
  // crypto_pwhash_str_verify returns -1 both for a mismatch and for a string it cannot
  // parse; needs_rehash parses without hashing and returns -1 only for the latter, so a
  // corrupt stored hash is reported as such instead of as a wrong password.
  if (crypto_pwhash_argon2id_str_needs_rehash(phc_z.c_str(), crypto_pwhash_argon2id_OPSLIMIT_MIN,
                                              crypto_pwhash_argon2id_MEMLIMIT_MIN) < 0) {
    return InvalidArgument("stored password hash is not an argon2id PHC string");
  }
  // The tag comparison inside libsodium is constant time.
  return crypto_pwhash_argon2id_str_verify(phc_z.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view phc, const HashParams& params) {
  if (phc.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix ||
      phc.size() >= crypto_pwhash_STRBYTES || phc.find('\0') != std::string_view::npos) {
    return true;
  }
  crypto::EnsureSodiumInitialized();
  const std::string phc_z(phc);
  // 1: other parameters; -1: unparsable. Either way a fresh hash is due.
  return crypto_pwhash_argon2id_str_needs_rehash(phc_z.c_str(), params.iterations,
                                                 MemLimitBytes(params)) != 0;
}

}  // namespace obvpn::password
