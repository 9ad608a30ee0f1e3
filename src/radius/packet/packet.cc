#include "radius/packet/packet.h"

#include <algorithm>
#include <cstring>
#include <span>

#include "radius/packet/digest.h"

namespace obvpn::radius {
namespace {

using internal::ConstantTimeEquals;

// Offsets in the 20-octet header (RFC 2865 §3).
constexpr size_t kCodeOffset = 0;
constexpr size_t kIdentifierOffset = 1;
constexpr size_t kLengthOffset = 2;
constexpr size_t kAuthenticatorOffset = 4;
constexpr size_t kAttributeHeaderLength = 2;  // Type and Length octets
constexpr size_t kUserPasswordBlock = 16;

constexpr Authenticator kZeroAuthenticator{};

uint8_t Octet(std::string_view s, size_t i) { return static_cast<uint8_t>(s[i]); }

std::string_view AsView(const Authenticator& a) {
  return {reinterpret_cast<const char*>(a.data()), a.size()};
}

void WriteAuthenticator(std::string& bytes, const Authenticator& a) {
  std::memcpy(bytes.data() + kAuthenticatorOffset, a.data(), a.size());
}

bool AuthenticatorEquals(const Authenticator& a, const Authenticator& b) {
  return ConstantTimeEquals(a.data(), b.data(), a.size());
}

// The Message-Authenticator over `bytes` (a whole packet whose Message-Authenticator
// attribute starts at `ma_offset`) with `vector` in the Authenticator field. RFC 3579 §3.2:
// "Message-Authenticator = HMAC-MD5 (Type, Identifier, Length, Request Authenticator,
// Attributes) When the message integrity check is calculated the signature string should be
// considered to be sixteen octets of zero." Works on a copy; `bytes` is unchanged.
std::optional<Authenticator> ComputeMessageAuthenticator(std::string_view bytes, size_t ma_offset,
                                                         const Authenticator& vector,
                                                         std::string_view secret) {
  std::string copy(bytes);
  WriteAuthenticator(copy, vector);
  std::memset(copy.data() + ma_offset + kAttributeHeaderLength, 0, kAuthenticatorLength);
  return internal::HmacMd5(secret, copy);
}

// The Authenticator field value the Message-Authenticator of a packet of `code` is
// computed with. RFC 3579 §3.2: for Access-Request (and Status-Server, RFC 5997 §3) it is
// the packet's own Request Authenticator; for Access-Accept, -Reject and -Challenge
// "the Request-Authenticator from the Access-Request this packet is in reply to". RFC 3579
// says nothing of accounting; we do what FreeRADIUS does (rad_sign/rad_verify), which
// clients that check it expect: 16 zero octets for an Accounting-Request and for the
// Accounting-Response to one, the request's authenticator for an Accounting-Response to a
// Status-Server.
Authenticator MessageAuthenticatorVector(Code code, const Authenticator& own,
                                         const Packet* request) {
  switch (code) {
    case Code::kAccountingRequest:
      return kZeroAuthenticator;
    case Code::kAccountingResponse:
      if (request != nullptr && request->code == Code::kStatusServer) {
        return request->authenticator;
      }
      return kZeroAuthenticator;
    case Code::kAccessAccept:
    case Code::kAccessReject:
    case Code::kAccessChallenge:
      return request != nullptr ? request->authenticator : own;
    case Code::kAccessRequest:
    case Code::kStatusServer:
    case Code::kStatusClient:
      return own;
  }
  return own;
}

// Compares the Message-Authenticator carried by `packet` with the one computed over it.
std::optional<DiscardReason> CheckMessageAuthenticator(const Packet& packet,
                                                       const Authenticator& vector,
                                                       std::string_view secret) {
  const size_t value_offset = packet.message_authenticator_offset + kAttributeHeaderLength;
  std::optional<Authenticator> expected =
      ComputeMessageAuthenticator(packet.raw, packet.message_authenticator_offset, vector, secret);
  if (!expected) return DiscardReason::kCryptoFailure;
  // RFC 3579 §3.2: a receiver "MUST calculate the correct value of the
  // Message-Authenticator and silently discard the packet if it does not match the value
  // sent." Constant time, so a forger learns nothing from how long the drop took.
  if (!ConstantTimeEquals(expected->data(), packet.raw.data() + value_offset,
                          kAuthenticatorLength)) {
    return DiscardReason::kMessageAuthenticatorMismatch;
  }
  return std::nullopt;
}

// MD5(Code+Identifier+Length+`vector`+Attributes+Secret): the Response Authenticator
// (RFC 2865 §3, with the Request Authenticator as `vector`) and the accounting Request
// Authenticator (RFC 2866 §3, with 16 zero octets).
std::optional<Authenticator> ComputePacketAuthenticator(std::string_view bytes,
                                                        const Authenticator& vector,
                                                        std::string_view secret) {
  return internal::Md5(
      {bytes.substr(0, kAuthenticatorOffset), AsView(vector), bytes.substr(kHeaderLength), secret});
}

bool IsReplyTo(Code request, Code reply) {
  switch (request) {
    case Code::kAccessRequest:
      return reply == Code::kAccessAccept || reply == Code::kAccessReject ||
             reply == Code::kAccessChallenge;
    case Code::kAccountingRequest:
      return reply == Code::kAccountingResponse;
    case Code::kStatusServer:
      // RFC 5997 §3: Status-Server to an authentication port is answered with
      // Access-Accept, to an accounting port with Accounting-Response.
      return reply == Code::kAccessAccept || reply == Code::kAccountingResponse;
    default:
      return false;
  }
}

// Lays out a packet: header with `authenticator`, an all-zero Message-Authenticator first
// when asked, then each list of attributes in order. The Length field is set.
Result<std::string> Serialize(Code code, uint8_t identifier, const Authenticator& authenticator,
                              bool with_message_authenticator,
                              std::initializer_list<std::span<const Attribute>> lists) {
  size_t length = kHeaderLength + (with_message_authenticator ? kMessageAuthenticatorLength : 0);
  for (std::span<const Attribute> list : lists) {
    for (const Attribute& a : list) {
      if (a.value.size() > kMaxAttributeValueLength) {
        return InvalidArgument("RADIUS attribute " + std::to_string(a.type) + " value is " +
                               std::to_string(a.value.size()) + " octets, over 253");
      }
      length += kAttributeHeaderLength + a.value.size();
    }
  }
  // RFC 2865 §3: "The minimum length is 20 and maximum length is 4096."
  if (length > kMaxPacketLength) {
    return InvalidArgument("RADIUS packet would be " + std::to_string(length) +
                           " octets, over 4096");
  }
  std::string out;
  out.reserve(length);
  out.push_back(static_cast<char>(code));
  out.push_back(static_cast<char>(identifier));
  out.push_back(static_cast<char>(length >> 8));
  out.push_back(static_cast<char>(length & 0xff));
  out.append(AsView(authenticator));
  if (with_message_authenticator) {
    out.push_back(static_cast<char>(attr::kMessageAuthenticator));
    out.push_back(static_cast<char>(kMessageAuthenticatorLength));
    out.append(kAuthenticatorLength, '\0');
  }
  for (std::span<const Attribute> list : lists) {
    for (const Attribute& a : list) {
      out.push_back(static_cast<char>(a.type));
      out.push_back(static_cast<char>(kAttributeHeaderLength + a.value.size()));
      out.append(a.value);
    }
  }
  return out;
}

Status RejectReservedAttributes(const std::vector<Attribute>& attributes, bool allow_proxy_state) {
  for (const Attribute& a : attributes) {
    if (a.type == attr::kMessageAuthenticator) {
      return InvalidArgument("Message-Authenticator is added by the encoder, not the caller");
    }
    if (a.type == attr::kProxyState && !allow_proxy_state) {
      return InvalidArgument("Proxy-State of a reply is copied from the request");
    }
  }
  return Status::Ok();
}

// Fills the zeroed Message-Authenticator at offset kHeaderLength of `bytes`.
Status FillMessageAuthenticator(std::string& bytes, const Authenticator& vector,
                                std::string_view secret) {
  std::optional<Authenticator> ma =
      ComputeMessageAuthenticator(bytes, kHeaderLength, vector, secret);
  if (!ma) return Internal("HMAC-MD5 failed");
  std::memcpy(bytes.data() + kHeaderLength + kAttributeHeaderLength, ma->data(), ma->size());
  return Status::Ok();
}

Result<std::string> EncodeRandomAuthenticatorRequest(Code code, uint8_t identifier,
                                                     const Authenticator& request_authenticator,
                                                     const std::vector<Attribute>& attributes,
                                                     std::string_view secret,
                                                     bool with_message_authenticator) {
  if (secret.empty()) return InvalidArgument("RADIUS shared secret is empty");
  OBVPN_RETURN_IF_ERROR(RejectReservedAttributes(attributes, /*allow_proxy_state=*/true));
  OBVPN_ASSIGN_OR_RETURN(std::string bytes,
                         Serialize(code, identifier, request_authenticator,
                                   with_message_authenticator, {std::span(attributes)}));
  if (with_message_authenticator) {
    OBVPN_RETURN_IF_ERROR(FillMessageAuthenticator(
        bytes, MessageAuthenticatorVector(code, request_authenticator, nullptr), secret));
  }
  return bytes;
}

}  // namespace

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kAccessRequest:
      return "Access-Request";
    case Code::kAccessAccept:
      return "Access-Accept";
    case Code::kAccessReject:
      return "Access-Reject";
    case Code::kAccountingRequest:
      return "Accounting-Request";
    case Code::kAccountingResponse:
      return "Accounting-Response";
    case Code::kAccessChallenge:
      return "Access-Challenge";
    case Code::kStatusServer:
      return "Status-Server";
    case Code::kStatusClient:
      return "Status-Client";
  }
  return "Unknown";
}

