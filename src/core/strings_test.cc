#include "core/strings.h"

#include <gtest/gtest.h>

namespace obvpn {
namespace {

TEST(ParseUint64, AcceptsFullRange) {
  EXPECT_EQ(ParseUint64("0"), 0u);
  EXPECT_EQ(ParseUint64("1251001002"), 1251001002u);
  EXPECT_EQ(ParseUint64("18446744073709551615"), UINT64_MAX);
}

TEST(ParseUint64, RejectsNonDigitsAndOverflow) {
  for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1a", "18446744073709551616",
                          "99999999999999999999", "1.0", "0x10"}) {
    EXPECT_FALSE(ParseUint64(bad).has_value()) << bad;
  }
}

TEST(ParseInt64, AcceptsNegativeAndRejectsOverflow) {
  EXPECT_EQ(ParseInt64("-5"), -5);
  EXPECT_EQ(ParseInt64("-9223372036854775808"), INT64_MIN);
  EXPECT_FALSE(ParseInt64("9223372036854775808").has_value());
  EXPECT_FALSE(ParseInt64("-").has_value());
}

TEST(IsValidUtf8, AcceptsWellFormed) {
  EXPECT_TRUE(IsValidUtf8("abc"));
  EXPECT_TRUE(IsValidUtf8("\xe6\x9c\xaa"));      // 未
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));  // U+1F600
}

TEST(IsValidUtf8, RejectsMalformed) {
  EXPECT_FALSE(IsValidUtf8("\x89"));              // lone continuation
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe6\x9c"));          // truncated
}

TEST(Split, KeepsEmptyFields) {
  auto v = Split("a,,b", ',');
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[1], "");
}

TEST(EscapeForLog, EscapesControlAndHighBytes) {
  EXPECT_EQ(EscapeForLog("a\"b\n\x01\x89"), "a\\\"b\\n\\u0001\\u0089");
}

}  // namespace
}  // namespace obvpn
