// Tests of the per-request log line fields (app/log.h LogFields).
#include "app/log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace obvpn::app {
namespace {

// A whole line as Log() writes it around the fields, parsed back.
nlohmann::json Parse(const LogFields& f) {
  return nlohmann::json::parse("{\"event\":\"x\"" + f.text() + "}", nullptr, false);
}

TEST(LogFields, WritesFieldsInOrderAsJson) {
  LogFields f;
  f.Add("request_id", "r1").Add("status", 200u).Add("latency_us", int64_t{-5}).Add("tls", true);
  EXPECT_EQ(f.text(), R"(,"request_id":"r1","status":200,"latency_us":-5,"tls":true)");
}

TEST(LogFields, EscapesValues) {
  LogFields f;
  f.Add("detail", std::string("quote \" backslash \\ newline \n and \x01"));
  const auto j = Parse(f);
  ASSERT_FALSE(j.is_discarded()) << f.text();
  EXPECT_EQ(j["detail"], "quote \" backslash \\ newline \n and \x01");
}

TEST(LogFields, InvalidUtf8StillMakesAValidLine) {
  LogFields f;
  f.Add("peer", std::string("\xff\xfe"));
  EXPECT_FALSE(Parse(f).is_discarded()) << f.text();
}

TEST(LogFields, EmptyHasNoText) { EXPECT_EQ(LogFields().text(), ""); }

TEST(LogEnabled, FollowsTheLevel) {
  SetLogLevel(LogLevel::kWarn);
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
  EXPECT_FALSE(LogEnabled(LogLevel::kOff));
  SetLogLevel(LogLevel::kInfo);
  EXPECT_TRUE(LogEnabled(LogLevel::kInfo));
}

}  // namespace
}  // namespace obvpn::app
