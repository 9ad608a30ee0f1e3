// RequestHandler: every RADIUS decision obvpnd makes, without sockets (the asio example's
// "request handler"; UdpServer does the I/O). A datagram and its source go in; an
// optional reply datagram and a Decision (what happened and why) come out.
//
// The path of one datagram (SPEC §5):
//   1. source address → a configured client (ClientTable), else drop       kUnknownClient
//   2. packet.h Check (structure) and VerifyRequest (Message-Authenticator, accounting
//      authenticator, BlastRADIUS policy of the client), else drop         kDiscarded
//   3. Status-Server → Access-Accept / Accounting-Response (RFC 5997)
//   4. duplicate detection (RFC 5080): resend the cached reply, or drop a copy in flight
//   5. Access-Request (RFC 2865, PAP only) → Access-Accept carrying Class = "bm" + appId,
//      or Access-Reject with the reason; the argon2id check runs on the hash executor
//   6. Accounting-Request (RFC 2866) → session recorded in the store, then
//      Accounting-Response; no response when it could not be recorded
//
// Every decision is reported once to the Observer (logs and metrics live outside this
// component) and to the caller's Done callback. Nothing reported ever holds a password
// or a shared secret.
//
// Threading: Handle and Refresh may be called from any thread concurrently. Done runs on
// the calling thread or on a hash executor thread. The handler must outlive every job it
// submitted to the executor.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "crypto/secret_box.h"
#include "radius/packet/packet.h"
#include "radius/server/address.h"
#include "radius/server/client_table.h"
#include "radius/server/duplicate_cache.h"
#include "radius/server/throttle.h"
#include "store/account_presence.h"
#include "store/store.h"

namespace obvpn::radius {

// Which socket a datagram arrived on.
enum class Listener : uint8_t {
  kAuthentication,  // 1812: Access-Request, Status-Server
  kAccounting,      // 1813: Accounting-Request, Status-Server
};
std::string_view ListenerName(Listener listener);  // "auth", "acct"

// What was done with a datagram.
enum class Verdict : uint8_t {
  kAccept,   // Access-Accept sent
  kReject,   // Access-Reject sent
  kRespond,  // Accounting-Response or the answer to Status-Server sent
  kResend,   // a duplicate: the cached reply sent again
  kDrop,     // nothing sent
};
std::string_view VerdictName(Verdict verdict);  // "accept", "reject", ...

// Why. Names (ReasonName) are stable snake_case metric label values: never rename or
// renumber a value that has shipped.
enum class Reason : uint8_t {
  kAccepted = 0,         // kAccept: PAP password matched
  kStatusServer,         // kRespond: RFC 5997
  kAccountingStart,      // kRespond: session recorded active
  kAccountingInterim,    // kRespond: session recorded active (Interim-Update)
  kAccountingStop,       // kRespond: session recorded stopped
  kAccountingOnOff,      // kRespond: the client's sessions ended (NAS restart)
  kAccountingIgnored,    // kRespond: nothing to record (not a tenant, other status type)
  kDuplicate,            // kResend
  kBadUserName,          // kReject: User-Name absent or not one of the SPEC §5 forms
  kNotPap,               // kReject: no User-Password (CHAP, EAP, ... are not offered)
  kNoAccount,            // kReject: the tenant has no VPN account
  kAccountLocked,        // kReject: `obvpnctl account lock`
  kThrottled,            // kReject: too many recent failures; not hashed
  kBadPassword,          // kReject: argon2id verification failed
  kSessionLimit,         // kReject: the tenant has max_sessions_per_tenant active
  kUnknownClient,        // kDrop: the source is not a configured RADIUS client
  kDiscarded,            // kDrop: Check or VerifyRequest failed (Decision::discard says why)
  kWrongListener,        // kDrop: e.g. an Access-Request on the accounting port
  kDuplicateInProgress,  // kDrop: a retransmission of a request still being processed
  kDuplicateMismatch,    // kDrop: a known key with different octets
  kBadAccounting,        // kDrop: Accounting-Request without Acct-Status-Type/-Session-Id
  kStoreError,           // kDrop: the store failed; the client retries or fails over
  kOverloaded,           // kDrop: the hash executor refused the job (queue full)
  kInternalError,        // kDrop: a stored hash is corrupt or an encoder failed
  kMaxValue = kInternalError,
};
inline constexpr size_t kReasonCount = static_cast<size_t>(Reason::kMaxValue) + 1;
std::string_view ReasonName(Reason reason);
// The verdict every reason implies.
Verdict ReasonVerdict(Reason reason);

struct Peer {
  IpAddress address;
  uint16_t port = 0;
  std::string ToString() const;  // "127.0.0.1:41234", "[::1]:41234"
};

// One datagram's outcome, for logs and metrics. Never holds a password or secret.
struct Decision {
  Listener listener = Listener::kAuthentication;
  Reason reason = Reason::kInternalError;
  std::optional<DiscardReason> discard;  // with kDiscarded
  Peer peer;
  std::string client;        // the client's name; "" when unknown
  std::optional<Code> code;  // the request's code once it passed Check
  uint8_t identifier = 0;
  uint64_t app_id = 0;  // 0 when not known
  std::string detail;   // short, secret-free context (e.g. a store error)
  std::chrono::microseconds latency{0};

