// SecretBox: authenticated encryption of secrets at rest (SPEC §6) with the master key.
// XChaCha20-Poly1305 (libsodium crypto_aead_xchacha20poly1305_ietf) with a random
// 24-byte nonce per message and associated data that binds a sealed value to its row
// (for example the SecretId), so sealed values cannot be swapped between rows.
//
// Sealed format: "v1:" + base64(nonce || ciphertext || tag). Thread-safe (immutable).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/secret.h"

namespace obvpn::crypto {

class SecretBox {
 public:
  static constexpr size_t kKeyBytes = 32;

  // `key` must be exactly kKeyBytes raw bytes, else InvalidArgument.
  static Result<SecretBox> FromKey(const Secret& key);

  std::string Seal(std::string_view plaintext, std::string_view associated_data) const;
  // DataLoss when the value is malformed, was sealed with another key, or with other
  // associated data.
  Result<Secret> Open(std::string_view sealed, std::string_view associated_data) const;

 private:
  explicit SecretBox(Secret key) : key_(std::move(key)) {}
  Secret key_;
};

// The master key lives in a file holding base64 of 32 random bytes and a newline.
// Reads it; NotFound if the file does not exist; InvalidArgument if the content is not
// such a key; PermissionDenied if the file is readable by group or others.
Result<Secret> ReadMasterKeyFile(const std::string& path);
// Creates the file with mode 0600 and a fresh key (O_EXCL: never overwrites), fsyncs it
// and returns the key. AlreadyExists if the file exists.
Result<Secret> CreateMasterKeyFile(const std::string& path);
// Parses the base64 form (used for the OBVPN_MASTER_KEY environment variable).
Result<Secret> ParseMasterKey(std::string_view base64_text);

}  // namespace obvpn::crypto
