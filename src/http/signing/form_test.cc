#include "http/signing/form.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace obvpn::http::signing {
namespace {

constexpr size_t kLimit = 100;

// gtest names the instantiated cases after their `name` field.
template <typename Case>
std::string CaseName(const testing::TestParamInfo<Case>& param_info) {
  return std::string(param_info.param.name);
}

struct DecodeCase {
  std::string_view name;
  std::string_view text;
  std::string_view want_value;  // of the single parameter "a"
};
void PrintTo(const DecodeCase& c, std::ostream* os) { *os << c.name; }

class DecodeFormValueTest : public testing::TestWithParam<DecodeCase> {};

TEST_P(DecodeFormValueTest, DecodesValue) {
  const Result<Params> got = DecodeForm(GetParam().text, kLimit);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].key, "a");
  EXPECT_EQ((*got)[0].value, GetParam().want_value);
}

INSTANTIATE_TEST_SUITE_P(
    Escapes, DecodeFormValueTest,
    testing::Values(
        DecodeCase{"PlusIsSpace", "a=x+y", "x y"}, DecodeCase{"Percent20IsSpace", "a=x%20y", "x y"},
        DecodeCase{"Percent2BIsPlus", "a=x%2By", "x+y"},
        DecodeCase{"Percent25IsPercent", "a=tencentV%2589", "tencentV%89"},
        DecodeCase{"LowerCaseHex", "a=%4a%2b", "J+"}, DecodeCase{"UpperCaseHex", "a=%4A%2B", "J+"},
        DecodeCase{"ValidUtf8", "a=%E6%9C%AA", "\xE6\x9C\xAA"},
        DecodeCase{"RawValidUtf8", "a=\xE6\x9C\xAA", "\xE6\x9C\xAA"},
        DecodeCase{"ValueMayContainEquals", "a=b=c", "b=c"}, DecodeCase{"EmptyValue", "a=", ""},
        DecodeCase{"NoEqualsIsEmptyValue", "a", ""}),
    CaseName<DecodeCase>);

TEST(DecodeForm, DecodesKey) {
  const Result<Params> got = DecodeForm("a+b%2Ec=1", kLimit);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].key, "a b.c");
}

TEST(DecodeForm, KeepsWireOrder) {
  const Result<Params> got = DecodeForm("z=1&a=2&m=3", kLimit);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].key, "z");
  EXPECT_EQ((*got)[1].key, "a");
  EXPECT_EQ((*got)[2].key, "m");
}

TEST(DecodeForm, EmptyTextIsNoParameters) {
  const Result<Params> got = DecodeForm("", kLimit);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->empty());
}

TEST(DecodeForm, SkipsEmptySegments) {
  const Result<Params> got = DecodeForm("&a=1&&b=2&", kLimit);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].key, "a");
  EXPECT_EQ((*got)[0].value, "1");
  EXPECT_EQ((*got)[1].key, "b");
  EXPECT_EQ((*got)[1].value, "2");
}

struct RejectCase {
  std::string_view name;
  std::string_view text;
  std::string_view want_in_message;
};
void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.name; }

class DecodeFormRejectTest : public testing::TestWithParam<RejectCase> {};

