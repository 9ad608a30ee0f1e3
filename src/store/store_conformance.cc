// The Store conformance suite: one test per contract and outcome of store.h.
#include "store/store_conformance.h"

#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <latch>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace obvpn::store::testing {

std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }

void StoreConformanceTest::SetUp() {
  env_ = GetParam().make_env();
  ASSERT_NE(env_, nullptr);
  auto opened = env_->Open();
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store_ = std::move(opened).value();
}

void StoreConformanceTest::TearDown() {
  store_.reset();
  env_.reset();
}

ScopedTempDir::ScopedTempDir() {
  std::string pattern = ::testing::TempDir() + "obvpn_store_XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
  }
  path_ = pattern;
}

ScopedTempDir::~ScopedTempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ScopedTempDir::File(std::string_view name) const {
  return path_ + "/" + std::string(name);
}

::testing::AssertionResult IsOk(const Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << status.ToString();
}

::testing::AssertionResult HasCode(const Status& status, StatusCode code) {
  if (status.code() == code) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "expected " << StatusCodeName(code) << ", got " << status.ToString();
}

namespace {

constexpr AppId kApp = 1251001002;
constexpr AppId kOtherApp = 1251001003;
constexpr AppId kHighApp = (AppId{1} << 63) + 42;  // >= 2^63: must survive a signed column
constexpr AppId kMaxApp = std::numeric_limits<AppId>::max();
constexpr int64_t kNow = 1700000000;

ApiKey MakeKey(std::string secret_id, AppId app_id, int64_t created_at) {
  ApiKey k;
  k.secret_id = std::move(secret_id);
  k.app_id = app_id;
  k.sealed_secret_key = "v1:sealed-" + k.secret_id;
  k.created_at = created_at;
  return k;
}

RadiusClient MakeClient(std::string name, RequireMessageAuthenticator ma) {
  RadiusClient c;
  c.name = std::move(name);
  c.address = "10.0.0.0/8";
  c.sealed_secret = "v1:sealed-radius-" + c.name;
  c.require_message_authenticator = ma;
  c.created_at = kNow;
  return c;
}

AuditEvent MakeEvent(AppId app_id, int64_t time, std::string action) {
  AuditEvent e;
  e.time = time;
  e.app_id = app_id;
  e.secret_id = "AKIDexample";
  e.action = std::move(action);
  e.source = "192.0.2.1";
  e.result_code = 0;
  e.request_id = "req-" + std::to_string(time);
  e.detail = "create";
  return e;
}

AccountWrite MakeWrite(AppId app_id, std::string hash, int64_t now,
                       std::optional<std::string> replay_key = std::nullopt) {
  AccountWrite w;
  w.app_id = app_id;
  w.password_hash = std::move(hash);
  w.now = now;
  if (replay_key) w.replay = ReplayClaim{*replay_key, now + 300};
  w.audit = MakeEvent(app_id, now, "SetOutBandVPNAuthPwd");
  return w;
}

// ---------------------------------------------------------------------------- tenants

TEST_P(StoreConformanceTest, AddTenantMakesItExist) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  auto exists = store().TenantExists(kApp);
  ASSERT_TRUE(IsOk(exists.status()));
  EXPECT_TRUE(*exists);
}

TEST_P(StoreConformanceTest, TenantExistsIsFalseForUnknownTenant) {
  auto exists = store().TenantExists(kApp);
  ASSERT_TRUE(IsOk(exists.status()));
  EXPECT_FALSE(*exists);
}

TEST_P(StoreConformanceTest, AddTenantRejectsDuplicate) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  EXPECT_TRUE(HasCode(store().AddTenant(kApp, kNow + 1), StatusCode::kAlreadyExists));
  auto tenants = store().ListTenants();
  ASSERT_TRUE(IsOk(tenants.status()));
  ASSERT_EQ(tenants->size(), 1u);
  EXPECT_EQ((*tenants)[0].created_at, kNow);
}

TEST_P(StoreConformanceTest, ListTenantsIsEmptyOnFreshStore) {
  auto tenants = store().ListTenants();
  ASSERT_TRUE(IsOk(tenants.status()));
  EXPECT_TRUE(tenants->empty());
}

TEST_P(StoreConformanceTest, ListTenantsReturnsAllInUnsignedAppIdOrder) {
  ASSERT_TRUE(IsOk(store().AddTenant(kMaxApp, kNow + 3)));
  ASSERT_TRUE(IsOk(store().AddTenant(kOtherApp, kNow + 2)));
  ASSERT_TRUE(IsOk(store().AddTenant(kHighApp, kNow + 4)));
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow + 1)));
  auto tenants = store().ListTenants();
  ASSERT_TRUE(IsOk(tenants.status()));
  ASSERT_EQ(tenants->size(), 4u);
  EXPECT_EQ((*tenants)[0].app_id, kApp);
  EXPECT_EQ((*tenants)[0].created_at, kNow + 1);
  EXPECT_EQ((*tenants)[1].app_id, kOtherApp);
  EXPECT_EQ((*tenants)[2].app_id, kHighApp);
  EXPECT_EQ((*tenants)[3].app_id, kMaxApp);
  EXPECT_EQ((*tenants)[3].created_at, kNow + 3);
}

// ---------------------------------------------------------------------------- API keys

TEST_P(StoreConformanceTest, AddKeyThenFindKeyReturnsEveryField) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ApiKey k = MakeKey("AKIDtemporary0000000000000000000001", kApp, kNow);
  k.enabled = false;
  k.actions = {"GetOutBandVPNAuthInfo", "SetOutBandVPNAuthPwd"};
  k.expires_at = kNow + 3600;
  k.token_sha256_hex = std::string(64, 'a');
  k.sealed_secret_key = std::string("v1:\0\x01\xff binary", 13);
  ASSERT_TRUE(IsOk(store().AddKey(k)));

  auto found = store().FindKey(k.secret_id);
  ASSERT_TRUE(IsOk(found.status()));
  ASSERT_TRUE(found->has_value());
  const ApiKey& f = **found;
  EXPECT_EQ(f.secret_id, k.secret_id);
  EXPECT_EQ(f.app_id, kApp);
  EXPECT_EQ(f.sealed_secret_key, k.sealed_secret_key);
  EXPECT_FALSE(f.enabled);
  EXPECT_EQ(f.actions, k.actions);
  EXPECT_EQ(f.expires_at, k.expires_at);
  EXPECT_EQ(f.token_sha256_hex, k.token_sha256_hex);
  EXPECT_EQ(f.created_at, kNow);
}

TEST_P(StoreConformanceTest, AddKeyRoundTripsPermanentKeyWithEveryAction) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ApiKey k = MakeKey("AKIDpermanent", kApp, kNow);
  ASSERT_TRUE(IsOk(store().AddKey(k)));
  auto found = store().FindKey("AKIDpermanent");
  ASSERT_TRUE(IsOk(found.status()));
  ASSERT_TRUE(found->has_value());
  EXPECT_TRUE((*found)->enabled);
  EXPECT_TRUE((*found)->actions.empty());
  EXPECT_FALSE((*found)->expires_at.has_value());
  EXPECT_EQ((*found)->token_sha256_hex, "");
}

