// Tests of the HTTP component's pure helpers: request ids.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "http/server.h"

namespace obvpn::http {
namespace {

TEST(NewRequestId, IsAVersion4Uuid) {
  const std::string id = NewRequestId();
  ASSERT_EQ(id.size(), 36u);
  for (size_t i : {8u, 13u, 18u, 23u}) EXPECT_EQ(id[i], '-') << id;
  EXPECT_EQ(id[14], '4') << id;
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
  for (char c : id) {
    if (c != '-') {
      EXPECT_NE(std::string("0123456789abcdef").find(c), std::string::npos) << id;
    }
  }
}

TEST(NewRequestId, IsDistinctAcrossRefills) {
  // More ids than one refill of the per-thread random buffer holds.
  std::set<std::string> ids;
  for (int i = 0; i < 2000; ++i) ids.insert(NewRequestId());
  EXPECT_EQ(ids.size(), 2000u);
}

}  // namespace
}  // namespace obvpn::http
