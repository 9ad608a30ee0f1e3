// PostgresStore against a real PostgreSQL server: the Store conformance suite (the same
// tests SqliteStore passes), then what only a shared database has — several stores
// ("nodes") on one database, bounded calls while the database is slow or gone,
// reconnection, migrations under concurrency — and the SharedLimits contracts.
//
// The server comes from OBVPN_TEST_POSTGRES_URL, or from the file named by
// OBVPN_TEST_POSTGRES_URL_FILE (ctest starts a private server for these tests with
// scripts/postgres-test-server.sh and passes that file). Without either, every test
// fails: a missing PostgreSQL must never pass silently. Each test works in a schema of
// its own, dropped afterwards, so tests run in parallel on one server.
#include "store/postgres_store.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <latch>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite_store.h"
#include "store/store_conformance.h"

namespace obvpn::store {
namespace {

using testing::HasCode;
using testing::IsOk;
using testing::ScopedTempDir;

constexpr AppId kApp = 1251001002;
constexpr int64_t kNow = 1700000000;

// The test server's URL, "" if none is configured.
std::string BaseUrl() {
  if (const char* url = std::getenv("OBVPN_TEST_POSTGRES_URL"); url != nullptr && *url != '\0') {
    return url;
  }
  if (const char* file = std::getenv("OBVPN_TEST_POSTGRES_URL_FILE");
      file != nullptr && *file != '\0') {
    std::ifstream in(file);
    std::string url;
    std::getline(in, url);
    return url;
  }
  return "";
}

constexpr const char* kNoServer =
    "no PostgreSQL server for this test: set OBVPN_TEST_POSTGRES_URL (a libpq URI) or "
    "OBVPN_TEST_POSTGRES_URL_FILE; ctest starts one with scripts/postgres-test-server.sh";

// `url` with a libpq URI parameter added.
std::string WithParam(const std::string& url, const std::string& param) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
}

// A blocking libpq connection for looking under the store and for making trouble.
class Admin {
 public:
  explicit Admin(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);  // DROP ... CASCADE
  }
  ~Admin() { PQfinish(conn_); }
  Admin(const Admin&) = delete;
  Admin& operator=(const Admin&) = delete;

  void Exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const ExecStatusType st = PQresultStatus(r);
    EXPECT_TRUE(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        << sql << ": " << PQresultErrorMessage(r);
    PQclear(r);
  }

  // The first column of the first row of `sql`, as text.
  std::string Query(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << sql << ": " << PQresultErrorMessage(r);
    std::string v = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    return v;
  }

 private:
  PGconn* conn_;
};

std::string UniqueName() {
  static std::atomic<int> counter{0};
  return "obvpn_t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
}

// A fresh schema on the test server, dropped on destruction. url() points the store at
// it (search_path) and names the test's connections (application_name) so a test can
// find and terminate its own.
class TestSchema {
 public:
  TestSchema() : base_(BaseUrl()), name_(UniqueName()) {
    if (base_.empty()) return;
    Admin(base_).Exec("CREATE SCHEMA " + name_);
  }
  ~TestSchema() {
    if (base_.empty()) return;
    Admin(base_).Exec("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
  }
  TestSchema(const TestSchema&) = delete;
  TestSchema& operator=(const TestSchema&) = delete;

  bool ok() const { return !base_.empty(); }
  const std::string& name() const { return name_; }
  const std::string& base() const { return base_; }
  std::string url() const {
    return WithParam(WithParam(base_, "options=-csearch_path%3D" + name_),
                     "application_name=" + name_);
  }
  PostgresOptions Options() const {
    PostgresOptions o;
    o.url = url();
    return o;
  }
  // A raw connection inside the schema.
  std::unique_ptr<Admin> Connect() const { return std::make_unique<Admin>(url()); }

 private:
  std::string base_;
  std::string name_;
};

// --- the conformance suite ---

class PostgresEnv final : public testing::StoreEnv {
 public:
  Result<std::unique_ptr<Store>> Open() override { return OpenPostgresStore(schema_.Options()); }

 private:
  TestSchema schema_;
};

std::unique_ptr<testing::StoreEnv> MakePostgresEnv() {
  if (BaseUrl().empty()) {
    ADD_FAILURE() << kNoServer;
    return nullptr;
  }
  return std::make_unique<PostgresEnv>();
}

}  // namespace

namespace testing {
INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformanceTest,
                         ::testing::Values(StoreFactory{"postgres", MakePostgresEnv}),
                         StoreFactoryName);
}  // namespace testing

namespace {

// --- PostgreSQL-only contracts ---

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(schema_.ok()) << kNoServer; }

  // A store ("node") on the test schema; fails the test if it cannot open.
  std::unique_ptr<Store> OpenNode(PostgresOptions o) {
    auto opened = OpenPostgresStore(o);
    EXPECT_TRUE(IsOk(opened.status()));
    return opened.ok() ? std::move(opened).value() : nullptr;
  }
  std::unique_ptr<Store> OpenNode() { return OpenNode(schema_.Options()); }

  TestSchema schema_;
};