TEST_P(StoreConformanceTest, AddKeyRejectsDuplicateSecretId) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddTenant(kOtherApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDdup", kApp, kNow))));
  EXPECT_TRUE(
      HasCode(store().AddKey(MakeKey("AKIDdup", kOtherApp, kNow + 1)), StatusCode::kAlreadyExists));
  auto found = store().FindKey("AKIDdup");
  ASSERT_TRUE(IsOk(found.status()));
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->app_id, kApp);
}

TEST_P(StoreConformanceTest, AddKeyRejectsUnknownTenant) {
  EXPECT_TRUE(HasCode(store().AddKey(MakeKey("AKIDorphan", kApp, kNow)), StatusCode::kNotFound));
  auto found = store().FindKey("AKIDorphan");
  ASSERT_TRUE(IsOk(found.status()));
  EXPECT_FALSE(found->has_value());
}

TEST_P(StoreConformanceTest, AddKeyRejectsActionContainingComma) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ApiKey k = MakeKey("AKIDcomma", kApp, kNow);
  k.actions = {"A,B"};
  EXPECT_TRUE(HasCode(store().AddKey(k), StatusCode::kInvalidArgument));
}

TEST_P(StoreConformanceTest, FindKeyReturnsNulloptForUnknownKey) {
  auto found = store().FindKey("AKIDnone");
  ASSERT_TRUE(IsOk(found.status()));
  EXPECT_FALSE(found->has_value());
}

TEST_P(StoreConformanceTest, ListKeysOfOneTenantIsOrderedByCreatedAt) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddTenant(kOtherApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDc", kApp, kNow + 30))));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDa", kApp, kNow + 10))));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDother", kOtherApp, kNow + 5))));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDb", kApp, kNow + 20))));
  auto keys = store().ListKeys(kApp);
  ASSERT_TRUE(IsOk(keys.status()));
  ASSERT_EQ(keys->size(), 3u);
  EXPECT_EQ((*keys)[0].secret_id, "AKIDa");
  EXPECT_EQ((*keys)[1].secret_id, "AKIDb");
  EXPECT_EQ((*keys)[2].secret_id, "AKIDc");
}

TEST_P(StoreConformanceTest, ListKeysOfAllTenantsIsOrderedByCreatedAt) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddTenant(kOtherApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDlate", kApp, kNow + 30))));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDearly", kOtherApp, kNow + 10))));
  auto keys = store().ListKeys(std::nullopt);
  ASSERT_TRUE(IsOk(keys.status()));
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].secret_id, "AKIDearly");
  EXPECT_EQ((*keys)[0].app_id, kOtherApp);
  EXPECT_EQ((*keys)[1].secret_id, "AKIDlate");
}

TEST_P(StoreConformanceTest, ListKeysOfTenantWithoutKeysIsEmpty) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddTenant(kOtherApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDother", kOtherApp, kNow))));
  auto keys = store().ListKeys(kApp);
  ASSERT_TRUE(IsOk(keys.status()));
  EXPECT_TRUE(keys->empty());
}

TEST_P(StoreConformanceTest, SetKeyEnabledDisablesAndReenables) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDtoggle", kApp, kNow))));
  ASSERT_TRUE(IsOk(store().SetKeyEnabled("AKIDtoggle", false)));
  auto found = store().FindKey("AKIDtoggle");
  ASSERT_TRUE(IsOk(found.status()));
  ASSERT_TRUE(found->has_value());
  EXPECT_FALSE((*found)->enabled);
  ASSERT_TRUE(IsOk(store().SetKeyEnabled("AKIDtoggle", true)));
  found = store().FindKey("AKIDtoggle");
  ASSERT_TRUE(IsOk(found.status()));
  ASSERT_TRUE(found->has_value());
  EXPECT_TRUE((*found)->enabled);
}

TEST_P(StoreConformanceTest, SetKeyEnabledOnUnknownKeyIsNotFound) {
  EXPECT_TRUE(HasCode(store().SetKeyEnabled("AKIDnone", false), StatusCode::kNotFound));
}

TEST_P(StoreConformanceTest, DeleteKeyRemovesIt) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDgone", kApp, kNow))));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDkept", kApp, kNow + 1))));
  ASSERT_TRUE(IsOk(store().DeleteKey("AKIDgone")));
  auto found = store().FindKey("AKIDgone");
  ASSERT_TRUE(IsOk(found.status()));
  EXPECT_FALSE(found->has_value());
  auto keys = store().ListKeys(kApp);
  ASSERT_TRUE(IsOk(keys.status()));
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].secret_id, "AKIDkept");
}

TEST_P(StoreConformanceTest, DeleteKeyOnUnknownKeyIsNotFound) {
  EXPECT_TRUE(HasCode(store().DeleteKey("AKIDnone"), StatusCode::kNotFound));
}

// ---------------------------------------------------------------------------- accounts

TEST_P(StoreConformanceTest, FindAccountReturnsNulloptWhenNoAccount) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  auto account = store().FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  EXPECT_FALSE(account->has_value());
}

TEST_P(StoreConformanceTest, CreateAccountAppliesAndRecordsEveryField) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  auto outcome = store().CreateAccount(MakeWrite(kApp, "$argon2id$hash1", kNow + 5));
  ASSERT_TRUE(IsOk(outcome.status()));
  EXPECT_EQ(*outcome, WriteOutcome::kApplied);
  auto account = store().FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  ASSERT_TRUE(account->has_value());
  EXPECT_EQ((*account)->app_id, kApp);
  EXPECT_EQ((*account)->password_hash, "$argon2id$hash1");
  EXPECT_FALSE((*account)->locked);
  EXPECT_EQ((*account)->created_at, kNow + 5);
  EXPECT_EQ((*account)->updated_at, kNow + 5);
}

TEST_P(StoreConformanceTest, CreateAccountAppendsItsAuditEventWhenApplied) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  AccountWrite w = MakeWrite(kApp, "$argon2id$hash1", kNow);
  w.audit.request_id = "req-create";
  ASSERT_TRUE(IsOk(store().CreateAccount(w).status()));
  auto events = store().ListAudit({});
  ASSERT_TRUE(IsOk(events.status()));
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].request_id, "req-create");
  EXPECT_EQ((*events)[0].action, "SetOutBandVPNAuthPwd");
}

TEST_P(StoreConformanceTest, CreateAccountOnExistingAccountIsAlreadyExistsAndChangesNothing) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeWrite(kApp, "$argon2id$first", kNow)).status()));
  auto outcome = store().CreateAccount(MakeWrite(kApp, "$argon2id$second", kNow + 10));
  ASSERT_TRUE(IsOk(outcome.status()));
  EXPECT_EQ(*outcome, WriteOutcome::kAlreadyExists);
  auto account = store().FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  ASSERT_TRUE(account->has_value());
  EXPECT_EQ((*account)->password_hash, "$argon2id$first");
  EXPECT_EQ((*account)->updated_at, kNow);
  auto events = store().ListAudit({});
  ASSERT_TRUE(IsOk(events.status()));
  EXPECT_EQ(events->size(), 1u);  // only the applied create
}

