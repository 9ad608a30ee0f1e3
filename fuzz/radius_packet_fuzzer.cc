// libFuzzer target for the RADIUS packet codec (src/radius/packet). Drives every step a
// received datagram goes through (Check, VerifyRequest, the decoders) and the reply
// encoder, and traps when an invariant breaks. Seeds: tests/testdata/radius/*.hex, each
// converted to binary (`xxd -r -p`).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "radius/packet/packet.h"
#include "radius/packet/user_name.h"

namespace {

using obvpn::radius::Attribute;
using obvpn::radius::Code;
using obvpn::radius::Packet;

// The secret of the seed vectors, so that seeds reach past Verify.
constexpr std::string_view kSecret = "testing123";

void Require(bool condition) {
  if (!condition) std::abort();
}

void Decode(const Packet& p) {
  namespace attr = obvpn::radius::attr;
  (void)obvpn::radius::DecryptUserPassword(p, kSecret);
  (void)obvpn::radius::GetUint32(p, attr::kNasPort);
  (void)obvpn::radius::GetUint32(p, attr::kAcctStatusType);
  (void)obvpn::radius::GetIpv4(p, attr::kNasIpAddress);
  auto user = obvpn::radius::GetString(p, attr::kUserName);
  if (user.ok()) (void)obvpn::radius::ParseUserNameAppId(*user);
}

// A reply to an accepted request must itself pass Check and VerifyReply.
void Reply(const Packet& request) {
  Code code;
  switch (request.code) {
    case Code::kAccessRequest:
    case Code::kStatusServer:
      code = Code::kAccessAccept;
      break;
    case Code::kAccountingRequest:
      code = Code::kAccountingResponse;
      break;
    default:
      return;
  }
  const std::vector<Attribute> attributes = {
      obvpn::radius::StringAttribute(obvpn::radius::attr::kClass, "bm1251001002")};
  auto bytes = obvpn::radius::EncodeReply(request, code, attributes, kSecret);
  if (!bytes.ok()) return;  // e.g. the copied Proxy-States would exceed 4096 octets
  obvpn::radius::CheckResult reply = obvpn::radius::Check(*bytes);
  Require(reply.ok());
  Require(!obvpn::radius::VerifyReply(reply.packet(), request, kSecret, {true}).has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view datagram(reinterpret_cast<const char*>(data), size);
  obvpn::radius::CheckResult checked = obvpn::radius::Check(datagram);
  if (!checked.ok()) {
    Require(!obvpn::radius::DiscardReasonName(checked.reason()).empty());
    return 0;
  }
  const Packet& p = checked.packet();
  Require(p.raw.size() >= obvpn::radius::kMinPacketLength && p.raw.size() <= size);
  Require(datagram.substr(0, p.raw.size()) == p.raw);

  Decode(p);
  const auto strict = obvpn::radius::VerifyRequest(p, kSecret, {true});
  const auto lenient = obvpn::radius::VerifyRequest(p, kSecret, {false});
  // Requiring Message-Authenticator can only reject more.
  Require(strict.has_value() || !lenient.has_value());
  if (!lenient.has_value()) Reply(p);
  return 0;
}
