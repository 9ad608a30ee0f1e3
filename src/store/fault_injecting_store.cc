#include "store/fault_injecting_store.h"

#include <fstream>

namespace obvpn::store {
namespace {

enum class Op { kRead, kWrite };

class FaultInjectingStore final : public Store {
 public:
  FaultInjectingStore(std::unique_ptr<Store> inner, std::string file)
      : inner_(std::move(inner)), file_(std::move(file)) {}

  Status AddTenant(AppId a, int64_t now) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->AddTenant(a, now);
  }
  Result<std::vector<Tenant>> ListTenants() override {
    if (Fail(Op::kRead)) return Injected();
    return inner_->ListTenants();
  }
  Result<bool> TenantExists(AppId a) override {
    if (Fail(Op::kRead)) return Injected();
    return inner_->TenantExists(a);
  }
  Status AddKey(const ApiKey& k) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->AddKey(k);
  }
  Result<std::optional<ApiKey>> FindKey(std::string_view id) override {
    if (Fail(Op::kRead)) return Injected();
    return inner_->FindKey(id);
  }
  Result<std::vector<ApiKey>> ListKeys(std::optional<AppId> a) override {
    if (Fail(Op::kRead)) return Injected();
    return inner_->ListKeys(a);
  }
  Status SetKeyEnabled(std::string_view id, bool e) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->SetKeyEnabled(id, e);
  }
  Status DeleteKey(std::string_view id) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->DeleteKey(id);
  }
  Status RotateKey(const ApiKey& k, std::string_view old_id, int64_t expires_at) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->RotateKey(k, old_id, expires_at);
  }
  Result<std::optional<Account>> FindAccount(AppId a) override {
    if (Fail(Op::kRead)) return Injected();
    return inner_->FindAccount(a);
  }
  Result<WriteOutcome> CreateAccount(const AccountWrite& w) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->CreateAccount(w);
  }
  Result<WriteOutcome> UpdateAccount(const AccountWrite& w) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->UpdateAccount(w);
  }
  Status SetAccountLocked(AppId a, bool l, int64_t now) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->SetAccountLocked(a, l, now);
  }
  Status DeleteAccount(AppId a) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->DeleteAccount(a);
  }
  Status AddRadiusClient(const RadiusClient& c) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->AddRadiusClient(c);
  }
  Result<std::vector<RadiusClient>> ListRadiusClients() override {
    if (Fail(Op::kRead)) return Injected();
    return inner_->ListRadiusClients();
  }
  Status RemoveRadiusClient(std::string_view n) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->RemoveRadiusClient(n);
  }
  Status RecordSessionStart(AppId a, std::string_view c, std::string_view id, int64_t t) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->RecordSessionStart(a, c, id, t);
  }
  Status RecordSessionStop(AppId a, std::string_view c, std::string_view id, int64_t t) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->RecordSessionStop(a, c, id, t);
  }
  Status StopClientSessions(std::string_view c, int64_t t) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->StopClientSessions(c, t);
  }
  Result<int64_t> CountActiveSessions(AppId a) override {
    if (Fail(Op::kRead)) return Injected();
    return inner_->CountActiveSessions(a);
  }
  Result<int64_t> CountAllActiveSessions() override {
    if (Fail(Op::kRead)) return Injected();
    return inner_->CountAllActiveSessions();
  }
  Result<bool> ClaimReplay(const ReplayClaim& c) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->ClaimReplay(c);
  }
  Status PurgeReplay(int64_t now) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->PurgeReplay(now);
  }
  Status AppendAudit(const AuditEvent& e) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->AppendAudit(e);
  }
  Result<std::vector<AuditEvent>> ListAudit(const AuditFilter& f) override {
    if (Fail(Op::kRead)) return Injected();
    return inner_->ListAudit(f);
  }
  Result<int64_t> Generation() override {
    if (Fail(Op::kRead)) return Injected();
    return inner_->Generation();
  }
  Result<std::string> GetMeta(std::string_view k) override {
    if (Fail(Op::kRead)) return Injected();
    return inner_->GetMeta(k);
  }
  Status SetMeta(std::string_view k, std::string_view v) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->SetMeta(k, v);
  }
  Status ReSealSecrets(const ReSealFn& reseal) override {
    if (Fail(Op::kWrite)) return Injected();
    return inner_->ReSealSecrets(reseal);
  }

 private:
  static Status Injected() { return Unavailable("injected store fault"); }

  bool Fail(Op op) const {
    std::ifstream in(file_);
    std::string word;
    if (!(in >> word)) return false;
    if (word == "all") return true;
    return (op == Op::kRead && word == "read") || (op == Op::kWrite && word == "write");
  }

  std::unique_ptr<Store> inner_;
  const std::string file_;
};

}  // namespace

std::unique_ptr<Store> MakeFaultInjectingStore(std::unique_ptr<Store> inner,
                                               std::string control_file) {
  return std::make_unique<FaultInjectingStore>(std::move(inner), std::move(control_file));
}

}  // namespace obvpn::store