TEST_P(StoreConformanceTest, CreateAccountForUnknownTenantIsNotFoundStatusAndKeepsNoClaim) {
  auto outcome = store().CreateAccount(MakeWrite(kApp, "$argon2id$hash", kNow, "key-orphan"));
  EXPECT_TRUE(HasCode(outcome.status(), StatusCode::kNotFound));
  auto account = store().FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  EXPECT_FALSE(account->has_value());
  // A failed write changes nothing: the claim was rolled back with it.
  auto claimed = store().ClaimReplay({"key-orphan", kNow + 300});
  ASSERT_TRUE(IsOk(claimed.status()));
  EXPECT_TRUE(*claimed);
}

TEST_P(StoreConformanceTest, UpdateAccountReplacesHashAndKeepsCreationAndLock) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeWrite(kApp, "$argon2id$old", kNow)).status()));
  ASSERT_TRUE(IsOk(store().SetAccountLocked(kApp, true, kNow + 1)));
  auto outcome = store().UpdateAccount(MakeWrite(kApp, "$argon2id$new", kNow + 50));
  ASSERT_TRUE(IsOk(outcome.status()));
  EXPECT_EQ(*outcome, WriteOutcome::kApplied);
  auto account = store().FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  ASSERT_TRUE(account->has_value());
  EXPECT_EQ((*account)->password_hash, "$argon2id$new");
  EXPECT_EQ((*account)->created_at, kNow);
  EXPECT_EQ((*account)->updated_at, kNow + 50);
  EXPECT_TRUE((*account)->locked);
  auto events = store().ListAudit({});
  ASSERT_TRUE(IsOk(events.status()));
  EXPECT_EQ(events->size(), 2u);  // create + update
}

TEST_P(StoreConformanceTest, UpdateAccountWithoutAccountIsNotFoundAndCreatesNothing) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  auto outcome = store().UpdateAccount(MakeWrite(kApp, "$argon2id$new", kNow));
  ASSERT_TRUE(IsOk(outcome.status()));
  EXPECT_EQ(*outcome, WriteOutcome::kNotFound);
  auto account = store().FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  EXPECT_FALSE(account->has_value());
  auto events = store().ListAudit({});
  ASSERT_TRUE(IsOk(events.status()));
  EXPECT_TRUE(events->empty());
}

TEST_P(StoreConformanceTest, SetAccountLockedLocksAndUnlocks) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeWrite(kApp, "$argon2id$h", kNow)).status()));
  ASSERT_TRUE(IsOk(store().SetAccountLocked(kApp, true, kNow + 7)));
  auto account = store().FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  ASSERT_TRUE(account->has_value());
  EXPECT_TRUE((*account)->locked);
  EXPECT_EQ((*account)->updated_at, kNow + 7);
  ASSERT_TRUE(IsOk(store().SetAccountLocked(kApp, false, kNow + 8)));
  account = store().FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  ASSERT_TRUE(account->has_value());
  EXPECT_FALSE((*account)->locked);
  EXPECT_EQ((*account)->password_hash, "$argon2id$h");
}

TEST_P(StoreConformanceTest, SetAccountLockedWithoutAccountIsNotFound) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  EXPECT_TRUE(HasCode(store().SetAccountLocked(kApp, true, kNow), StatusCode::kNotFound));
}

TEST_P(StoreConformanceTest, DeleteAccountRemovesItAndAllowsCreateAgain) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeWrite(kApp, "$argon2id$h", kNow)).status()));
  ASSERT_TRUE(IsOk(store().DeleteAccount(kApp)));
  auto account = store().FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  EXPECT_FALSE(account->has_value());
  auto outcome = store().CreateAccount(MakeWrite(kApp, "$argon2id$again", kNow + 1));
  ASSERT_TRUE(IsOk(outcome.status()));
  EXPECT_EQ(*outcome, WriteOutcome::kApplied);
}

TEST_P(StoreConformanceTest, DeleteAccountWithoutAccountIsNotFound) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  EXPECT_TRUE(HasCode(store().DeleteAccount(kApp), StatusCode::kNotFound));
}

// Exactly one of any number of concurrent creates for one tenant returns kApplied.
TEST_P(StoreConformanceTest, ConcurrentCreatesForOneTenantApplyExactlyOnce) {
  constexpr int kThreads = 16;
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  std::vector<std::optional<Result<WriteOutcome>>> outcomes(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      AccountWrite w =
          MakeWrite(kApp, "$argon2id$t" + std::to_string(i), kNow, "key-" + std::to_string(i));
      start.arrive_and_wait();
      outcomes[i].emplace(store().CreateAccount(w));
    });
  }
  for (auto& t : threads) t.join();

  int applied = 0;
  int exists = 0;
  for (const auto& o : outcomes) {
    ASSERT_TRUE(o.has_value());
    ASSERT_TRUE(IsOk(o->status()));
    if (o->value() == WriteOutcome::kApplied) ++applied;
    if (o->value() == WriteOutcome::kAlreadyExists) ++exists;
  }
  EXPECT_EQ(applied, 1);
  EXPECT_EQ(exists, kThreads - 1);
  // Every claim is durable, whichever outcome its write had.
  for (int i = 0; i < kThreads; ++i) {
    auto claimed = store().ClaimReplay({"key-" + std::to_string(i), kNow + 300});
    ASSERT_TRUE(IsOk(claimed.status()));
    EXPECT_FALSE(*claimed) << "key-" << i;
  }
  auto events = store().ListAudit({});
  ASSERT_TRUE(IsOk(events.status()));
  EXPECT_EQ(events->size(), 1u);
}

// ---------------------------------------------------------------------------- replay

TEST_P(StoreConformanceTest, ClaimReplayAcceptsNewKey) {
  auto claimed = store().ClaimReplay({"key-1", kNow + 300});
  ASSERT_TRUE(IsOk(claimed.status()));
  EXPECT_TRUE(*claimed);
}

TEST_P(StoreConformanceTest, ClaimReplayRefusesClaimedKey) {
  ASSERT_TRUE(IsOk(store().ClaimReplay({"key-1", kNow + 300}).status()));
  auto again = store().ClaimReplay({"key-1", kNow + 600});
  ASSERT_TRUE(IsOk(again.status()));
  EXPECT_FALSE(*again);
}

TEST_P(StoreConformanceTest, ClaimReplayKeysAreIndependent) {
  ASSERT_TRUE(IsOk(store().ClaimReplay({"key-1", kNow + 300}).status()));
  auto other = store().ClaimReplay({"key-2", kNow + 300});
  ASSERT_TRUE(IsOk(other.status()));
  EXPECT_TRUE(*other);
}

TEST_P(StoreConformanceTest, ClaimReplayKeysAreBinarySafe) {
  const std::string a("digest\0a", 8);
  const std::string b("digest\0b", 8);
  ASSERT_TRUE(IsOk(store().ClaimReplay({a, kNow + 300}).status()));
  auto other = store().ClaimReplay({b, kNow + 300});
  ASSERT_TRUE(IsOk(other.status()));
  EXPECT_TRUE(*other);
  auto same = store().ClaimReplay({a, kNow + 300});
  ASSERT_TRUE(IsOk(same.status()));
  EXPECT_FALSE(*same);
}