AccountWrite MakeWrite(AppId app_id, std::string hash, std::string replay_key) {
  AccountWrite w;
  w.app_id = app_id;
  w.password_hash = std::move(hash);
  w.now = kNow;
  w.replay = ReplayClaim{std::move(replay_key), kNow + 300};
  w.audit.time = kNow;
  w.audit.app_id = app_id;
  w.audit.action = "SetOutBandVPNAuthPwd";
  return w;
}

TEST(PostgresSchema, VersionIsTheSqliteVersion) {
  // One schema, two dialects: a SQLite migration without its PostgreSQL twin fails here.
  EXPECT_EQ(PostgresSchemaVersion(), SqliteSchemaVersion());
}

TEST(PostgresOpen, RejectsEmptyUrl) {
  EXPECT_TRUE(HasCode(OpenPostgresStore({}).status(), StatusCode::kInvalidArgument));
}

TEST(PostgresOpen, RejectsMalformedUrl) {
  PostgresOptions o;
  o.url = "postgresql://[::1/obvpn";
  EXPECT_TRUE(HasCode(OpenPostgresStore(o).status(), StatusCode::kInvalidArgument));
}

TEST(PostgresOpen, DescribeUrlNamesTheTargetButNeverThePassword) {
  for (const char* url : {"postgresql://obvpn:s3cret-pw@db.example.com:5433/accounts",
                          "host=db.example.com port=5433 dbname=accounts user=obvpn "
                          "password=s3cret-pw"}) {
    SCOPED_TRACE(url);
    const std::string d = DescribePostgresUrl(url);
    EXPECT_NE(d.find("host=db.example.com"), std::string::npos) << d;
    EXPECT_NE(d.find("port=5433"), std::string::npos) << d;
    EXPECT_NE(d.find("dbname=accounts"), std::string::npos) << d;
    EXPECT_NE(d.find("user=obvpn"), std::string::npos) << d;
    EXPECT_EQ(d.find("s3cret"), std::string::npos) << d;
  }
}

TEST(PostgresOpen, IsUnavailableWhenNoServerListens) {
  ScopedTempDir dir;  // a socket directory holding no socket
  PostgresOptions o;
  o.url = "postgresql:///obvpn?host=" + dir.path() + "&port=5432&user=obvpn";
  EXPECT_TRUE(HasCode(OpenPostgresStore(o).status(), StatusCode::kUnavailable));
}

