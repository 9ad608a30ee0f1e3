// Tests of the JSON string encoder (core/json_text.h) against nlohmann::json.
#include "core/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace obvpn {
namespace {

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(AppendJsonString, MatchesNlohmannForValidText) {
  for (std::string_view s :
       {std::string_view(""), std::string_view("plain"), std::string_view("q\"b\\s"),
        std::string_view("\b\f\n\r\t\x01\x1f\x7f"), std::string_view("\xe6\x9c\xaa\xe5\x91\xbd"),
        std::string_view("\xf0\x9f\x94\x91 key"), std::string_view("115.159.242.100:443")}) {
    EXPECT_EQ(Json(s), nlohmann::json(std::string(s)).dump()) << s;
  }
}

TEST(AppendJsonString, ReplacesInvalidUtf8) {
  EXPECT_EQ(Json("a\x89z"), "\"a\xEF\xBF\xBDz\"");
  EXPECT_EQ(Json("\xc0\xaf"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                  // overlong '/'
  EXPECT_EQ(Json("\xed\xa0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // surrogate
  EXPECT_EQ(Json("\xe6\x9c"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                  // truncated
}

TEST(AppendJsonString, OutputAlwaysParses) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  const auto parsed = nlohmann::json::parse(Json(all), nullptr, false);
  EXPECT_FALSE(parsed.is_discarded());
}

}  // namespace
}  // namespace obvpn