bool IsKnownCode(uint8_t code) {
  switch (static_cast<Code>(code)) {
    case Code::kAccessRequest:
    case Code::kAccessAccept:
    case Code::kAccessReject:
    case Code::kAccountingRequest:
    case Code::kAccountingResponse:
    case Code::kAccessChallenge:
    case Code::kStatusServer:
    case Code::kStatusClient:
      return true;
  }
  return false;
}

std::string_view DiscardReasonName(DiscardReason reason) {
  switch (reason) {
    case DiscardReason::kTooShort:
      return "too_short";
    case DiscardReason::kLengthMismatch:
      return "length_mismatch";
    case DiscardReason::kTooLong:
      return "too_long";
    case DiscardReason::kUnknownCode:
      return "unknown_code";
    case DiscardReason::kBadAttributeLength:
      return "bad_attribute_length";
    case DiscardReason::kAttributeOverflow:
      return "attribute_overflow";
    case DiscardReason::kTooManyAttributes:
      return "too_many_attributes";
    case DiscardReason::kMessageAuthenticatorBadLength:
      return "message_authenticator_bad_length";
    case DiscardReason::kDuplicateMessageAuthenticator:
      return "duplicate_message_authenticator";
    case DiscardReason::kUserPasswordBadLength:
      return "user_password_bad_length";
    case DiscardReason::kDuplicateUserPassword:
      return "duplicate_user_password";
    case DiscardReason::kUserPasswordWithChapPassword:
      return "user_password_with_chap_password";
    case DiscardReason::kUnexpectedCode:
      return "unexpected_code";
    case DiscardReason::kMessageAuthenticatorMissing:
      return "message_authenticator_missing";
    case DiscardReason::kMessageAuthenticatorMismatch:
      return "message_authenticator_mismatch";
    case DiscardReason::kProxyStateWithoutMessageAuthenticator:
      return "proxy_state_without_message_authenticator";
    case DiscardReason::kAccountingAuthenticatorMismatch:
      return "accounting_authenticator_mismatch";
    case DiscardReason::kResponseAuthenticatorMismatch:
      return "response_authenticator_mismatch";
    case DiscardReason::kIdentifierMismatch:
      return "identifier_mismatch";
    case DiscardReason::kCryptoFailure:
      return "crypto_failure";
  }
  return "";
}