// Every value below holds "Sup3rSecret": a rejected value may be a password and must
// never be echoed.
TEST_P(DecodeFormRejectTest, RejectsNamingParameterWithoutValue) {
  const Result<Params> got = DecodeForm(GetParam().text, kLimit);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(got.status().message().find(GetParam().want_in_message), std::string::npos)
      << got.status().message();
  EXPECT_EQ(got.status().message().find("Sup3rSecret"), std::string::npos)
      << got.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    BadValues, DecodeFormRejectTest,
    testing::Values(RejectCase{"LonePercent", "password=Sup3rSecret%",
                               "parameter 'password' has a malformed percent escape"},
                    RejectCase{"OneHexDigit", "password=Sup3rSecret%2",
                               "parameter 'password' has a malformed percent escape"},
                    RejectCase{"NonHexDigits", "password=Sup3rSecret%zz",
                               "parameter 'password' has a malformed percent escape"},
                    RejectCase{"SecondDigitNotHex", "password=Sup3rSecret%2G",
                               "parameter 'password' has a malformed percent escape"},
                    RejectCase{"FirstDigitNotHex", "password=Sup3rSecret%G2",
                               "parameter 'password' has a malformed percent escape"},
                    RejectCase{"EscapedNul", "password=Sup3rSecret%00x",
                               "parameter 'password' contains a NUL byte"},
                    RejectCase{"RawNul", std::string_view("password=Sup3rSecret\0x", 22),
                               "parameter 'password' contains a NUL byte"},
                    RejectCase{"LoneContinuationByte", "password=Sup3rSecret%89",
                               "parameter 'password' is not valid UTF-8"},
                    RejectCase{"OverlongSlash", "password=Sup3rSecret%C0%AF",
                               "parameter 'password' is not valid UTF-8"},
                    RejectCase{"TruncatedSequence", "password=Sup3rSecret%E6%9C",
                               "parameter 'password' is not valid UTF-8"},
                    RejectCase{"Duplicate", "Nonce=1&Nonce=Sup3rSecret",
                               "parameter 'Nonce' is given more than once"},
                    RejectCase{"DuplicateEncodedDifferently", "a=1&%61=Sup3rSecret",
                               "parameter 'a' is given more than once"},
                    RejectCase{"DuplicatePlusAndPercent20", "a+b=1&a%20b=Sup3rSecret",
                               "parameter 'a b' is given more than once"},
                    RejectCase{"DuplicateWithoutEquals", "a=Sup3rSecret&a",
                               "parameter 'a' is given more than once"},
                    RejectCase{"EmptyKey", "=Sup3rSecret", "empty parameter name"},
                    RejectCase{"OnlyEquals", "a=1&=", "empty parameter name"}),
    CaseName<RejectCase>);

INSTANTIATE_TEST_SUITE_P(
    BadKeys, DecodeFormRejectTest,
    testing::Values(RejectCase{"MalformedEscapeShownAsSent", "ab%zz=Sup3rSecret",
                               "parameter name 'ab%zz' has a malformed percent escape"},
                    RejectCase{"TrailingPercent", "ab%=Sup3rSecret",
                               "parameter name 'ab%' has a malformed percent escape"},
                    RejectCase{"NulShownEscaped", "a%00b=Sup3rSecret",
                               "parameter name 'a\\u0000b' contains a NUL byte"},
                    RejectCase{"InvalidUtf8ShownEscaped", "a%89=Sup3rSecret",
                               "parameter name 'a\\u0089' is not valid UTF-8"},
                    RejectCase{"DuplicateControlCharShownEscaped", "%0Ab=1&%0Ab=Sup3rSecret",
                               "parameter '\\nb' is given more than once"}),
    CaseName<RejectCase>);

TEST(DecodeForm, MessageNeverContainsRawControlBytes) {
  const Result<Params> got = DecodeForm("%0Ax%0D=1&%0Ax%0D=2", kLimit);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message().find_first_of("\r\n"), std::string::npos)
      << got.status().message();
}

TEST(DecodeForm, TruncatesLongNameInMessage) {
  const std::string key(10000, 'k');
  const Result<Params> got = DecodeForm(key + "%zz=1", kLimit);
  ASSERT_FALSE(got.ok());
  EXPECT_LT(got.status().message().size(), 200u) << got.status().message();
  EXPECT_NE(got.status().message().find("kkkk..."), std::string::npos);
}

// `n` parameters p0=v&p1=v&... with empty segments between them (which do not count).
std::string ManyParams(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += "p" + std::to_string(i) + "=v&&";
  return out;
}

