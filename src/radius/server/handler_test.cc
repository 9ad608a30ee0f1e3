// RequestHandler: every decision of SPEC §5, driven with packets built by the codec and
// a real SqliteStore in a temporary directory. Hashing runs on a test executor (inline or
// held back), so nothing depends on timing.
#include "radius/server/handler.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "password/password.h"
#include "radius/packet/packet.h"
#include "store/fault_injecting_store.h"
#include "store/sqlite_store.h"

namespace obvpn::radius {
namespace {

constexpr uint64_t kApp = 1251001002;
constexpr uint64_t kOtherApp = 1251001003;
constexpr char kPassword[] = "Qz7#kLm2pX";
constexpr char kSecret[] = "s3cret-shared-key";
constexpr int64_t kSecond = 1'000'000'000;

using store::RequireMessageAuthenticator;

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "obvpn_radius_XXXXXX";
    EXPECT_NE(mkdtemp(pattern.data()), nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// Records every observer call.
class RecordingObserver final : public Observer {
 public:
  void OnDecision(const Decision& d) override { decisions.push_back(d); }
  void OnClientsLoaded(size_t n, const std::vector<std::string>& p) override {
    ++loads;
    clients = n;
    problems = p;
  }
  void OnMessageAuthenticatorRequired(const std::string& client) override {
    now_strict.push_back(client);
  }
  std::vector<Decision> decisions;
  int loads = 0;
  size_t clients = 0;
  std::vector<std::string> problems;
  std::vector<std::string> now_strict;
};

Peer MakePeer(std::string_view address, uint16_t port = 40000) {
  auto a = IpAddress::Parse(address);
  EXPECT_TRUE(a.ok());
  return Peer{a.ok() ? *a : IpAddress{}, port};
}

Authenticator MakeAuthenticator(uint8_t seed) {
  Authenticator a{};
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(seed * 31 + i);
  return a;
}

// An Access-Request as a gateway sends it: User-Name, hidden User-Password, extras.
struct AccessRequestSpec {
  std::string user_name = std::to_string(kApp);
  std::optional<std::string> password = kPassword;
  bool message_authenticator = true;
  std::string secret = kSecret;
  uint8_t identifier = 7;
  uint8_t seed = 1;
  std::vector<Attribute> extra;
};

std::string AccessRequest(const AccessRequestSpec& s) {
  const Authenticator auth = MakeAuthenticator(s.seed);
  std::vector<Attribute> attrs;
  if (!s.user_name.empty()) attrs.push_back(StringAttribute(attr::kUserName, s.user_name));
  if (s.password) {
    auto hidden = EncryptUserPassword(*s.password, auth, s.secret);
    EXPECT_TRUE(hidden.ok());
    attrs.push_back(Attribute{attr::kUserPassword, hidden.ok() ? *hidden : ""});
  }
  attrs.insert(attrs.end(), s.extra.begin(), s.extra.end());
  auto packet = EncodeAccessRequest(s.identifier, auth, attrs, s.secret, s.message_authenticator);
  EXPECT_TRUE(packet.ok()) << packet.status().ToString();
  return packet.ok() ? *packet : "";
}

// The default request with another Request Authenticator (a new request, not a duplicate).
AccessRequestSpec Seeded(uint8_t seed) {
  AccessRequestSpec s;
  s.seed = seed;
  return s;
}

std::string AccountingRequest(uint32_t status_type, std::string session_id,
                              std::string user_name = std::to_string(kApp),
                              std::string secret = kSecret, uint8_t identifier = 9) {
  std::vector<Attribute> attrs = {Uint32Attribute(attr::kAcctStatusType, status_type)};
  if (!session_id.empty()) attrs.push_back(StringAttribute(attr::kAcctSessionId, session_id));
  if (!user_name.empty()) attrs.push_back(StringAttribute(attr::kUserName, user_name));
  auto packet = EncodeAccountingRequest(identifier, attrs, secret, false);
  EXPECT_TRUE(packet.ok());
  return packet.ok() ? *packet : "";
}

std::string StatusServer(std::string secret = kSecret) {
  auto packet = EncodeStatusServer(3, MakeAuthenticator(9), {}, secret);
  EXPECT_TRUE(packet.ok());
  return packet.ok() ? *packet : "";
}

class HandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::SqliteOptions o;
    o.path = dir_.File("obvpn.db");
    auto opened = store::OpenSqliteStore(o);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    // Reads and writes go through the fault injector so tests can fail the store.
    store_ = store::MakeFaultInjectingStore(std::move(opened).value(), dir_.File("fault"));
    auto box = crypto::SecretBox::FromKey(crypto::Secret(std::string(32, 'k')));
    ASSERT_TRUE(box.ok());
    box_ = std::make_unique<crypto::SecretBox>(std::move(box).value());
    ASSERT_TRUE(store_->AddTenant(kApp, 1700000000).ok());
    ASSERT_TRUE(store_->AddTenant(kOtherApp, 1700000000).ok());
    SetPassword(kApp, kPassword, /*create=*/true);
  }