CheckResult Check(std::string_view datagram, const CheckOptions& options) {
  if (datagram.size() < kMinPacketLength) return DiscardReason::kTooShort;

  // RFC 2865 §3: "Octets outside the range of the Length field MUST be treated as padding
  // and ignored on reception. If the packet is shorter than the Length field indicates, it
  // MUST be silently discarded. The minimum length is 20 and maximum length is 4096."
  const size_t length = (static_cast<size_t>(Octet(datagram, kLengthOffset)) << 8) |
                        Octet(datagram, kLengthOffset + 1);
  if (length < kMinPacketLength) return DiscardReason::kLengthMismatch;
  if (length > options.max_packet_bytes) return DiscardReason::kTooLong;
  if (length > datagram.size()) return DiscardReason::kLengthMismatch;
  const std::string_view bytes = datagram.substr(0, length);

  // RFC 2865 §3: "When a packet is received with an invalid Code field, it is silently
  // discarded."
  const uint8_t code = Octet(bytes, kCodeOffset);
  if (!IsKnownCode(code)) return DiscardReason::kUnknownCode;

  Packet packet;
  packet.code = static_cast<Code>(code);
  packet.identifier = Octet(bytes, kIdentifierOffset);
  std::memcpy(packet.authenticator.data(), bytes.data() + kAuthenticatorOffset,
              kAuthenticatorLength);

  // The attribute walk. RFC 2865 §5: "The Length field is one octet, and indicates the
  // length of this Attribute including the Type, Length and Value fields." A Length below 2
  // or past the end of the packet leaves no way to find the next attribute, so the whole
  // packet is untrustworthy and dropped (SPEC §5: "a bad length/attribute walk, is silently
  // discarded and counted"), as FreeRADIUS does. A value of the wrong size for its type
  // (say a 3-octet NAS-Port) is not a walk error: the getters report it.
  size_t user_passwords = 0;
  bool has_chap_password = false;
  size_t offset = kHeaderLength;
  while (offset < length) {
    if (length - offset < kAttributeHeaderLength) return DiscardReason::kAttributeOverflow;
    const uint8_t type = Octet(bytes, offset);
    const size_t attr_length = Octet(bytes, offset + 1);
    if (attr_length < kAttributeHeaderLength) return DiscardReason::kBadAttributeLength;
    if (attr_length > length - offset) return DiscardReason::kAttributeOverflow;
    // SPEC §7: the attribute count is a limit, so a packet of 2-octet attributes cannot make
    // the server build ~2000 of them.
    if (packet.attributes.size() >= options.max_attributes) {
      return DiscardReason::kTooManyAttributes;
    }
    const size_t value_length = attr_length - kAttributeHeaderLength;

    switch (type) {
      case attr::kMessageAuthenticator:
        // RFC 3579 §3.2: "Length = 18". RFC 3579 §3.3 allows 0-1 per packet.
        if (attr_length != kMessageAuthenticatorLength) {
          return DiscardReason::kMessageAuthenticatorBadLength;
        }
        if (packet.has_message_authenticator()) {
          return DiscardReason::kDuplicateMessageAuthenticator;
        }
        packet.message_authenticator_offset = offset;
        break;
      case attr::kProxyState:
        packet.has_proxy_state = true;
        break;
      case attr::kUserPassword:
        ++user_passwords;
        // RFC 2865 §5.2: "The String field is between 16 and 128 octets long, inclusive."
        // It is the password padded "to a multiple of 16 octets". RFC 2865 §5 says an
        // Access-Reject SHOULD answer an attribute of invalid length; we drop instead, as
        // for every other malformed packet (SPEC §5): no real gateway sends one, and an
        // unauthenticated malformed request deserves no answer.
        if (packet.code == Code::kAccessRequest &&
            (value_length < kUserPasswordBlock || value_length > kMaxUserPasswordLength ||
             value_length % kUserPasswordBlock != 0)) {
          return DiscardReason::kUserPasswordBadLength;
        }
        break;
      case attr::kChapPassword:
        has_chap_password = true;
        break;
      default:
        break;
    }
    packet.attributes.push_back(
        Attribute{type, std::string(bytes.substr(offset + kAttributeHeaderLength, value_length))});
    offset += attr_length;
  }

  if (packet.code == Code::kAccessRequest) {
    // RFC 2865 §5.44: User-Password appears 0-1 times in an Access-Request, and §4.1: "An
    // Access-Request MUST NOT contain both a User-Password and a CHAP-Password."
    if (user_passwords > 1) return DiscardReason::kDuplicateUserPassword;
    if (user_passwords == 1 && has_chap_password) {
      return DiscardReason::kUserPasswordWithChapPassword;
    }
  }

  packet.raw = std::string(bytes);
  return packet;
}

