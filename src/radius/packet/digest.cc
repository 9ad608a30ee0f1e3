#include "radius/packet/digest.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

namespace obvpn::radius::internal {
namespace {

// Fetched once and never freed: explicit fetching avoids a provider lookup per packet
// (OpenSSL 3 "Performance" notes). Function-local statics are initialised thread-safely.
const EVP_MD* Md5Method() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "MD5", nullptr);
  return md;
}

EVP_MAC* HmacMethod() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

// OpenSSL wants a non-null pointer even for zero octets.
const unsigned char* Bytes(std::string_view s) {
  static const unsigned char kEmpty = 0;
  return s.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

// Contexts are made once per thread and reset by each use: allocating one per packet,
// and for HMAC resolving the digest by name on every init, was a measurable share of a
// RADIUS request (docs/performance.md).
std::optional<Authenticator> Md5(std::initializer_list<std::string_view> parts) {
  const EVP_MD* md = Md5Method();
  if (md == nullptr) return std::nullopt;
  thread_local const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1) return std::nullopt;
  for (std::string_view part : parts) {
    if (EVP_DigestUpdate(ctx.get(), Bytes(part), part.size()) != 1) return std::nullopt;
  }
  Authenticator out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1 || len != out.size()) {
    return std::nullopt;
  }
  return out;
}

std::optional<Authenticator> HmacMd5(std::string_view key, std::string_view data) {
  // The digest is set once, when the thread's context is made; EVP_MAC_init with a key
  // and no parameters then only rekeys it.
  thread_local const std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx = []() {
    EVP_MAC* mac = HmacMethod();
    std::unique_ptr<EVP_MAC_CTX, MacCtxFree> c(mac ? EVP_MAC_CTX_new(mac) : nullptr);
    char digest[] = "MD5";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    if (c && EVP_MAC_CTX_set_params(c.get(), params) != 1) c.reset();
    return c;
  }();
  if (!ctx) return std::nullopt;
  if (EVP_MAC_init(ctx.get(), Bytes(key), key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx.get(), Bytes(data), data.size()) != 1) {
    return std::nullopt;
  }
  Authenticator out{};
  size_t len = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1 || len != out.size()) {
    return std::nullopt;
  }
  return out;
}

bool ConstantTimeEquals(const void* a, const void* b, size_t n) {
  return CRYPTO_memcmp(a, b, n) == 0;
}

void Cleanse(void* p, size_t n) { OPENSSL_cleanse(p, n); }

}  // namespace obvpn::radius::internal