  void SetPassword(uint64_t app_id, const std::string& password, bool create) {
    auto hash = password::Hash(password, {8, 1});
    ASSERT_TRUE(hash.ok());
    store::AccountWrite w;
    w.app_id = app_id;
    w.password_hash = *hash;
    w.now = 1700000000;
    auto outcome = create ? store_->CreateAccount(w) : store_->UpdateAccount(w);
    ASSERT_TRUE(outcome.ok());
    ASSERT_EQ(*outcome, store::WriteOutcome::kApplied);
  }

  void AddClient(const std::string& name, const std::string& cidr,
                 RequireMessageAuthenticator ma = RequireMessageAuthenticator::kYes,
                 const std::string& secret = kSecret) {
    store::RadiusClient c;
    c.name = name;
    c.address = cidr;
    c.sealed_secret = box_->Seal(secret, "radius-client:" + name);
    c.require_message_authenticator = ma;
    ASSERT_TRUE(store_->AddRadiusClient(c).ok());
  }

  // Builds the handler (after the options and clients are set) and loads the clients.
  RequestHandler& Handler() {
    if (!handler_) {
      Executor exec = [this](std::function<void()> job) {
        ++submitted_;
        if (refuse_jobs_) return false;
        if (hold_jobs_) {
          held_.push_back(std::move(job));
        } else {
          job();
        }
        return true;
      };
      handler_ =
          std::make_unique<RequestHandler>(*store_, *box_, clock_, exec, &observer_, options_);
      EXPECT_TRUE(handler_->Refresh().ok());
    }
    return *handler_;
  }

  // Handles one datagram; the response, if done was called synchronously.
  std::optional<Response> Send(const std::string& datagram,
                               Listener listener = Listener::kAuthentication,
                               const Peer& peer = MakePeer("127.0.0.1")) {
    // Shared, not on the stack: a held job may call done after Send has returned.
    auto out = std::make_shared<std::optional<Response>>();
    Handler().Handle(listener, peer, datagram, [out](Response r) { *out = std::move(r); });
    return *out;
  }

  // Handles a datagram that must get a reply; returns the checked reply packet.
  Packet ExpectReply(const std::string& datagram, Reason reason,
                     Listener listener = Listener::kAuthentication,
                     const Peer& peer = MakePeer("127.0.0.1")) {
    auto r = Send(datagram, listener, peer);
    EXPECT_TRUE(r.has_value());
    if (!r) return {};
    EXPECT_EQ(ReasonName(r->decision.reason), ReasonName(reason));
    EXPECT_TRUE(r->reply.has_value());
    if (!r->reply) return {};
    CheckResult reply = Check(*r->reply);
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) return {};
    CheckResult request = Check(datagram);
    EXPECT_TRUE(request.ok());
    // The reply authenticates against the request (RFC 2865 §3) and carries a valid
    // Message-Authenticator (SPEC §5: always, first).
    EXPECT_EQ(VerifyReply(reply.packet(), request.packet(), kSecret, {true}), std::nullopt);
    EXPECT_FALSE(reply.packet().attributes.empty());
    if (!reply.packet().attributes.empty()) {
      EXPECT_EQ(reply.packet().attributes[0].type, attr::kMessageAuthenticator);
    }
    return std::move(reply).packet();
  }

