// Runs the Store conformance suite (store_conformance.h) against SqliteStore.
#include "store/store_conformance.h"

#include <memory>

#include "store/sqlite_store.h"

namespace obvpn::store::testing {
namespace {

// A fresh database file in its own temporary directory.
class SqliteEnv final : public StoreEnv {
 public:
  Result<std::unique_ptr<Store>> Open() override {
    SqliteOptions options;
    options.path = dir_.File("obvpn.db");
    return OpenSqliteStore(options);
  }

 private:
  ScopedTempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         ::testing::Values(StoreFactory{
                             "sqlite", [] { return std::make_unique<SqliteEnv>(); }}),
                         StoreFactoryName);

}  // namespace
}  // namespace obvpn::store::testing
