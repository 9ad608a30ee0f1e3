// The RADIUS packet codec (RFC 2865, RFC 2866, RFC 3579, RFC 5997): bytes in, values out,
// no sockets, no clock, no randomness (callers pass Request Authenticators in).
//
// A received datagram goes through three steps, each its own function (SPEC §5):
//   1. Check   — structure only, no secret: header, Length, the attribute walk, limits.
//   2. Verify  — with the client's shared secret: Message-Authenticator, the accounting
//                Request Authenticator, the BlastRADIUS (CVE-2024-3596) policy.
//   3. Decode  — typed attribute getters, User-Password decryption (user_name.h parses
//                the User-Name).
// Every failure of steps 1 and 2 is a DiscardReason: RADIUS never answers a datagram it
// cannot trust, the server drops it silently and counts the reason.
//
// The encoders build the replies the server sends (Message-Authenticator first, Proxy-State
// copied) and the requests that tests and diagnostic clients send.
//
// All functions are pure and thread-safe. Byte strings are carried in std::string, as in
// crypto/crypto.h. No function puts a secret or a password in a Status message.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/status.h"

namespace obvpn::radius {

// Packet codes (RFC 2865 §3, RFC 2866 §3, RFC 5997 §2).
enum class Code : uint8_t {
  kAccessRequest = 1,
  kAccessAccept = 2,
  kAccessReject = 3,
  kAccountingRequest = 4,
  kAccountingResponse = 5,
  kAccessChallenge = 11,
  kStatusServer = 12,
  kStatusClient = 13,
};

// "Access-Request", "Access-Accept", ...; "Unknown" for a value outside the enum.
std::string_view CodeName(Code code);

// True when `code` is one of the Code values above.
bool IsKnownCode(uint8_t code);

// Attribute types this server reads or writes (RFC 2865 §5, RFC 2866 §5, RFC 2869 §5,
// RFC 3162 §2.1). Other types are carried through Check untouched.
namespace attr {
inline constexpr uint8_t kUserName = 1;
inline constexpr uint8_t kUserPassword = 2;
inline constexpr uint8_t kChapPassword = 3;
inline constexpr uint8_t kNasIpAddress = 4;
inline constexpr uint8_t kNasPort = 5;
inline constexpr uint8_t kServiceType = 6;
inline constexpr uint8_t kFramedProtocol = 7;
inline constexpr uint8_t kReplyMessage = 18;
inline constexpr uint8_t kState = 24;
inline constexpr uint8_t kClass = 25;
inline constexpr uint8_t kVendorSpecific = 26;
inline constexpr uint8_t kSessionTimeout = 27;
inline constexpr uint8_t kCalledStationId = 30;
inline constexpr uint8_t kCallingStationId = 31;
inline constexpr uint8_t kNasIdentifier = 32;
inline constexpr uint8_t kProxyState = 33;
inline constexpr uint8_t kAcctStatusType = 40;
inline constexpr uint8_t kAcctSessionId = 44;
inline constexpr uint8_t kAcctAuthentic = 45;
inline constexpr uint8_t kAcctSessionTime = 46;
inline constexpr uint8_t kAcctTerminateCause = 49;
inline constexpr uint8_t kNasPortType = 61;
inline constexpr uint8_t kConnectInfo = 77;
inline constexpr uint8_t kMessageAuthenticator = 80;
inline constexpr uint8_t kNasIpv6Address = 95;
}  // namespace attr

// Values of Service-Type (RFC 2865 §5.6).
namespace service_type {
inline constexpr uint32_t kFramedUser = 2;
inline constexpr uint32_t kAuthenticateOnly = 8;
}  // namespace service_type

// Values of Acct-Status-Type (RFC 2866 §5.1).
namespace acct_status_type {
inline constexpr uint32_t kStart = 1;
inline constexpr uint32_t kStop = 2;
inline constexpr uint32_t kInterimUpdate = 3;
inline constexpr uint32_t kAccountingOn = 7;
inline constexpr uint32_t kAccountingOff = 8;
}  // namespace acct_status_type

inline constexpr size_t kHeaderLength = 20;  // Code, Identifier, Length, Authenticator
inline constexpr size_t kAuthenticatorLength = 16;
inline constexpr size_t kMinPacketLength = 20;    // RFC 2865 §3
inline constexpr size_t kMaxPacketLength = 4096;  // RFC 2865 §3
inline constexpr size_t kDefaultMaxAttributes = 255;
inline constexpr size_t kMaxAttributeValueLength = 253;    // 255 minus Type and Length
inline constexpr size_t kMessageAuthenticatorLength = 18;  // whole attribute, RFC 3579 §3.2
inline constexpr size_t kMaxUserPasswordLength = 128;      // RFC 2865 §5.2

using Authenticator = std::array<uint8_t, kAuthenticatorLength>;

// One attribute: its type and its value octets (0..253 of them).
struct Attribute {
  uint8_t type = 0;
  std::string value;

