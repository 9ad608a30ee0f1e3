// IP address and CIDR parsing and matching, and the client table's choice of client.
#include "radius/server/address.h"

#include <gtest/gtest.h>

#include "radius/server/client_table.h"

namespace obvpn::radius {
namespace {

IpAddress Ip(std::string_view s) {
  auto a = IpAddress::Parse(s);
  EXPECT_TRUE(a.ok()) << s;
  return a.ok() ? *a : IpAddress{};
}

TEST(IpAddress, ParsesV4AndV6AndFormatsThemBack) {
  EXPECT_EQ(Ip("192.0.2.1").ToString(), "192.0.2.1");
  EXPECT_FALSE(Ip("192.0.2.1").v6);
  EXPECT_EQ(Ip("2001:db8::1").ToString(), "2001:db8::1");
  EXPECT_TRUE(Ip("2001:db8::1").v6);
}

TEST(IpAddress, MapsV4MappedV6ToV4) {
  EXPECT_EQ(Ip("::ffff:127.0.0.1"), Ip("127.0.0.1"));
  EXPECT_FALSE(Ip("::ffff:127.0.0.1").v6);
}

TEST(IpAddress, RejectsMalformed) {
  for (const char* s : {"", "localhost", "1.2.3", "1.2.3.256", "fe80::1%eth0", " 1.2.3.4"}) {
    EXPECT_FALSE(IpAddress::Parse(s).ok()) << s;
  }
}

TEST(Cidr, ContainsAddressesInsideOnly) {
  auto net = Cidr::Parse("10.1.0.0/16");
  ASSERT_TRUE(net.ok());
  EXPECT_TRUE(net->Contains(Ip("10.1.255.3")));
  EXPECT_FALSE(net->Contains(Ip("10.2.0.1")));
  EXPECT_FALSE(net->Contains(Ip("::ffff:10.2.0.1")));
}

TEST(Cidr, BareAddressIsHostRoute) {
  auto net = Cidr::Parse("127.0.0.1");
  ASSERT_TRUE(net.ok());
  EXPECT_EQ(net->prefix, 32u);
  EXPECT_TRUE(net->Contains(Ip("127.0.0.1")));
  EXPECT_FALSE(net->Contains(Ip("127.0.0.2")));
}

TEST(Cidr, OddPrefixMatchesPartialByte) {
  auto net = Cidr::Parse("192.0.2.128/25");
  ASSERT_TRUE(net.ok());
  EXPECT_TRUE(net->Contains(Ip("192.0.2.200")));
  EXPECT_FALSE(net->Contains(Ip("192.0.2.127")));
}

TEST(Cidr, ZeroPrefixMatchesWholeFamilyOnly) {
  auto any4 = Cidr::Parse("0.0.0.0/0");
  ASSERT_TRUE(any4.ok());
  EXPECT_TRUE(any4->Contains(Ip("203.0.113.9")));
  EXPECT_FALSE(any4->Contains(Ip("::1")));
}

TEST(Cidr, V6Networks) {
  auto net = Cidr::Parse("2001:db8::/32");
  ASSERT_TRUE(net.ok());
  EXPECT_TRUE(net->Contains(Ip("2001:db8:ffff::1")));
  EXPECT_FALSE(net->Contains(Ip("2001:db9::1")));
}

TEST(Cidr, RejectsBadPrefixes) {
  for (const char* s : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/a", "::/129", "10.0.0.0/0008"}) {
    EXPECT_FALSE(Cidr::Parse(s).ok()) << s;
  }
}

ClientEntry Entry(std::string name, std::string_view cidr) {
  auto net = Cidr::Parse(cidr);
  EXPECT_TRUE(net.ok());
  return ClientEntry{std::move(name), net.ok() ? *net : Cidr{}, crypto::Secret("s"), {}};
}

TEST(ClientTable, LongestPrefixWins) {
  std::vector<ClientEntry> v;
  v.push_back(Entry("lan", "10.0.0.0/8"));
  v.push_back(Entry("gw", "10.0.0.7/32"));
  ClientTable t(std::move(v));
  ASSERT_NE(t.Find(Ip("10.0.0.7")), nullptr);
  EXPECT_EQ(t.Find(Ip("10.0.0.7"))->name, "gw");
  EXPECT_EQ(t.Find(Ip("10.0.0.8"))->name, "lan");
  EXPECT_EQ(t.Find(Ip("11.0.0.1")), nullptr);
}

TEST(ClientTable, EqualPrefixesPickFirstByName) {
  std::vector<ClientEntry> v;
  v.push_back(Entry("b", "10.0.0.0/8"));
  v.push_back(Entry("a", "10.0.0.0/8"));
  ClientTable t(std::move(v));
  EXPECT_EQ(t.Find(Ip("10.1.1.1"))->name, "a");
}

}  // namespace
}  // namespace obvpn::radius