  Verdict verdict() const { return ReasonVerdict(reason); }
  // The metric label: DiscardReasonName(*discard) for kDiscarded, else ReasonName.
  std::string_view label() const;
};

struct Response {
  std::optional<std::string> reply;  // the datagram to send back to the peer, if any
  Decision decision;
};

// Receives every decision (logs, metrics) and client-table reloads. Called concurrently
// from several threads; implementations must be thread-safe and must not block long.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void OnDecision(const Decision& decision) = 0;
  // A new client table is in use; `problems` names the clients left out and why.
  virtual void OnClientsLoaded(size_t clients, const std::vector<std::string>& problems) = 0;
  // A client with require_message_authenticator = auto sent a valid
  // Message-Authenticator: from now on it must always send one.
  virtual void OnMessageAuthenticatorRequired(const std::string& client) = 0;
};

struct HandlerOptions {
  CheckOptions check;  // packet size and attribute count limits (SPEC §7)
  ThrottleOptions throttle;
  // SPEC §5: "a login beyond the per-tenant session limit (default 10) is rejected".
  // 0 = no limit.
  size_t max_sessions_per_tenant = 10;
  // RFC 5080 duplicate window; 0 disables the cache.
  std::chrono::seconds duplicate_window{5};
  size_t max_cached_replies = 16384;
  size_t max_cached_reply_bytes = 16 * 1024 * 1024;
  // Answers "no account" without a store read (may be null; must outlive the handler).
  store::AccountPresence* presence = nullptr;
};

// Runs a job on a worker thread (the daemon's password::HashPool). Returns false, without
// running it, when it cannot take the job now.
using Executor = std::function<bool(std::function<void()>)>;

class RequestHandler {
 public:
  using Done = std::function<void(Response)>;

  // `store`, `box`, `clock` and `observer` (may be null) must outlive the handler. The
  // client table is empty until the first Refresh().
  RequestHandler(store::Store& store, const crypto::SecretBox& box, const Clock& clock,
                 Executor hash_executor, Observer* observer, HandlerOptions options);
  ~RequestHandler();
  RequestHandler(const RequestHandler&) = delete;
  RequestHandler& operator=(const RequestHandler&) = delete;

  // Handles one datagram from `peer` that arrived on `listener`. Calls `done` exactly
  // once, possibly before returning.
  void Handle(Listener listener, const Peer& peer, std::string_view datagram, Done done);

  // Reloads the client table when the store's Generation() moved since the last load
  // (or on the first call). On a store failure the previous table stays in use and the
  // error is returned.
  Status Refresh();

  // For /metrics.
  size_t clients() const;
  size_t throttled_accounts() const { return throttle_.tracked(); }
  size_t cached_replies() const { return duplicates_.size(); }

 private:
  struct Request;  // one datagram in flight
  void HandleAccess(std::shared_ptr<Request> r);
  void HandleAccounting(std::shared_ptr<Request> r);
  void FinishVerify(const std::shared_ptr<Request>& r, std::string phc, std::string password);
  // Builds the reply (when the verdict sends one), caches it, reports and calls done.
  void Finish(const std::shared_ptr<Request>& r, Reason reason,
              std::vector<Attribute> attributes = {});
  void Drop(const std::shared_ptr<Request>& r, Reason reason, std::string detail = {});

  std::shared_ptr<const ClientTable> table() const;
  bool MessageAuthenticatorRequired(const ClientEntry& client) const;
  void NoteMessageAuthenticator(const ClientEntry& client);

  store::Store& store_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
  const Executor hash_executor_;
  Observer* const observer_;
  const HandlerOptions options_;

  FailureThrottle throttle_;
  DuplicateCache duplicates_;

  mutable std::mutex mu_;
  std::shared_ptr<const ClientTable> table_;    // guarded by mu_
  std::optional<int64_t> loaded_generation_;    // guarded by mu_
  std::set<std::string, std::less<>> ma_seen_;  // guarded by mu_: auto clients now strict
};

}  // namespace obvpn::radius
