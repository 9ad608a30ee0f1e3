#include "radius/packet/packet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "radius/packet/digest.h"
#include "radius/packet/user_name.h"

namespace obvpn::radius {
namespace {

// The secret of every generated vector (tests/testdata/radius/make_vectors.py).
constexpr std::string_view kSecret = "testing123";
// RFC 2865 §7.1.
constexpr std::string_view kRfcSecret = "xyzzy5461";

const VerifyPolicy kRequire{.require_message_authenticator = true};
const VerifyPolicy kDoNotRequire{.require_message_authenticator = false};

std::string VectorDir() { return std::string(OBVPN_TESTDATA_DIR) + "/radius"; }

// Hex octets separated by any whitespace (the format of the vector files).
std::string FromHex(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) == 0) digits.push_back(c);
  }
  EXPECT_EQ(digits.size() % 2, 0u) << "odd number of hex digits";
  std::string out;
  for (size_t i = 0; i + 1 < digits.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string ReadVector(const std::string& name) {
  std::ifstream in(VectorDir() + "/" + name);
  EXPECT_TRUE(in.good()) << "missing vector " << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return FromHex(ss.str());
}

std::vector<std::string> VectorFiles() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(VectorDir())) {
    if (entry.path().extension() == ".hex") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Checks `bytes`, failing the test when Check drops them.
Packet MustCheck(std::string_view bytes) {
  CheckResult r = Check(bytes);
  EXPECT_TRUE(r.ok()) << "discarded: " << (r.ok() ? "" : DiscardReasonName(r.reason()));
  return r.ok() ? std::move(r).packet() : Packet{};
}

Packet CheckVector(const std::string& name) {
  SCOPED_TRACE(name);
  return MustCheck(ReadVector(name));
}

// "none" or the reason's name, for readable expectations.
std::string Outcome(const std::optional<DiscardReason>& r) {
  return r ? std::string(DiscardReasonName(*r)) : "none";
}

std::string Outcome(const CheckResult& r) {
  return r.ok() ? "none" : std::string(DiscardReasonName(r.reason()));
}

Authenticator MakeAuthenticator(uint8_t seed) {
  Authenticator a{};
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(seed * 31 + i * 7 + 1);
  return a;
}

Authenticator AuthenticatorFromHex(std::string_view hex) {
  const std::string bytes = FromHex(hex);
  Authenticator a{};
  EXPECT_EQ(bytes.size(), a.size());
  std::memcpy(a.data(), bytes.data(), std::min(bytes.size(), a.size()));
  return a;
}

std::string FlipBit(std::string bytes, size_t bit) {
  bytes[bit / 8] = static_cast<char>(bytes[bit / 8] ^ (1 << (bit % 8)));
  return bytes;
}

// Overwrites the Authenticator field with MD5(packet with `vector` there + secret): the
// Response Authenticator (vector = request's) or accounting one (vector = zeros). Lets a
// test forge a packet whose only fault is elsewhere.
std::string Resign(std::string bytes, const Authenticator& vector, std::string_view secret) {
  std::memcpy(bytes.data() + 4, vector.data(), vector.size());
  std::optional<Authenticator> a = internal::Md5({bytes, secret});
  EXPECT_TRUE(a.has_value());
  if (a) std::memcpy(bytes.data() + 4, a->data(), a->size());
  return bytes;
}

std::string ValueOf(const Result<std::string>& r) { return r.ok() ? r.value() : std::string(); }

// ---------------------------------------------------------------------------------------
// Names.

TEST(DiscardReasonName, EveryReasonHasADistinctSnakeCaseName) {
  std::set<std::string_view> seen;
  for (size_t i = 0; i < kDiscardReasonCount; ++i) {
    const std::string_view name = DiscardReasonName(static_cast<DiscardReason>(i));
    SCOPED_TRACE(i);
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || c == '_';
    })) << name;
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
  }
  EXPECT_EQ(seen.size(), kDiscardReasonCount);
}

TEST(CodeName, NamesEveryCode) {
  const std::pair<Code, std::string_view> cases[] = {
      {Code::kAccessRequest, "Access-Request"},
      {Code::kAccessAccept, "Access-Accept"},
      {Code::kAccessReject, "Access-Reject"},
      {Code::kAccountingRequest, "Accounting-Request"},
      {Code::kAccountingResponse, "Accounting-Response"},
      {Code::kAccessChallenge, "Access-Challenge"},
      {Code::kStatusServer, "Status-Server"},
      {Code::kStatusClient, "Status-Client"},
  };
  for (const auto& [code, name] : cases) EXPECT_EQ(CodeName(code), name);
  EXPECT_EQ(CodeName(static_cast<Code>(6)), "Unknown");
}

TEST(IsKnownCode, AcceptsOnlyTheEightDefinedCodes) {
  std::vector<int> known;
  for (int c = 0; c < 256; ++c) {
    if (IsKnownCode(static_cast<uint8_t>(c))) known.push_back(c);
  }
  EXPECT_EQ(known, (std::vector<int>{1, 2, 3, 4, 5, 11, 12, 13}));
}

// ---------------------------------------------------------------------------------------
// RFC 2865 §7.1: "The NAS at 192.168.1.16 sends an Access-Request UDP packet to the RADIUS
// Server for a user named nemo logging in on port 3 with password "arctangent"."

