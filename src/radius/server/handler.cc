#include "radius/server/handler.h"

#include <array>
#include <utility>

#include "core/strings.h"
#include "crypto/crypto.h"
#include "crypto/secret.h"
#include "password/password.h"
#include "radius/packet/user_name.h"

namespace obvpn::radius {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

struct ReasonInfo {
  std::string_view name;
  Verdict verdict;
};

// Indexed by Reason; reason_test checks that every value has a distinct name.
constexpr std::array<ReasonInfo, kReasonCount> kReasons = {{
    {"accepted", Verdict::kAccept},
    {"status_server", Verdict::kRespond},
    {"accounting_start", Verdict::kRespond},
    {"accounting_interim", Verdict::kRespond},
    {"accounting_stop", Verdict::kRespond},
    {"accounting_on_off", Verdict::kRespond},
    {"accounting_ignored", Verdict::kRespond},
    {"duplicate", Verdict::kResend},
    {"bad_user_name", Verdict::kReject},
    {"not_pap", Verdict::kReject},
    {"no_account", Verdict::kReject},
    {"account_locked", Verdict::kReject},
    {"throttled", Verdict::kReject},
    {"bad_password", Verdict::kReject},
    {"session_limit", Verdict::kReject},
    {"unknown_client", Verdict::kDrop},
    {"discarded", Verdict::kDrop},
    {"wrong_listener", Verdict::kDrop},
    {"duplicate_in_progress", Verdict::kDrop},
    {"duplicate_mismatch", Verdict::kDrop},
    {"bad_accounting", Verdict::kDrop},
    {"store_error", Verdict::kDrop},
    {"overloaded", Verdict::kDrop},
    {"internal_error", Verdict::kDrop},
}};

// The duplicate-detection key of RFC 5080 §2.2.2: "the source IP address, source port,
// Identifier, and Request Authenticator", plus the listener (1812 and 1813 are separate
// servers) and the address family.
std::string DuplicateKey(Listener listener, const Peer& peer, const Packet& packet) {
  std::string key;
  key.reserve(2 + 16 + 2 + 1 + kAuthenticatorLength);
  key.push_back(static_cast<char>(listener));
  key.push_back(peer.address.v6 ? '6' : '4');
  key.append(reinterpret_cast<const char*>(peer.address.bytes.data()),
             peer.address.bit_length() / 8);
  key.push_back(static_cast<char>(peer.port >> 8));
  key.push_back(static_cast<char>(peer.port & 0xFF));
  key.push_back(static_cast<char>(packet.identifier));
  key.append(reinterpret_cast<const char*>(packet.authenticator.data()),
             packet.authenticator.size());
  return key;
}

}  // namespace

std::string_view ListenerName(Listener listener) {
  return listener == Listener::kAuthentication ? "auth" : "acct";
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAccept:
      return "accept";
    case Verdict::kReject:
      return "reject";
    case Verdict::kRespond:
      return "respond";
    case Verdict::kResend:
      return "resend";
    case Verdict::kDrop:
      return "drop";
  }
  return "unknown";
}

std::string_view ReasonName(Reason reason) {
  const auto i = static_cast<size_t>(reason);
  return i < kReasons.size() ? kReasons[i].name : "unknown";
}

Verdict ReasonVerdict(Reason reason) {
  const auto i = static_cast<size_t>(reason);
  return i < kReasons.size() ? kReasons[i].verdict : Verdict::kDrop;
}