  // Handles a datagram that must be dropped for `reason`.
  Decision ExpectDrop(const std::string& datagram, Reason reason,
                      Listener listener = Listener::kAuthentication,
                      const Peer& peer = MakePeer("127.0.0.1")) {
    auto r = Send(datagram, listener, peer);
    EXPECT_TRUE(r.has_value());
    if (!r) return {};
    EXPECT_EQ(ReasonName(r->decision.reason), ReasonName(reason));
    EXPECT_EQ(r->decision.verdict(), Verdict::kDrop);
    EXPECT_FALSE(r->reply.has_value());
    return r->decision;
  }

  void FailStore(const std::string& what) { std::ofstream(dir_.File("fault")) << what; }

  int64_t ActiveSessions(uint64_t app_id) {
    auto n = store_->CountActiveSessions(app_id);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<crypto::SecretBox> box_;
  FakeClock clock_;
  RecordingObserver observer_;
  HandlerOptions options_;
  int submitted_ = 0;
  bool refuse_jobs_ = false;
  bool hold_jobs_ = false;
  std::vector<std::function<void()>> held_;
  std::unique_ptr<RequestHandler> handler_;
};

// ------------------------------------------------------------------ Access-Request

TEST_F(HandlerTest, AcceptsCorrectPasswordWithClassAndNothingElse) {
  AddClient("gw", "127.0.0.1/32");
  Packet reply = ExpectReply(AccessRequest({}), Reason::kAccepted);
  EXPECT_EQ(reply.code, Code::kAccessAccept);
  auto cls = GetString(reply, attr::kClass);
  ASSERT_TRUE(cls.ok());
  EXPECT_EQ(*cls, "bm1251001002");
  EXPECT_EQ(reply.attributes.size(), 2u);  // Message-Authenticator, Class
  EXPECT_EQ(submitted_, 1);
}

TEST_F(HandlerTest, AcceptNeverEchoesAuthenticateOnlyServiceType) {
  // ocserv sends Service-Type = Authenticate-Only and fails on any but Framed-User.
  AddClient("gw", "127.0.0.1/32");
  AccessRequestSpec s;
  s.extra = {Uint32Attribute(attr::kServiceType, service_type::kAuthenticateOnly)};
  Packet reply = ExpectReply(AccessRequest(s), Reason::kAccepted);
  EXPECT_EQ(FindAttribute(reply, attr::kServiceType), nullptr);
}

TEST_F(HandlerTest, AcceptsEveryUserNameForm) {
  AddClient("gw", "127.0.0.1/32");
  uint8_t seed = 1;
  for (const char* name : {"1251001002", "bm1251001002\\1251001002", "1251001002@bm1251001002"}) {
    SCOPED_TRACE(name);
    AccessRequestSpec s;
    s.user_name = name;
    s.seed = ++seed;
    Packet reply = ExpectReply(AccessRequest(s), Reason::kAccepted);
    EXPECT_EQ(reply.code, Code::kAccessAccept);
  }
}

TEST_F(HandlerTest, RejectsWrongPassword) {
  AddClient("gw", "127.0.0.1/32");
  AccessRequestSpec s;
  s.password = "Wrong#pass1";
  Packet reply = ExpectReply(AccessRequest(s), Reason::kBadPassword);
  EXPECT_EQ(reply.code, Code::kAccessReject);
  EXPECT_EQ(FindAttribute(reply, attr::kClass), nullptr);
}

TEST_F(HandlerTest, DecisionsNeverHoldThePassword) {
  AddClient("gw", "127.0.0.1/32");
  AccessRequestSpec s;
  s.password = "Wrong#pass1";
  ExpectReply(AccessRequest(s), Reason::kBadPassword);
  ExpectReply(AccessRequest(Seeded(2)), Reason::kAccepted);
  for (const Decision& d : observer_.decisions) {
    EXPECT_EQ(d.detail.find("Wrong#pass1"), std::string::npos);
    EXPECT_EQ(d.detail.find(kPassword), std::string::npos);
    EXPECT_EQ(d.detail.find(kSecret), std::string::npos);
  }
}

TEST_F(HandlerTest, RejectsUserNamesThatNameNoTenantProperly) {
  AddClient("gw", "127.0.0.1/32");
  uint8_t seed = 1;
  for (const char* name : {"bm1251001003\\1251001002", "01251001002", "alice", "1251001002@bm"}) {
    SCOPED_TRACE(name);
    AccessRequestSpec s;
    s.user_name = name;
    s.seed = ++seed;
    EXPECT_EQ(ExpectReply(AccessRequest(s), Reason::kBadUserName).code, Code::kAccessReject);
  }
  EXPECT_EQ(submitted_, 0);
}

TEST_F(HandlerTest, RejectsMissingUserName) {
  AddClient("gw", "127.0.0.1/32");
  AccessRequestSpec s;
  s.user_name = "";
  ExpectReply(AccessRequest(s), Reason::kBadUserName);
}

TEST_F(HandlerTest, RejectsRequestWithoutUserPassword) {
  AddClient("gw", "127.0.0.1/32");
  AccessRequestSpec s;
  s.password.reset();
  ExpectReply(AccessRequest(s), Reason::kNotPap);
}

TEST_F(HandlerTest, RejectsTenantWithoutAccount) {
  AddClient("gw", "127.0.0.1/32");
  AccessRequestSpec s;
  s.user_name = std::to_string(kOtherApp);
  ExpectReply(AccessRequest(s), Reason::kNoAccount);
  EXPECT_EQ(submitted_, 0);
}

TEST_F(HandlerTest, RejectsLockedAccountWithoutHashing) {
  AddClient("gw", "127.0.0.1/32");
  ASSERT_TRUE(store_->SetAccountLocked(kApp, true, 1700000001).ok());
  ExpectReply(AccessRequest({}), Reason::kAccountLocked);
  EXPECT_EQ(submitted_, 0);
}

TEST_F(HandlerTest, NewPasswordWorksAndOldOneFailsRightAfterAnUpdate) {
  AddClient("gw", "127.0.0.1/32");
  ExpectReply(AccessRequest(Seeded(1)), Reason::kAccepted);
  SetPassword(kApp, "Newpass#2024", /*create=*/false);
  ExpectReply(AccessRequest(Seeded(2)), Reason::kBadPassword);
  AccessRequestSpec s;
  s.password = "Newpass#2024";
  s.seed = 3;
  ExpectReply(AccessRequest(s), Reason::kAccepted);
}

// ------------------------------------------------------------------ clients and policy

TEST_F(HandlerTest, DropsDatagramFromUnknownClient) {
  AddClient("gw", "127.0.0.2/32");
  Decision d = ExpectDrop(AccessRequest({}), Reason::kUnknownClient);
  EXPECT_EQ(d.client, "");
  EXPECT_EQ(d.peer.ToString(), "127.0.0.1:40000");
}

TEST_F(HandlerTest, DropsRequestSignedWithAnotherSecret) {
  AddClient("gw", "127.0.0.1/32");
  AccessRequestSpec s;
  s.secret = "not-the-shared-secret";
  Decision d = ExpectDrop(AccessRequest(s), Reason::kDiscarded);
  ASSERT_TRUE(d.discard.has_value());
  EXPECT_EQ(*d.discard, DiscardReason::kMessageAuthenticatorMismatch);
  EXPECT_EQ(d.label(), "message_authenticator_mismatch");
}

TEST_F(HandlerTest, StrictClientDropsRequestWithoutMessageAuthenticator) {
  AddClient("gw", "127.0.0.1/32", RequireMessageAuthenticator::kYes);
  AccessRequestSpec s;
  s.message_authenticator = false;
  Decision d = ExpectDrop(AccessRequest(s), Reason::kDiscarded);
  EXPECT_EQ(d.discard, DiscardReason::kMessageAuthenticatorMissing);
}

TEST_F(HandlerTest, LenientClientAcceptsRequestWithoutMessageAuthenticator) {
  AddClient("gw", "127.0.0.1/32", RequireMessageAuthenticator::kNo);
  AccessRequestSpec s;
  s.message_authenticator = false;
  ExpectReply(AccessRequest(s), Reason::kAccepted);
}

TEST_F(HandlerTest, LenientClientDropsProxyStateWithoutMessageAuthenticator) {
  AddClient("gw", "127.0.0.1/32", RequireMessageAuthenticator::kNo);
  AccessRequestSpec s;
  s.message_authenticator = false;
  s.extra = {StringAttribute(attr::kProxyState, "ps")};
  Decision d = ExpectDrop(AccessRequest(s), Reason::kDiscarded);
  EXPECT_EQ(d.discard, DiscardReason::kProxyStateWithoutMessageAuthenticator);
}

TEST_F(HandlerTest, ReplyCopiesProxyState) {
  AddClient("gw", "127.0.0.1/32");
  AccessRequestSpec s;
  s.extra = {StringAttribute(attr::kProxyState, "ps1")};
  Packet reply = ExpectReply(AccessRequest(s), Reason::kAccepted);
  auto ps = GetString(reply, attr::kProxyState);
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(*ps, "ps1");
}

TEST_F(HandlerTest, AutoClientBecomesStrictAfterItsFirstMessageAuthenticator) {
  AddClient("gw", "127.0.0.1/32", RequireMessageAuthenticator::kAuto);
  AccessRequestSpec plain;
  plain.message_authenticator = false;
  plain.seed = 1;
  ExpectReply(AccessRequest(plain), Reason::kAccepted);
  ExpectReply(AccessRequest(Seeded(2)), Reason::kAccepted);  // with one
  EXPECT_EQ(observer_.now_strict, std::vector<std::string>{"gw"});
  plain.seed = 3;
  Decision d = ExpectDrop(AccessRequest(plain), Reason::kDiscarded);
  EXPECT_EQ(d.discard, DiscardReason::kMessageAuthenticatorMissing);
}

TEST_F(HandlerTest, AutoClientStaysLenientAfterStatusServer) {
  AddClient("gw", "127.0.0.1/32", RequireMessageAuthenticator::kAuto);
  ExpectReply(StatusServer(), Reason::kStatusServer);
  AccessRequestSpec plain;
  plain.message_authenticator = false;
  ExpectReply(AccessRequest(plain), Reason::kAccepted);
  EXPECT_TRUE(observer_.now_strict.empty());
}

TEST_F(HandlerTest, DropsMalformedDatagramFromKnownClient) {
  AddClient("gw", "127.0.0.1/32");
  Decision d = ExpectDrop(std::string(10, '\x01'), Reason::kDiscarded);
  EXPECT_EQ(d.discard, DiscardReason::kTooShort);
}

TEST_F(HandlerTest, DropsAccessRequestOnAccountingPort) {
  AddClient("gw", "127.0.0.1/32");
  ExpectDrop(AccessRequest({}), Reason::kWrongListener, Listener::kAccounting);
}

TEST_F(HandlerTest, DropsAccountingRequestOnAuthenticationPort) {
  AddClient("gw", "127.0.0.1/32");
  ExpectDrop(AccountingRequest(acct_status_type::kStart, "s1"), Reason::kWrongListener);
}

TEST_F(HandlerTest, RefreshLoadsNewClientsOnlyWhenGenerationMoves) {
  AddClient("gw", "127.0.0.2/32");
  Handler();
  EXPECT_EQ(observer_.loads, 1);
  ASSERT_TRUE(Handler().Refresh().ok());
  EXPECT_EQ(observer_.loads, 1);
  ExpectDrop(AccessRequest(Seeded(1)), Reason::kUnknownClient);
  AddClient("local", "127.0.0.1/32");
  ASSERT_TRUE(Handler().Refresh().ok());
  EXPECT_EQ(observer_.loads, 2);
  EXPECT_EQ(Handler().clients(), 2u);
  ExpectReply(AccessRequest(Seeded(2)), Reason::kAccepted);
}

TEST_F(HandlerTest, RemovedClientIsDroppedAfterRefresh) {
  AddClient("gw", "127.0.0.1/32");
  ExpectReply(AccessRequest(Seeded(1)), Reason::kAccepted);
  ASSERT_TRUE(store_->RemoveRadiusClient("gw").ok());
  ASSERT_TRUE(Handler().Refresh().ok());
  ExpectDrop(AccessRequest(Seeded(2)), Reason::kUnknownClient);
}

TEST_F(HandlerTest, ClientWhoseSecretCannotBeOpenedIsLeftOutAndReported) {
  AddClient("good", "127.0.0.1/32");
  store::RadiusClient bad;
  bad.name = "bad";
  bad.address = "10.0.0.0/8";
  bad.sealed_secret = box_->Seal("x", "radius-client:someone-else");
  ASSERT_TRUE(store_->AddRadiusClient(bad).ok());
  Handler();
  EXPECT_EQ(observer_.clients, 1u);
  ASSERT_EQ(observer_.problems.size(), 1u);
  EXPECT_NE(observer_.problems[0].find("'bad'"), std::string::npos);
}

TEST_F(HandlerTest, RefreshFailureKeepsThePreviousTable) {
  AddClient("gw", "127.0.0.1/32");
  Handler();
  FailStore("read");
  EXPECT_FALSE(Handler().Refresh().ok());
  FailStore("write");  // reads work again, writes would fail
  ExpectReply(AccessRequest({}), Reason::kAccepted);
}

// ------------------------------------------------------------------ Status-Server

TEST_F(HandlerTest, StatusServerOnAuthenticationPortGetsAccessAccept) {
  AddClient("gw", "127.0.0.1/32");
  EXPECT_EQ(ExpectReply(StatusServer(), Reason::kStatusServer).code, Code::kAccessAccept);
}

TEST_F(HandlerTest, StatusServerOnAccountingPortGetsAccountingResponse) {
  AddClient("gw", "127.0.0.1/32");
  EXPECT_EQ(ExpectReply(StatusServer(), Reason::kStatusServer, Listener::kAccounting).code,
            Code::kAccountingResponse);
}

TEST_F(HandlerTest, StatusServerWithWrongSecretIsDropped) {
  AddClient("gw", "127.0.0.1/32");
  ExpectDrop(StatusServer("other-secret"), Reason::kDiscarded);
}

// ------------------------------------------------------------------ duplicates

TEST_F(HandlerTest, DuplicateGetsTheCachedReplyWithoutSecondHash) {
  AddClient("gw", "127.0.0.1/32");
  const std::string request = AccessRequest({});
  auto first = Send(request);
  ASSERT_TRUE(first && first->reply);
  auto again = Send(request);
  ASSERT_TRUE(again && again->reply);
  EXPECT_EQ(again->decision.reason, Reason::kDuplicate);
  EXPECT_EQ(*again->reply, *first->reply);
  EXPECT_EQ(submitted_, 1);
}

TEST_F(HandlerTest, DuplicateAfterTheWindowIsVerifiedAgain) {
  AddClient("gw", "127.0.0.1/32");
  const std::string request = AccessRequest({});
  ExpectReply(request, Reason::kAccepted);
  clock_.Advance(std::chrono::seconds(6));
  ExpectReply(request, Reason::kAccepted);
  EXPECT_EQ(submitted_, 2);
}

TEST_F(HandlerTest, SameRequestFromAnotherSourcePortIsNotADuplicate) {
  AddClient("gw", "127.0.0.1/32");
  const std::string request = AccessRequest({});
  ExpectReply(request, Reason::kAccepted, Listener::kAuthentication, MakePeer("127.0.0.1", 1));
  ExpectReply(request, Reason::kAccepted, Listener::kAuthentication, MakePeer("127.0.0.1", 2));
  EXPECT_EQ(submitted_, 2);
}

TEST_F(HandlerTest, RetransmissionWhileVerifyingIsDropped) {
  AddClient("gw", "127.0.0.1/32");
  hold_jobs_ = true;
  const std::string request = AccessRequest({});
  EXPECT_FALSE(Send(request).has_value());  // waiting for the hash
  ExpectDrop(request, Reason::kDuplicateInProgress);
  ASSERT_EQ(held_.size(), 1u);
  held_[0]();
  auto again = Send(request);
  ASSERT_TRUE(again && again->reply);
  EXPECT_EQ(again->decision.reason, Reason::kDuplicate);
}

TEST_F(HandlerTest, OverloadedExecutorDropsAndARetransmissionIsProcessed) {
  AddClient("gw", "127.0.0.1/32");
  refuse_jobs_ = true;
  const std::string request = AccessRequest({});
  ExpectDrop(request, Reason::kOverloaded);
  refuse_jobs_ = false;
  ExpectReply(request, Reason::kAccepted);
}

// ------------------------------------------------------------------ throttling

TEST_F(HandlerTest, ThrottlesAnAccountAfterTooManyFailures) {
  options_.throttle.max_failures = 3;
  AddClient("gw", "127.0.0.1/32");
  AccessRequestSpec wrong;
  wrong.password = "Wrong#pass1";
  for (uint8_t i = 1; i <= 3; ++i) {
    wrong.seed = i;
    ExpectReply(AccessRequest(wrong), Reason::kBadPassword);
  }
  // Even the right password is refused now, without hashing.
  ExpectReply(AccessRequest(Seeded(10)), Reason::kThrottled);
  EXPECT_EQ(submitted_, 3);
  clock_.Advance(std::chrono::seconds(301));
  ExpectReply(AccessRequest(Seeded(11)), Reason::kAccepted);
}

TEST_F(HandlerTest, ThrottleIsPerAccount) {
  options_.throttle.max_failures = 1;
  SetPassword(kOtherApp, kPassword, /*create=*/true);
  AddClient("gw", "127.0.0.1/32");
  AccessRequestSpec wrong;
  wrong.password = "Wrong#pass1";
  ExpectReply(AccessRequest(wrong), Reason::kBadPassword);
  AccessRequestSpec other;
  other.user_name = std::to_string(kOtherApp);
  other.seed = 2;
  ExpectReply(AccessRequest(other), Reason::kAccepted);
}

// ------------------------------------------------------------------ store failures

TEST_F(HandlerTest, StoreReadFailureDropsSoTheGatewayRetries) {
  AddClient("gw", "127.0.0.1/32");
  Handler();
  FailStore("read");
  const std::string request = AccessRequest({});
  Decision d = ExpectDrop(request, Reason::kStoreError);
  EXPECT_FALSE(d.detail.empty());
  FailStore("");
  ExpectReply(request, Reason::kAccepted);  // the retransmission is processed afresh
}

// ------------------------------------------------------------------ accounting and sessions

TEST_F(HandlerTest, AccountingStartAndStopTrackActiveSessions) {
  AddClient("gw", "127.0.0.1/32");
  Packet reply = ExpectReply(AccountingRequest(acct_status_type::kStart, "s1"),
                             Reason::kAccountingStart, Listener::kAccounting);
  EXPECT_EQ(reply.code, Code::kAccountingResponse);
  EXPECT_EQ(ActiveSessions(kApp), 1);
  ExpectReply(
      AccountingRequest(acct_status_type::kInterimUpdate, "s1", std::to_string(kApp), kSecret, 10),
      Reason::kAccountingInterim, Listener::kAccounting);
  EXPECT_EQ(ActiveSessions(kApp), 1);
  ExpectReply(AccountingRequest(acct_status_type::kStop, "s1", std::to_string(kApp), kSecret, 11),
              Reason::kAccountingStop, Listener::kAccounting);
  EXPECT_EQ(ActiveSessions(kApp), 0);
}

TEST_F(HandlerTest, AccountingUnderUserNameFormsCountsForTheTenant) {
  AddClient("gw", "127.0.0.1/32");
  ExpectReply(AccountingRequest(acct_status_type::kStart, "s1", "1251001002@bm1251001002"),
              Reason::kAccountingStart, Listener::kAccounting);
  EXPECT_EQ(ActiveSessions(kApp), 1);
}

TEST_F(HandlerTest, AccountingOnEndsEveryActiveSessionOfThatClient) {
  AddClient("gw", "127.0.0.1/32");
  AddClient("gw2", "127.0.0.2/32");
  ExpectReply(AccountingRequest(acct_status_type::kStart, "a", std::to_string(kApp), kSecret, 1),
              Reason::kAccountingStart, Listener::kAccounting);
  ExpectReply(AccountingRequest(acct_status_type::kStart, "b", std::to_string(kApp), kSecret, 2),
              Reason::kAccountingStart, Listener::kAccounting, MakePeer("127.0.0.2"));
  ExpectReply(AccountingRequest(acct_status_type::kAccountingOn, "", "", kSecret, 3),
              Reason::kAccountingOnOff, Listener::kAccounting);
  EXPECT_EQ(ActiveSessions(kApp), 1);
}

TEST_F(HandlerTest, AccountingForNonTenantIsAcknowledgedButNotRecorded) {
  AddClient("gw", "127.0.0.1/32");
  ExpectReply(AccountingRequest(acct_status_type::kStart, "s1", "alice"),
              Reason::kAccountingIgnored, Listener::kAccounting);
  EXPECT_EQ(ActiveSessions(kApp), 0);
}

TEST_F(HandlerTest, AccountingWithWrongSecretIsDropped) {
  AddClient("gw", "127.0.0.1/32");
  Decision d = ExpectDrop(
      AccountingRequest(acct_status_type::kStart, "s1", std::to_string(kApp), "other-secret"),
      Reason::kDiscarded, Listener::kAccounting);
  EXPECT_EQ(d.discard, DiscardReason::kAccountingAuthenticatorMismatch);
  EXPECT_EQ(ActiveSessions(kApp), 0);
}

TEST_F(HandlerTest, AccountingWithoutSessionIdIsDropped) {
  AddClient("gw", "127.0.0.1/32");
  ExpectDrop(AccountingRequest(acct_status_type::kStart, ""), Reason::kBadAccounting,
             Listener::kAccounting);
}

TEST_F(HandlerTest, AccountingThatCannotBeRecordedGetsNoResponse) {
  AddClient("gw", "127.0.0.1/32");
  Handler();
  FailStore("write");
  ExpectDrop(AccountingRequest(acct_status_type::kStart, "s1"), Reason::kStoreError,
             Listener::kAccounting);
}

TEST_F(HandlerTest, RetransmittedAccountingRequestGetsCachedResponse) {
  AddClient("gw", "127.0.0.1/32");
  const std::string request = AccountingRequest(acct_status_type::kStart, "s1");
  ExpectReply(request, Reason::kAccountingStart, Listener::kAccounting);
  ExpectReply(request, Reason::kDuplicate, Listener::kAccounting);
  EXPECT_EQ(ActiveSessions(kApp), 1);
}

TEST_F(HandlerTest, LoginBeyondSessionLimitIsRejectedWithReplyMessage) {
  options_.max_sessions_per_tenant = 2;
  AddClient("gw", "127.0.0.1/32");
  ASSERT_TRUE(store_->RecordSessionStart(kApp, "gw", "a", 1700000000).ok());
  ExpectReply(AccessRequest(Seeded(1)), Reason::kAccepted);
  ASSERT_TRUE(store_->RecordSessionStart(kApp, "gw", "b", 1700000000).ok());
  Packet reply = ExpectReply(AccessRequest(Seeded(2)), Reason::kSessionLimit);
  EXPECT_EQ(reply.code, Code::kAccessReject);
  EXPECT_NE(FindAttribute(reply, attr::kReplyMessage), nullptr);
  ASSERT_TRUE(store_->RecordSessionStop(kApp, "gw", "b", 1700000001).ok());
  ExpectReply(AccessRequest(Seeded(3)), Reason::kAccepted);
}

TEST_F(HandlerTest, ZeroSessionLimitMeansUnlimited) {
  options_.max_sessions_per_tenant = 0;
  AddClient("gw", "127.0.0.1/32");
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(store_->RecordSessionStart(kApp, "gw", "s" + std::to_string(i), 1700000000).ok());
  }
  ExpectReply(AccessRequest({}), Reason::kAccepted);
}

