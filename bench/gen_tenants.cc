// obvpn-gen-tenants: fills an obvpn data directory with N tenants for the scale test of
// SPEC §9 ("1 million tenants do not change Get latency by more than 20% and startup
// stays under 1 s"). Each tenant gets one API key (SecretKey sealed with the data
// directory's master key, as obvpnctl would) and, for every other tenant and every
// sampled one, a VPN account. The keys of `--sample` tenants, spread evenly over the
// range, are written to `--keys-out` for obvpn-bench --keys.
//
//   obvpn-gen-tenants --data-dir DIR --tenants 1000000 --sample 1000 --keys-out keys.txt
//
// The data directory is created and migrated through app::OpenRuntime (the same code as
// obvpnd), then the rows are bulk-inserted with plain SQL in large transactions: a
// million Store::AddTenant calls would each be a durable transaction and take an hour.
// The columns written are those of schema version 1 (src/store/sqlite_store.cc);
// OpenRuntime has already refused a file that is not an obvpn database.
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/runtime.h"
#include "config/config.h"
#include "crypto/crypto.h"
#include "password/password.h"

namespace {

int Fail(const std::string& what) {
  std::cerr << "obvpn-gen-tenants: " << what << "\n";
  return 1;
}

bool Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::cerr << "obvpn-gen-tenants: " << sql << ": " << (err ? err : "?") << "\n";
    sqlite3_free(err);
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"obvpn-gen-tenants: bulk tenants for the obvpn scale benchmark"};
  std::string data_dir, keys_out, password = "Bench1234pw";
  uint64_t tenants = 1000, first_app_id = 1300000000, sample = 1000;
  app.add_option("--data-dir", data_dir, "obvpn data directory (created if missing)")->required();
  app.add_option("--tenants", tenants, "number of tenants")->check(CLI::Range(1, 100000000));
  app.add_option("--first-app-id", first_app_id, "appId of the first tenant");
  app.add_option("--sample", sample, "tenants whose keys go to --keys-out");
  app.add_option("--keys-out", keys_out, "file for 'appId secretId secretKey' lines");
  app.add_option("--password", password, "VPN password of the accounts created");
  CLI11_PARSE(app, argc, argv);
  if (sample > tenants) sample = tenants;

  obvpn::config::Config cfg = obvpn::config::Defaults();
  cfg.data_dir = data_dir;
  auto rt = obvpn::app::OpenRuntime(cfg);
  if (!rt.ok()) return Fail(rt.status().message());
  // One real argon2id hash at the configured cost, shared by every account: RADIUS
  // accepts for any sampled tenant then cost what they cost in production.
  auto phc = obvpn::password::Hash(
      password, {cfg.password.argon2_memory_kib, cfg.password.argon2_iterations});
  if (!phc.ok()) return Fail("cannot hash the password");
  const std::unique_ptr<obvpn::crypto::SecretBox> box = std::move(rt->box);
  rt->store.reset();  // the bulk load below has the database to itself

  sqlite3* db = nullptr;
  if (sqlite3_open_v2(cfg.DatabasePath().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) !=
      SQLITE_OK) {
    return Fail("cannot open " + cfg.DatabasePath());
  }
  // A bulk load of generated data: durability of each batch is not needed (a crash
  // means running the tool again), speed is.
  if (!Exec(db, "PRAGMA synchronous = OFF") || !Exec(db, "PRAGMA cache_size = -65536")) return 1;
  sqlite3_stmt* ins_tenant = nullptr;
  sqlite3_stmt* ins_key = nullptr;
  sqlite3_stmt* ins_account = nullptr;
  if (sqlite3_prepare_v2(db, "INSERT INTO tenants (app_id, created_at) VALUES (?1, ?2)", -1,
                         &ins_tenant, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "INSERT INTO api_keys (secret_id, app_id, sealed_secret_key, enabled, "
                         "actions, expires_at, token_sha256_hex, created_at) "
                         "VALUES (?1, ?2, ?3, 1, '', NULL, '', ?4)",
                         -1, &ins_key, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "INSERT INTO accounts (app_id, password_hash, locked, created_at, "
                         "updated_at) VALUES (?1, ?2, 0, ?3, ?3)",
                         -1, &ins_account, nullptr) != SQLITE_OK) {
    return Fail(std::string("prepare: ") + sqlite3_errmsg(db));
  }
  std::ofstream keys;
  if (!keys_out.empty()) {
    keys.open(keys_out, std::ios::trunc);
    if (!keys) return Fail("cannot write " + keys_out);
  }
  const uint64_t stride = sample ? tenants / sample : 0;
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const auto t0 = std::chrono::steady_clock::now();
  constexpr uint64_t kBatch = 50000;
  uint64_t written = 0;
  if (!Exec(db, "BEGIN")) return 1;
  for (uint64_t i = 0; i < tenants; ++i) {
    const uint64_t app_id = first_app_id + i;
    const auto db_id = static_cast<sqlite3_int64>(app_id);
    const bool sampled = stride != 0 && i % stride == 0 && i / stride < sample;
    const std::string secret_id = "AKID" + obvpn::crypto::RandomAlnum(32);
    std::string secret_key = obvpn::crypto::RandomAlnum(40);
    // As obvpnctl seals it (store.h: SecretBox::Seal(secret_key, secret_id)).
    const std::string sealed = box->Seal(secret_key, secret_id);
    sqlite3_bind_int64(ins_tenant, 1, db_id);
    sqlite3_bind_int64(ins_tenant, 2, now);
    sqlite3_bind_text(ins_key, 1, secret_id.data(), static_cast<int>(secret_id.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins_key, 2, db_id);
    sqlite3_bind_blob(ins_key, 3, sealed.data(), static_cast<int>(sealed.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins_key, 4, now);
    bool ok = sqlite3_step(ins_tenant) == SQLITE_DONE && sqlite3_step(ins_key) == SQLITE_DONE;
    sqlite3_reset(ins_tenant);
    sqlite3_reset(ins_key);
    if (ok && (sampled || i % 2 == 0)) {
      sqlite3_bind_int64(ins_account, 1, db_id);
      sqlite3_bind_text(ins_account, 2, phc->data(), static_cast<int>(phc->size()),
                        SQLITE_TRANSIENT);
      sqlite3_bind_int64(ins_account, 3, now);
      ok = sqlite3_step(ins_account) == SQLITE_DONE;
      sqlite3_reset(ins_account);
    }
    if (!ok) {
      return Fail("insert of tenant " + std::to_string(app_id) + ": " + sqlite3_errmsg(db) +
                  " (is the data directory already populated?)");
    }
    if (sampled && keys) keys << app_id << ' ' << secret_id << ' ' << secret_key << '\n';
    obvpn::crypto::Wipe(secret_key);
    if (++written % kBatch == 0) {
      if (!Exec(db, "COMMIT") || !Exec(db, "BEGIN")) return 1;
    }
  }
  // obvpnd and obvpnctl poll the generation to refresh their caches (store.h).
  if (!Exec(db, "UPDATE generation SET value = value + 1 WHERE id = 1") || !Exec(db, "COMMIT") ||
      !Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)")) {
    return 1;
  }
  sqlite3_finalize(ins_tenant);
  sqlite3_finalize(ins_key);
  sqlite3_finalize(ins_account);
  sqlite3_close(db);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("obvpn-gen-tenants: %llu tenants in %.1f s (%llu keys sampled)\n",
              static_cast<unsigned long long>(tenants), secs,
              static_cast<unsigned long long>(sample));
  return 0;
}