std::string Peer::ToString() const {
  const std::string host = address.ToString();
  return (address.v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string_view Decision::label() const {
  if (reason == Reason::kDiscarded && discard) return DiscardReasonName(*discard);
  return ReasonName(reason);
}

struct RequestHandler::Request {
  Listener listener = Listener::kAuthentication;
  Done done;
  int64_t start_ns = 0;
  std::shared_ptr<const ClientTable> table;  // keeps *client alive
  const ClientEntry* client = nullptr;
  Packet packet;
  std::string cache_key;  // non-empty while this request holds a duplicate-cache entry
  Decision decision;
};

RequestHandler::RequestHandler(store::Store& store, const crypto::SecretBox& box,
                               const Clock& clock, Executor hash_executor, Observer* observer,
                               HandlerOptions options)
    : store_(store),
      box_(box),
      clock_(clock),
      hash_executor_(std::move(hash_executor)),
      observer_(observer),
      options_(options),
      throttle_(options.throttle),
      duplicates_(options.duplicate_window.count() * kNanosPerSecond, options.max_cached_replies,
                  options.max_cached_reply_bytes),
      table_(std::make_shared<const ClientTable>()) {}

RequestHandler::~RequestHandler() = default;

std::shared_ptr<const ClientTable> RequestHandler::table() const {
  std::lock_guard lock(mu_);
  return table_;
}

size_t RequestHandler::clients() const { return table()->size(); }

Status RequestHandler::Refresh() {
  OBVPN_ASSIGN_OR_RETURN(int64_t generation, store_.Generation());
  {
    std::lock_guard lock(mu_);
    if (loaded_generation_ == generation) return Status::Ok();
  }
  // The generation is read before the table: a change in between moves it again, and
  // the next Refresh loads once more.
  OBVPN_ASSIGN_OR_RETURN(LoadedClients loaded, LoadClientTable(store_, box_));
  const size_t count = loaded.table->size();
  {
    std::lock_guard lock(mu_);
    table_ = loaded.table;
    loaded_generation_ = generation;
    // A removed client forgets its "auto" state; re-adding it starts afresh.
    std::set<std::string, std::less<>> kept;
    for (const ClientEntry& c : table_->clients()) {
      if (ma_seen_.count(c.name) != 0) kept.insert(c.name);
    }
    ma_seen_ = std::move(kept);
  }
  if (observer_ != nullptr) observer_->OnClientsLoaded(count, loaded.problems);
  return Status::Ok();
}

bool RequestHandler::MessageAuthenticatorRequired(const ClientEntry& client) const {
  switch (client.require_message_authenticator) {
    case store::RequireMessageAuthenticator::kYes:
      return true;
    case store::RequireMessageAuthenticator::kNo:
      return false;
    case store::RequireMessageAuthenticator::kAuto: {
      std::lock_guard lock(mu_);
      return ma_seen_.count(client.name) != 0;
    }
  }
  return true;
}

// SPEC §5: "auto = required from the first request of that client that carried one". Only
// a verified Access-Request counts: Status-Server always carries one (RFC 5997), so a
// health probe sharing a gateway's address must not make the gateway's PAP logins fail.
void RequestHandler::NoteMessageAuthenticator(const ClientEntry& client) {
  if (client.require_message_authenticator != store::RequireMessageAuthenticator::kAuto) return;
  bool inserted = false;
  {
    std::lock_guard lock(mu_);
    inserted = ma_seen_.insert(client.name).second;
  }
  if (inserted && observer_ != nullptr) observer_->OnMessageAuthenticatorRequired(client.name);
}

void RequestHandler::Handle(Listener listener, const Peer& peer, std::string_view datagram,
                            Done done) {
  auto r = std::make_shared<Request>();
  r->listener = listener;
  r->done = std::move(done);
  r->start_ns = clock_.MonotonicNanos();
  r->decision.listener = listener;
  r->decision.peer = peer;

  // RFC 2865 §3: "A request from a client for which the RADIUS server does not have a
  // shared secret MUST be silently discarded." Checked first, so unknown sources cost
  // no parsing and no MD5.
  r->table = table();
  r->client = r->table->Find(peer.address);
  if (r->client == nullptr) return Drop(r, Reason::kUnknownClient);
  r->decision.client = r->client->name;

  CheckResult checked = Check(datagram, options_.check);
  if (!checked.ok()) {
    r->decision.discard = checked.reason();
    return Drop(r, Reason::kDiscarded);
  }
  r->packet = std::move(checked).packet();
  const Code code = r->packet.code;
  r->decision.code = code;
  r->decision.identifier = r->packet.identifier;

  if ((code == Code::kAccessRequest && listener != Listener::kAuthentication) ||
      (code == Code::kAccountingRequest && listener != Listener::kAccounting)) {
    return Drop(r, Reason::kWrongListener);
  }

  // BlastRADIUS (CVE-2024-3596) policy and RFC 3579 §3.2 / RFC 2866 §3 authenticity, in
  // the codec; replies and unknown codes come back as kUnexpectedCode.
  const VerifyPolicy policy{MessageAuthenticatorRequired(*r->client)};
  if (auto bad = VerifyRequest(r->packet, r->client->secret.reveal(), policy)) {
    r->decision.discard = *bad;
    return Drop(r, Reason::kDiscarded);
  }
  if (code == Code::kAccessRequest && r->packet.has_message_authenticator()) {
    NoteMessageAuthenticator(*r->client);
  }

  // RFC 5997 §3: Status-Server is answered directly (Access-Accept on the authentication
  // port, Accounting-Response on the accounting port) and is not subject to duplicate
  // detection: every probe should see the server's current state.
  if (code == Code::kStatusServer) return Finish(r, Reason::kStatusServer);

  const std::string key = DuplicateKey(listener, peer, r->packet);
  const uint64_t digest = std::hash<std::string_view>{}(r->packet.raw);
  DuplicateLookup seen = duplicates_.Begin(key, digest, r->start_ns);
  switch (seen.state) {
    case DuplicateState::kCached: {
      // RFC 5080 §2.2.2: "the server SHOULD ... re-send the cached response".
      r->decision.reason = Reason::kDuplicate;
      r->decision.latency =
          std::chrono::microseconds((clock_.MonotonicNanos() - r->start_ns) / 1000);
      if (observer_ != nullptr) observer_->OnDecision(r->decision);
      Done d = std::move(r->done);
      d(Response{std::move(seen.reply), r->decision});
      return;
    }
    case DuplicateState::kInProgress:
      return Drop(r, Reason::kDuplicateInProgress);
    case DuplicateState::kMismatch:
      return Drop(r, Reason::kDuplicateMismatch);
    case DuplicateState::kNew:
      break;
  }
  r->cache_key = key;

  if (code == Code::kAccessRequest) return HandleAccess(std::move(r));
  return HandleAccounting(std::move(r));
}

void RequestHandler::HandleAccess(std::shared_ptr<Request> r) {
  const Packet& packet = r->packet;
  auto user_name = GetString(packet, attr::kUserName);
  if (!user_name.ok()) return Finish(r, Reason::kBadUserName);
  auto app_id = ParseUserNameAppId(*user_name);
  if (!app_id.ok()) return Finish(r, Reason::kBadUserName);
  r->decision.app_id = *app_id;

  // PAP only: the store holds argon2id hashes, from which CHAP or MS-CHAP responses
  // cannot be checked. EAP-TTLS/PAP gateways (strongSwan eap-radius) still send PAP.
  if (FindAttribute(packet, attr::kUserPassword) == nullptr) return Finish(r, Reason::kNotPap);

  // SPEC §5: a throttled account is rejected without hashing.
  if (throttle_.Blocked(*app_id, clock_.MonotonicNanos())) return Finish(r, Reason::kThrottled);

  // A tenant without an account (the common case of a username spray) is answered
  // from memory.
  if (options_.presence != nullptr) {
    auto has = options_.presence->HasAccount(*app_id);
    if (!has.ok()) return Drop(r, Reason::kStoreError, has.status().message());
    if (!*has) return Finish(r, Reason::kNoAccount);
  }
  auto account = store_.FindAccount(*app_id);
  if (!account.ok()) return Drop(r, Reason::kStoreError, account.status().message());
  if (!account->has_value()) return Finish(r, Reason::kNoAccount);
  if ((*account)->locked) return Finish(r, Reason::kAccountLocked);

  auto plain = DecryptUserPassword(packet, r->client->secret.reveal());
  if (!plain.ok()) return Drop(r, Reason::kInternalError, plain.status().message());
  auto password = std::make_shared<crypto::Secret>(*plain);
  crypto::Wipe(*plain);

  // The memory-hard verification never runs on the I/O thread (SPEC §5 "Cost and abuse").
  std::string phc = std::move((*account)->password_hash);
  auto job = [this, r, phc = std::move(phc), password]() mutable {
    FinishVerify(r, std::move(phc), std::string(password->reveal()));
  };
  if (!hash_executor_(std::move(job))) Drop(r, Reason::kOverloaded);
}

void RequestHandler::FinishVerify(const std::shared_ptr<Request>& r, std::string phc,
                                  std::string password) {
  auto match = password::Verify(phc, password);
  crypto::Wipe(password);
  if (!match.ok()) {
    return Drop(r, Reason::kInternalError,
                "the stored password hash is not a valid argon2id string");
  }
  const uint64_t app_id = r->decision.app_id;
  if (!*match) {
    throttle_.RecordFailure(app_id, clock_.MonotonicNanos());
    return Finish(r, Reason::kBadPassword);
  }
  throttle_.RecordSuccess(app_id);

  // SPEC §5: "a login beyond the per-tenant session limit (default 10) is rejected".
  // Checked after the password so that only the account's owner learns about it.
  if (options_.max_sessions_per_tenant > 0) {
    auto active = store_.CountActiveSessions(app_id);
    if (!active.ok()) return Drop(r, Reason::kStoreError, active.status().message());
    if (*active >= static_cast<int64_t>(options_.max_sessions_per_tenant)) {
      r->decision.detail = "active_sessions=" + std::to_string(*active);
      // RFC 2865 §5.18: Reply-Message "MAY be displayed to the user".
      return Finish(r, Reason::kSessionLimit,
                    {StringAttribute(attr::kReplyMessage,
                                     "Too many concurrent VPN sessions for this account")});
    }
  }
  // SPEC §5: Class = userGroup ("bm" + appId), which ocserv takes as the user's group;
  // no Service-Type, because ocserv fails a login on any Service-Type but Framed-User
  // and the request's Authenticate-Only must never be echoed back.
  Finish(r, Reason::kAccepted, {StringAttribute(attr::kClass, "bm" + std::to_string(app_id))});
}

void RequestHandler::HandleAccounting(std::shared_ptr<Request> r) {
  const Packet& packet = r->packet;
  // RFC 2866 §5.1: Acct-Status-Type "MUST" be present in every Accounting-Request.
  auto status = GetUint32(packet, attr::kAcctStatusType);
  if (!status.ok()) return Drop(r, Reason::kBadAccounting, "no valid Acct-Status-Type");
  const int64_t now = clock_.NowUnix();

  if (*status == acct_status_type::kAccountingOn || *status == acct_status_type::kAccountingOff) {
    // RFC 2866 §5.1: Accounting-On/Off mark the NAS starting or stopping, so none of the
    // sessions it reported earlier is still alive.
    if (Status s = store_.StopClientSessions(r->client->name, now); !s.ok()) {
      return Drop(r, Reason::kStoreError, s.message());
    }
    return Finish(r, Reason::kAccountingOnOff);
  }
  if (*status != acct_status_type::kStart && *status != acct_status_type::kStop &&
      *status != acct_status_type::kInterimUpdate) {
    r->decision.detail = "acct_status_type=" + std::to_string(*status);
    return Finish(r, Reason::kAccountingIgnored);
  }
  // RFC 2866 §5.5: Acct-Session-Id "MUST be used in all Accounting-Request packets".
  auto session = GetString(packet, attr::kAcctSessionId);
  if (!session.ok() || session->empty()) {
    return Drop(r, Reason::kBadAccounting, "no Acct-Session-Id");
  }
  r->decision.detail = "session=" + EscapeForLog(*session);
  auto user_name = GetString(packet, attr::kUserName);
  auto app_id =
      user_name.ok() ? ParseUserNameAppId(*user_name) : Result<uint64_t>(user_name.status());
  // RFC 2866 §4.1: the server "MUST transmit an Accounting-Response reply if it
  // successfully records the accounting packet". A session that is no tenant's has
  // nothing to record here; acknowledging it stops the NAS from retransmitting forever.
  if (!app_id.ok()) return Finish(r, Reason::kAccountingIgnored);
  r->decision.app_id = *app_id;

  Status s;
  Reason reason = Reason::kAccountingStart;
  if (*status == acct_status_type::kStop) {
    s = store_.RecordSessionStop(*app_id, r->client->name, *session, now);
    reason = Reason::kAccountingStop;
  } else {
    s = store_.RecordSessionStart(*app_id, r->client->name, *session, now);
    if (*status == acct_status_type::kInterimUpdate) reason = Reason::kAccountingInterim;
  }
  // Not recorded: no response, so the NAS retransmits or fails over (RFC 2866 §2).
  if (!s.ok()) return Drop(r, Reason::kStoreError, s.message());
  Finish(r, reason);
}

void RequestHandler::Finish(const std::shared_ptr<Request>& r, Reason reason,
                            std::vector<Attribute> attributes) {
  Code reply_code = Code::kAccessReject;
  switch (ReasonVerdict(reason)) {
    case Verdict::kAccept:
      reply_code = Code::kAccessAccept;
      break;
    case Verdict::kReject:
      reply_code = Code::kAccessReject;
      break;
    case Verdict::kRespond:
      // RFC 5997 §3: Status-Server on the authentication port is answered with
      // Access-Accept, on the accounting port with Accounting-Response.
      reply_code = r->packet.code == Code::kStatusServer && r->listener == Listener::kAuthentication
                       ? Code::kAccessAccept
                       : Code::kAccountingResponse;
      break;
    case Verdict::kResend:
    case Verdict::kDrop:
      return Drop(r, reason);
  }
  // The codec puts Message-Authenticator first and copies Proxy-State (SPEC §5,
  // RFC 2865 §4.2).
  auto reply = EncodeReply(r->packet, reply_code, attributes, r->client->secret.reveal());
  if (!reply.ok()) return Drop(r, Reason::kInternalError, reply.status().message());
  if (!r->cache_key.empty()) {
    duplicates_.Complete(r->cache_key, *reply, clock_.MonotonicNanos());
    r->cache_key.clear();
  }
  r->decision.reason = reason;
  r->decision.latency = std::chrono::microseconds((clock_.MonotonicNanos() - r->start_ns) / 1000);
  if (observer_ != nullptr) observer_->OnDecision(r->decision);
  Done d = std::move(r->done);
  d(Response{std::move(reply).value(), r->decision});
}

void RequestHandler::Drop(const std::shared_ptr<Request>& r, Reason reason, std::string detail) {
  if (!r->cache_key.empty()) {
    // Nothing was sent: a retransmission must be processed afresh, not dropped as "in
    // progress" until the entry expires.
    duplicates_.Abandon(r->cache_key);
    r->cache_key.clear();
  }
  r->decision.reason = reason;
  if (!detail.empty()) r->decision.detail = std::move(detail);
  r->decision.latency = std::chrono::microseconds((clock_.MonotonicNanos() - r->start_ns) / 1000);
  if (observer_ != nullptr) observer_->OnDecision(r->decision);
  Done d = std::move(r->done);
  d(Response{std::nullopt, r->decision});
}

}  // namespace obvpn::radius