std::optional<DiscardReason> VerifyRequest(const Packet& request, std::string_view secret,
                                           const VerifyPolicy& policy) {
  switch (request.code) {
    case Code::kAccessRequest:
    case Code::kStatusServer:
      if (request.has_message_authenticator()) {
        return CheckMessageAuthenticator(request, request.authenticator, secret);
      }
      // RFC 5997 §3 requires a Message-Authenticator in every Status-Server and has the
      // server silently discard one without it: otherwise anyone could probe the server.
      if (request.code == Code::kStatusServer) return DiscardReason::kMessageAuthenticatorMissing;
      if (policy.require_message_authenticator) {
        return DiscardReason::kMessageAuthenticatorMissing;
      }
      // BlastRADIUS (CVE-2024-3596): the attacker hides its MD5 chosen-prefix collision
      // blocks in a Proxy-State it adds to a request. A client that may omit
      // Message-Authenticator still has no reason to send Proxy-State without one (only
      // proxies add it, and proxies sign), so that combination is dropped (SPEC §5).
      if (request.has_proxy_state) return DiscardReason::kProxyStateWithoutMessageAuthenticator;
      return std::nullopt;

    case Code::kAccountingRequest: {
      // RFC 2866 §3: "The Request Authenticator field in Accounting-Request packets contains
      // a one-way MD5 hash calculated over a stream of octets consisting of the Code +
      // Identifier + Length + 16 zero octets + request attributes + shared secret". A
      // mismatch means the sender does not know the secret; the packet is dropped.
      std::optional<Authenticator> expected =
          ComputePacketAuthenticator(request.raw, kZeroAuthenticator, secret);
      if (!expected) return DiscardReason::kCryptoFailure;
      if (!AuthenticatorEquals(*expected, request.authenticator)) {
        return DiscardReason::kAccountingAuthenticatorMismatch;
      }
      if (request.has_message_authenticator()) {
        return CheckMessageAuthenticator(
            request, MessageAuthenticatorVector(request.code, request.authenticator, nullptr),
            secret);
      }
      return std::nullopt;
    }

    default:
      // Replies and Status-Client are never sent to a server.
      return DiscardReason::kUnexpectedCode;
  }
}