// ------------------------------------------------------------------ names

TEST(Reason, EveryReasonHasADistinctSnakeCaseName) {
  std::set<std::string_view> names;
  for (size_t i = 0; i < kReasonCount; ++i) {
    const std::string_view name = ReasonName(static_cast<Reason>(i));
    EXPECT_FALSE(name.empty());
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string_view::npos)
        << name;
    EXPECT_TRUE(names.insert(name).second) << name;
  }
}

TEST(Reason, VerdictsMatchTheReasonGroups) {
  EXPECT_EQ(ReasonVerdict(Reason::kAccepted), Verdict::kAccept);
  EXPECT_EQ(ReasonVerdict(Reason::kBadPassword), Verdict::kReject);
  EXPECT_EQ(ReasonVerdict(Reason::kSessionLimit), Verdict::kReject);
  EXPECT_EQ(ReasonVerdict(Reason::kStatusServer), Verdict::kRespond);
  EXPECT_EQ(ReasonVerdict(Reason::kDuplicate), Verdict::kResend);
  EXPECT_EQ(ReasonVerdict(Reason::kUnknownClient), Verdict::kDrop);
  EXPECT_EQ(ReasonVerdict(Reason::kInternalError), Verdict::kDrop);
}

}  // namespace
}  // namespace obvpn::radius