// A TCP listener that completes handshakes (the kernel's backlog) and never answers:
// a stopped or wedged PostgreSQL as a client sees it.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), len), 0);
    EXPECT_EQ(::listen(fd_, 16), 0);
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len), 0);
    port_ = ntohs(a.sin_port);
  }
  ~SilentServer() { ::close(fd_); }
  std::string Url() const {
    return "postgresql://obvpn@127.0.0.1:" + std::to_string(port_) + "/obvpn?sslmode=disable";
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

TEST(PostgresOpen, GivesUpOnServerThatNeverAnswersWithinTheConnectTimeout) {
  SilentServer server;
  PostgresOptions o;
  o.url = server.Url();
  o.connect_timeout_ms = 200;
  o.statement_timeout_ms = 200;
  // Returning at all is the point (a blocking client would hang here until ctest's
  // timeout); the message says why.
  auto opened = OpenPostgresStore(o);
  EXPECT_TRUE(HasCode(opened.status(), StatusCode::kUnavailable));
  EXPECT_NE(opened.status().message().find("within the timeout"), std::string::npos)
      << opened.status().message();
}

TEST_F(PostgresStoreTest, RefusesSearchPathWithoutSchema) {
  PostgresOptions o;
  o.url = WithParam(schema_.base(), "options=-csearch_path%3D" + schema_.name() + "_missing");
  EXPECT_TRUE(HasCode(OpenPostgresStore(o).status(), StatusCode::kInvalidArgument));
}

TEST_F(PostgresStoreTest, RefusesTablesWithoutObvpnSchemaVersion) {
  schema_.Connect()->Exec("CREATE TABLE tenants (id INTEGER)");
  EXPECT_TRUE(HasCode(OpenPostgresStore(schema_.Options()).status(), StatusCode::kDataLoss));
}

TEST_F(PostgresStoreTest, RefusesSchemaNewerThanThisBinary) {
  ASSERT_NE(OpenNode(), nullptr);
  schema_.Connect()->Exec("UPDATE obvpn_schema SET version = 99 WHERE component = 'store'");
  auto reopened = OpenPostgresStore(schema_.Options());
  EXPECT_TRUE(HasCode(reopened.status(), StatusCode::kDataLoss));
  EXPECT_NE(reopened.status().message().find("newer"), std::string::npos);
}

TEST_F(PostgresStoreTest, RecordsSchemaVersionsPerComponent) {
  ASSERT_NE(OpenNode(), nullptr);
  auto admin = schema_.Connect();
  EXPECT_EQ(admin->Query("SELECT version FROM obvpn_schema WHERE component = 'store'"),
            std::to_string(SqliteSchemaVersion()));
  EXPECT_EQ(admin->Query("SELECT version FROM obvpn_schema WHERE component = 'shared_limits'"),
            "1");
}

TEST_F(PostgresStoreTest, NodesStartingAtOnceOnAFreshSchemaMigrateOnce) {
  constexpr int kNodes = 4;
  std::vector<std::optional<Status>> results(kNodes);
  std::latch start(kNodes);
  std::vector<std::thread> threads;
  for (int i = 0; i < kNodes; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto opened = OpenPostgresStore(schema_.Options());
      results[i].emplace(opened.status());
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_TRUE(IsOk(*r));
  EXPECT_EQ(schema_.Connect()->Query("SELECT count(*) FROM generation"), "1");
}

// SPEC §3.5 "exactly one create wins", here across nodes: 20 creates spread over two
// stores, each with its own connection pool.
TEST_F(PostgresStoreTest, CreatesSpreadOverTwoNodesApplyExactlyOnce) {
  auto a = OpenNode();
  auto b = OpenNode();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(IsOk(a->AddTenant(kApp, kNow)));
  constexpr int kCreates = 20;
  std::vector<std::optional<Result<WriteOutcome>>> outcomes(kCreates);
  std::latch start(kCreates);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCreates; ++i) {
    threads.emplace_back([&, i] {
      Store& node = i % 2 == 0 ? *a : *b;
      AccountWrite w = MakeWrite(kApp, "$argon2id$n" + std::to_string(i), "k" + std::to_string(i));
      start.arrive_and_wait();
      outcomes[i].emplace(node.CreateAccount(w));
    });
  }
  for (auto& t : threads) t.join();
  int applied = 0;
  int exists = 0;
  for (const auto& o : outcomes) {
    ASSERT_TRUE(IsOk(o->status()));
    applied += o->value() == WriteOutcome::kApplied;
    exists += o->value() == WriteOutcome::kAlreadyExists;
  }
  EXPECT_EQ(applied, 1);
  EXPECT_EQ(exists, kCreates - 1);
}

// SPEC §3.2: "the claim is durable and shared by every node of a cluster".
TEST_F(PostgresStoreTest, ReplayClaimedOnOneNodeIsAReplayOnAnother) {
  auto a = OpenNode();
  auto b = OpenNode();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(IsOk(a->AddTenant(kApp, kNow)));
  auto first = a->CreateAccount(MakeWrite(kApp, "$argon2id$a", "same-request"));
  ASSERT_TRUE(IsOk(first.status()));
  EXPECT_EQ(*first, WriteOutcome::kApplied);
  auto again = b->UpdateAccount(MakeWrite(kApp, "$argon2id$b", "same-request"));
  ASSERT_TRUE(IsOk(again.status()));
  EXPECT_EQ(*again, WriteOutcome::kReplay);
  auto account = b->FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  EXPECT_EQ((*account)->password_hash, "$argon2id$a");
}

// SPEC §8: changes apply on every node within a second — nodes poll the shared counter.
TEST_F(PostgresStoreTest, GenerationMovedOnOneNodeIsSeenByAnother) {
  auto a = OpenNode();
  auto b = OpenNode();
  ASSERT_TRUE(a && b);
  auto before = b->Generation();
  ASSERT_TRUE(IsOk(before.status()));
  RadiusClient c;
  c.name = "gw";
  c.address = "10.0.0.0/8";
  c.sealed_secret = "v1:sealed";
  ASSERT_TRUE(IsOk(a->AddRadiusClient(c)));
  auto after = b->Generation();
  ASSERT_TRUE(IsOk(after.status()));
  EXPECT_GT(*after, *before);
  auto clients = b->ListRadiusClients();
  ASSERT_TRUE(IsOk(clients.status()));
  ASSERT_EQ(clients->size(), 1u);
}

TEST_F(PostgresStoreTest, SessionsRecordedOnOneNodeCountOnAnother) {
  auto a = OpenNode();
  auto b = OpenNode();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(IsOk(a->RecordSessionStart(kApp, "gw1", "s1", kNow)));
  ASSERT_TRUE(IsOk(b->RecordSessionStart(kApp, "gw2", "s2", kNow)));
  auto n = a->CountActiveSessions(kApp);
  ASSERT_TRUE(IsOk(n.status()));
  EXPECT_EQ(*n, 2);
}

TEST_F(PostgresStoreTest, ReconnectsAfterItsConnectionsAreTerminated) {
  auto store = OpenNode();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(IsOk(store->AddTenant(kApp, kNow)));
  // What a database restart or failover does to every open connection.
  Admin(schema_.base())
      .Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" +
            schema_.name() + "'");
  auto exists = store->TenantExists(kApp);
  ASSERT_TRUE(IsOk(exists.status()));
  EXPECT_TRUE(*exists);
  EXPECT_TRUE(IsOk(store->AddTenant(kApp + 1, kNow)));
}