std::optional<DiscardReason> VerifyReply(const Packet& reply, const Packet& request,
                                         std::string_view secret, const VerifyPolicy& policy) {
  if (!IsReplyTo(request.code, reply.code)) return DiscardReason::kUnexpectedCode;
  // RFC 2865 §3: "The Identifier field ... aids in matching requests and replies."
  if (reply.identifier != request.identifier) return DiscardReason::kIdentifierMismatch;
  // RFC 2865 §3: "ResponseAuth = MD5(Code+ID+Length+RequestAuth+Attributes+Secret)".
  // RFC 2866 §3 uses the same for Accounting-Response.
  std::optional<Authenticator> expected =
      ComputePacketAuthenticator(reply.raw, request.authenticator, secret);
  if (!expected) return DiscardReason::kCryptoFailure;
  if (!AuthenticatorEquals(*expected, reply.authenticator)) {
    return DiscardReason::kResponseAuthenticatorMismatch;
  }
  if (reply.has_message_authenticator()) {
    return CheckMessageAuthenticator(
        reply, MessageAuthenticatorVector(reply.code, reply.authenticator, &request), secret);
  }
  if (policy.require_message_authenticator) return DiscardReason::kMessageAuthenticatorMissing;
  return std::nullopt;
}

const Attribute* FindAttribute(const Packet& packet, uint8_t type) {
  for (const Attribute& a : packet.attributes) {
    if (a.type == type) return &a;
  }
  return nullptr;
}

Result<std::string_view> GetString(const Packet& packet, uint8_t type) {
  const Attribute* a = FindAttribute(packet, type);
  if (a == nullptr) return NotFound("no RADIUS attribute " + std::to_string(type));
  return std::string_view(a->value);
}

