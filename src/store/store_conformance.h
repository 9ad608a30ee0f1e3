// The Store conformance suite (STYLE.md: "One store conformance suite runs against SQLite
// always and PostgreSQL when present"): every contract of store.h as parameterised
// tests, run against any Store implementation through a factory.
//
// To run it against an implementation, link the object library obvpn_store_conformance
// and instantiate the suite with a factory that gives each test a fresh, empty database:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
//                            ::testing::Values(StoreFactory{"sqlite", MakeSqliteEnv}),
//                            StoreFactoryName);
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

namespace obvpn::store::testing {

// One fresh, empty database for one test, removed when this is destroyed.
class StoreEnv {
 public:
  virtual ~StoreEnv() = default;
  // A Store on this environment's database. May be called again after the previous
  // Store is destroyed; the new one sees the same data.
  virtual Result<std::unique_ptr<Store>> Open() = 0;
};

struct StoreFactory {
  std::string name;  // part of the test names: letters, digits and '_' only
  std::function<std::unique_ptr<StoreEnv>()> make_env;
};

// Prints the factory by name (gtest would otherwise dump its bytes).
void PrintTo(const StoreFactory& factory, std::ostream* os);

// Names instantiations after StoreFactory::name.
std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info);

class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }

  std::unique_ptr<StoreEnv> env_;
  std::unique_ptr<Store> store_;
};

// A fresh directory under the gtest temporary directory, removed with its contents on
// destruction.
class ScopedTempDir {
 public:
  ScopedTempDir();
  ~ScopedTempDir();
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string File(std::string_view name) const;

 private:
  std::string path_;
};

// gtest helpers: EXPECT_TRUE(IsOk(status)) prints the status on failure.
::testing::AssertionResult IsOk(const Status& status);
::testing::AssertionResult HasCode(const Status& status, StatusCode code);

}  // namespace obvpn::store::testing