TEST(Rfc2865Example, AccessRequestChecksAndDecodes) {
  const Packet p = CheckVector("ok-rfc2865_7_1_access_request.hex");
  EXPECT_EQ(p.code, Code::kAccessRequest);
  EXPECT_EQ(p.identifier, 0);
  EXPECT_EQ(p.raw.size(), 56u);
  ASSERT_EQ(p.attributes.size(), 4u);
  EXPECT_EQ(ValueOf(GetIpv4(p, attr::kNasIpAddress)), "192.168.1.16");
  Result<std::string_view> user = GetString(p, attr::kUserName);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(*user, "nemo");
  Result<uint32_t> port = GetUint32(p, attr::kNasPort);
  ASSERT_TRUE(port.ok());
  EXPECT_EQ(*port, 3u);
  EXPECT_FALSE(p.has_message_authenticator());
  EXPECT_EQ(Outcome(VerifyRequest(p, kRfcSecret, kDoNotRequire)), "none");
}

TEST(Rfc2865Example, PasswordDecryptsToArctangent) {
  const Packet p = CheckVector("ok-rfc2865_7_1_access_request.hex");
  Result<std::string> password = DecryptUserPassword(p, kRfcSecret);
  ASSERT_TRUE(password.ok()) << password.status().ToString();
  EXPECT_EQ(*password, "arctangent");
}

TEST(Rfc2865Example, EncoderReproducesTheAccessRequestOctets) {
  const Authenticator ra = AuthenticatorFromHex("0f403f9473978057bd83d5cb98f4227a");
  Result<std::string> hidden = EncryptUserPassword("arctangent", ra, kRfcSecret);
  ASSERT_TRUE(hidden.ok());
  Result<std::string> bytes = EncodeAccessRequest(
      0, ra,
      {StringAttribute(attr::kUserName, "nemo"), Attribute{attr::kUserPassword, *hidden},
       Ipv4Attribute(attr::kNasIpAddress, {192, 168, 1, 16}), Uint32Attribute(attr::kNasPort, 3)},
      kRfcSecret, /*with_message_authenticator=*/false);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes, ReadVector("ok-rfc2865_7_1_access_request.hex"));
}

TEST(Rfc2865Example, AccessAcceptResponseAuthenticatorVerifies) {
  const Packet request = CheckVector("ok-rfc2865_7_1_access_request.hex");
  const Packet accept = CheckVector("ok-rfc2865_7_1_access_accept.hex");
  EXPECT_EQ(Outcome(VerifyReply(accept, request, kRfcSecret, kDoNotRequire)), "none");
}

TEST(Rfc2865Example, AccessAcceptFailsUnderAnotherSecret) {
  const Packet request = CheckVector("ok-rfc2865_7_1_access_request.hex");
  const Packet accept = CheckVector("ok-rfc2865_7_1_access_accept.hex");
  EXPECT_EQ(Outcome(VerifyReply(accept, request, "xyzzy5462", kDoNotRequire)),
            "response_authenticator_mismatch");
}

TEST(Rfc2865Example, AccessAcceptWithoutMessageAuthenticatorFailsWhenRequired) {
  const Packet request = CheckVector("ok-rfc2865_7_1_access_request.hex");
  const Packet accept = CheckVector("ok-rfc2865_7_1_access_accept.hex");
  EXPECT_EQ(Outcome(VerifyReply(accept, request, kRfcSecret, kRequire)),
            "message_authenticator_missing");
}

// ---------------------------------------------------------------------------------------
// Vectors written by the independent Python implementation.

TEST(IndependentVectors, RequestsVerify) {
  const std::pair<std::string, VerifyPolicy> cases[] = {
      {"ok-access_request_pap.hex", kDoNotRequire},
      {"ok-access_request_pap_ma.hex", kRequire},
      {"ok-access_request_proxy_state_ma.hex", kRequire},
      {"ok-status_server.hex", kRequire},
      {"ok-accounting_request_start.hex", kRequire},
      {"ok-accounting_request_stop_ma.hex", kRequire},
  };
  for (const auto& [name, policy] : cases) {
    SCOPED_TRACE(name);
    EXPECT_EQ(Outcome(VerifyRequest(CheckVector(name), kSecret, policy)), "none");
  }
}

TEST(IndependentVectors, RepliesVerifyAgainstTheirRequests) {
  const std::pair<std::string, std::string> cases[] = {
      {"ok-access_accept_ma.hex", "ok-access_request_pap_ma.hex"},
      {"ok-access_reject_proxy_state.hex", "ok-access_request_proxy_state_ma.hex"},
      {"ok-access_accept_to_status_server.hex", "ok-status_server.hex"},
      {"ok-accounting_response_to_status_server.hex", "ok-status_server.hex"},
      {"ok-accounting_response.hex", "ok-accounting_request_start.hex"},
  };
  for (const auto& [reply, request] : cases) {
    SCOPED_TRACE(reply);
    EXPECT_EQ(Outcome(VerifyReply(CheckVector(reply), CheckVector(request), kSecret, kRequire)),
              "none");
  }
}