TEST_P(StoreConformanceTest, PurgeReplayRemovesOnlyExpiredClaims) {
  ASSERT_TRUE(IsOk(store().ClaimReplay({"expired", kNow - 1}).status()));
  ASSERT_TRUE(IsOk(store().ClaimReplay({"boundary", kNow}).status()));
  ASSERT_TRUE(IsOk(store().ClaimReplay({"live", kNow + 300}).status()));
  ASSERT_TRUE(IsOk(store().PurgeReplay(kNow)));

  auto expired = store().ClaimReplay({"expired", kNow + 300});
  ASSERT_TRUE(IsOk(expired.status()));
  EXPECT_TRUE(*expired) << "a claim with expires_at < now is purged";
  auto boundary = store().ClaimReplay({"boundary", kNow + 300});
  ASSERT_TRUE(IsOk(boundary.status()));
  EXPECT_FALSE(*boundary) << "a claim with expires_at == now is kept";
  auto live = store().ClaimReplay({"live", kNow + 300});
  ASSERT_TRUE(IsOk(live.status()));
  EXPECT_FALSE(*live);
}

TEST_P(StoreConformanceTest, CreateAccountClaimsItsReplayKey) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  auto outcome = store().CreateAccount(MakeWrite(kApp, "$argon2id$h", kNow, "key-create"));
  ASSERT_TRUE(IsOk(outcome.status()));
  EXPECT_EQ(*outcome, WriteOutcome::kApplied);
  auto claimed = store().ClaimReplay({"key-create", kNow + 300});
  ASSERT_TRUE(IsOk(claimed.status()));
  EXPECT_FALSE(*claimed);
}

TEST_P(StoreConformanceTest, CreateAccountWithClaimedKeyIsReplayAndChangesNothing) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().ClaimReplay({"key-seen", kNow + 300}).status()));
  auto outcome = store().CreateAccount(MakeWrite(kApp, "$argon2id$h", kNow, "key-seen"));
  ASSERT_TRUE(IsOk(outcome.status()));
  EXPECT_EQ(*outcome, WriteOutcome::kReplay);
  auto account = store().FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  EXPECT_FALSE(account->has_value());
  auto events = store().ListAudit({});
  ASSERT_TRUE(IsOk(events.status()));
  EXPECT_TRUE(events->empty());
}

TEST_P(StoreConformanceTest, UpdateAccountWithClaimedKeyIsReplayAndChangesNothing) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeWrite(kApp, "$argon2id$old", kNow)).status()));
  ASSERT_TRUE(IsOk(store().ClaimReplay({"key-seen", kNow + 300}).status()));
  auto outcome = store().UpdateAccount(MakeWrite(kApp, "$argon2id$new", kNow + 9, "key-seen"));
  ASSERT_TRUE(IsOk(outcome.status()));
  EXPECT_EQ(*outcome, WriteOutcome::kReplay);
  auto account = store().FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  ASSERT_TRUE(account->has_value());
  EXPECT_EQ((*account)->password_hash, "$argon2id$old");
  EXPECT_EQ((*account)->updated_at, kNow);
  auto events = store().ListAudit({});
  ASSERT_TRUE(IsOk(events.status()));
  EXPECT_EQ(events->size(), 1u);  // the create only
}

TEST_P(StoreConformanceTest, CreateAccountAlreadyExistsKeepsClaimSoRetryIsReplay) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeWrite(kApp, "$argon2id$h", kNow)).status()));
  const AccountWrite w = MakeWrite(kApp, "$argon2id$h2", kNow + 1, "key-dup-create");
  auto first = store().CreateAccount(w);
  ASSERT_TRUE(IsOk(first.status()));
  EXPECT_EQ(*first, WriteOutcome::kAlreadyExists);
  // SPEC §3.2: the claim holds whatever the outcome; after the account is gone, the
  // same request replayed still must not succeed.
  ASSERT_TRUE(IsOk(store().DeleteAccount(kApp)));
  auto retry = store().CreateAccount(w);
  ASSERT_TRUE(IsOk(retry.status()));
  EXPECT_EQ(*retry, WriteOutcome::kReplay);
}

TEST_P(StoreConformanceTest, UpdateAccountNotFoundKeepsClaimSoRetryIsReplay) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  const AccountWrite w = MakeWrite(kApp, "$argon2id$h", kNow, "key-missing-update");
  auto first = store().UpdateAccount(w);
  ASSERT_TRUE(IsOk(first.status()));
  EXPECT_EQ(*first, WriteOutcome::kNotFound);
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeWrite(kApp, "$argon2id$other", kNow + 1)).status()));
  auto retry = store().UpdateAccount(w);
  ASSERT_TRUE(IsOk(retry.status()));
  EXPECT_EQ(*retry, WriteOutcome::kReplay);
  auto account = store().FindAccount(kApp);
  ASSERT_TRUE(IsOk(account.status()));
  ASSERT_TRUE(account->has_value());
  EXPECT_EQ((*account)->password_hash, "$argon2id$other");
}

// ---------------------------------------------------------------------------- audit

TEST_P(StoreConformanceTest, AppendAuditRoundTripsEveryFieldAndAssignsIds) {
  AuditEvent e = MakeEvent(kApp, kNow, "SetOutBandVPNAuthPwd");
  e.id = 999;  // ignored: the store assigns ids
  e.result_code = 10101;
  e.detail = "update";
  ASSERT_TRUE(IsOk(store().AppendAudit(e)));
  AuditEvent admin = MakeEvent(0, kNow + 1, "admin.key.disable");
  admin.secret_id = "";
  admin.source = "obvpnctl";
  ASSERT_TRUE(IsOk(store().AppendAudit(admin)));

  auto events = store().ListAudit({});
  ASSERT_TRUE(IsOk(events.status()));
  ASSERT_EQ(events->size(), 2u);
  const AuditEvent& got = (*events)[0];
  EXPECT_EQ(got.time, kNow);
  EXPECT_EQ(got.app_id, kApp);
  EXPECT_EQ(got.secret_id, e.secret_id);
  EXPECT_EQ(got.action, e.action);
  EXPECT_EQ(got.source, e.source);
  EXPECT_EQ(got.result_code, 10101);
  EXPECT_EQ(got.request_id, e.request_id);
  EXPECT_EQ(got.detail, "update");
  EXPECT_EQ((*events)[1].app_id, 0u);
  EXPECT_EQ((*events)[1].secret_id, "");
  EXPECT_EQ((*events)[1].source, "obvpnctl");
  EXPECT_LT(got.id, (*events)[1].id);
}

TEST_P(StoreConformanceTest, ListAuditReturnsNewestLast) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(IsOk(store().AppendAudit(MakeEvent(kApp, kNow + i, "a" + std::to_string(i)))));
  }
  auto events = store().ListAudit({});
  ASSERT_TRUE(IsOk(events.status()));
  ASSERT_EQ(events->size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ((*events)[i].action, "a" + std::to_string(i));
}