  bool operator==(const Attribute&) const = default;
};

// Every reason a datagram is silently discarded. Names (DiscardReasonName) are stable
// snake_case strings used as metric label values; never renumber or rename a value that
// has shipped.
enum class DiscardReason : uint8_t {
  // Check: header and walk (RFC 2865 §3, §5).
  kTooShort = 0,        // the datagram is shorter than the 20-octet header
  kLengthMismatch,      // the Length field is < 20 or larger than the datagram
  kTooLong,             // the Length field exceeds CheckOptions::max_packet_bytes
  kUnknownCode,         // Code is not one of the Code values
  kBadAttributeLength,  // an attribute's Length field is 0 or 1
  kAttributeOverflow,   // an attribute (header or value) runs past the Length field
  kTooManyAttributes,   // more attributes than CheckOptions::max_attributes
  // Check: attribute rules that need no secret (RFC 2865 §4.1, §5.2; RFC 3579 §3.2).
  kMessageAuthenticatorBadLength,  // Message-Authenticator whose Length is not 18
  kDuplicateMessageAuthenticator,  // more than one Message-Authenticator
  kUserPasswordBadLength,          // User-Password value not 16..128 octets, multiple of 16
  kDuplicateUserPassword,          // more than one User-Password
  kUserPasswordWithChapPassword,   // both User-Password and CHAP-Password
  // Verify (needs the shared secret).
  kUnexpectedCode,                         // a valid code, but not one this side accepts
  kMessageAuthenticatorMissing,            // required by policy or by RFC 5997, absent
  kMessageAuthenticatorMismatch,           // HMAC-MD5 does not match (RFC 3579 §3.2)
  kProxyStateWithoutMessageAuthenticator,  // BlastRADIUS rule, SPEC §5
  kAccountingAuthenticatorMismatch,        // RFC 2866 §3 Request Authenticator is wrong
  kResponseAuthenticatorMismatch,          // a reply whose RFC 2865 §3 authenticator is wrong
  kIdentifierMismatch,                     // a reply to a different Identifier
  kCryptoFailure,  // OpenSSL failed (not caused by the datagram; counted all the same)
  kMaxValue = kCryptoFailure,
};
inline constexpr size_t kDiscardReasonCount = static_cast<size_t>(DiscardReason::kMaxValue) + 1;

// "too_short", "length_mismatch", ...: distinct, non-empty, [a-z_] only.
std::string_view DiscardReasonName(DiscardReason reason);

// Limits applied by Check (SPEC §7). Defaults are the RFC values.
struct CheckOptions {
  // Largest Length field accepted. RFC 2865 §3 sets 4096; a larger value accepts packets
  // that only RADIUS over TCP/TLS allows (RFC 7930), a smaller one tightens the limit.
  size_t max_packet_bytes = kMaxPacketLength;
  // Largest number of attributes accepted in one packet.
  size_t max_attributes = kDefaultMaxAttributes;
};

// A datagram that passed Check, or a packet some other code assembled by hand (tests).
// Owns all its bytes; copying is cheap enough for 4 KiB packets.
struct Packet {
  Code code = Code::kAccessRequest;
  uint8_t identifier = 0;
  // The Authenticator field as received (Request or Response Authenticator).
  Authenticator authenticator{};
  // Every attribute, in wire order.
  std::vector<Attribute> attributes;
  // The packet's octets [0, Length): the padding beyond Length is already dropped. Verify
  // recomputes authenticators over these octets.
  std::string raw;
  // Offset in `raw` of the Message-Authenticator attribute (its Type octet); 0 when the
  // packet has none (offset 0 is the Code field, never an attribute).
  size_t message_authenticator_offset = 0;
  bool has_proxy_state = false;

  bool has_message_authenticator() const { return message_authenticator_offset != 0; }
};

// Check's outcome: a Packet, or the reason to drop the datagram.
class [[nodiscard]] CheckResult {
 public:
  CheckResult(Packet packet) : v_(std::move(packet)) {}  // NOLINT(google-explicit-constructor)
  CheckResult(DiscardReason reason) : v_(reason) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<Packet>(v_); }
  // Requires !ok().
  DiscardReason reason() const { return std::get<DiscardReason>(v_); }
  // Require ok().
  const Packet& packet() const& { return std::get<Packet>(v_); }
  Packet&& packet() && { return std::get<Packet>(std::move(v_)); }

 private:
  std::variant<Packet, DiscardReason> v_;
};

// Step 1. Checks the structure of a received datagram without any secret: the 20-octet
// header, the Length field against the datagram (octets past Length are padding and
// ignored), a known Code, the attribute walk, the attribute count, Message-Authenticator
// length and count, and, for Access-Request, User-Password length and count and the
// User-Password/CHAP-Password exclusion. Never reads outside `datagram`.
CheckResult Check(std::string_view datagram, const CheckOptions& options = {});

