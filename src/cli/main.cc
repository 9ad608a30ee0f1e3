// obvpnctl: the operator CLI of obvpn (SPEC §8). Its command line is a public interface.
// Admin commands open the same configuration, data directory and database as obvpnd
// (app::OpenRuntime); `call` is a signed API client that needs neither.
//
// Exit codes: 0 success; 1 failure (message on stderr, prefixed "obvpnctl: "); 2 usage
// error; 3 (`call` only) the API answered with an error code.
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <functional>
#include <iostream>

#include "app/maintenance.h"
#include "app/runtime.h"
#include "cli/call.h"
#include "cli/commands.h"
#include "cli/parse.h"
#include "config/config.h"
#include "core/clock.h"
#include "crypto/crypto.h"

namespace obvpn::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitApiError = 3;

struct Globals {
  std::string config_file;
  std::string data_dir;
  bool json = false;
};

// As obvpnd's LoadConfig (src/daemon/main.cc): the file or the embedded defaults, then
// --data-dir on top.
Result<config::Config> LoadConfig(const Globals& g) {
  config::Config c;
  if (!g.config_file.empty()) {
    OBVPN_ASSIGN_OR_RETURN(c, config::LoadFile(g.config_file));
  } else {
    c = config::Defaults();
  }
  if (!g.data_dir.empty()) c.data_dir = g.data_dir;
  OBVPN_RETURN_IF_ERROR(config::Validate(c, g.config_file.empty() ? "flags" : g.config_file));
  return c;
}

int Fail(const Status& s) {
  std::cerr << "obvpnctl: " << s.message() << "\n";
  return kExitFailure;
}

int Usage(const Status& s) {
  std::cerr << "obvpnctl: " << s.message() << "\n";
  return kExitUsage;
}

int Print(const Result<Output>& out, const Globals& g) {
  if (!out.ok()) return Fail(out.status());
  std::cout << out->Render(g.json) << std::flush;
  return std::cout ? 0 : kExitFailure;
}