TEST_P(StoreConformanceTest, ListAuditFiltersByAppId) {
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeEvent(kApp, kNow, "mine-1"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeEvent(kOtherApp, kNow + 1, "other"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeEvent(kApp, kNow + 2, "mine-2"))));
  AuditFilter f;
  f.app_id = kApp;
  auto events = store().ListAudit(f);
  ASSERT_TRUE(IsOk(events.status()));
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].action, "mine-1");
  EXPECT_EQ((*events)[1].action, "mine-2");
}

TEST_P(StoreConformanceTest, ListAuditSinceIsInclusive) {
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeEvent(kApp, kNow - 1, "before"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeEvent(kApp, kNow, "at"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeEvent(kOtherApp, kNow + 1, "after"))));
  AuditFilter f;
  f.since = kNow;
  auto events = store().ListAudit(f);
  ASSERT_TRUE(IsOk(events.status()));
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].action, "at");
  EXPECT_EQ((*events)[1].action, "after");
}

TEST_P(StoreConformanceTest, ListAuditCombinesAppIdAndSince) {
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeEvent(kApp, kNow - 1, "mine-before"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeEvent(kOtherApp, kNow, "other-at"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeEvent(kApp, kNow, "mine-at"))));
  AuditFilter f;
  f.app_id = kApp;
  f.since = kNow;
  auto events = store().ListAudit(f);
  ASSERT_TRUE(IsOk(events.status()));
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].action, "mine-at");
}

TEST_P(StoreConformanceTest, ListAuditLimitKeepsTheNewestEvents) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(IsOk(store().AppendAudit(MakeEvent(kApp, kNow + i, "a" + std::to_string(i)))));
  }
  AuditFilter f;
  f.limit = 2;
  auto events = store().ListAudit(f);
  ASSERT_TRUE(IsOk(events.status()));
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].action, "a3");
  EXPECT_EQ((*events)[1].action, "a4");
}

TEST_P(StoreConformanceTest, ListAuditDefaultLimitReturnsTheNewest1000) {
  constexpr int kEvents = 1005;
  for (int i = 0; i < kEvents; ++i) {
    ASSERT_TRUE(IsOk(store().AppendAudit(MakeEvent(kApp, kNow + i, "e" + std::to_string(i)))));
  }
  auto events = store().ListAudit({});
  ASSERT_TRUE(IsOk(events.status()));
  ASSERT_EQ(events->size(), 1000u);
  EXPECT_EQ(events->front().action, "e5");
  EXPECT_EQ(events->back().action, "e1004");
  EXPECT_TRUE(std::is_sorted(events->begin(), events->end(),
                             [](const AuditEvent& a, const AuditEvent& b) { return a.id < b.id; }));
}

// ---------------------------------------------------------------------------- generation

struct GenerationCase {
  const char* name;
  std::function<Status(Store&)> setup;
  std::function<Status(Store&)> change;
  bool bumps;
};

Status Ignore(Store&) { return Status::Ok(); }

Status AsStatus(const Result<WriteOutcome>& r) { return r.status(); }
Status AsStatus(const Result<bool>& r) { return r.status(); }

std::vector<GenerationCase> GenerationCases() {
  auto with_tenant = [](Store& s) { return s.AddTenant(kApp, kNow); };
  auto with_key = [](Store& s) {
    OBVPN_RETURN_IF_ERROR(s.AddTenant(kApp, kNow));
    return s.AddKey(MakeKey("AKIDgen", kApp, kNow));
  };
  auto with_account = [](Store& s) {
    OBVPN_RETURN_IF_ERROR(s.AddTenant(kApp, kNow));
    return AsStatus(s.CreateAccount(MakeWrite(kApp, "$argon2id$h", kNow)));
  };
  auto with_client = [](Store& s) {
    return s.AddRadiusClient(MakeClient("gw", RequireMessageAuthenticator::kYes));
  };
  return {
      {"AddTenant", Ignore, [](Store& s) { return s.AddTenant(kApp, kNow); }, true},
      {"AddKey", with_tenant, [](Store& s) { return s.AddKey(MakeKey("AKIDgen", kApp, kNow)); },
       true},
      {"SetKeyEnabled", with_key, [](Store& s) { return s.SetKeyEnabled("AKIDgen", false); }, true},
      {"DeleteKey", with_key, [](Store& s) { return s.DeleteKey("AKIDgen"); }, true},
      {"SetAccountLocked", with_account,
       [](Store& s) { return s.SetAccountLocked(kApp, true, kNow); }, true},
      {"DeleteAccount", with_account, [](Store& s) { return s.DeleteAccount(kApp); }, true},
      {"AddRadiusClient", Ignore,
       [](Store& s) {
         return s.AddRadiusClient(MakeClient("gw", RequireMessageAuthenticator::kNo));
       },
       true},
      {"RemoveRadiusClient", with_client, [](Store& s) { return s.RemoveRadiusClient("gw"); },
       true},
      {"CreateAccount", with_tenant,
       [](Store& s) { return AsStatus(s.CreateAccount(MakeWrite(kApp, "$argon2id$h", kNow))); },
       true},
      {"UpdateAccount", with_account,
       [](Store& s) {
         return AsStatus(s.UpdateAccount(MakeWrite(kApp, "$argon2id$new", kNow + 1, "k")));
       },
       false},
      {"ClaimReplay", Ignore,
       [](Store& s) {
         return AsStatus(s.ClaimReplay({"k", kNow}));
       },
       false},
      {"PurgeReplay", Ignore, [](Store& s) { return s.PurgeReplay(kNow); }, false},
      {"AppendAudit", Ignore, [](Store& s) { return s.AppendAudit(MakeEvent(kApp, kNow, "x")); },
       false},
      {"SetMeta", Ignore, [](Store& s) { return s.SetMeta("check", "v"); }, false},
      {"RotateKey", with_key,
       [](Store& s) { return s.RotateKey(MakeKey("AKIDnext", kApp, kNow), "AKIDgen", kNow); },
       true},
      {"ReSealSecrets", with_key,
       [](Store& s) {
         return s.ReSealSecrets([](const SealedValue&) -> Result<std::optional<std::string>> {
           return std::optional<std::string>("v1:new");
         });
       },
       true},
  };
}

TEST_P(StoreConformanceTest, GenerationGrowsWithAdminChangesOnly) {
  for (const GenerationCase& c : GenerationCases()) {
    SCOPED_TRACE(c.name);
    // A fresh database per case, so the cases do not see each other's rows.
    store_.reset();
    env_ = GetParam().make_env();
    auto opened = env_->Open();
    ASSERT_TRUE(IsOk(opened.status()));
    store_ = std::move(opened).value();

    ASSERT_TRUE(IsOk(c.setup(store())));
    auto before = store().Generation();
    ASSERT_TRUE(IsOk(before.status()));
    ASSERT_TRUE(IsOk(c.change(store())));
    auto after = store().Generation();
    ASSERT_TRUE(IsOk(after.status()));
    if (c.bumps) {
      EXPECT_GT(*after, *before);
    } else {
      EXPECT_EQ(*after, *before);
    }
  }
}