TEST(IndependentVectors, EncoderReproducesEveryReply) {
  struct Case {
    std::string request;
    Code code;
    std::vector<Attribute> attributes;
    std::string reply;
  };
  const Case cases[] = {
      {"ok-access_request_pap_ma.hex",
       Code::kAccessAccept,
       {Uint32Attribute(attr::kServiceType, service_type::kFramedUser),
        StringAttribute(attr::kClass, "bm1251001002")},
       "ok-access_accept_ma.hex"},
      {"ok-access_request_proxy_state_ma.hex",
       Code::kAccessReject,
       {StringAttribute(attr::kReplyMessage, "denied")},
       "ok-access_reject_proxy_state.hex"},
      {"ok-status_server.hex",
       Code::kAccessAccept,
       {StringAttribute(attr::kReplyMessage, "obvpn ok")},
       "ok-access_accept_to_status_server.hex"},
      {"ok-status_server.hex",
       Code::kAccountingResponse,
       {},
       "ok-accounting_response_to_status_server.hex"},
      {"ok-accounting_request_start.hex",
       Code::kAccountingResponse,
       {},
       "ok-accounting_response.hex"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reply);
    Result<std::string> bytes = EncodeReply(CheckVector(c.request), c.code, c.attributes, kSecret);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    EXPECT_EQ(*bytes, ReadVector(c.reply));
  }
}

TEST(IndependentVectors, EncoderReproducesEveryRequest) {
  const Authenticator ra2 = AuthenticatorFromHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  const Authenticator ra4 = AuthenticatorFromHex("f00dfacecafebeef0badc0dedeadbeef");
  Result<std::string> hidden = EncryptUserPassword("Passw0rd!Passw0rd", ra2, kSecret);
  ASSERT_TRUE(hidden.ok());
  const std::pair<Result<std::string>, std::string> cases[] = {
      {EncodeAccessRequest(0x12, ra2,
                           {StringAttribute(attr::kUserName, "1251001002@bm1251001002"),
                            Attribute{attr::kUserPassword, *hidden},
                            StringAttribute(attr::kNasIdentifier, "radclient")},
                           kSecret, /*with_message_authenticator=*/true),
       "ok-access_request_pap_ma.hex"},
      {EncodeStatusServer(0x14, ra4, {StringAttribute(attr::kNasIdentifier, "monitor")}, kSecret),
       "ok-status_server.hex"},
      {EncodeAccountingRequest(0x20,
                               {Uint32Attribute(attr::kAcctStatusType, acct_status_type::kStart),
                                StringAttribute(attr::kAcctSessionId, "5f3a-0001"),
                                StringAttribute(attr::kUserName, "1251001002"),
                                StringAttribute(attr::kNasIdentifier, "openvpn")},
                               kSecret, /*with_message_authenticator=*/false),
       "ok-accounting_request_start.hex"},
      {EncodeAccountingRequest(0x21,
                               {Uint32Attribute(attr::kAcctStatusType, acct_status_type::kStop),
                                StringAttribute(attr::kAcctSessionId, "5f3a-0001"),
                                StringAttribute(attr::kUserName, "1251001002"),
                                Uint32Attribute(attr::kAcctSessionTime, 3600),
                                Uint32Attribute(attr::kAcctTerminateCause, 1)},
                               kSecret, /*with_message_authenticator=*/true),
       "ok-accounting_request_stop_ma.hex"},
  };
  for (const auto& [bytes, name] : cases) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    EXPECT_EQ(*bytes, ReadVector(name));
  }
}

TEST(IndependentVectors, PasswordOfTwoBlocksDecrypts) {
  Result<std::string> password =
      DecryptUserPassword(CheckVector("ok-access_request_pap.hex"), kSecret);
  ASSERT_TRUE(password.ok());
  EXPECT_EQ(*password, "Passw0rd!Passw0rd");
}

// ---------------------------------------------------------------------------------------
// Replay of every vector file (they double as the fuzz corpus seeds).

// "discard-<reason>[-<variant>].hex" -> "<reason>".
std::string ReasonOfFile(const std::string& name) {
  const std::string stem = name.substr(std::strlen("discard-"), name.size() - 12);
  return stem.substr(0, stem.find('-'));
}

TEST(Vectors, EveryFileReplaysWithItsExpectedOutcome) {
  const std::vector<std::string> files = VectorFiles();
  EXPECT_GE(files.size(), 45u);
  for (const std::string& name : files) {
    SCOPED_TRACE(name);
    const std::string bytes = ReadVector(name);
    CheckResult checked = Check(bytes);
    if (name.starts_with("ok-")) {
      EXPECT_EQ(Outcome(checked), "none");
    } else if (name.starts_with("discard-")) {
      const std::string expected = ReasonOfFile(name);
      if (checked.ok()) {
        EXPECT_EQ(Outcome(VerifyRequest(checked.packet(), kSecret, kDoNotRequire)), expected);
      } else {
        EXPECT_EQ(Outcome(checked), expected);
      }
    } else {
      ADD_FAILURE() << "vector name must start with ok- or discard-";
    }
  }
}

