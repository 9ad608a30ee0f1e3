#include "radius/server/address.h"

#include <arpa/inet.h>

#include <optional>

#include "core/strings.h"

namespace obvpn::radius {
namespace {

// Bits [0, prefix) of a and b are equal.
bool PrefixEquals(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b,
                  size_t prefix) {
  const size_t full = prefix / 8;
  for (size_t i = 0; i < full; ++i) {
    if (a[i] != b[i]) return false;
  }
  const size_t rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

}  // namespace

IpAddress IpAddress::V4(const std::array<uint8_t, 4>& b) {
  IpAddress a;
  for (size_t i = 0; i < 4; ++i) a.bytes[i] = b[i];
  return a;
}

IpAddress IpAddress::V6(const std::array<uint8_t, 16>& b) {
  // RFC 4291 §2.5.5.2: ::ffff:0:0/96 carries an IPv4 address.
  static constexpr std::array<uint8_t, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  bool mapped = true;
  for (size_t i = 0; i < kMapped.size(); ++i) mapped = mapped && b[i] == kMapped[i];
  if (mapped) return V4({b[12], b[13], b[14], b[15]});
  IpAddress a;
  a.v6 = true;
  a.bytes = b;
  return a;
}

Result<IpAddress> IpAddress::Parse(std::string_view text) {
  const std::string s(text);
  std::array<uint8_t, 16> buf{};
  if (::inet_pton(AF_INET, s.c_str(), buf.data()) == 1) {
    return V4({buf[0], buf[1], buf[2], buf[3]});
  }
  if (::inet_pton(AF_INET6, s.c_str(), buf.data()) == 1) return V6(buf);
  return InvalidArgument("'" + EscapeForLog(text) + "' is not an IPv4 or IPv6 address");
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (::inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf) == nullptr) return "?";
  return buf;
}

Result<Cidr> Cidr::Parse(std::string_view text) {
  const size_t slash = text.find('/');
  OBVPN_ASSIGN_OR_RETURN(IpAddress address, IpAddress::Parse(text.substr(0, slash)));
  Cidr c;
  c.network = address;
  c.prefix = address.bit_length();
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const std::optional<uint64_t> p = digits.size() <= 3 ? ParseUint64(digits) : std::nullopt;
    if (!p || *p > address.bit_length()) {
      return InvalidArgument("'" + EscapeForLog(text) + "': the prefix length must be 0.." +
                             std::to_string(address.bit_length()));
    }
    c.prefix = static_cast<size_t>(*p);
  }
  return c;
}

bool Cidr::Contains(const IpAddress& address) const {
  return address.v6 == network.v6 && PrefixEquals(address.bytes, network.bytes, prefix);
}

}  // namespace obvpn::radius