TEST_P(StoreConformanceTest, GenerationDoesNotGrowOnFailedAdminChange) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  auto before = store().Generation();
  ASSERT_TRUE(IsOk(before.status()));
  EXPECT_FALSE(store().AddTenant(kApp, kNow).ok());
  EXPECT_FALSE(store().SetKeyEnabled("AKIDnone", true).ok());
  EXPECT_FALSE(store().DeleteAccount(kApp).ok());
  EXPECT_FALSE(store().RemoveRadiusClient("none").ok());
  auto after = store().Generation();
  ASSERT_TRUE(IsOk(after.status()));
  EXPECT_EQ(*after, *before);
}

TEST_P(StoreConformanceTest, GenerationDoesNotGrowOnARefusedCreate) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeWrite(kApp, "$argon2id$h", kNow)).status()));
  auto before = store().Generation();
  ASSERT_TRUE(IsOk(before.status()));
  auto again = store().CreateAccount(MakeWrite(kApp, "$argon2id$h2", kNow + 1, "k2"));
  ASSERT_TRUE(IsOk(again.status()));
  EXPECT_EQ(*again, WriteOutcome::kAlreadyExists);
  auto missing = store().CreateAccount(MakeWrite(kApp + 1, "$argon2id$h", kNow, "k3"));
  EXPECT_FALSE(missing.ok()) << "no such tenant";
  auto after = store().Generation();
  ASSERT_TRUE(IsOk(after.status()));
  EXPECT_EQ(*after, *before);
}

// ---------------------------------------------------------------------------- meta

TEST_P(StoreConformanceTest, GetMetaIsEmptyWhenUnset) {
  auto value = store().GetMeta("master_key_check");
  ASSERT_TRUE(IsOk(value.status()));
  EXPECT_EQ(*value, "");
}

TEST_P(StoreConformanceTest, SetMetaThenGetMetaReturnsValue) {
  const std::string sealed("v1:\0\x01\xfe-check", 11);
  ASSERT_TRUE(IsOk(store().SetMeta("master_key_check", sealed)));
  ASSERT_TRUE(IsOk(store().SetMeta("other", "x")));
  auto value = store().GetMeta("master_key_check");
  ASSERT_TRUE(IsOk(value.status()));
  EXPECT_EQ(*value, sealed);
}

TEST_P(StoreConformanceTest, SetMetaOverwrites) {
  ASSERT_TRUE(IsOk(store().SetMeta("k", "first")));
  ASSERT_TRUE(IsOk(store().SetMeta("k", "second")));
  auto value = store().GetMeta("k");
  ASSERT_TRUE(IsOk(value.status()));
  EXPECT_EQ(*value, "second");
}

// ---------------------------------------------------------------------------- RADIUS

TEST_P(StoreConformanceTest, AddRadiusClientThenListReturnsEveryFieldOrderedByName) {
  const struct {
    const char* name;
    RequireMessageAuthenticator ma;
  } kCases[] = {{"gw-c", RequireMessageAuthenticator::kAuto},
                {"gw-a", RequireMessageAuthenticator::kYes},
                {"gw-b", RequireMessageAuthenticator::kNo}};
  for (const auto& c : kCases) {
    RadiusClient client = MakeClient(c.name, c.ma);
    client.address = std::string("::1/128 ") + c.name;
    ASSERT_TRUE(IsOk(store().AddRadiusClient(client)));
  }
  auto clients = store().ListRadiusClients();
  ASSERT_TRUE(IsOk(clients.status()));
  ASSERT_EQ(clients->size(), 3u);
  EXPECT_EQ((*clients)[0].name, "gw-a");
  EXPECT_EQ((*clients)[0].require_message_authenticator, RequireMessageAuthenticator::kYes);
  EXPECT_EQ((*clients)[1].name, "gw-b");
  EXPECT_EQ((*clients)[1].require_message_authenticator, RequireMessageAuthenticator::kNo);
  EXPECT_EQ((*clients)[2].name, "gw-c");
  EXPECT_EQ((*clients)[2].require_message_authenticator, RequireMessageAuthenticator::kAuto);
  EXPECT_EQ((*clients)[2].address, "::1/128 gw-c");
  EXPECT_EQ((*clients)[2].sealed_secret, "v1:sealed-radius-gw-c");
  EXPECT_EQ((*clients)[2].created_at, kNow);
}

TEST_P(StoreConformanceTest, AddRadiusClientRejectsDuplicateName) {
  ASSERT_TRUE(IsOk(store().AddRadiusClient(MakeClient("gw", RequireMessageAuthenticator::kYes))));
  RadiusClient dup = MakeClient("gw", RequireMessageAuthenticator::kNo);
  dup.address = "192.0.2.7";
  EXPECT_TRUE(HasCode(store().AddRadiusClient(dup), StatusCode::kAlreadyExists));
  auto clients = store().ListRadiusClients();
  ASSERT_TRUE(IsOk(clients.status()));
  ASSERT_EQ(clients->size(), 1u);
  EXPECT_EQ((*clients)[0].address, "10.0.0.0/8");
}

TEST_P(StoreConformanceTest, RemoveRadiusClientRemovesIt) {
  ASSERT_TRUE(IsOk(store().AddRadiusClient(MakeClient("gw", RequireMessageAuthenticator::kYes))));
  ASSERT_TRUE(IsOk(store().AddRadiusClient(MakeClient("kept", RequireMessageAuthenticator::kYes))));
  ASSERT_TRUE(IsOk(store().RemoveRadiusClient("gw")));
  auto clients = store().ListRadiusClients();
  ASSERT_TRUE(IsOk(clients.status()));
  ASSERT_EQ(clients->size(), 1u);
  EXPECT_EQ((*clients)[0].name, "kept");
}

TEST_P(StoreConformanceTest, RemoveRadiusClientOnUnknownNameIsNotFound) {
  EXPECT_TRUE(HasCode(store().RemoveRadiusClient("none"), StatusCode::kNotFound));
}

// ---------------------------------------------------------------------------- sessions

// Asserts CountActiveSessions(app_id) == n.
void ExpectActive(Store& s, AppId app_id, int64_t n) {
  auto count = s.CountActiveSessions(app_id);
  ASSERT_TRUE(IsOk(count.status()));
  EXPECT_EQ(*count, n) << "app " << app_id;
}

TEST_P(StoreConformanceTest, CountActiveSessionsIsZeroWithoutSessions) {
  ExpectActive(store(), kApp, 0);
}

TEST_P(StoreConformanceTest, RecordSessionStartMakesItActive) {
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s1", kNow)));
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s2", kNow)));
  ExpectActive(store(), kApp, 2);
  ExpectActive(store(), kOtherApp, 0);
}

TEST_P(StoreConformanceTest, RecordSessionStartTwiceCountsOnce) {
  // A retransmitted Start and an Interim-Update name the same session.
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s1", kNow)));
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s1", kNow + 60)));
  ExpectActive(store(), kApp, 1);
}