// Up to 32 parameters are compared pairwise, more through a tree: both find a duplicate
// wherever it is, and neither reports one that is not there.
TEST(DecodeForm, FindsDuplicatesAmongFewAndManyParameters) {
  for (size_t n : {2u, 31u, 32u, 33u, 200u}) {
    std::string distinct;
    for (size_t i = 0; i < n; ++i) distinct += (i ? "&k" : "k") + std::to_string(i) + "=v";
    EXPECT_TRUE(DecodeForm(distinct, 1000).ok()) << n;
    const std::string dup = distinct + "&k0=again";
    const Result<Params> got = DecodeForm(dup, 1000);
    ASSERT_FALSE(got.ok()) << n;
    EXPECT_EQ(got.status().message(), "parameter 'k0' is given more than once") << n;
  }
}

TEST(DecodeForm, AcceptsExactlyMaxParams) {
  const Result<Params> got = DecodeForm(ManyParams(kLimit), kLimit);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->size(), kLimit);
}

TEST(DecodeForm, RejectsOneMoreThanMaxParams) {
  const Result<Params> got = DecodeForm(ManyParams(kLimit + 1), kLimit);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(got.status().message(), "too many parameters (limit 100)");
}

TEST(DecodeForm, ChecksLimitBeforeDecoding) {
  // The first segment is malformed, but the count is over the limit: the limit wins,
  // showing that nothing was decoded.
  const Result<Params> got = DecodeForm("a=%zz&b=1&c=1", 2);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "too many parameters (limit 2)");
}

TEST(DecodeForm, ZeroLimitAcceptsOnlyEmptyText) {
  EXPECT_TRUE(DecodeForm("&&", 0).ok());
  EXPECT_FALSE(DecodeForm("a", 0).ok());
}

TEST(FindParam, FindsExactKey) {
  const Params params = {{"Action", "x"}, {"Nonce", "1"}};
  const Param* got = FindParam(params, "Nonce");
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->value, "1");
}

TEST(FindParam, ReturnsNullWhenAbsent) {
  const Params params = {{"Action", "x"}};
  EXPECT_EQ(FindParam(params, "Nonce"), nullptr);
}

TEST(FindParam, IsCaseSensitive) {
  const Params params = {{"Action", "x"}};
  EXPECT_EQ(FindParam(params, "action"), nullptr);
}

TEST(UrlEncode, KeepsUnreservedCharacters) {
  const std::string unreserved =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
  EXPECT_EQ(UrlEncode(unreserved), unreserved);
}

TEST(UrlEncode, EscapesEverythingElseWithUpperCaseHex) {
  EXPECT_EQ(UrlEncode(" +%/=&?*!#"), "%20%2B%25%2F%3D%26%3F%2A%21%23");
  EXPECT_EQ(UrlEncode("\xE6\x9C\xAA"), "%E6%9C%AA");
  EXPECT_EQ(UrlEncode(std::string_view("\0\x7F\xFF", 3)), "%00%7F%FF");
}

TEST(EncodeForm, JoinsInGivenOrder) {
  const Params params = {{"z", "a b"}, {"a_b", "x/y"}, {"e", ""}};
  EXPECT_EQ(EncodeForm(params), "z=a%20b&a_b=x%2Fy&e=");
}

TEST(EncodeForm, EmptyParamsIsEmptyString) { EXPECT_EQ(EncodeForm({}), ""); }

TEST(EncodeForm, RoundTripsThroughDecodeForm) {
  const Params params = {{"password", "tencentV%89"}, {"k y", "+&=\xE6\x9C\xAA"}, {"e", ""}};
  const Result<Params> got = DecodeForm(EncodeForm(params), kLimit);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    EXPECT_EQ((*got)[i].key, params[i].key);
    EXPECT_EQ((*got)[i].value, params[i].value);
  }
}

}  // namespace
}  // namespace obvpn::http::signing
