#include "password/password.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/crypto.h"

namespace obvpn::password {
namespace {

constexpr char kLengthRule[] = "password must be 8 to 16 characters long";
constexpr char kCharsetRule[] =
    "password may contain only ASCII letters, digits and the symbols !#$%&^*()";
constexpr char kClassRule[] =
    "password must contain at least two of: letters, digits, symbols !#$%&^*()";

struct RuleCase {
  std::string name;
  std::string password;
  const char* failed_rule;  // nullptr: accepted
};

std::vector<RuleCase> RuleCases() {
  std::vector<RuleCase> cases = {
      // Length boundaries (SPEC §3.6: 8 to 16).
      {"empty", "", kLengthRule},
      {"length7", "abcde12", kLengthRule},
      {"length8", "abcdef12", nullptr},
      {"length16", "abcdefghijklmn12", nullptr},
      {"length17", "abcdefghijklmno12", kLengthRule},
      {"length17 with bad char", "abcdefghijklmno1 ", kLengthRule},  // length checked first
      // One class alone.
      {"letters only", "abcdefgH", kClassRule},
      {"digits only", "12345678", kClassRule},
      {"symbols only", ")(*^&%$#!", kClassRule},
      // Each pair and all three.
      {"letters and digits", "abcdefg1", nullptr},
      {"letters and symbols", "abcdefg!", nullptr},
      {"digits and symbols", "1234567!", nullptr},
      {"all three classes", "abcdef1!", nullptr},
      // SPEC §3.6 seed example: decoded "tencentV%89" is valid; the unencoded URL
      // decodes to "tencentV" + byte 0x89, which is not.
      {"seed example encoded", "tencentV%89", nullptr},
      {"seed example raw byte 0x89", "tencentV\x89", kCharsetRule},
      // Non-ASCII letters are outside the set even when their bytes fit the length.
      {"utf8 e-acute", "abcdef1\xc3\xa9", kCharsetRule},
      {"utf8 cjk", "abcde1\xe4\xb8\xad", kCharsetRule},
      {"invalid utf8 lone continuation", "abcdef1\x89", kCharsetRule},
      {"invalid utf8 0xff", "abcdef1\xff", kCharsetRule},
      {"bad char before missing class", "abcdefg ", kCharsetRule},  // charset before classes
  };
  // Every one of the nine symbols, in an otherwise valid password.
  for (const char symbol : std::string_view("!#$%&^*()")) {
    cases.push_back({std::string("symbol ") + symbol, std::string("abcdef1") + symbol, nullptr});
  }
  // Characters just outside the allowed set, each in an otherwise valid password.
  const std::string kOutside = std::string(" \"'+,-./:;<=>?@[\\]_`{|}~\x7f\t") + '\0';
  for (const char c : kOutside) {
    cases.push_back({"outside char " + std::to_string(static_cast<int>(c)),
                     std::string("abcdef1") + c, kCharsetRule});
  }
  return cases;
}

TEST(CheckRule, AppliesSpecRuleToEveryBoundary) {
  for (const RuleCase& c : RuleCases()) {
    const Status status = CheckRule(c.password);
    if (c.failed_rule == nullptr) {
      EXPECT_TRUE(status.ok()) << c.name << ": " << status.ToString();
    } else {
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.name;
      EXPECT_EQ(status.message(), c.failed_rule) << c.name;
    }
  }
}

TEST(CheckRule, CountsNulAsCharacterNotTerminator) {
  // A NUL inside the view must neither shorten the password nor pass the character check.
  const Status status = CheckRule(std::string_view("abc\0def12", 9));
  EXPECT_EQ(status.message(), kCharsetRule);
}

TEST(CheckRule, MessageNeverContainsThePassword) {
  for (const RuleCase& c : RuleCases()) {
    const Status status = CheckRule(c.password);
    if (status.ok() || c.password.empty()) continue;
    EXPECT_EQ(status.message().find(c.password), std::string::npos) << c.name;
    EXPECT_EQ(status.ToString().find(c.password), std::string::npos) << c.name;
  }
}

// The libsodium minimum (8 KiB, one pass) keeps the tests fast; only the default-cost
// test below pays for the real parameters.
constexpr HashParams kFast{.memory_kib = 8, .iterations = 1};

std::string MustHash(std::string_view password, const HashParams& params) {
  Result<std::string> phc = Hash(password, params);
  EXPECT_TRUE(phc.ok()) << phc.status().ToString();
  return phc.ok() ? phc.value() : std::string();
}

TEST(Hash, ProducesArgon2idPhcWithDefaultParameters) {
  const std::string phc = MustHash("tencentV%89", HashParams{});
  EXPECT_EQ(phc.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << phc;
}

TEST(Hash, RecordsGivenParameters) {
  const std::string phc = MustHash("tencentV%89", kFast);
  EXPECT_EQ(phc.rfind("$argon2id$v=19$m=8,t=1,p=1$", 0), 0u) << phc;
}

TEST(Hash, SaltsEveryHash) {
  EXPECT_NE(MustHash("tencentV%89", kFast), MustHash("tencentV%89", kFast));
}

TEST(Hash, RejectsParametersBelowMinimum) {
  for (const HashParams& params : {HashParams{.memory_kib = 7, .iterations = 1},
                                   HashParams{.memory_kib = 8, .iterations = 0}}) {
    Result<std::string> phc = Hash("tencentV%89", params);
    ASSERT_FALSE(phc.ok());
    EXPECT_EQ(phc.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(Verify, AcceptsTheHashedPassword) {
  const std::string phc = MustHash("tencentV%89", kFast);
  Result<bool> ok = Verify(phc, "tencentV%89");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(ok.value());
}

TEST(Verify, AcceptsHashMadeWithDefaultParameters) {
  const std::string phc = MustHash("abcdef1!", HashParams{});
  Result<bool> ok = Verify(phc, "abcdef1!");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(ok.value());
}

TEST(Verify, RejectsOtherPasswords) {
  const std::string phc = MustHash("tencentV%89", kFast);
  for (const std::string_view other :
       {std::string_view("tencentV%88"), std::string_view("TENCENTV%89"),
        std::string_view("tencentV%8"), std::string_view("tencentV%890"), std::string_view(""),
        std::string_view("tencentV%89\0", 12)}) {
    Result<bool> ok = Verify(phc, other);
    ASSERT_TRUE(ok.ok()) << ok.status().ToString();
    EXPECT_FALSE(ok.value()) << other;
  }
}

TEST(Verify, RejectsStringsThatAreNotArgon2idPhc) {
  const std::string good = MustHash("tencentV%89", kFast);
  std::string tampered_params = good;
  tampered_params.replace(tampered_params.find("m=8,"), 4, "m=x,");
  for (const std::string& phc :
       {std::string(), std::string("tencentV%89"),
        std::string("$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA"),
        std::string("$2b$10$abcdefghijklmnopqrstuu5Pbsj0f8Ttg8mV2cbCK2v8NbPAIHHfC"),
        std::string("$argon2id$"), std::string("$argon2id$garbage"), tampered_params,
        good.substr(0, good.size() - 10), good + std::string(1, '\0') + "x",
        good + std::string(200, 'A')}) {
    Result<bool> ok = Verify(phc, "tencentV%89");
    ASSERT_FALSE(ok.ok()) << phc;
    EXPECT_EQ(ok.status().code(), StatusCode::kInvalidArgument) << phc;
  }
}

TEST(NeedsRehash, FalseForSameParameters) {
  EXPECT_FALSE(NeedsRehash(MustHash("tencentV%89", kFast), kFast));
}

TEST(NeedsRehash, TrueForOtherMemoryOrIterations) {
  const std::string phc = MustHash("tencentV%89", kFast);
  EXPECT_TRUE(NeedsRehash(phc, HashParams{.memory_kib = 16, .iterations = 1}));
  EXPECT_TRUE(NeedsRehash(phc, HashParams{.memory_kib = 8, .iterations = 2}));
  EXPECT_TRUE(NeedsRehash(phc, HashParams{}));
}

TEST(NeedsRehash, TrueForUnparsableOrOtherAlgorithm) {
  EXPECT_TRUE(NeedsRehash("", kFast));
  EXPECT_TRUE(NeedsRehash("$argon2id$garbage", kFast));
  EXPECT_TRUE(NeedsRehash("$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA", kFast));
}

}  // namespace
}  // namespace obvpn::password