// The per-client BlastRADIUS policy (SPEC §5).
struct VerifyPolicy {
  // True: an Access-Request without Message-Authenticator is discarded. False: it is
  // accepted unless it carries Proxy-State. Status-Server always needs one (RFC 5997);
  // Accounting-Request never does (its Request Authenticator already covers the packet).
  // For replies (VerifyReply) true means a reply without one is discarded.
  bool require_message_authenticator = true;
};

// Step 2 on the server side. Verifies a checked request from a client with that client's
// shared secret: Access-Request and Status-Server by Message-Authenticator (RFC 3579 §3.2)
// under `policy`, Accounting-Request by its Request Authenticator (RFC 2866 §3) and its
// Message-Authenticator when present. Any other code is kUnexpectedCode. Returns no value
// when the request is authentic. All comparisons are constant-time.
[[nodiscard]] std::optional<DiscardReason> VerifyRequest(const Packet& request,
                                                         std::string_view secret,
                                                         const VerifyPolicy& policy);

// Step 2 on the client side. Verifies that `reply` answers `request` (a code that can
// answer it and the same Identifier), its Response Authenticator (RFC 2865 §3, RFC 2866 §3)
// and its Message-Authenticator when present (required when `policy` says so). Returns no
// value when the reply is authentic.
[[nodiscard]] std::optional<DiscardReason> VerifyReply(const Packet& reply, const Packet& request,
                                                       std::string_view secret,
                                                       const VerifyPolicy& policy);

// Step 3: typed getters. Each reads the first attribute of `type`; NotFound when there is
// none. The string_view points into `packet` and lives as long as it.
Result<std::string_view> GetString(const Packet& packet, uint8_t type);
// A 4-octet big-endian integer; InvalidArgument when the value is not 4 octets.
Result<uint32_t> GetUint32(const Packet& packet, uint8_t type);
// A 4-octet IPv4 address as dotted decimal ("192.168.1.16"); InvalidArgument when the
// value is not 4 octets.
Result<std::string> GetIpv4(const Packet& packet, uint8_t type);
// The first attribute of `type`, or nullptr.
const Attribute* FindAttribute(const Packet& packet, uint8_t type);

// Recovers the User-Password of an Access-Request (RFC 2865 §5.2), trailing NULs removed.
// NotFound when absent, InvalidArgument when the value is not 16..128 octets in multiples
// of 16. A wrong secret yields garbage, not an error: only the password check can tell.
// The caller owns the plaintext and should wipe it after use.
Result<std::string> DecryptUserPassword(const Packet& packet, std::string_view secret);

// Hides a password for an Access-Request with `request_authenticator` (RFC 2865 §5.2) and
// returns the User-Password value. InvalidArgument when the password is over 128 octets or
// the secret is empty.
Result<std::string> EncryptUserPassword(std::string_view password,
                                        const Authenticator& request_authenticator,
                                        std::string_view secret);

// Attribute constructors for the encoders.
Attribute StringAttribute(uint8_t type, std::string_view value);
Attribute Uint32Attribute(uint8_t type, uint32_t value);
Attribute Ipv4Attribute(uint8_t type, const std::array<uint8_t, 4>& address);

// Builds the reply to a checked `request`: `code` must answer it (Access-Request →
// Access-Accept/Reject/Challenge; Accounting-Request → Accounting-Response; Status-Server →
// Access-Accept or Accounting-Response). The reply carries, in this order, a
// Message-Authenticator (always, first: SPEC §5), `attributes`, and the request's
// Proxy-State attributes in their order (RFC 2865 §4.2). InvalidArgument when the code does
// not answer the request, `attributes` holds a Message-Authenticator or Proxy-State (the
// encoder adds those), a value is over 253 octets, the reply would exceed 4096 octets, or
// the secret is empty.
Result<std::string> EncodeReply(const Packet& request, Code code,
                                const std::vector<Attribute>& attributes, std::string_view secret);

// Builds an Access-Request with the caller's random `request_authenticator` (RFC 2865 §3
// wants it unpredictable and unique). A User-Password value must already be hidden
// (EncryptUserPassword). With `with_message_authenticator` the packet starts with a
// Message-Authenticator. Same InvalidArgument cases as EncodeReply, except that Proxy-State
// is allowed.
Result<std::string> EncodeAccessRequest(uint8_t identifier,
                                        const Authenticator& request_authenticator,
                                        const std::vector<Attribute>& attributes,
                                        std::string_view secret, bool with_message_authenticator);

// Builds a Status-Server request (RFC 5997 §3): like an Access-Request, always with a
// Message-Authenticator.
Result<std::string> EncodeStatusServer(uint8_t identifier,
                                       const Authenticator& request_authenticator,
                                       const std::vector<Attribute>& attributes,
                                       std::string_view secret);

// Builds an Accounting-Request; its Request Authenticator is computed (RFC 2866 §3).
Result<std::string> EncodeAccountingRequest(uint8_t identifier,
                                            const std::vector<Attribute>& attributes,
                                            std::string_view secret,
                                            bool with_message_authenticator);

}  // namespace obvpn::radius
