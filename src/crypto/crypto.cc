// Hashes and MACs via OpenSSL, randomness and wiping via libsodium, codecs by hand so
// that their strictness is ours and not a library's (OpenSSL's EVP_DecodeBlock accepts
// whitespace and ignores padding errors).
#include "crypto/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sodium.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "crypto/sodium_init.h"

namespace obvpn::crypto {

void EnsureSodiumInitialized() {
  // A function-local static is initialised once even under concurrent first calls
  // ([stmt.dcl]/4). sodium_init() returns 1 when already initialised, -1 on failure.
  static const bool kInitialized = [] {
    if (sodium_init() < 0) {
      std::fputs("obvpn: libsodium initialisation failed\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)kInitialized;
}

namespace {

// OpenSSL fails these one-shot calls only on allocation failure or a broken build;
// neither is caused by input, and a wrong digest must never be returned.
[[noreturn]] void OpenSslFailure(const char* what) {
  std::fprintf(stderr, "obvpn: OpenSSL %s failed\n", what);
  std::abort();
}

// OpenSSL 3 resolves an algorithm named implicitly (EVP_sha256(), HMAC()) in its provider
// tables on every call, under locks, and HMAC() also builds and frees a MAC context each
// time: about a third of the cost of signing a request (docs/performance.md). The
// algorithms are fetched once per process and the contexts are kept per thread.
const EVP_MD* FetchedMd(const char* name) {
  const EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) OpenSslFailure("EVP_MD_fetch");
  return md;
}

const EVP_MD* Sha256Md() {
  static const EVP_MD* const kMd = FetchedMd("SHA256");
  return kMd;
}

struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter>;

// An HMAC context bound to `digest` ("SHA1", "SHA256"), made once per thread.
MacCtx NewHmacCtx(const char* digest) {
  static EVP_MAC* const kHmac = [] {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (m == nullptr) OpenSslFailure("EVP_MAC_fetch");
    return m;
  }();
  MacCtx ctx(EVP_MAC_CTX_new(kHmac));
  if (!ctx) OpenSslFailure("EVP_MAC_CTX_new");
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_CTX_set_params(ctx.get(), params) != 1) OpenSslFailure("EVP_MAC_CTX_set_params");
  return ctx;
}

std::string Hmac(EVP_MAC_CTX* ctx, std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  size_t out_len = 0;
  // RFC 2104: keys of any length are allowed (longer than the block size are hashed
  // first). OpenSSL 3 rejects a NULL key pointer, so an empty key points at `out`.
  // EVP_MAC_init with a key resets the context, so one context serves every call.
  const auto* key_ptr =
      key.empty() ? out.data() : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(ctx, key_ptr, key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx, out.data(), &out_len, out.size()) != 1) {
    OpenSslFailure("HMAC");
  }
  return std::string(reinterpret_cast<const char*>(out.data()), out_len);
}

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Value of a base64 alphabet character, or -1.
int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string Sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int out_len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &out_len, Sha256Md(), nullptr) != 1) {
    OpenSslFailure("EVP_Digest");
  }
  return std::string(reinterpret_cast<const char*>(out.data()), out_len);
}

std::string HmacSha1(std::string_view key, std::string_view data) {
  thread_local const MacCtx ctx = NewHmacCtx("SHA1");
  return Hmac(ctx.get(), key, data);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  thread_local const MacCtx ctx = NewHmacCtx("SHA256");
  return Hmac(ctx.get(), key, data);
}

// RFC 4648 §4: each 3 input bytes become 4 characters; a final group of 1 or 2 bytes is
// padded with "==" or "=".
std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                       static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                       static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out.push_back(kBase64Alphabet[(v >> 18) & 0x3f]);
    out.push_back(kBase64Alphabet[(v >> 12) & 0x3f]);
    out.push_back(kBase64Alphabet[(v >> 6) & 0x3f]);
    out.push_back(kBase64Alphabet[v & 0x3f]);
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(kBase64Alphabet[(v >> 18) & 0x3f]);
    out.push_back(kBase64Alphabet[(v >> 12) & 0x3f]);
    out.push_back(rest == 2 ? kBase64Alphabet[(v >> 6) & 0x3f] : '=');
    out.push_back('=');
  }
  return out;
}

// Strict RFC 4648 decoding: the length is a multiple of 4 (§4 padding is required),
// '=' appears only as the last one or two characters, no character outside the §4
// alphabet (§3.3: line feeds and whitespace are rejected), and the unused bits before
// the padding are zero (§3.5 lets decoders reject otherwise). Every byte string thus has
// exactly one accepted encoding, which keeps comparisons of encoded values meaningful.
std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    padding = text[text.size() - 2] == '=' ? 2 : 1;  // size is a non-zero multiple of 4
  }
  std::string out;
  out.reserve(text.size() / 4 * 3);
  const size_t body = text.size() - padding;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < body; ++i) {
    const int v = Base64Value(text[i]);
    if (v < 0) return std::nullopt;  // includes a '=' before the final padding
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits (2 with "==", 4 with "=") must be zero.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

// The lengths of MACs and digests are public, so an early exit on a length mismatch
// leaks nothing; the contents are compared by CRYPTO_memcmp, whose running time does not
// depend on where the first difference is (a timing oracle would let an attacker forge
// a signature byte by byte).
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomBytes(size_t n) {
  EnsureSodiumInitialized();
  std::string out(n, '\0');
  if (n > 0) randombytes_buf(out.data(), n);
  return out;
}

std::string RandomAlnum(size_t n) {
  static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static constexpr uint32_t kAlnumSize = sizeof(kAlnum) - 1;  // 62
  EnsureSodiumInitialized();
  std::string out;
  out.reserve(n);
  // randombytes_uniform rejects the top of the 32-bit range that 62 does not divide, so
  // every character is equally likely (a plain `% 62` would favour the first ones).
  for (size_t i = 0; i < n; ++i) out.push_back(kAlnum[randombytes_uniform(kAlnumSize)]);
  return out;
}

void Wipe(std::string& s) {
  // Wipe the whole buffer (capacity, including bytes of an earlier longer value), then
  // restore the length: the string keeps its size with every byte zero.
  const size_t size = s.size();
  s.resize(s.capacity());
  sodium_memzero(s.data(), s.size());
  s.resize(size);
}

}  // namespace obvpn::crypto