TEST(Vectors, EveryDiscardReasonIsReachedByAVectorFile) {
  std::set<std::string> reached;
  for (const std::string& name : VectorFiles()) {
    if (name.starts_with("discard-")) reached.insert(ReasonOfFile(name));
  }
  // Reached by VerifyReply tests below (a reply needs its request, not one file), and a
  // reason no datagram can cause.
  const std::set<DiscardReason> elsewhere = {DiscardReason::kResponseAuthenticatorMismatch,
                                             DiscardReason::kIdentifierMismatch,
                                             DiscardReason::kCryptoFailure};
  for (size_t i = 0; i < kDiscardReasonCount; ++i) {
    const auto reason = static_cast<DiscardReason>(i);
    if (elsewhere.contains(reason)) continue;
    EXPECT_TRUE(reached.contains(std::string(DiscardReasonName(reason))))
        << "no discard-" << DiscardReasonName(reason) << "*.hex";
  }
}

// ---------------------------------------------------------------------------------------
// Check.

TEST(Check, IgnoresOctetsBeyondTheLengthField) {
  const std::string pap = ReadVector("ok-access_request_pap.hex");
  const Packet p = MustCheck(pap + std::string("\x12\x00\xff garbage", 10));
  EXPECT_EQ(p.raw, pap);
  EXPECT_EQ(p.attributes.size(), 7u);
  EXPECT_EQ(Outcome(VerifyRequest(p, kSecret, kDoNotRequire)), "none");
}

TEST(Check, DiscardsEveryTruncationOfAPacket) {
  const std::string pap = ReadVector("ok-access_request_pap.hex");
  for (size_t n = 0; n < pap.size(); ++n) {
    SCOPED_TRACE(n);
    EXPECT_EQ(Outcome(Check(pap.substr(0, n))), n < 20 ? "too_short" : "length_mismatch");
  }
}

TEST(Check, AcceptsLengthOf4096AndDiscards4097) {
  EXPECT_EQ(Outcome(Check(ReadVector("ok-max_length_4096.hex"))), "none");
  EXPECT_EQ(Outcome(Check(ReadVector("discard-too_long-4097.hex"))), "too_long");
}

TEST(Check, HonoursASmallerPacketSizeLimit) {
  const std::string pap = ReadVector("ok-access_request_pap.hex");
  EXPECT_EQ(Outcome(Check(pap, {.max_packet_bytes = pap.size()})), "none");
  EXPECT_EQ(Outcome(Check(pap, {.max_packet_bytes = pap.size() - 1})), "too_long");
}

TEST(Check, HonoursTheAttributeCountLimit) {
  const std::string pap = ReadVector("ok-access_request_pap.hex");  // 7 attributes
  EXPECT_EQ(Outcome(Check(pap, {.max_attributes = 7})), "none");
  EXPECT_EQ(Outcome(Check(pap, {.max_attributes = 6})), "too_many_attributes");
}

TEST(Check, DiscardsBrokenAttributeWalks) {
  const std::string pap = ReadVector("ok-access_request_pap.hex");
  // Appends `tail` and grows the Length field over it.
  auto with_tail = [&](std::string_view tail) {
    std::string p = pap + std::string(tail);
    p[2] = static_cast<char>(p.size() >> 8);
    p[3] = static_cast<char>(p.size() & 0xff);
    return p;
  };
  const std::pair<std::string_view, std::string_view> cases[] = {
      {std::string_view("\x12\x00", 2), "bad_attribute_length"},
      {std::string_view("\x12\x01", 2), "bad_attribute_length"},
      {std::string_view("\x12", 1), "attribute_overflow"},
      {std::string_view("\x12\x03", 2), "attribute_overflow"},
      {std::string_view("\x12\xff"
                        "abc",
                        5),
       "attribute_overflow"},
      {std::string_view("\x12\x02", 2), "none"},  // an empty value is well-formed
  };
  for (const auto& [tail, reason] : cases) {
    SCOPED_TRACE(testing::PrintToString(std::string(tail)));
    EXPECT_EQ(Outcome(Check(with_tail(tail))), reason);
  }
}

TEST(Check, RecordsMessageAuthenticatorAndProxyState) {
  const Packet p = CheckVector("ok-access_request_proxy_state_ma.hex");
  EXPECT_EQ(p.message_authenticator_offset, 20u);
  EXPECT_TRUE(p.has_proxy_state);
  const Packet plain = CheckVector("ok-access_request_pap.hex");
  EXPECT_FALSE(plain.has_message_authenticator());
  EXPECT_FALSE(plain.has_proxy_state);
}

TEST(Check, AcceptsUserPasswordOf16To128OctetsInStepsOf16Only) {
  for (size_t n = 0; n <= 160; ++n) {
    SCOPED_TRACE(n);
    Result<std::string> bytes = EncodeAccessRequest(
        1, MakeAuthenticator(1), {Attribute{attr::kUserPassword, std::string(n, 'p')}}, kSecret,
        /*with_message_authenticator=*/false);
    ASSERT_TRUE(bytes.ok());
    const bool good = n >= 16 && n <= 128 && n % 16 == 0;
    EXPECT_EQ(Outcome(Check(*bytes)), good ? "none" : "user_password_bad_length");
  }
}

