#include "crypto/secret.h"

#include <sodium.h>

namespace obvpn::crypto {

// The whole buffer (capacity, not only size) is zeroed with sodium_memzero, which the
// compiler may not elide as a dead store, so a key or password does not linger in freed
// heap memory or in a core dump.
Secret::~Secret() {
  value_.resize(value_.capacity());
  sodium_memzero(value_.data(), value_.size());
}

}  // namespace obvpn::crypto