TEST_F(PostgresStoreTest, ReadBlockedByALockIsUnavailableAfterTheStatementTimeout) {
  PostgresOptions o = schema_.Options();
  o.statement_timeout_ms = 300;
  o.lock_timeout_ms = 300;
  auto store = OpenNode(o);
  ASSERT_NE(store, nullptr);
  auto blocker = schema_.Connect();
  blocker->Exec("BEGIN");
  blocker->Exec("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE");
  EXPECT_TRUE(HasCode(store->FindAccount(kApp).status(), StatusCode::kUnavailable));
  blocker->Exec("ROLLBACK");
  EXPECT_TRUE(IsOk(store->FindAccount(kApp).status()));
}

TEST_F(PostgresStoreTest, WriteBlockedByARowLockFailsAndChangesNothing) {
  PostgresOptions o = schema_.Options();
  o.statement_timeout_ms = 300;
  o.lock_timeout_ms = 300;
  auto store = OpenNode(o);
  ASSERT_NE(store, nullptr);
  auto blocker = schema_.Connect();
  blocker->Exec("BEGIN");
  blocker->Exec("SELECT value FROM generation FOR UPDATE");
  // AddTenant inserts the tenant, then waits on the generation row: the timeout rolls
  // the insert back too.
  EXPECT_TRUE(HasCode(store->AddTenant(kApp, kNow), StatusCode::kUnavailable));
  blocker->Exec("ROLLBACK");
  auto exists = store->TenantExists(kApp);
  ASSERT_TRUE(IsOk(exists.status()));
  EXPECT_FALSE(*exists);
  EXPECT_TRUE(IsOk(store->AddTenant(kApp, kNow)));
}

// A TCP proxy between a store and the test server that a test can cut (every connection
// closed, new ones refused: the database is down) or wedge (connections stay open but
// nothing is forwarded: the database stopped answering), and restore. It lets a test
// take the database away from one store without stopping the server other tests use.
class Proxy {
 public:
  enum class Mode { kForward, kRefuse, kSilent };