TEST_P(StoreConformanceTest, SessionsAreKeyedByClientAndSessionId) {
  // Acct-Session-Id is unique per NAS only: two gateways may use the same one.
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw1", "s1", kNow)));
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw2", "s1", kNow)));
  ExpectActive(store(), kApp, 2);
  ASSERT_TRUE(IsOk(store().RecordSessionStop(kApp, "gw1", "s1", kNow + 5)));
  ExpectActive(store(), kApp, 1);
}

TEST_P(StoreConformanceTest, RecordSessionStopEndsIt) {
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s1", kNow)));
  ASSERT_TRUE(IsOk(store().RecordSessionStop(kApp, "gw", "s1", kNow + 10)));
  ExpectActive(store(), kApp, 0);
  // A retransmitted Stop changes nothing.
  ASSERT_TRUE(IsOk(store().RecordSessionStop(kApp, "gw", "s1", kNow + 11)));
  ExpectActive(store(), kApp, 0);
}

TEST_P(StoreConformanceTest, StartAfterStopDoesNotResurrectTheSession) {
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s1", kNow)));
  ASSERT_TRUE(IsOk(store().RecordSessionStop(kApp, "gw", "s1", kNow + 10)));
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s1", kNow + 11)));
  ExpectActive(store(), kApp, 0);
}

TEST_P(StoreConformanceTest, StopBeforeStartKeepsTheSessionStopped) {
  // UDP may reorder: a Stop that overtakes its Start must win.
  ASSERT_TRUE(IsOk(store().RecordSessionStop(kApp, "gw", "s1", kNow + 10)));
  ExpectActive(store(), kApp, 0);
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s1", kNow)));
  ExpectActive(store(), kApp, 0);
}

TEST_P(StoreConformanceTest, StopClientSessionsEndsOnlyThatClientsSessions) {
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw1", "a", kNow)));
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kOtherApp, "gw1", "b", kNow)));
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw2", "c", kNow)));
  ASSERT_TRUE(IsOk(store().StopClientSessions("gw1", kNow + 1)));
  ExpectActive(store(), kApp, 1);
  ExpectActive(store(), kOtherApp, 0);
  // The client's later sessions count again.
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw1", "d", kNow + 2)));
  ExpectActive(store(), kApp, 2);
}

TEST_P(StoreConformanceTest, SessionIdsAreBinarySafe) {
  const std::string with_nul(
      "s\0\xff"
      "1",
      4);
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", with_nul, kNow)));
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s", kNow)));
  ExpectActive(store(), kApp, 2);
  ASSERT_TRUE(IsOk(store().RecordSessionStop(kApp, "gw", with_nul, kNow + 1)));
  ExpectActive(store(), kApp, 1);
}

TEST_P(StoreConformanceTest, CountAllActiveSessionsCountsEveryTenant) {
  auto none = store().CountAllActiveSessions();
  ASSERT_TRUE(IsOk(none.status()));
  EXPECT_EQ(*none, 0);
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s1", kNow)));
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s2", kNow)));
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kOtherApp, "gw", "s3", kNow)));
  ASSERT_TRUE(IsOk(store().RecordSessionStop(kApp, "gw", "s2", kNow + 1)));
  auto all = store().CountAllActiveSessions();
  ASSERT_TRUE(IsOk(all.status()));
  EXPECT_EQ(*all, 2);
}

TEST_P(StoreConformanceTest, SessionsDoNotMoveGeneration) {
  auto before = store().Generation();
  ASSERT_TRUE(IsOk(before.status()));
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s1", kNow)));
  ASSERT_TRUE(IsOk(store().RecordSessionStop(kApp, "gw", "s1", kNow)));
  ASSERT_TRUE(IsOk(store().StopClientSessions("gw", kNow)));
  auto after = store().Generation();
  ASSERT_TRUE(IsOk(after.status()));
  EXPECT_EQ(*after, *before);
}

TEST_P(StoreConformanceTest, SessionsSurviveReopen) {
  ASSERT_TRUE(IsOk(store().RecordSessionStart(kApp, "gw", "s1", kNow)));
  store_.reset();
  auto reopened = env_->Open();
  ASSERT_TRUE(IsOk(reopened.status()));
  store_ = std::move(reopened).value();
  ExpectActive(store(), kApp, 1);
}

// ---------------------------------------------------------------------------- app ids

// ---------------------------------------------------------------------------- key rotation

TEST_P(StoreConformanceTest, RotateKeyAddsReplacementAndExpiresOldKey) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDold", kApp, kNow))));
  ApiKey next = MakeKey("AKIDnew", kApp, kNow + 1);
  next.actions = {"GetOutBandVPNAuthInfo"};
  ASSERT_TRUE(IsOk(store().RotateKey(next, "AKIDold", kNow + 600)));
  auto old_key = store().FindKey("AKIDold");
  ASSERT_TRUE(IsOk(old_key.status()));
  ASSERT_TRUE(old_key->has_value());
  EXPECT_EQ((*old_key)->expires_at, kNow + 600);
  EXPECT_TRUE((*old_key)->enabled);
  auto new_key = store().FindKey("AKIDnew");
  ASSERT_TRUE(IsOk(new_key.status()));
  ASSERT_TRUE(new_key->has_value());
  EXPECT_EQ((*new_key)->app_id, kApp);
  EXPECT_EQ((*new_key)->actions, next.actions);
  EXPECT_FALSE((*new_key)->expires_at.has_value());
}

TEST_P(StoreConformanceTest, RotateKeyKeepsAnEarlierExpiry) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ApiKey old_key = MakeKey("AKIDold", kApp, kNow);
  old_key.expires_at = kNow + 10;
  ASSERT_TRUE(IsOk(store().AddKey(old_key)));
  ASSERT_TRUE(IsOk(store().RotateKey(MakeKey("AKIDnew", kApp, kNow), "AKIDold", kNow + 600)));
  auto found = store().FindKey("AKIDold");
  ASSERT_TRUE(IsOk(found.status()));
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->expires_at, kNow + 10);
}

TEST_P(StoreConformanceTest, RotateKeyOfUnknownKeyIsNotFoundAndAddsNothing) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  EXPECT_TRUE(HasCode(store().RotateKey(MakeKey("AKIDnew", kApp, kNow), "AKIDnone", kNow),
                      StatusCode::kNotFound));
  auto found = store().FindKey("AKIDnew");
  ASSERT_TRUE(IsOk(found.status()));
  EXPECT_FALSE(found->has_value());
}

TEST_P(StoreConformanceTest, RotateKeyOfAnotherTenantsKeyIsInvalidAndChangesNothing) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddTenant(kOtherApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDother", kOtherApp, kNow))));
  EXPECT_TRUE(HasCode(store().RotateKey(MakeKey("AKIDnew", kApp, kNow), "AKIDother", kNow),
                      StatusCode::kInvalidArgument));
  auto other = store().FindKey("AKIDother");
  ASSERT_TRUE(IsOk(other.status()));
  ASSERT_TRUE(other->has_value());
  EXPECT_FALSE((*other)->expires_at.has_value());
  auto added = store().FindKey("AKIDnew");
  ASSERT_TRUE(IsOk(added.status()));
  EXPECT_FALSE(added->has_value());
}