Result<uint32_t> GetUint32(const Packet& packet, uint8_t type) {
  const Attribute* a = FindAttribute(packet, type);
  if (a == nullptr) return NotFound("no RADIUS attribute " + std::to_string(type));
  // RFC 2865 §5: "integer 32 bit unsigned value, most significant octet first."
  if (a->value.size() != 4) {
    return InvalidArgument("RADIUS attribute " + std::to_string(type) + " is " +
                           std::to_string(a->value.size()) + " octets, not 4");
  }
  uint32_t v = 0;
  for (char c : a->value) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

Result<std::string> GetIpv4(const Packet& packet, uint8_t type) {
  const Attribute* a = FindAttribute(packet, type);
  if (a == nullptr) return NotFound("no RADIUS attribute " + std::to_string(type));
  // RFC 2865 §5: "address 32 bit value, most significant octet first."
  if (a->value.size() != 4) {
    return InvalidArgument("RADIUS attribute " + std::to_string(type) + " is " +
                           std::to_string(a->value.size()) + " octets, not 4");
  }
  std::string out;
  for (size_t i = 0; i < 4; ++i) {
    if (i > 0) out.push_back('.');
    out += std::to_string(static_cast<uint8_t>(a->value[i]));
  }
  return out;
}

Result<std::string> DecryptUserPassword(const Packet& packet, std::string_view secret) {
  const Attribute* a = FindAttribute(packet, attr::kUserPassword);
  if (a == nullptr) return NotFound("no User-Password");
  const std::string& hidden = a->value;
  if (hidden.size() < kUserPasswordBlock || hidden.size() > kMaxUserPasswordLength ||
      hidden.size() % kUserPasswordBlock != 0) {
    return InvalidArgument("User-Password is " + std::to_string(hidden.size()) +
                           " octets, not 16..128 in steps of 16");
  }
  // RFC 2865 §5.2: "b1 = MD5(S + RA)  c(1) = p1 xor b1 ... bi = MD5(S + c(i-1))
  // c(i) = pi xor bi". Reception reverses it: pi = c(i) xor MD5(S + c(i-1)), c(0) = RA.
  std::string plain(hidden.size(), '\0');
  std::string_view previous = AsView(packet.authenticator);
  for (size_t i = 0; i < hidden.size(); i += kUserPasswordBlock) {
    std::optional<Authenticator> b = internal::Md5({secret, previous});
    if (!b) {
      internal::Cleanse(plain.data(), plain.size());
      return Internal("MD5 failed");
    }
    for (size_t j = 0; j < kUserPasswordBlock; ++j) {
      plain[i + j] = static_cast<char>(static_cast<uint8_t>(hidden[i + j]) ^ (*b)[j]);
    }
    internal::Cleanse(b->data(), b->size());
    previous = std::string_view(hidden).substr(i, kUserPasswordBlock);
  }
  // "The password is first padded at the end with nulls to a multiple of 16 octets."
  const size_t end = plain.find_last_not_of('\0');
  const size_t keep = end == std::string::npos ? 0 : end + 1;
  internal::Cleanse(plain.data() + keep, plain.size() - keep);
  plain.resize(keep);
  return plain;
}

Result<std::string> EncryptUserPassword(std::string_view password,
                                        const Authenticator& request_authenticator,
                                        std::string_view secret) {
  if (secret.empty()) return InvalidArgument("RADIUS shared secret is empty");
  if (password.size() > kMaxUserPasswordLength) {
    return InvalidArgument("password is over 128 octets");
  }
  // RFC 2865 §5.2: "The password is first padded at the end with nulls to a multiple of 16
  // octets." An empty password is one block of nulls (the String field is at least 16).
  const size_t padded = std::max(kUserPasswordBlock, (password.size() + kUserPasswordBlock - 1) /
                                                         kUserPasswordBlock * kUserPasswordBlock);
  std::string out(padded, '\0');
  std::memcpy(out.data(), password.data(), password.size());
  std::string_view previous = AsView(request_authenticator);
  for (size_t i = 0; i < padded; i += kUserPasswordBlock) {
    // "A one-way MD5 hash is calculated over a stream of octets consisting of the shared
    // secret followed by the Request Authenticator [then: the result of the previous xor].
    // This value is XORed with the [next] 16 octet segment of the password".
    std::optional<Authenticator> b = internal::Md5({secret, previous});
    if (!b) {
      internal::Cleanse(out.data(), out.size());
      return Internal("MD5 failed");
    }
    for (size_t j = 0; j < kUserPasswordBlock; ++j) {
      out[i + j] = static_cast<char>(static_cast<uint8_t>(out[i + j]) ^ (*b)[j]);
    }
    internal::Cleanse(b->data(), b->size());
    previous = std::string_view(out).substr(i, kUserPasswordBlock);
  }
  return out;
}

Attribute StringAttribute(uint8_t type, std::string_view value) {
  return Attribute{type, std::string(value)};
}

Attribute Uint32Attribute(uint8_t type, uint32_t value) {
  std::string v(4, '\0');
  for (size_t i = 0; i < 4; ++i) v[i] = static_cast<char>((value >> (24 - 8 * i)) & 0xff);
  return Attribute{type, std::move(v)};
}

Attribute Ipv4Attribute(uint8_t type, const std::array<uint8_t, 4>& address) {
  return Attribute{type, std::string(reinterpret_cast<const char*>(address.data()), 4)};
}

Result<std::string> EncodeReply(const Packet& request, Code code,
                                const std::vector<Attribute>& attributes, std::string_view secret) {
  if (!IsReplyTo(request.code, code)) {
    return InvalidArgument(std::string(CodeName(code)) + " does not answer " +
                           std::string(CodeName(request.code)));
  }
  if (secret.empty()) return InvalidArgument("RADIUS shared secret is empty");
  OBVPN_RETURN_IF_ERROR(RejectReservedAttributes(attributes, /*allow_proxy_state=*/false));

  // RFC 2865 §4.2: "If any Proxy-State attributes were present in the Access-Request, they
  // MUST be copied unmodified and in order into the response packet." (§4.3, §4.4 and
  // RFC 2866 §4.2 say the same of the other replies.)
  std::vector<Attribute> proxy_states;
  for (const Attribute& a : request.attributes) {
    if (a.type == attr::kProxyState) proxy_states.push_back(a);
  }

  // SPEC §5 (BlastRADIUS mitigation): the Message-Authenticator goes first, so that an
  // attacker's collision blocks cannot precede it in the MD5 input.
  OBVPN_ASSIGN_OR_RETURN(
      std::string bytes,
      Serialize(code, request.identifier, request.authenticator,
                /*with_message_authenticator=*/true,
                {std::span(attributes), std::span<const Attribute>(proxy_states)}));
  // RFC 3579 §3.2: "The Message-Authenticator is calculated and inserted in the packet
  // before the Response Authenticator is calculated."
  OBVPN_RETURN_IF_ERROR(FillMessageAuthenticator(
      bytes, MessageAuthenticatorVector(code, request.authenticator, &request), secret));
  // RFC 2865 §3: "ResponseAuth = MD5(Code+ID+Length+RequestAuth+Attributes+Secret)".
  std::optional<Authenticator> response =
      ComputePacketAuthenticator(bytes, request.authenticator, secret);
  if (!response) return Internal("MD5 failed");
  WriteAuthenticator(bytes, *response);
  return bytes;
}

Result<std::string> EncodeAccessRequest(uint8_t identifier,
                                        const Authenticator& request_authenticator,
                                        const std::vector<Attribute>& attributes,
                                        std::string_view secret, bool with_message_authenticator) {
  return EncodeRandomAuthenticatorRequest(Code::kAccessRequest, identifier, request_authenticator,
                                          attributes, secret, with_message_authenticator);
}

Result<std::string> EncodeStatusServer(uint8_t identifier,
                                       const Authenticator& request_authenticator,
                                       const std::vector<Attribute>& attributes,
                                       std::string_view secret) {
  return EncodeRandomAuthenticatorRequest(Code::kStatusServer, identifier, request_authenticator,
                                          attributes, secret,
                                          /*with_message_authenticator=*/true);
}

Result<std::string> EncodeAccountingRequest(uint8_t identifier,
                                            const std::vector<Attribute>& attributes,
                                            std::string_view secret,
                                            bool with_message_authenticator) {
  if (secret.empty()) return InvalidArgument("RADIUS shared secret is empty");
  OBVPN_RETURN_IF_ERROR(RejectReservedAttributes(attributes, /*allow_proxy_state=*/true));
  OBVPN_ASSIGN_OR_RETURN(std::string bytes,
                         Serialize(Code::kAccountingRequest, identifier, kZeroAuthenticator,
                                   with_message_authenticator, {std::span(attributes)}));
  if (with_message_authenticator) {
    OBVPN_RETURN_IF_ERROR(FillMessageAuthenticator(bytes, kZeroAuthenticator, secret));
  }
  // RFC 2866 §3: "Code + Identifier + Length + 16 zero octets + request attributes + shared
  // secret", computed after the Message-Authenticator so that it covers it.
  std::optional<Authenticator> authenticator =
      ComputePacketAuthenticator(bytes, kZeroAuthenticator, secret);
  if (!authenticator) return Internal("MD5 failed");
  WriteAuthenticator(bytes, *authenticator);
  return bytes;
}

}  // namespace obvpn::radius