TEST(Check, AppliesUserPasswordRulesToAccessRequestsOnly) {
  Result<std::string> bytes =
      EncodeAccountingRequest(1, {Attribute{attr::kUserPassword, "x"}}, kSecret, false);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(Outcome(Check(*bytes)), "none");
}

// ---------------------------------------------------------------------------------------
// VerifyRequest.

TEST(VerifyRequest, DetectsEveryFlippedBitOfSignedRequests) {
  for (const char* name :
       {"ok-access_request_pap_ma.hex", "ok-status_server.hex", "ok-accounting_request_start.hex",
        "ok-accounting_request_stop_ma.hex"}) {
    SCOPED_TRACE(name);
    const std::string bytes = ReadVector(name);
    for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
      CheckResult r = Check(FlipBit(bytes, bit));
      if (!r.ok()) continue;  // structurally broken: dropped by Check already
      // Required: a flip of the Message-Authenticator's Type octet removes it, which only
      // the policy can catch (the weakness `require_message_authenticator = no` accepts).
      EXPECT_NE(Outcome(VerifyRequest(r.packet(), kSecret, kRequire)), "none") << "bit " << bit;
    }
  }
}

TEST(VerifyRequest, RejectsMessageAuthenticatorUnderAnotherSecret) {
  EXPECT_EQ(
      Outcome(VerifyRequest(CheckVector("ok-access_request_pap_ma.hex"), "testing124", kRequire)),
      "message_authenticator_mismatch");
  EXPECT_EQ(Outcome(VerifyRequest(CheckVector("ok-status_server.hex"), "", kRequire)),
            "message_authenticator_mismatch");
}

TEST(VerifyRequest, RejectsAccountingRequestUnderAnotherSecret) {
  EXPECT_EQ(Outcome(VerifyRequest(CheckVector("ok-accounting_request_start.hex"), "testing124",
                                  kDoNotRequire)),
            "accounting_authenticator_mismatch");
}

TEST(VerifyRequest, AppliesTheBlastRadiusPolicy) {
  struct Case {
    bool message_authenticator;
    bool proxy_state;
    bool require;
    std::string_view outcome;
  };
  const Case cases[] = {
      {true, true, true, "none"},
      {true, true, false, "none"},
      {true, false, true, "none"},
      {true, false, false, "none"},
      {false, true, true, "message_authenticator_missing"},
      {false, true, false, "proxy_state_without_message_authenticator"},
      {false, false, true, "message_authenticator_missing"},
      {false, false, false, "none"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << "ma=" << c.message_authenticator
                                    << " proxy=" << c.proxy_state << " require=" << c.require);
    std::vector<Attribute> attributes = {StringAttribute(attr::kUserName, "1251001002")};
    if (c.proxy_state) attributes.push_back(StringAttribute(attr::kProxyState, "p"));
    Result<std::string> bytes =
        EncodeAccessRequest(7, MakeAuthenticator(7), attributes, kSecret, c.message_authenticator);
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(Outcome(VerifyRequest(MustCheck(*bytes), kSecret, {c.require})), c.outcome);
  }
}

TEST(VerifyRequest, StatusServerNeedsMessageAuthenticatorEvenWhenNotRequired) {
  const Packet p = CheckVector("discard-message_authenticator_missing-status_server.hex");
  EXPECT_EQ(Outcome(VerifyRequest(p, kSecret, kDoNotRequire)), "message_authenticator_missing");
}

TEST(VerifyRequest, AccountingRequestNeedsNoMessageAuthenticatorEvenWhenRequired) {
  EXPECT_EQ(
      Outcome(VerifyRequest(CheckVector("ok-accounting_request_start.hex"), kSecret, kRequire)),
      "none");
}

TEST(VerifyRequest, RejectsAccountingMessageAuthenticatorMismatchUnderAValidAuthenticator) {
  // Corrupt the Message-Authenticator, then re-sign the accounting Request Authenticator so
  // that only the Message-Authenticator is wrong.
  const std::string forged =
      Resign(FlipBit(ReadVector("ok-accounting_request_stop_ma.hex"), 22 * 8), {}, kSecret);
  EXPECT_EQ(Outcome(VerifyRequest(MustCheck(forged), kSecret, kDoNotRequire)),
            "message_authenticator_mismatch");
}

TEST(VerifyRequest, RejectsCodesAServerNeverReceives) {
  for (Code code : {Code::kAccessAccept, Code::kAccessReject, Code::kAccessChallenge,
                    Code::kAccountingResponse, Code::kStatusClient}) {
    SCOPED_TRACE(CodeName(code));
    Packet p = CheckVector("ok-access_request_pap_ma.hex");
    p.code = code;
    EXPECT_EQ(Outcome(VerifyRequest(p, kSecret, kRequire)), "unexpected_code");
  }
}

// ---------------------------------------------------------------------------------------
// VerifyReply.

TEST(VerifyReply, RejectsAReplyToAnotherIdentifier) {
  const Packet request = CheckVector("ok-access_request_pap_ma.hex");
  Packet accept = CheckVector("ok-access_accept_ma.hex");
  accept.identifier = static_cast<uint8_t>(request.identifier + 1);
  EXPECT_EQ(Outcome(VerifyReply(accept, request, kSecret, kRequire)), "identifier_mismatch");
}