  explicit Proxy(const std::string& base_url) {
    PQconninfoOption* opts = PQconninfoParse(base_url.c_str(), nullptr);
    std::string host = "localhost";
    std::string port = "5432";
    for (PQconninfoOption* o = opts; o != nullptr && o->keyword != nullptr; ++o) {
      if (o->val == nullptr || *o->val == '\0') continue;
      const std::string_view k = o->keyword;
      if (k == "host") host = o->val;
      if (k == "port") port = o->val;
      if (k == "user") user_ = o->val;
      if (k == "dbname") dbname_ = o->val;
    }
    PQconninfoFree(opts);
    upstream_unix_ = !host.empty() && host[0] == '/';
    upstream_path_ = host + "/.s.PGSQL." + port;
    upstream_host_ = host;
    upstream_port_ = static_cast<uint16_t>(std::stoi(port));

    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&a), len), 0);
    EXPECT_EQ(::listen(listener_, 64), 0);
    EXPECT_EQ(::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len), 0);
    port_ = ntohs(a.sin_port);
    EXPECT_EQ(::pipe(wake_), 0);
    thread_ = std::thread([this] { Run(); });
  }

  ~Proxy() {
    stop_ = true;
    Wake();
    thread_.join();
    for (auto& p : pairs_) CloseFds(p);
    ::close(listener_);
    ::close(wake_[0]);
    ::close(wake_[1]);
  }

  // A URL through the proxy into `schema`.
  std::string Url(const TestSchema& schema) const {
    std::string url = "postgresql://" + user_ + "@127.0.0.1:" + std::to_string(port_) + "/" +
                      dbname_ + "?sslmode=disable";
    url = WithParam(url, "options=-csearch_path%3D" + schema.name());
    return WithParam(url, "application_name=" + schema.name());
  }

  void SetMode(Mode m) {
    mode_ = m;
    const int seen = ++requested_;
    Wake();
    // Wait until the proxy thread applied it, so the test's next call sees the new mode.
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return applied_ >= seen; });
  }

 private:
  struct Pair {
    int client = -1;
    int upstream = -1;  // -1 while silent: accepted but not connected
  };

  void Wake() {
    const char b = 0;
    (void)!::write(wake_[1], &b, 1);
  }

  static void CloseFds(Pair& p) {
    if (p.client >= 0) ::close(p.client);
    if (p.upstream >= 0) ::close(p.upstream);
    p.client = p.upstream = -1;
  }

  int ConnectUpstream() const {
    if (upstream_unix_) {
      const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
      sockaddr_un a{};
      a.sun_family = AF_UNIX;
      std::snprintf(a.sun_path, sizeof a.sun_path, "%s", upstream_path_.c_str());
      if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
      }
      return fd;
    }
    addrinfo* res = nullptr;
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    if (::getaddrinfo(upstream_host_.c_str(), std::to_string(upstream_port_).c_str(), &hints,
                      &res) != 0) {
      return -1;
    }
    const int fd = ::socket(res->ai_family, SOCK_STREAM, 0);
    const int rc = ::connect(fd, res->ai_addr, res->ai_addrlen);
    ::freeaddrinfo(res);
    if (rc != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  // Copies what `from` has to `to`; false when either side is done.
  static bool Pump(int from, int to) {
    char buf[16384];
    const ssize_t n = ::read(from, buf, sizeof buf);
    if (n <= 0) return false;
    ssize_t off = 0;
    while (off < n) {
      const ssize_t w = ::write(to, buf + off, static_cast<size_t>(n - off));
      if (w <= 0) return false;
      off += w;
    }
    return true;
  }

  void Run() {
    Mode last = Mode::kForward;
    while (!stop_) {
      // requested_ before mode_: a request counted here has its mode visible below.
      const int requested = requested_;
      const Mode mode = mode_;
      if (mode != last && mode == Mode::kRefuse) {
        for (auto& p : pairs_) CloseFds(p);
        pairs_.clear();
      }
      if (mode != last && mode == Mode::kForward) {
        // Connections accepted while silent get their upstream now.
        for (auto& p : pairs_) {
          if (p.upstream < 0) p.upstream = ConnectUpstream();
        }
      }
      last = mode;
      {
        std::lock_guard lock(mu_);
        applied_ = requested;
      }
      cv_.notify_all();

      std::vector<pollfd> fds{{wake_[0], POLLIN, 0}, {listener_, POLLIN, 0}};
      if (mode == Mode::kForward) {
        for (const auto& p : pairs_) {
          fds.push_back({p.client, POLLIN, 0});
          fds.push_back({p.upstream, POLLIN, 0});
        }
      }
      if (::poll(fds.data(), fds.size(), 1000) <= 0) continue;
      if (fds[0].revents != 0) {
        char b[64];
        (void)!::read(wake_[0], b, sizeof b);
      }
      if (fds[1].revents != 0) {
        const int c = ::accept(listener_, nullptr, nullptr);
        if (c >= 0) {
          if (mode_ == Mode::kRefuse) {
            ::close(c);
          } else {
            pairs_.push_back({c, mode_ == Mode::kForward ? ConnectUpstream() : -1});
          }
        }
      }
      if (mode != Mode::kForward) continue;
      // Only the pairs that were polled have entries in fds (an accept above may have
      // appended one more).
      const size_t polled = (fds.size() - 2) / 2;
      for (size_t i = 0; i < polled; ++i) {
        const pollfd& c = fds[2 + 2 * i];
        const pollfd& u = fds[3 + 2 * i];
        bool ok = pairs_[i].upstream >= 0;
        if (ok && c.revents != 0) ok = Pump(pairs_[i].client, pairs_[i].upstream);
        if (ok && u.revents != 0) ok = Pump(pairs_[i].upstream, pairs_[i].client);
        if (!ok) CloseFds(pairs_[i]);
      }
      std::erase_if(pairs_, [](const Pair& p) { return p.client < 0; });
    }
  }

  std::string user_ = "postgres";
  std::string dbname_ = "postgres";
  bool upstream_unix_ = false;
  std::string upstream_path_;
  std::string upstream_host_;
  uint16_t upstream_port_ = 0;
  int listener_ = -1;
  uint16_t port_ = 0;
  int wake_[2] = {-1, -1};
  std::atomic<bool> stop_{false};
  std::atomic<Mode> mode_{Mode::kForward};
  std::atomic<int> requested_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  int applied_ = 0;          // guarded by mu_
  std::vector<Pair> pairs_;  // proxy thread only
  std::thread thread_;
};

class PostgresOutageTest : public PostgresStoreTest {
 protected:
  void SetUp() override {
    PostgresStoreTest::SetUp();
    proxy_ = std::make_unique<Proxy>(schema_.base());
  }
  PostgresOptions ProxiedOptions() {
    PostgresOptions o;
    o.url = proxy_->Url(schema_);
    o.connect_timeout_ms = 500;
    o.statement_timeout_ms = 500;
    o.lock_timeout_ms = 500;
    return o;
  }
  std::unique_ptr<Proxy> proxy_;
};

