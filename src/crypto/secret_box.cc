// SPEC §6: API SecretKeys and RADIUS shared secrets are encrypted at rest with a master
// key read from a file (mode 0600) or an environment variable.
#include "crypto/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "crypto/crypto.h"
#include "crypto/sodium_init.h"

namespace obvpn::crypto {

namespace {

constexpr std::string_view kSealedPrefix = "v1:";
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;  // 24
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;       // 16
static_assert(SecretBox::kKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

// A key file is 44 base64 characters and a newline; anything much longer is not a key
// and is not read into memory.
constexpr size_t kMaxKeyFileBytes = 256;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string ErrnoText(int err) { return std::strerror(err); }

// Closes the descriptor on every path.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports the result (close can report a deferred write error).
  int Close() {
    const int r = ::close(fd_);
    fd_ = -1;
    return r;
  }

 private:
  int fd_;
};

// Writes all of `data`, retrying on EINTR and short writes. Returns 0 or an errno.
int WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

// A new directory entry is durable only once its directory is fsynced (fsync(2)), so a
// crash right after first start cannot lose the key that already sealed stored secrets.
Status SyncParentDirectory(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) {
    return Unavailable("cannot open directory " + dir.string() + ": " + ErrnoText(errno));
  }
  if (::fsync(fd.get()) != 0) {
    return Unavailable("cannot fsync directory " + dir.string() + ": " + ErrnoText(errno));
  }
  return Status::Ok();
}

}  // namespace

Result<SecretBox> SecretBox::FromKey(const Secret& key) {
  if (key.size() != kKeyBytes) {
    return InvalidArgument("secret box key must be exactly 32 bytes");
  }
  EnsureSodiumInitialized();
  return SecretBox(key);
}

// XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha): the 192-bit nonce is long enough to be
// drawn at random for every message without a realistic chance of reuse under one key.
// The associated data is authenticated but not stored, so a value sealed for one row
// does not open for another (a swapped ciphertext fails as if tampered with).
std::string SecretBox::Seal(std::string_view plaintext, std::string_view associated_data) const {
  std::string raw = RandomBytes(kNonceBytes);
  raw.resize(kNonceBytes + plaintext.size() + kTagBytes);
  unsigned long long cipher_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(raw.data()) + kNonceBytes, &cipher_len, Bytes(plaintext),
      plaintext.size(), Bytes(associated_data), associated_data.size(), nullptr, Bytes(raw),
      Bytes(key_.reveal()));
  raw.resize(kNonceBytes + static_cast<size_t>(cipher_len));
  return std::string(kSealedPrefix) + Base64Encode(raw);
}

Result<Secret> SecretBox::Open(std::string_view sealed, std::string_view associated_data) const {
  if (sealed.substr(0, kSealedPrefix.size()) != kSealedPrefix) {
    return DataLoss("sealed value has no known version prefix");
  }
  std::optional<std::string> raw = Base64Decode(sealed.substr(kSealedPrefix.size()));
  if (!raw.has_value()) return DataLoss("sealed value is not valid base64");
  if (raw->size() < kNonceBytes + kTagBytes) return DataLoss("sealed value is too short");
  const std::string_view nonce = std::string_view(*raw).substr(0, kNonceBytes);
  const std::string_view cipher = std::string_view(*raw).substr(kNonceBytes);
  std::string plain(cipher.size() - kTagBytes, '\0');
  unsigned long long plain_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()),
                                                 &plain_len, nullptr, Bytes(cipher), cipher.size(),
                                                 Bytes(associated_data), associated_data.size(),
                                                 Bytes(nonce), Bytes(key_.reveal())) != 0) {
    return DataLoss("sealed value does not authenticate (other key, other row, or corrupt)");
  }
  plain.resize(static_cast<size_t>(plain_len));
  return Secret(std::move(plain));
}

Result<Secret> ParseMasterKey(std::string_view base64_text) {
  std::optional<std::string> key = Base64Decode(base64_text);
  if (!key.has_value() || key->size() != SecretBox::kKeyBytes) {
    if (key.has_value()) Wipe(*key);
    return InvalidArgument("master key must be the base64 encoding of exactly 32 bytes");
  }
  return Secret(std::move(*key));
}

Result<Secret> ReadMasterKeyFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == ENOENT) return NotFound("master key file " + path + " does not exist");
    if (err == EACCES) return PermissionDenied("cannot read master key file " + path);
    return Unavailable("cannot open master key file " + path + ": " + ErrnoText(err));
  }
  // fstat on the open descriptor, not stat on the path, so the mode checked is the mode
  // of the file actually read.
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return Unavailable("cannot stat master key file " + path + ": " + ErrnoText(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return InvalidArgument("master key file " + path + " is not a regular file");
  }
  // SPEC §6: the key file has mode 0600. A key readable by group or others is treated as
  // exposed: refuse to start rather than keep using it silently.
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return PermissionDenied("master key file " + path + " has mode " + mode +
                            "; it must not be accessible by group or others (chmod 600)");
  }
  std::string content(kMaxKeyFileBytes + 1, '\0');
  size_t used = 0;
  while (used < content.size()) {
    const ssize_t n = ::read(fd.get(), content.data() + used, content.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      Wipe(content);
      return Unavailable("cannot read master key file " + path + ": " + ErrnoText(err));
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  const Status invalid = InvalidArgument("master key file " + path +
                                         " does not hold the base64 encoding of exactly 32 bytes");
  if (used > kMaxKeyFileBytes) {
    Wipe(content);
    return invalid;
  }
  // The file is the key and one newline; the newline is optional for hand-made files.
  std::string_view text(content.data(), used);
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  Result<Secret> key = ParseMasterKey(text);
  Wipe(content);
  if (!key.ok()) return invalid;
  return key;
}

Result<Secret> CreateMasterKeyFile(const std::string& path) {
  // O_EXCL: never overwrite an existing key, which would make every sealed value
  // unreadable. 0600 per SPEC §6; fchmod below makes the mode exact whatever the umask.
  Fd fd(::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == EEXIST) return AlreadyExists("master key file " + path + " already exists");
    if (err == EACCES) return PermissionDenied("cannot create master key file " + path);
    return Unavailable("cannot create master key file " + path + ": " + ErrnoText(err));
  }
  Secret key(RandomBytes(SecretBox::kKeyBytes));
  std::string content = Base64Encode(key.reveal()) + "\n";
  int err = 0;
  const char* step = "";
  if (::fchmod(fd.get(), 0600) != 0) {
    err = errno, step = "chmod";
  } else if ((err = WriteAll(fd.get(), content)) != 0) {
    step = "write";
  } else if (::fsync(fd.get()) != 0) {
    err = errno, step = "fsync";
  } else if (fd.Close() != 0) {
    err = errno, step = "close";
  }
  Wipe(content);
  if (err != 0) {
    // A partial file would be read as garbage on the next start: remove it.
    ::unlink(path.c_str());
    return Unavailable(std::string("cannot ") + step + " master key file " + path + ": " +
                       ErrnoText(err));
  }
  OBVPN_RETURN_IF_ERROR(SyncParentDirectory(path));
  return key;
}

}  // namespace obvpn::crypto