TEST(VerifyReply, RejectsACodeThatDoesNotAnswerTheRequest) {
  EXPECT_EQ(Outcome(VerifyReply(CheckVector("ok-accounting_response.hex"),
                                CheckVector("ok-access_request_pap_ma.hex"), kSecret, kRequire)),
            "unexpected_code");
  EXPECT_EQ(Outcome(VerifyReply(CheckVector("ok-access_accept_ma.hex"),
                                CheckVector("ok-accounting_request_start.hex"), kSecret, kRequire)),
            "unexpected_code");
}

TEST(VerifyReply, RejectsEveryFlippedBitOfTheReply) {
  const Packet request = CheckVector("ok-access_request_pap_ma.hex");
  const std::string accept = ReadVector("ok-access_accept_ma.hex");
  for (size_t bit = 0; bit < accept.size() * 8; ++bit) {
    CheckResult r = Check(FlipBit(accept, bit));
    if (!r.ok()) continue;
    EXPECT_NE(Outcome(VerifyReply(r.packet(), request, kSecret, kDoNotRequire)), "none")
        << "bit " << bit;
  }
}

TEST(VerifyReply, RejectsMessageAuthenticatorMismatchUnderAValidResponseAuthenticator) {
  const Packet request = CheckVector("ok-access_request_pap_ma.hex");
  const std::string forged = Resign(FlipBit(ReadVector("ok-access_accept_ma.hex"), 22 * 8),
                                    request.authenticator, kSecret);
  EXPECT_EQ(Outcome(VerifyReply(MustCheck(forged), request, kSecret, kRequire)),
            "message_authenticator_mismatch");
}

// ---------------------------------------------------------------------------------------
// Encoders.

TEST(EncodeReply, RoundTripsEveryReplyWithMessageAuthenticatorFirst) {
  const std::pair<std::string, Code> cases[] = {
      {"ok-access_request_pap.hex", Code::kAccessAccept},
      {"ok-access_request_pap.hex", Code::kAccessReject},
      {"ok-access_request_pap.hex", Code::kAccessChallenge},
      {"ok-access_request_pap_ma.hex", Code::kAccessAccept},
      {"ok-status_server.hex", Code::kAccessAccept},
      {"ok-status_server.hex", Code::kAccountingResponse},
      {"ok-accounting_request_start.hex", Code::kAccountingResponse},
      {"ok-accounting_request_stop_ma.hex", Code::kAccountingResponse},
  };
  const std::vector<Attribute> attributes = {
      Uint32Attribute(attr::kServiceType, service_type::kFramedUser),
      StringAttribute(attr::kClass, "bm1251001002"),
      StringAttribute(attr::kReplyMessage, std::string(253, 'm')),
  };
  for (const auto& [request_file, code] : cases) {
    SCOPED_TRACE(request_file + " -> " + std::string(CodeName(code)));
    const Packet request = CheckVector(request_file);
    Result<std::string> bytes = EncodeReply(request, code, attributes, kSecret);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    const Packet reply = MustCheck(*bytes);
    EXPECT_EQ(reply.code, code);
    EXPECT_EQ(reply.identifier, request.identifier);
    EXPECT_EQ(reply.message_authenticator_offset, 20u);
    ASSERT_EQ(reply.attributes.size(), attributes.size() + 1);
    EXPECT_EQ(reply.attributes[0].type, attr::kMessageAuthenticator);
    EXPECT_TRUE(std::equal(attributes.begin(), attributes.end(), reply.attributes.begin() + 1));
    EXPECT_EQ(Outcome(VerifyReply(reply, request, kSecret, kRequire)), "none");
    EXPECT_EQ(Outcome(VerifyReply(reply, request, "testing124", kRequire)),
              "response_authenticator_mismatch");
  }
}

TEST(EncodeReply, CopiesProxyStateInOrderAtTheEnd) {
  const Packet request = CheckVector("ok-access_request_proxy_state_ma.hex");
  Result<std::string> bytes =
      EncodeReply(request, Code::kAccessAccept, {StringAttribute(attr::kClass, "c")}, kSecret);
  ASSERT_TRUE(bytes.ok());
  const Packet reply = MustCheck(*bytes);
  ASSERT_EQ(reply.attributes.size(), 4u);
  EXPECT_EQ(reply.attributes[2], StringAttribute(attr::kProxyState, "proxy-1"));
  EXPECT_EQ(reply.attributes[3], StringAttribute(attr::kProxyState, std::string("\0\1\2", 3)));
}