// A UUID-shaped id (RFC 4122 version 4) shared by the audit events of this invocation.
std::string NewRequestId() {
  std::string b = crypto::RandomBytes(16);
  b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0F) | 0x40);
  b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3F) | 0x80);
  const std::string h = crypto::HexEncode(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

// Files obvpnctl writes into the data directory (database journals, key files, the
// restored database) belong to the user running it; run as root on the service user's
// directory they would lock obvpnd out (docs/operations.md: sudo -u obvpn obvpnctl ...).
void WarnIfNotTheOwner(const config::Config& cfg) {
  struct stat st {};
  if (::stat(cfg.data_dir.c_str(), &st) != 0 || st.st_uid == ::geteuid()) return;
  std::cerr << "obvpnctl: warning: data_dir '" << cfg.data_dir << "' belongs to another user (uid "
            << st.st_uid
            << "); files created now may be unreadable by obvpnd: run obvpnctl as that "
               "user (sudo -u obvpn obvpnctl ...)\n";
}

// Loads the configuration, opens the store and the master key, and runs `command`.
int WithAdmin(const Globals& g, const std::function<Result<Output>(AdminContext&)>& command) {
  auto cfg = LoadConfig(g);
  if (!cfg.ok()) return Fail(cfg.status());
  WarnIfNotTheOwner(*cfg);
  auto rt = app::OpenRuntime(*cfg);
  if (!rt.ok()) return Fail(rt.status());
  if (rt->created_master_key) {
    std::cerr << "obvpnctl: created master key file '" << cfg->MasterKeyPath()
              << "' (back it up: secrets in the database cannot be read without it)\n";
  }
  AdminContext ctx{*rt->store, *rt->box, SystemClock::Instance(), std::cerr, NewRequestId()};
  return Print(command(ctx), g);
}

struct CallFlags {
  std::string endpoint = "http://127.0.0.1:8080";
  int api = 2;
  std::string sign;    // "" = the version's default
  std::string region;  // "" = the version's default
  std::string method = "POST";
  bool insecure = false;
  std::string ca_file;
  int64_t timeout_s = 30;
  std::string action;
  std::vector<std::string> params;
};

int RunCall(const CallFlags& f) {
  auto endpoint = ParseEndpoint(f.endpoint);
  if (!endpoint.ok()) return Usage(endpoint.status());
  auto params = ParseNameValues(f.params);
  if (!params.ok()) return Usage(params.status());
  const ApiVersion api = f.api == 3 ? ApiVersion::kV3 : ApiVersion::kV2;
  auto sign = ParseSignMethod(f.sign.empty() ? DefaultSignMethod(api) : f.sign);
  if (!sign.ok()) return Usage(sign.status());

  auto credentials = CredentialsFromEnvironment();
  if (!credentials.ok()) return Fail(credentials.status());

  CallRequest request;
  request.endpoint = *endpoint;
  request.sign = *sign;
  request.region = f.region.empty() ? std::string(DefaultRegion(api)) : f.region;
  request.http_method = f.method;
  request.action = f.action;
  request.params = std::move(*params);
  request.timestamp = SystemClock::Instance().NowUnix();
  // The Python SDKs draw Nonce from a wide range; 0..2^31-1 fits every server's parser.
  const std::string r = crypto::RandomBytes(4);
  uint32_t nonce = 0;
  for (char c : r) nonce = (nonce << 8) | static_cast<unsigned char>(c);
  request.nonce = nonce & 0x7FFFFFFFu;

  auto http_request = BuildRequest(api, request, *credentials);
  if (!http_request.ok()) return Usage(http_request.status());

  TransportOptions transport;
  transport.insecure = f.insecure;
  transport.ca_file = f.ca_file;
  transport.timeout = std::chrono::seconds(f.timeout_s);
  auto reply = Exchange(*endpoint, *http_request, transport);
  if (!reply.ok()) return Fail(reply.status());

  std::cout << reply->body;
  if (reply->body.empty() || reply->body.back() != '\n') std::cout << "\n";
  std::cout << std::flush;
  switch (ClassifyReply(reply->body)) {
    case ReplyKind::kSuccess:
      return 0;
    case ReplyKind::kApiError:
      return kExitApiError;
    case ReplyKind::kNotJson:
      break;
  }
  return Fail(Unavailable("the reply (HTTP " + std::to_string(reply->status) +
                          ") is not an API JSON document"));
}

// A leaf command: parses its positional APPID etc. after CLI11 is done, so that value
// errors are usage errors with our own message.
using Runner = std::function<int()>;

int Main(int argc, char** argv) {
  Globals g;
  Runner run;
  CLI::App app{
      "obvpnctl: manage obvpn tenants, API keys, VPN accounts and RADIUS clients, "
      "and call the API"};
  app.failure_message([](const CLI::App* a, const CLI::Error& e) {
    std::string m = "obvpnctl: " + std::string(e.what()) + "\n";
    if (a != nullptr) m += "Run with --help for more information.\n";
    return m;
  });
  // Parent options (--json, --data-dir, --config) are also accepted after a subcommand.
  app.fallthrough();
  app.require_subcommand(1);
  app.add_option("--config", g.config_file, "TOML configuration file (as obvpnd)");
  app.add_option("--data-dir", g.data_dir, "data directory; overrides the file's data_dir");
  app.add_flag("--json", g.json, "print data as one JSON document");

  // --- tenant ---
  auto* tenant = app.add_subcommand("tenant", "tenants (appIds)");
  tenant->require_subcommand(1);
  std::string app_id_arg;
  auto* tenant_add = tenant->add_subcommand(
      "add",
      "create a tenant and its first API key; prints {appId, secretId, secretKey} "
      "(the key is shown only here)");
  tenant_add->add_option("APPID", app_id_arg, "appId, unsigned 64-bit decimal > 0")->required();
  tenant_add->callback([&] {
    run = [&] {
      auto id = ParseAppId(app_id_arg);
      if (!id.ok()) return Usage(id.status());
      return WithAdmin(g, [&](AdminContext& c) { return TenantAdd(c, *id); });
    };
  });
  auto* tenant_list = tenant->add_subcommand("list", "list tenants");
  tenant_list->callback(
      [&] { run = [&] { return WithAdmin(g, [](AdminContext& c) { return TenantList(c); }); }; });

  // --- key ---
  auto* key = app.add_subcommand("key", "API keys (SecretId/SecretKey)");
  key->require_subcommand(1);
  std::string actions_arg;
  int64_t expires_in = 0;
  auto* key_add = key->add_subcommand(
      "add",
      "add an API key to a tenant; prints {appId, secretId, secretKey} (+ expiresAt, "
      "token with --expires-in)");
  key_add->add_option("APPID", app_id_arg, "appId")->required();
  auto* actions_opt = key_add->add_option(
      "--actions", actions_arg,
      "comma-separated allow-list of actions (GetOutBandVPNAuthInfo, SetOutBandVPNAuthPwd, "
      "SetOutBandVpnAuthPassword); default: every action");
  auto* expires_opt = key_add->add_option(
      "--expires-in", expires_in, "a temporary key valid for SECONDS, with a session token");
  expires_opt->check(CLI::Range(int64_t{1}, int64_t{100} * 365 * 24 * 3600));
  key_add->callback([&, actions_opt, expires_opt] {
    run = [&, actions_opt, expires_opt] {
      auto id = ParseAppId(app_id_arg);
      if (!id.ok()) return Usage(id.status());
      KeyAddOptions o;
      if (actions_opt->count() > 0) {
        auto actions = ParseActionList(actions_arg);
        if (!actions.ok()) return Usage(actions.status());
        o.actions = std::move(*actions);
      }
      if (expires_opt->count() > 0) o.expires_in = expires_in;
      return WithAdmin(g, [&](AdminContext& c) { return KeyAdd(c, *id, o); });
    };
  });
  auto* key_list = key->add_subcommand("list", "list the keys of a tenant (never the SecretKey)");
  key_list->add_option("APPID", app_id_arg, "appId")->required();
  key_list->callback([&] {
    run = [&] {
      auto id = ParseAppId(app_id_arg);
      if (!id.ok()) return Usage(id.status());
      return WithAdmin(g, [&](AdminContext& c) { return KeyList(c, *id); });
    };
  });
  std::string secret_id_arg;
  auto* key_disable = key->add_subcommand("disable", "disable a key (requests with it get 4100)");
  key_disable->add_option("SECRETID", secret_id_arg, "SecretId")->required();
  key_disable->callback([&] {
    run = [&] {
      return WithAdmin(g, [&](AdminContext& c) { return KeySetEnabled(c, secret_id_arg, false); });
    };
  });
  auto* key_enable = key->add_subcommand("enable", "enable a disabled key");
  key_enable->add_option("SECRETID", secret_id_arg, "SecretId")->required();
  key_enable->callback([&] {
    run = [&] {
      return WithAdmin(g, [&](AdminContext& c) { return KeySetEnabled(c, secret_id_arg, true); });
    };
  });
  auto* key_delete = key->add_subcommand("delete", "delete a key");
  key_delete->add_option("SECRETID", secret_id_arg, "SecretId")->required();
  key_delete->callback([&] {
    run = [&] {
      return WithAdmin(g, [&](AdminContext& c) { return KeyDelete(c, secret_id_arg); });
    };
  });

  int64_t grace_s = kDefaultRotationGraceSeconds;
  auto* key_rotate = key->add_subcommand(
      "rotate",
      "replace a key: prints the new {appId, secretId, secretKey}; the old key keeps working "
      "for --grace seconds, then expires");
  key_rotate->add_option("SECRETID", secret_id_arg, "SecretId of the key to replace")->required();
  key_rotate
      ->add_option("--grace", grace_s,
                   "seconds the old key stays valid (default 86400; 0 = stop it now)")
      ->check(CLI::Range(int64_t{0}, int64_t{10} * 365 * 24 * 3600));
  key_rotate->callback([&] {
    run = [&] {
      KeyRotateOptions o;
      o.grace_s = grace_s;
      return WithAdmin(g, [&](AdminContext& c) { return KeyRotate(c, secret_id_arg, o); });
    };
  });

  // --- account ---
  auto* account = app.add_subcommand("account", "VPN accounts (one per tenant)");
  account->require_subcommand(1);
  auto* account_show =
      account->add_subcommand("show", "show a tenant's VPN account (never the hash)");
  account_show->add_option("APPID", app_id_arg, "appId")->required();
  account_show->callback([&] {
    run = [&] {
      auto id = ParseAppId(app_id_arg);
      if (!id.ok()) return Usage(id.status());
      return WithAdmin(g, [&](AdminContext& c) { return AccountShow(c, *id); });
    };
  });
  const std::pair<const char*, AccountOp> account_ops[] = {
      {"lock", AccountOp::kLock}, {"unlock", AccountOp::kUnlock}, {"delete", AccountOp::kDelete}};
  for (const auto& [name, op] : account_ops) {
    auto* sub = account->add_subcommand(name, std::string(name) + " a tenant's VPN account");
    sub->add_option("APPID", app_id_arg, "appId")->required();
    sub->callback([&, op = op] {
      run = [&, op] {
        auto id = ParseAppId(app_id_arg);
        if (!id.ok()) return Usage(id.status());
        return WithAdmin(g, [&](AdminContext& c) { return AccountChange(c, *id, op); });
      };
    });
  }

  // --- radius-client ---
  auto* radius = app.add_subcommand("radius-client", "VPN gateways allowed to query RADIUS");
  radius->require_subcommand(1);
  RadiusClientAddOptions rc;
  std::string rma_arg = "yes";
  auto* radius_add = radius->add_subcommand("add", "allow a RADIUS client");
  radius_add->add_option("NAME", rc.name, "client name ([A-Za-z0-9._-], up to 64)")->required();
  radius_add->add_option("--address", rc.address, "source address or CIDR (IPv4 or IPv6)")
      ->required();
  radius_add
      ->add_option("--secret-file", rc.secret_file,
                   "file holding the shared secret (one trailing newline is stripped)")
      ->required();
  radius_add->add_option("--require-message-authenticator", rma_arg,
                         "yes (default), no or auto: whether Access-Requests must carry "
                         "Message-Authenticator");
  radius_add->callback([&] {
    run = [&] {
      if (Status s = ValidateRadiusClientName(rc.name); !s.ok()) return Usage(s);
      if (Status s = ValidateCidr(rc.address); !s.ok()) return Usage(s);
      auto rma = ParseRequireMessageAuthenticator(rma_arg);
      if (!rma.ok()) return Usage(rma.status());
      rc.require_message_authenticator = *rma;
      return WithAdmin(g, [&](AdminContext& c) { return RadiusClientAdd(c, rc); });
    };
  });
  auto* radius_list = radius->add_subcommand("list", "list RADIUS clients (never the secret)");
  radius_list->callback([&] {
    run = [&] { return WithAdmin(g, [](AdminContext& c) { return RadiusClientList(c); }); };
  });
  std::string radius_name;
  auto* radius_remove = radius->add_subcommand("remove", "remove a RADIUS client");
  radius_remove->add_option("NAME", radius_name, "client name")->required();
  radius_remove->callback([&] {
    run = [&] {
      return WithAdmin(g, [&](AdminContext& c) { return RadiusClientRemove(c, radius_name); });
    };
  });

  // --- zone ---
  auto* zone = app.add_subcommand("zone", "zones (from the configuration)");
  zone->require_subcommand(1);
  auto* zone_list = zone->add_subcommand("list", "list the configured zones");
  zone_list->callback([&] {
    run = [&] {
      auto cfg = LoadConfig(g);
      if (!cfg.ok()) return Fail(cfg.status());
      return Print(ZoneList(*cfg), g);
    };
  });

  // --- audit ---
  std::string audit_app_id;
  std::string audit_since;
  size_t audit_limit = 1000;
  auto* audit = app.add_subcommand("audit", "show audit events, oldest first");
  auto* audit_app_opt = audit->add_option("--app-id", audit_app_id, "only this tenant's events");
  auto* audit_since_opt = audit->add_option(
      "--since", audit_since,
      "only events at or after TIME: UNIX seconds, RFC 3339 (2026-12-01T08:00:00Z) or a "
      "duration ago (15m, 2h, 7d)");
  audit->add_option("--limit", audit_limit, "at most N events (the newest N), default 1000")
      ->check(CLI::Range(size_t{1}, size_t{1000000}));
  audit->callback([&, audit_app_opt, audit_since_opt] {
    run = [&, audit_app_opt, audit_since_opt] {
      AuditOptions o;
      o.limit = audit_limit;
      if (audit_app_opt->count() > 0) {
        auto id = ParseAppId(audit_app_id);
        if (!id.ok()) return Usage(id.status());
        o.app_id = *id;
      }
      if (audit_since_opt->count() > 0) {
        auto t = ParseTimeSpec(audit_since, SystemClock::Instance().NowUnix());
        if (!t.ok()) return Usage(t.status());
        o.since = *t;
      }
      return WithAdmin(g, [&](AdminContext& c) { return AuditList(c, o); });
    };
  });

  // --- backup, restore, rotate-master-key (app/maintenance.h) ---
  std::string backup_file;
  auto* backup = app.add_subcommand(
      "backup",
      "write a consistent copy of the database to FILE while obvpnd serves (the master key "
      "is not in it: keep the key file separately)");
  backup->add_option("FILE", backup_file, "the backup file (replaced atomically)")->required();
  backup->callback([&] {
    run = [&] {
      auto cfg = LoadConfig(g);
      if (!cfg.ok()) return Fail(cfg.status());
      WarnIfNotTheOwner(*cfg);
      auto info = app::BackupDatabase(*cfg, backup_file);
      if (!info.ok()) return Fail(info.status());
      Output out;
      out.json = {{"file", info->file}, {"bytes", info->bytes}, {"keyFile", cfg->MasterKeyPath()}};
      out.text = "backup written to " + info->file + " (" + std::to_string(info->bytes) +
                 " bytes)\nthe master key is not in it: keep " + cfg->MasterKeyPath() +
                 " too (restore --key-file)\n";
      return Print(out, g);
    };
  });
  app::RestoreOptions ro;
  auto* restore = app.add_subcommand(
      "restore",
      "replace the database with a backup (obvpnd must be stopped); the backup's master key "
      "comes from --key-file or the data directory");
  restore->add_option("FILE", ro.file, "a file written by obvpnctl backup")->required();
  restore->add_option("--key-file", ro.key_file,
                      "the master key file of the data directory the backup was taken from; "
                      "installed as this data directory's key file");
  restore->add_flag("--force", ro.force, "replace an existing database (and key file)");
  restore->callback([&] {
    run = [&] {
      auto cfg = LoadConfig(g);
      if (!cfg.ok()) return Fail(cfg.status());
      WarnIfNotTheOwner(*cfg);
      const std::string request_id = NewRequestId();
      if (Status s = app::RestoreDatabase(*cfg, ro, SystemClock::Instance(), request_id); !s.ok()) {
        return Fail(s);
      }
      Output out;
      out.json = {{"restored", ro.file},
                  {"database", cfg->DatabasePath()},
                  {"keyFile", ro.key_file.empty() ? Json(nullptr) : Json(cfg->MasterKeyPath())}};
      out.text = "restored " + ro.file + " into " + cfg->DatabasePath() + "\n";
      return Print(out, g);
    };
  });
  auto* rotate_master = app.add_subcommand(
      "rotate-master-key",
      "re-encrypt every stored secret with a new master key (obvpnd must be stopped)");
  rotate_master->callback([&] {
    run = [&] {
      auto cfg = LoadConfig(g);
      if (!cfg.ok()) return Fail(cfg.status());
      WarnIfNotTheOwner(*cfg);
      auto info = app::RotateMasterKey(*cfg, SystemClock::Instance(), NewRequestId());
      if (!info.ok()) return Fail(info.status());
      Output out;
      out.json = {{"keyFile", cfg->MasterKeyPath()},
                  {"apiKeys", info->api_keys},
                  {"radiusClients", info->radius_clients},
                  {"resumed", info->resumed}};
      out.text = "master key " + cfg->MasterKeyPath() + " replaced; re-sealed " +
                 std::to_string(info->api_keys) + " API keys and " +
                 std::to_string(info->radius_clients) + " RADIUS client secrets" +
                 (info->resumed ? " (completed an interrupted rotation)" : "") +
                 "\nback up the new key file: older backups need the previous key\n";
      return Print(out, g);
    };
  });

  // --- call ---
  CallFlags cf;
  auto* call = app.add_subcommand("call", "send a signed API request and print the JSON reply");
  call->footer(
      "Credentials come from TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (and\n"
      "TENCENTCLOUD_SESSION_TOKEN, sent as the Token parameter or, with TC3-HMAC-SHA256,\n"
      "the X-TC-Token header, for a temporary key).\n"
      "The reply body is printed on stdout as received.\n"
      "Exit status: 0 the API returned success; 3 the API returned an error (code != 0,\n"
      "or Response.Error; the reply is still printed); 1 no usable reply (connection, TLS\n"
      "or timeout failure, or a body that is not API JSON); 2 usage error.");
  call->add_option("--endpoint", cf.endpoint,
                   "http[s]://host[:port][/path]; default " + cf.endpoint);
  call->add_option("--api", cf.api, "API version, 2 (default) or 3")->check(CLI::IsMember({2, 3}));
  call->add_option("--sign", cf.sign,
                   "HmacSHA1 (default for --api 2), HmacSHA256, TC3-HMAC-SHA256 (default for "
                   "--api 3)")
      ->check(CLI::IsMember({"HmacSHA1", "HmacSHA256", "TC3-HMAC-SHA256"}));
  call->add_option("--region", cf.region,
                   "Region (either alias); default gz for --api 2, ap-guangzhou for --api 3");
  call->add_option("--method", cf.method, "GET or POST (default)")
      ->check(CLI::IsMember({"GET", "POST"}));
  call->add_flag("--insecure", cf.insecure, "https: do not verify the server certificate");
  call->add_option("--ca-file", cf.ca_file, "https: PEM CA bundle (default: the system store)")
      ->check(CLI::ExistingFile);
  call->add_option("--timeout", cf.timeout_s, "seconds for the whole exchange; default 30")
      ->check(CLI::Range(int64_t{1}, int64_t{3600}));
  call->add_option(
          "ACTION", cf.action,
          "GetOutBandVPNAuthInfo, SetOutBandVPNAuthPwd (2.0), SetOutBandVpnAuthPassword (3.0)")
      ->required();
  call->add_option("PARAMS", cf.params, "name=value request parameters");
  call->callback([&] { run = [&] { return RunCall(cf); }; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int exit_code = app.exit(e);
    return exit_code == 0 ? 0 : kExitUsage;
  }
  if (!run) return Usage(InvalidArgument("no command given (see --help)"));
  return run();
}

}  // namespace
}  // namespace obvpn::cli

int main(int argc, char** argv) {
  // Files obvpnctl may create (data dir, database, master key) are the owner's alone.
  ::umask(077);
  // It handles SecretKeys and the master key: no core dumps, no ptrace by other users.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return obvpn::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "obvpnctl: fatal: " << e.what() << "\n";
    return 1;
  }
}