TEST_F(PostgresOutageTest, CallsFailWhileTheDatabaseIsDown) {
  auto store = OpenNode(ProxiedOptions());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(IsOk(store->AddTenant(kApp, kNow)));
  proxy_->SetMode(Proxy::Mode::kRefuse);
  EXPECT_TRUE(HasCode(store->FindAccount(kApp).status(), StatusCode::kUnavailable));
  EXPECT_TRUE(HasCode(store->AddTenant(kApp + 1, kNow), StatusCode::kUnavailable));
  auto outcome = store->CreateAccount(MakeWrite(kApp, "$argon2id$x", "k1"));
  EXPECT_TRUE(HasCode(outcome.status(), StatusCode::kUnavailable));
}

TEST_F(PostgresOutageTest, FailsFastAfterAFailedConnectUntilTheBackoffEnds) {
  PostgresOptions o = ProxiedOptions();
  o.reconnect_backoff_ms = 600000;
  auto store = OpenNode(o);
  ASSERT_NE(store, nullptr);
  proxy_->SetMode(Proxy::Mode::kRefuse);
  ASSERT_TRUE(HasCode(store->Generation().status(), StatusCode::kUnavailable));
  // The next call does not try to connect at all (each caller would otherwise wait out
  // its own connect timeout while the database is down).
  auto again = store->Generation();
  EXPECT_TRUE(HasCode(again.status(), StatusCode::kUnavailable));
  EXPECT_NE(again.status().message().find("not retried"), std::string::npos)
      << again.status().message();
}

TEST_F(PostgresOutageTest, AfterATimeoutCallsFailFastUntilTheBackoffEnds) {
  PostgresOptions o = ProxiedOptions();
  o.reconnect_backoff_ms = 600000;
  o.max_connections = 2;
  auto store = OpenNode(o);
  ASSERT_NE(store, nullptr);
  // Two pooled connections, both idle and healthy-looking when the database stalls.
  std::thread other([&] { EXPECT_TRUE(IsOk(store->Generation().status())); });
  EXPECT_TRUE(IsOk(store->Generation().status()));
  other.join();
  proxy_->SetMode(Proxy::Mode::kSilent);
  ASSERT_TRUE(HasCode(store->FindAccount(kApp).status(), StatusCode::kUnavailable));
  // One API request makes several store calls: after the first timed out, the others
  // must not each wait for their own deadline on the other stuck connection.
  auto next = store->Generation();
  EXPECT_TRUE(HasCode(next.status(), StatusCode::kUnavailable));
  EXPECT_NE(next.status().message().find("not retried"), std::string::npos)
      << next.status().message();
}

TEST_F(PostgresOutageTest, ResumesWhenTheDatabaseIsBackWithoutReopening) {
  PostgresOptions o = ProxiedOptions();
  o.reconnect_backoff_ms = 0;
  auto store = OpenNode(o);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(IsOk(store->AddTenant(kApp, kNow)));
  proxy_->SetMode(Proxy::Mode::kRefuse);
  ASSERT_TRUE(HasCode(store->TenantExists(kApp).status(), StatusCode::kUnavailable));
  proxy_->SetMode(Proxy::Mode::kForward);
  auto exists = store->TenantExists(kApp);
  ASSERT_TRUE(IsOk(exists.status()));
  EXPECT_TRUE(*exists);
  EXPECT_TRUE(IsOk(store->AddTenant(kApp + 1, kNow)));
}

TEST_F(PostgresOutageTest, CallsToADatabaseThatStoppedAnsweringFailWithinTheTimeout) {
  PostgresOptions o = ProxiedOptions();
  o.reconnect_backoff_ms = 0;
  auto store = OpenNode(o);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(IsOk(store->AddTenant(kApp, kNow)));
  proxy_->SetMode(Proxy::Mode::kSilent);
  // A pooled connection that gets no answer, then a new one that gets none either:
  // both return Unavailable at their deadline instead of hanging.
  auto read = store->FindAccount(kApp);
  EXPECT_TRUE(HasCode(read.status(), StatusCode::kUnavailable));
  EXPECT_NE(read.status().message().find("within the timeout"), std::string::npos)
      << read.status().message();
  EXPECT_TRUE(HasCode(store->AddTenant(kApp + 1, kNow), StatusCode::kUnavailable));
  proxy_->SetMode(Proxy::Mode::kForward);
  auto exists = store->TenantExists(kApp + 1);
  ASSERT_TRUE(IsOk(exists.status()));
  EXPECT_FALSE(*exists) << "the write that timed out must have changed nothing";
}

// --- SharedLimits ---

class PostgresLimitsTest : public PostgresStoreTest {
 protected:
  std::unique_ptr<SharedLimits> OpenLimits() {
    auto opened = OpenPostgres(schema_.Options());
    EXPECT_TRUE(IsOk(opened.status()));
    if (!opened.ok()) return nullptr;
    keep_.push_back(std::move(opened->store));
    return std::move(opened->limits);
  }

  std::vector<std::unique_ptr<Store>> keep_;
};

using Bucket = SharedLimits::Bucket;
using Policy = SharedLimits::FailurePolicy;