TEST(EncodeReply, RejectsInvalidInput) {
  const Packet access = CheckVector("ok-access_request_pap.hex");
  const Packet accounting = CheckVector("ok-accounting_request_start.hex");
  struct Case {
    std::string name;
    const Packet* request;
    Code code;
    std::vector<Attribute> attributes;
    std::string_view secret;
  };
  const std::vector<Attribute> too_big(17,
                                       StringAttribute(attr::kReplyMessage, std::string(253, 'x')));
  const Case cases[] = {
      {"accounting response to access request", &access, Code::kAccountingResponse, {}, kSecret},
      {"access accept to accounting request", &accounting, Code::kAccessAccept, {}, kSecret},
      {"request code as reply", &access, Code::kAccessRequest, {}, kSecret},
      {"caller message authenticator",
       &access,
       Code::kAccessAccept,
       {Attribute{attr::kMessageAuthenticator, std::string(16, '\0')}},
       kSecret},
      {"caller proxy state",
       &access,
       Code::kAccessAccept,
       {StringAttribute(attr::kProxyState, "p")},
       kSecret},
      {"value of 254 octets",
       &access,
       Code::kAccessAccept,
       {StringAttribute(attr::kReplyMessage, std::string(254, 'x'))},
       kSecret},
      {"over 4096 octets", &access, Code::kAccessAccept, too_big, kSecret},
      {"empty secret", &access, Code::kAccessAccept, {}, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<std::string> bytes = EncodeReply(*c.request, c.code, c.attributes, c.secret);
    ASSERT_FALSE(bytes.ok());
    EXPECT_EQ(bytes.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(EncodeRequests, RoundTripEveryRequestCode) {
  const std::vector<Attribute> attributes = {StringAttribute(attr::kUserName, "1251001002"),
                                             StringAttribute(attr::kNasIdentifier, "gw")};
  struct Case {
    std::string name;
    Result<std::string> bytes;
    Code code;
    bool message_authenticator;
  };
  const Case cases[] = {
      {"access", EncodeAccessRequest(1, MakeAuthenticator(1), attributes, kSecret, false),
       Code::kAccessRequest, false},
      {"access+ma", EncodeAccessRequest(2, MakeAuthenticator(2), attributes, kSecret, true),
       Code::kAccessRequest, true},
      {"status", EncodeStatusServer(3, MakeAuthenticator(3), attributes, kSecret),
       Code::kStatusServer, true},
      {"accounting", EncodeAccountingRequest(4, attributes, kSecret, false),
       Code::kAccountingRequest, false},
      {"accounting+ma", EncodeAccountingRequest(5, attributes, kSecret, true),
       Code::kAccountingRequest, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_TRUE(c.bytes.ok()) << c.bytes.status().ToString();
    const Packet p = MustCheck(*c.bytes);
    EXPECT_EQ(p.code, c.code);
    EXPECT_EQ(p.has_message_authenticator(), c.message_authenticator);
    EXPECT_EQ(p.message_authenticator_offset, c.message_authenticator ? 20u : 0u);
    const size_t first = c.message_authenticator ? 1 : 0;
    ASSERT_EQ(p.attributes.size(), attributes.size() + first);
    EXPECT_TRUE(std::equal(attributes.begin(), attributes.end(), p.attributes.begin() + first));
    EXPECT_EQ(Outcome(VerifyRequest(p, kSecret, {c.message_authenticator})), "none");
  }
}

TEST(EncodeRequests, RejectCallerMessageAuthenticatorAndEmptySecret) {
  const std::vector<Attribute> ma = {Attribute{attr::kMessageAuthenticator, std::string(16, 'x')}};
  EXPECT_FALSE(EncodeAccessRequest(1, MakeAuthenticator(1), ma, kSecret, false).ok());
  EXPECT_FALSE(EncodeStatusServer(1, MakeAuthenticator(1), ma, kSecret).ok());
  EXPECT_FALSE(EncodeAccountingRequest(1, ma, kSecret, false).ok());
  EXPECT_FALSE(EncodeAccessRequest(1, MakeAuthenticator(1), {}, "", false).ok());
  EXPECT_FALSE(EncodeAccountingRequest(1, {}, "", false).ok());
}

// ---------------------------------------------------------------------------------------
// User-Password.

TEST(UserPassword, RoundTripsEveryLengthUpTo128) {
  const std::pair<size_t, size_t> cases[] = {
      // password length, hidden length
      {0, 16},  {1, 16},  {15, 16},   {16, 16},   {17, 32},   {31, 32},
      {32, 32}, {33, 48}, {112, 112}, {127, 128}, {128, 128},
  };
  for (const auto& [length, hidden_length] : cases) {
    SCOPED_TRACE(length);
    std::string password;
    for (size_t i = 0; i < length; ++i) password.push_back(static_cast<char>('!' + i % 90));
    const Authenticator ra = MakeAuthenticator(static_cast<uint8_t>(length));
    Result<std::string> hidden = EncryptUserPassword(password, ra, kSecret);
    ASSERT_TRUE(hidden.ok());
    EXPECT_EQ(hidden->size(), hidden_length);
    Result<std::string> bytes =
        EncodeAccessRequest(9, ra, {Attribute{attr::kUserPassword, *hidden}}, kSecret, true);
    ASSERT_TRUE(bytes.ok());
    Result<std::string> plain = DecryptUserPassword(MustCheck(*bytes), kSecret);
    ASSERT_TRUE(plain.ok()) << plain.status().ToString();
    EXPECT_EQ(*plain, password);
  }
}

TEST(UserPassword, KeepsNulsThatAreNotTrailing) {
  const std::string password("a\0b", 3);
  Packet p;
  p.authenticator = MakeAuthenticator(3);
  p.attributes = {Attribute{attr::kUserPassword,
                            ValueOf(EncryptUserPassword(password, p.authenticator, kSecret))}};
  EXPECT_EQ(ValueOf(DecryptUserPassword(p, kSecret)), password);
}

TEST(UserPassword, EncryptRejectsOver128OctetsAndEmptySecret) {
  EXPECT_EQ(
      EncryptUserPassword(std::string(129, 'p'), MakeAuthenticator(1), kSecret).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(EncryptUserPassword("p", MakeAuthenticator(1), "").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(UserPassword, DecryptReportsAMissingPassword) {
  EXPECT_EQ(DecryptUserPassword(CheckVector("ok-status_server.hex"), kSecret).status().code(),
            StatusCode::kNotFound);
}

TEST(UserPassword, DecryptRejectsBadLengths) {
  for (size_t n : {0, 1, 15, 17, 31, 129, 144}) {
    SCOPED_TRACE(n);
    Packet p;  // built by hand: Check would already drop these
    p.attributes = {Attribute{attr::kUserPassword, std::string(n, 'x')}};
    EXPECT_EQ(DecryptUserPassword(p, kSecret).status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(UserPassword, AnotherSecretDoesNotRevealThePassword) {
  const Packet p = CheckVector("ok-rfc2865_7_1_access_request.hex");
  Result<std::string> password = DecryptUserPassword(p, kSecret);
  ASSERT_TRUE(password.ok());
  EXPECT_NE(*password, "arctangent");
}

// ---------------------------------------------------------------------------------------
// Getters.

TEST(Getters, ReadTheFirstAttributeOfAType) {
  Packet p;
  p.attributes = {Uint32Attribute(attr::kNasPort, 0x01020304), Uint32Attribute(attr::kNasPort, 9),
                  Ipv4Attribute(attr::kNasIpAddress, {10, 0, 0, 255}),
                  StringAttribute(attr::kUserName, "u")};
  EXPECT_EQ(p.attributes[0].value, std::string("\1\2\3\4", 4));
  Result<uint32_t> port = GetUint32(p, attr::kNasPort);
  ASSERT_TRUE(port.ok());
  EXPECT_EQ(*port, 0x01020304u);
  EXPECT_EQ(ValueOf(GetIpv4(p, attr::kNasIpAddress)), "10.0.0.255");
  EXPECT_EQ(FindAttribute(p, attr::kUserName), &p.attributes[3]);
  EXPECT_EQ(FindAttribute(p, attr::kState), nullptr);
}

TEST(Getters, ReportMissingAttributesAsNotFound) {
  const Packet p;
  EXPECT_EQ(GetString(p, attr::kUserName).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(GetUint32(p, attr::kNasPort).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(GetIpv4(p, attr::kNasIpAddress).status().code(), StatusCode::kNotFound);
}

TEST(Getters, RejectIntegersAndAddressesThatAreNot4Octets) {
  for (size_t n : {0, 3, 5}) {
    SCOPED_TRACE(n);
    Packet p;
    p.attributes = {Attribute{attr::kNasPort, std::string(n, '\1')},
                    Attribute{attr::kNasIpAddress, std::string(n, '\1')}};
    EXPECT_EQ(GetUint32(p, attr::kNasPort).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(GetIpv4(p, attr::kNasIpAddress).status().code(), StatusCode::kInvalidArgument);
  }
}

// ---------------------------------------------------------------------------------------
// User-Name (SPEC §5).

TEST(ParseUserNameAppId, AcceptsTheThreeForms) {
  const std::pair<std::string_view, uint64_t> cases[] = {
      {"1251001002", 1251001002},
      {"bm1251001002\\1251001002", 1251001002},
      {"1251001002@bm1251001002", 1251001002},
      {"1", 1},
      {"18446744073709551615", UINT64_MAX},
      {"bm18446744073709551615\\18446744073709551615", UINT64_MAX},
  };
  for (const auto& [name, app_id] : cases) {
    SCOPED_TRACE(name);
    Result<uint64_t> r = ParseUserNameAppId(name);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, app_id);
  }
}

TEST(ParseUserNameAppId, RejectsEverythingElse) {
  const std::string_view cases[] = {
      "",
      "bm1251001002\\1251001003",  // another tenant's group
      "1251001002@bm1251001003",
      "bm1251001003\\1251001002",
      "1251001002@bm125100100",
      "1251001002@bm12510010022",
      "BM1251001002\\1251001002",  // the group is "bm", lower case
      "xx1251001002\\1251001002",
      "bm\\1251001002",
      "1251001002@bm",
      "1251001002@",
      "@bm1251001002",
      "\\1251001002",
      "bm1251001002\\",
      "1251001002\\bm1251001002",  // swapped
      "bm1251001002@1251001002",
      "1251001002@bm1251001002@bm1251001002",
      "bm1251001002\\1251001002@bm1251001002",
      "nemo",
      "12a",
      " 1251001002",
      "1251001002 ",
      "+1251001002",
      "-1251001002",
      "0",
      "01251001002",  // not canonical
      "bm01251001002\\01251001002",
      "18446744073709551616",  // 2^64
      "99999999999999999999999",
      std::string_view("1251001002\0", 11),
  };
  for (std::string_view name : cases) {
    SCOPED_TRACE(testing::PrintToString(std::string(name)));
    Result<uint64_t> r = ParseUserNameAppId(name);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace obvpn::radius
