#include "app/counting_store.h"

#include <utility>

namespace obvpn::app {
namespace {

using namespace obvpn::store;  // NOLINT(google-build-using-namespace): a forwarding list

const Status& StatusOf(const Status& s) { return s; }
template <class T>
const Status& StatusOf(const Result<T>& r) {
  return r.status();
}

class CountingStore final : public Store {
 public:
  CountingStore(std::unique_ptr<Store> inner, StoreErrorCallback on_error)
      : inner_(std::move(inner)), on_error_(std::move(on_error)) {}

  Status AddTenant(AppId a, int64_t now) override {
    return Count("AddTenant", inner_->AddTenant(a, now));
  }
  Result<std::vector<Tenant>> ListTenants() override {
    return Count("ListTenants", inner_->ListTenants());
  }
  Result<bool> TenantExists(AppId a) override {
    return Count("TenantExists", inner_->TenantExists(a));
  }
  Status AddKey(const ApiKey& k) override { return Count("AddKey", inner_->AddKey(k)); }
  Result<std::optional<ApiKey>> FindKey(std::string_view id) override {
    return Count("FindKey", inner_->FindKey(id));
  }
  Result<std::vector<ApiKey>> ListKeys(std::optional<AppId> a) override {
    return Count("ListKeys", inner_->ListKeys(a));
  }
  Status SetKeyEnabled(std::string_view id, bool e) override {
    return Count("SetKeyEnabled", inner_->SetKeyEnabled(id, e));
  }
  Status DeleteKey(std::string_view id) override {
    return Count("DeleteKey", inner_->DeleteKey(id));
  }
  Status RotateKey(const ApiKey& k, std::string_view old_id, int64_t expires_at) override {
    return Count("RotateKey", inner_->RotateKey(k, old_id, expires_at));
  }
  Result<std::optional<Account>> FindAccount(AppId a) override {
    return Count("FindAccount", inner_->FindAccount(a));
  }
  Result<WriteOutcome> CreateAccount(const AccountWrite& w) override {
    return Count("CreateAccount", inner_->CreateAccount(w));
  }
  Result<WriteOutcome> UpdateAccount(const AccountWrite& w) override {
    return Count("UpdateAccount", inner_->UpdateAccount(w));
  }
  Status SetAccountLocked(AppId a, bool l, int64_t now) override {
    return Count("SetAccountLocked", inner_->SetAccountLocked(a, l, now));
  }
  Status DeleteAccount(AppId a) override {
    return Count("DeleteAccount", inner_->DeleteAccount(a));
  }
  Status AddRadiusClient(const RadiusClient& c) override {
    return Count("AddRadiusClient", inner_->AddRadiusClient(c));
  }
  Result<std::vector<RadiusClient>> ListRadiusClients() override {
    return Count("ListRadiusClients", inner_->ListRadiusClients());
  }
  Status RemoveRadiusClient(std::string_view n) override {
    return Count("RemoveRadiusClient", inner_->RemoveRadiusClient(n));
  }
  Status RecordSessionStart(AppId a, std::string_view c, std::string_view id, int64_t t) override {
    return Count("RecordSessionStart", inner_->RecordSessionStart(a, c, id, t));
  }
  Status RecordSessionStop(AppId a, std::string_view c, std::string_view id, int64_t t) override {
    return Count("RecordSessionStop", inner_->RecordSessionStop(a, c, id, t));
  }
  Status StopClientSessions(std::string_view c, int64_t t) override {
    return Count("StopClientSessions", inner_->StopClientSessions(c, t));
  }
  Result<int64_t> CountActiveSessions(AppId a) override {
    return Count("CountActiveSessions", inner_->CountActiveSessions(a));
  }
  Result<int64_t> CountAllActiveSessions() override {
    return Count("CountAllActiveSessions", inner_->CountAllActiveSessions());
  }
  Result<bool> ClaimReplay(const ReplayClaim& c) override {
    return Count("ClaimReplay", inner_->ClaimReplay(c));
  }
  Status PurgeReplay(int64_t now) override {
    return Count("PurgeReplay", inner_->PurgeReplay(now));
  }
  Status AppendAudit(const AuditEvent& e) override {
    return Count("AppendAudit", inner_->AppendAudit(e));
  }
  Result<std::vector<AuditEvent>> ListAudit(const AuditFilter& f) override {
    return Count("ListAudit", inner_->ListAudit(f));
  }
  Result<int64_t> Generation() override { return Count("Generation", inner_->Generation()); }
  Result<std::string> GetMeta(std::string_view k) override {
    return Count("GetMeta", inner_->GetMeta(k));
  }
  Status SetMeta(std::string_view k, std::string_view v) override {
    return Count("SetMeta", inner_->SetMeta(k, v));
  }
  Status ReSealSecrets(const ReSealFn& reseal) override {
    return Count("ReSealSecrets", inner_->ReSealSecrets(reseal));
  }

 private:
  template <class R>
  R Count(std::string_view op, R result) {
    if (const Status& s = StatusOf(result); IsStoreFailure(s)) on_error_(op, s);
    return result;
  }

  std::unique_ptr<Store> inner_;
  StoreErrorCallback on_error_;
};

}  // namespace

bool IsStoreFailure(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnavailable:
    case StatusCode::kDataLoss:
    case StatusCode::kInternal:
      return true;
    default:
      return false;
  }
}

std::unique_ptr<store::Store> MakeCountingStore(std::unique_ptr<store::Store> inner,
                                                StoreErrorCallback on_error) {
  return std::make_unique<CountingStore>(std::move(inner), std::move(on_error));
}

}  // namespace obvpn::app