TEST_P(StoreConformanceTest, RotateKeyToDuplicateSecretIdIsAlreadyExistsAndKeepsOldKey) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDold", kApp, kNow))));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDtaken", kApp, kNow))));
  EXPECT_TRUE(HasCode(store().RotateKey(MakeKey("AKIDtaken", kApp, kNow), "AKIDold", kNow),
                      StatusCode::kAlreadyExists));
  auto old_key = store().FindKey("AKIDold");
  ASSERT_TRUE(IsOk(old_key.status()));
  ASSERT_TRUE(old_key->has_value());
  EXPECT_FALSE((*old_key)->expires_at.has_value());
}

// ---------------------------------------------------------------------------- re-seal

// Fills one tenant key, one RADIUS client and two meta rows.
void AddSealedRows(Store& s) {
  ASSERT_TRUE(IsOk(s.AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(s.AddKey(MakeKey("AKIDa", kApp, kNow))));
  ASSERT_TRUE(IsOk(s.AddRadiusClient(MakeClient("gw", RequireMessageAuthenticator::kYes))));
  ASSERT_TRUE(IsOk(s.SetMeta("master_key_check", "v1:check")));
  ASSERT_TRUE(IsOk(s.SetMeta("plain", "not sealed")));
}

TEST_P(StoreConformanceTest, ReSealSecretsOffersEverySealedValueAndStoresTheResult) {
  AddSealedRows(store());
  std::vector<std::string> seen;
  ASSERT_TRUE(
      IsOk(store().ReSealSecrets([&](const SealedValue& v) -> Result<std::optional<std::string>> {
        seen.push_back(std::to_string(static_cast<int>(v.kind)) + ":" + v.id + "=" + v.sealed);
        if (v.kind == SealedKind::kMeta && v.id == "plain") return std::optional<std::string>();
        return std::optional<std::string>("v2:" + v.id);
      })));
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"0:AKIDa=v1:sealed-AKIDa", "1:gw=v1:sealed-radius-gw",
                                            "2:master_key_check=v1:check", "2:plain=not sealed"}));
  auto key = store().FindKey("AKIDa");
  ASSERT_TRUE(IsOk(key.status()));
  ASSERT_TRUE(key->has_value());
  EXPECT_EQ((*key)->sealed_secret_key, "v2:AKIDa");
  auto clients = store().ListRadiusClients();
  ASSERT_TRUE(IsOk(clients.status()));
  ASSERT_EQ(clients->size(), 1u);
  EXPECT_EQ((*clients)[0].sealed_secret, "v2:gw");
  auto check = store().GetMeta("master_key_check");
  ASSERT_TRUE(IsOk(check.status()));
  EXPECT_EQ(*check, "v2:master_key_check");
  auto plain = store().GetMeta("plain");
  ASSERT_TRUE(IsOk(plain.status()));
  EXPECT_EQ(*plain, "not sealed");
}

TEST_P(StoreConformanceTest, ReSealSecretsFailureChangesNothing) {
  AddSealedRows(store());
  // Fails on one value, while the others are rewritten in the same transaction: none of
  // them may persist.
  Status s = store().ReSealSecrets([&](const SealedValue& v) -> Result<std::optional<std::string>> {
    if (v.kind == SealedKind::kMeta && v.id == "plain") return DataLoss("cannot open");
    return std::optional<std::string>("v2:" + v.id);
  });
  EXPECT_TRUE(HasCode(s, StatusCode::kDataLoss));
  auto key = store().FindKey("AKIDa");
  ASSERT_TRUE(IsOk(key.status()));
  ASSERT_TRUE(key->has_value());
  EXPECT_EQ((*key)->sealed_secret_key, "v1:sealed-AKIDa");
  auto clients = store().ListRadiusClients();
  ASSERT_TRUE(IsOk(clients.status()));
  ASSERT_EQ(clients->size(), 1u);
  EXPECT_EQ((*clients)[0].sealed_secret, "v1:sealed-radius-gw");
  auto check = store().GetMeta("master_key_check");
  ASSERT_TRUE(IsOk(check.status()));
  EXPECT_EQ(*check, "v1:check");
}

TEST_P(StoreConformanceTest, ReSealSecretsKeepsBinaryValues) {
  ASSERT_TRUE(IsOk(store().AddTenant(kApp, kNow)));
  ASSERT_TRUE(IsOk(store().AddKey(MakeKey("AKIDa", kApp, kNow))));
  const std::string binary("v2:\0\x01\xff", 6);
  ASSERT_TRUE(
      IsOk(store().ReSealSecrets([&](const SealedValue&) -> Result<std::optional<std::string>> {
        return std::optional<std::string>(binary);
      })));
  auto key = store().FindKey("AKIDa");
  ASSERT_TRUE(IsOk(key.status()));
  ASSERT_TRUE(key->has_value());
  EXPECT_EQ((*key)->sealed_secret_key, binary);
}

// SPEC §2: appId is unsigned 64-bit; values >= 2^63 must survive every table.
TEST_P(StoreConformanceTest, AppIdsAtOrAbove2To63RoundTrip) {
  for (AppId id : {AppId{1} << 63, kHighApp, kMaxApp}) {
    SCOPED_TRACE(id);
    ASSERT_TRUE(IsOk(store().AddTenant(id, kNow)));
    auto exists = store().TenantExists(id);
    ASSERT_TRUE(IsOk(exists.status()));
    EXPECT_TRUE(*exists);

    const std::string secret_id = "AKID" + std::to_string(id);
    ASSERT_TRUE(IsOk(store().AddKey(MakeKey(secret_id, id, kNow))));
    auto key = store().FindKey(secret_id);
    ASSERT_TRUE(IsOk(key.status()));
    ASSERT_TRUE(key->has_value());
    EXPECT_EQ((*key)->app_id, id);
    auto keys = store().ListKeys(id);
    ASSERT_TRUE(IsOk(keys.status()));
    ASSERT_EQ(keys->size(), 1u);

    auto outcome = store().CreateAccount(MakeWrite(id, "$argon2id$h", kNow));
    ASSERT_TRUE(IsOk(outcome.status()));
    EXPECT_EQ(*outcome, WriteOutcome::kApplied);
    auto account = store().FindAccount(id);
    ASSERT_TRUE(IsOk(account.status()));
    ASSERT_TRUE(account->has_value());
    EXPECT_EQ((*account)->app_id, id);

    ASSERT_TRUE(IsOk(store().RecordSessionStart(id, "gw", "s-" + std::to_string(id), kNow)));
    ExpectActive(store(), id, 1);

    AuditFilter f;
    f.app_id = id;
    auto events = store().ListAudit(f);
    ASSERT_TRUE(IsOk(events.status()));
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ((*events)[0].app_id, id);
  }
  auto tenants = store().ListTenants();
  ASSERT_TRUE(IsOk(tenants.status()));
  ASSERT_EQ(tenants->size(), 3u);
  EXPECT_EQ((*tenants)[2].app_id, kMaxApp);
}

}  // namespace
}  // namespace obvpn::store::testing