// One admit against a single bucket; asserts the call succeeded.
bool Admit(SharedLimits& l, std::string_view key, uint32_t limit, int64_t window_s, int64_t now) {
  const std::array<Bucket, 1> b{Bucket{key, limit, window_s}};
  auto r = l.AdmitAll(b, now);
  EXPECT_TRUE(IsOk(r.status()));
  return r.ok() && *r;
}

TEST_F(PostgresLimitsTest, AdmitsUpToTheLimitThenRefuses) {
  auto l = OpenLimits();
  ASSERT_NE(l, nullptr);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(Admit(*l, "v3:1", 3, 1, kNow)) << i;
  EXPECT_FALSE(Admit(*l, "v3:1", 3, 1, kNow));
  EXPECT_TRUE(Admit(*l, "v3:2", 3, 1, kNow)) << "keys are independent";
}

TEST_F(PostgresLimitsTest, NextWindowStartsAFreshCount) {
  auto l = OpenLimits();
  ASSERT_NE(l, nullptr);
  // kNow is a multiple of 60 plus 20: windows are aligned to the epoch.
  const int64_t start = kNow - kNow % 60;
  EXPECT_TRUE(Admit(*l, "k", 1, 60, start));
  EXPECT_FALSE(Admit(*l, "k", 1, 60, start + 59));
  EXPECT_TRUE(Admit(*l, "k", 1, 60, start + 60));
}

TEST_F(PostgresLimitsTest, ANodeWithAClockBehindCountsIntoTheNewerWindow) {
  auto l = OpenLimits();
  ASSERT_NE(l, nullptr);
  EXPECT_TRUE(Admit(*l, "k", 1, 1, kNow + 1));
  EXPECT_FALSE(Admit(*l, "k", 1, 1, kNow)) << "an older window must not reset the count";
}

TEST_F(PostgresLimitsTest, RefusedEventIsCountedInNoBucket) {
  auto l = OpenLimits();
  ASSERT_NE(l, nullptr);
  ASSERT_TRUE(Admit(*l, "per-action", 1, 60, kNow));
  const std::array<Bucket, 2> both{Bucket{"per-action", 1, 60}, Bucket{"per-app", 2, 60}};
  auto r = l->AdmitAll(both, kNow);
  ASSERT_TRUE(IsOk(r.status()));
  EXPECT_FALSE(*r);
  // per-app was not charged for the refused event: both of its two slots are free.
  EXPECT_TRUE(Admit(*l, "per-app", 2, 60, kNow));
  EXPECT_TRUE(Admit(*l, "per-app", 2, 60, kNow));
}

TEST_F(PostgresLimitsTest, ZeroLimitRefusesAndSubSecondWindowIsInvalid) {
  auto l = OpenLimits();
  ASSERT_NE(l, nullptr);
  EXPECT_FALSE(Admit(*l, "k", 0, 1, kNow));
  const std::array<Bucket, 1> bad{Bucket{"k", 1, 0}};
  EXPECT_TRUE(HasCode(l->AdmitAll(bad, kNow).status(), StatusCode::kInvalidArgument));
}

// SPEC §6 "rate limits hold across nodes": concurrent admits on two nodes never exceed
// the limit together.
TEST_F(PostgresLimitsTest, ConcurrentAdmitsOnTwoNodesNeverExceedTheLimit) {
  auto a = OpenLimits();
  auto b = OpenLimits();
  ASSERT_TRUE(a && b);
  constexpr int kCalls = 16;
  constexpr uint32_t kLimit = 5;
  std::atomic<int> admitted{0};
  std::latch start(kCalls);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&, i] {
      SharedLimits& node = i % 2 == 0 ? *a : *b;
      start.arrive_and_wait();
      const std::array<Bucket, 2> buckets{Bucket{"v2:1:Get", kLimit, 60}, Bucket{"v2:1", 1000, 60}};
      auto r = node.AdmitAll(buckets, kNow);
      EXPECT_TRUE(IsOk(r.status()));
      if (r.ok() && *r) ++admitted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), static_cast<int>(kLimit));
}

Result<bool> Fail(SharedLimits& l, int64_t now, Policy p = {3, 300, 300}) {
  return l.RecordFailure("radius:1", now, p);
}

TEST_F(PostgresLimitsTest, TheMaxFailuresthFailureStartsALockout) {
  auto l = OpenLimits();
  ASSERT_NE(l, nullptr);
  for (int i = 0; i < 2; ++i) {
    auto r = Fail(*l, kNow + i);
    ASSERT_TRUE(IsOk(r.status()));
    EXPECT_FALSE(*r);
  }
  auto locked = l->IsLockedOut("radius:1", kNow + 2);
  ASSERT_TRUE(IsOk(locked.status()));
  EXPECT_FALSE(*locked);
  auto third = Fail(*l, kNow + 2);
  ASSERT_TRUE(IsOk(third.status()));
  EXPECT_TRUE(*third);
  locked = l->IsLockedOut("radius:1", kNow + 2);
  ASSERT_TRUE(IsOk(locked.status()));
  EXPECT_TRUE(*locked);
  locked = l->IsLockedOut("radius:2", kNow + 2);
  ASSERT_TRUE(IsOk(locked.status()));
  EXPECT_FALSE(*locked) << "keys are independent";
}

