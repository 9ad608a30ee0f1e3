#include "crypto/crypto.h"

#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <string>
#include <type_traits>

#include "crypto/secret.h"

namespace obvpn::crypto {
namespace {

std::string Unhex(std::string_view hex) {
  std::optional<std::string> bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.has_value()) << hex;
  return bytes.value_or("");
}

struct MacVector {
  const char* name;
  std::string key;
  std::string data;
  const char* mac_hex;  // may be a prefix of the full MAC (truncated test cases)
};

// RFC 4231 §4.2-§4.8.
std::vector<MacVector> Rfc4231Vectors() {
  return {
      {"case1", std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"case2", "Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"case3", std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"case4", Unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
       std::string(50, '\xcd'), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"case5", std::string(20, '\x0c'), "Test With Truncation",
       "a3b6167473100ee06e0c796c2955552b"},
      {"case6", std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"case7", std::string(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. "
       "The key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
}

// RFC 2202 §3.
std::vector<MacVector> Rfc2202Vectors() {
  return {
      {"case1", std::string(20, '\x0b'), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"},
      {"case2", "Jefe", "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
      {"case3", std::string(20, '\xaa'), std::string(50, '\xdd'),
       "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
      {"case4", Unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
       std::string(50, '\xcd'), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
      {"case5", std::string(20, '\x0c'), "Test With Truncation",
       "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
      {"case6", std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
      {"case7", std::string(80, '\xaa'),
       "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
       "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
  };
}

TEST(HmacSha256, MatchesRfc4231Vectors) {
  for (const MacVector& v : Rfc4231Vectors()) {
    const std::string mac = HmacSha256(v.key, v.data);
    EXPECT_EQ(mac.size(), 32u) << v.name;
    const std::string expected = v.mac_hex;
    EXPECT_EQ(HexEncode(mac).substr(0, expected.size()), expected) << v.name;
  }
}

TEST(HmacSha1, MatchesRfc2202Vectors) {
  for (const MacVector& v : Rfc2202Vectors()) {
    const std::string mac = HmacSha1(v.key, v.data);
    EXPECT_EQ(HexEncode(mac), v.mac_hex) << v.name;
  }
}

TEST(HmacSha256, AcceptsEmptyKeyAndData) {
  EXPECT_EQ(HexEncode(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

// SPEC §3.2 test vectors from the public Tencent API 2.0 signature documentation.
constexpr char kTencentKey[] = "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA";

TEST(HmacSha1, MatchesTencentApi2SignatureVector) {
  const std::string to_sign =
      "GETcvm.api.qcloud.com/v2/index.php?Action=DescribeInstances&Nonce=11886&Region=gz"
      "&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&Timestamp=1465185768"
      "&instanceIds.0=ins-09dx96dg&limit=20&offset=0";
  EXPECT_EQ(Base64Encode(HmacSha1(kTencentKey, to_sign)), "NSI3UqqD99b/UJb4tbG/xZpRW64=");
}

TEST(HmacSha256, MatchesTencentApi2SignatureVector) {
  const std::string to_sign =
      "GETcvm.api.qcloud.com/v2/index.php?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg"
      "&Nonce=11886&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA"
      "&SignatureMethod=HmacSHA256&Timestamp=1465185768";
  EXPECT_EQ(Base64Encode(HmacSha256(kTencentKey, to_sign)),
            "0EEm/HtGRr/VJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s=");
}

// FIPS 180-2 Appendix B.1 and the empty message.
TEST(Sha256, MatchesKnownDigests) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// RFC 4648 §10.
TEST(Base64, EncodesRfc4648Vectors) {
  const std::pair<const char*, const char*> kVectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : kVectors) {
    EXPECT_EQ(Base64Encode(plain), encoded) << plain;
    EXPECT_EQ(Base64Decode(encoded), std::optional<std::string>(plain)) << encoded;
  }
}

TEST(Base64, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t len = 0; len <= all.size(); len += 37) {
    const std::string bytes = all.substr(0, len);
    EXPECT_EQ(Base64Decode(Base64Encode(bytes)), std::optional<std::string>(bytes)) << len;
  }
  EXPECT_EQ(Base64Decode(Base64Encode(all)), std::optional<std::string>(all));
}

TEST(Base64, RejectsMalformedText) {
  const std::string kBad[] = {
      "Zg",                     // missing padding
      "Zg=",                    // short padding
      "Z===",                   // three padding characters
      "====",                   // padding only
      "Zg==Zg==",               // padding in the middle
      "Zg=A",                   // data after padding
      "Zh==",                   // non-zero bits before "=="
      "Zm9=",                   // non-zero bits before "="
      "Zm9v\n",                 // line feed
      "Zm9v\r\n",               // CRLF
      "Zm 9v",                  // embedded space
      " Zm9v",                  // leading space
      "Zm9-",                   // base64url alphabet
      "Zm9_",                   // base64url alphabet
      "Zm9*",                   // not in any alphabet
      std::string("Zm9\0", 4),  // NUL
      "Zm9\x80",                // non-ASCII
  };
  for (const std::string& text : kBad) {
    EXPECT_FALSE(Base64Decode(text).has_value()) << HexEncode(text);
  }
}

TEST(Hex, EncodesLowerCase) {
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(HexEncode(""), "");
}

TEST(Hex, DecodesEitherCase) {
  EXPECT_EQ(HexDecode("DEADbeef"), std::optional<std::string>("\xde\xad\xbe\xef"));
  EXPECT_EQ(HexDecode(""), std::optional<std::string>(""));
}

TEST(Hex, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(HexDecode(HexEncode(all)), std::optional<std::string>(all));
}

TEST(Hex, RejectsOddLengthAndNonHex) {
  for (const char* bad : {"a", "abc", "zz", "0g", "0x12", " 12", "12 ", "1-"}) {
    EXPECT_FALSE(HexDecode(bad).has_value()) << bad;
  }
}

TEST(ConstantTimeEquals, AcceptsEqualStrings) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("signature", "signature"));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
}

TEST(ConstantTimeEquals, RejectsDifferentContent) {
  EXPECT_FALSE(ConstantTimeEquals("signature", "signaturf"));
  EXPECT_FALSE(ConstantTimeEquals("signature", "Signature"));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(ConstantTimeEquals, RejectsDifferentLengths) {
  EXPECT_FALSE(ConstantTimeEquals("sig", "signature"));
  EXPECT_FALSE(ConstantTimeEquals("signature", "sig"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

TEST(RandomBytes, ReturnsRequestedLengthAndFreshBytes) {
  EXPECT_EQ(RandomBytes(0), "");
  const std::string a = RandomBytes(32);
  const std::string b = RandomBytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(b.size(), 32u);
  EXPECT_NE(a, b);  // equal with probability 2^-256
}

TEST(RandomAlnum, UsesOnlyAndAllAlphanumerics) {
  const std::string s = RandomAlnum(62 * 100);
  ASSERT_EQ(s.size(), 62u * 100);
  std::set<char> seen;
  for (const char c : s) {
    EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        << static_cast<int>(c);
    seen.insert(c);
  }
  // Each of the 62 characters is missing with probability (61/62)^6200 < 1e-43.
  EXPECT_EQ(seen.size(), 62u);
}

TEST(Wipe, ZeroesEveryByteAndKeepsLength) {
  std::string s = "a secret value that is longer than the small-string buffer";
  const size_t size = s.size();
  Wipe(s);
  EXPECT_EQ(s, std::string(size, '\0'));
}

template <typename T>
concept Streamable = requires(std::ostream& os, const T& t) {
  os << t;
};

TEST(Secret, CannotBePrintedOrConvertedImplicitly) {
  static_assert(!Streamable<Secret>);
  static_assert(!std::is_convertible_v<Secret, std::string>);
  static_assert(!std::is_convertible_v<Secret, std::string_view>);
  static_assert(!std::is_convertible_v<std::string, Secret>);
  const Secret s(std::string("k3y"));
  EXPECT_EQ(s.reveal(), "k3y");
  EXPECT_EQ(s.size(), 3u);
  EXPECT_FALSE(s.empty());
  EXPECT_TRUE(Secret().empty());
}

}  // namespace
}  // namespace obvpn::crypto
