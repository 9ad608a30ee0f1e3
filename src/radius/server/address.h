// IP addresses and CIDR networks for the RADIUS client table: which configured client a
// datagram's source address belongs to (SPEC §5 "Known clients only"). Pure values, no
// sockets; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace obvpn::radius {

// An IPv4 or IPv6 address. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is stored as the
// IPv4 address, so a dual-stack socket and an IPv4 socket see the same client.
struct IpAddress {
  bool v6 = false;
  // IPv4: bytes[0..3]; IPv6: all 16.
  std::array<uint8_t, 16> bytes{};

  static IpAddress V4(const std::array<uint8_t, 4>& b);
  // Maps ::ffff:a.b.c.d to the IPv4 address.
  static IpAddress V6(const std::array<uint8_t, 16>& b);
  // Parses dotted decimal or RFC 4291 text; InvalidArgument otherwise (no zone ids).
  static Result<IpAddress> Parse(std::string_view text);

  size_t bit_length() const { return v6 ? 128 : 32; }
  // "192.0.2.1", "2001:db8::1".
  std::string ToString() const;

  bool operator==(const IpAddress&) const = default;
};

// A network: an address and a prefix length. A single address is a /32 or /128.
struct Cidr {
  IpAddress network;
  size_t prefix = 0;

  // Parses "10.0.0.0/8", "::1/128", or a bare address. Host bits below the prefix are
  // ignored (cleared), as obvpnctl already refuses them when a client is added.
  // InvalidArgument for anything else.
  static Result<Cidr> Parse(std::string_view text);

  // True when `address` is of the same family and inside this network.
  bool Contains(const IpAddress& address) const;
};

}  // namespace obvpn::radius