TEST_F(PostgresLimitsTest, FailuresOlderThanTheWindowDoNotCount) {
  auto l = OpenLimits();
  ASSERT_NE(l, nullptr);
  ASSERT_TRUE(IsOk(Fail(*l, kNow).status()));
  ASSERT_TRUE(IsOk(Fail(*l, kNow + 1).status()));
  // Sliding window of 300 s: at kNow + 301 both earlier failures have left it.
  auto r = Fail(*l, kNow + 301);
  ASSERT_TRUE(IsOk(r.status()));
  EXPECT_FALSE(*r);
  auto locked = l->IsLockedOut("radius:1", kNow + 301);
  ASSERT_TRUE(IsOk(locked.status()));
  EXPECT_FALSE(*locked);
}

TEST_F(PostgresLimitsTest, LockoutEndsAfterLockoutSeconds) {
  auto l = OpenLimits();
  ASSERT_NE(l, nullptr);
  const Policy one{1, 300, 60};
  auto r = Fail(*l, kNow, one);
  ASSERT_TRUE(IsOk(r.status()));
  EXPECT_TRUE(*r);
  auto locked = l->IsLockedOut("radius:1", kNow + 59);
  ASSERT_TRUE(IsOk(locked.status()));
  EXPECT_TRUE(*locked);
  locked = l->IsLockedOut("radius:1", kNow + 60);
  ASSERT_TRUE(IsOk(locked.status()));
  EXPECT_FALSE(*locked);
}

TEST_F(PostgresLimitsTest, ClearFailuresForgetsFailuresButNotARunningLockout) {
  auto l = OpenLimits();
  ASSERT_NE(l, nullptr);
  ASSERT_TRUE(IsOk(Fail(*l, kNow).status()));
  ASSERT_TRUE(IsOk(Fail(*l, kNow).status()));
  ASSERT_TRUE(IsOk(l->ClearFailures("radius:1")));
  auto r = Fail(*l, kNow);
  ASSERT_TRUE(IsOk(r.status()));
  EXPECT_FALSE(*r) << "the two cleared failures must not count";

  ASSERT_TRUE(IsOk(Fail(*l, kNow, {1, 300, 300}).status()));
  ASSERT_TRUE(IsOk(l->ClearFailures("radius:1")));
  auto locked = l->IsLockedOut("radius:1", kNow + 1);
  ASSERT_TRUE(IsOk(locked.status()));
  EXPECT_TRUE(*locked);
}

TEST_F(PostgresLimitsTest, FailuresOnTwoNodesAddUpToOneLockout) {
  auto a = OpenLimits();
  auto b = OpenLimits();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(IsOk(Fail(*a, kNow).status()));
  ASSERT_TRUE(IsOk(Fail(*b, kNow).status()));
  auto third = Fail(*a, kNow);
  ASSERT_TRUE(IsOk(third.status()));
  EXPECT_TRUE(*third);
  auto locked = b->IsLockedOut("radius:1", kNow);
  ASSERT_TRUE(IsOk(locked.status()));
  EXPECT_TRUE(*locked);
}

TEST_F(PostgresLimitsTest, PurgeLimitsDropsOnlyEndedEntries) {
  auto l = OpenLimits();
  ASSERT_NE(l, nullptr);
  ASSERT_TRUE(Admit(*l, "old", 5, 60, kNow - 120));
  ASSERT_TRUE(Admit(*l, "current", 5, 60, kNow));
  ASSERT_TRUE(IsOk(Fail(*l, kNow - 1000).status()));                              // long forgotten
  ASSERT_TRUE(IsOk(l->RecordFailure("radius:2", kNow, {1, 300, 300}).status()));  // locked
  ASSERT_TRUE(IsOk(l->PurgeLimits(kNow)));
  auto admin = schema_.Connect();
  EXPECT_EQ(admin->Query("SELECT string_agg(key, ',' ORDER BY key) FROM rate_windows"), "current");
  EXPECT_EQ(admin->Query("SELECT string_agg(key, ',' ORDER BY key) FROM failure_throttle"),
            "radius:2");
  // Purging never changes a decision: "current" still holds its one event.
  const std::array<Bucket, 1> b{Bucket{"current", 1, 60}};
  auto r = l->AdmitAll(b, kNow);
  ASSERT_TRUE(IsOk(r.status()));
  EXPECT_FALSE(*r);
}

}  // namespace
}  // namespace obvpn::store
