#include "app/reload.h"

namespace obvpn::app {

Status CheckReloadable(const config::Config& running, const config::Config& next) {
  const bool tls_now = !running.api.tls_cert.empty();
  const bool tls_next = !next.api.tls_cert.empty();
  if (tls_now != tls_next) {
    return InvalidArgument(std::string("api.tls_cert: ") + (tls_next ? "enabling" : "disabling") +
                           " TLS needs a restart of obvpnd; the running configuration is kept");
  }
  return Status::Ok();
}

std::vector<std::string> RestartOnlyChanges(const config::Config& running,
                                            const config::Config& next) {
  std::vector<std::string> keys;
  auto check = [&keys](const char* key, const auto& a, const auto& b) {
    if (!(a == b)) keys.emplace_back(key);
  };
  const config::Config& a = running;
  const config::Config& b = next;
  check("data_dir", a.data_dir, b.data_dir);
  check("api.listen", a.api.listen, b.api.listen);
  check("api.max_header_bytes", a.api.max_header_bytes, b.api.max_header_bytes);
  check("api.max_connections", a.api.max_connections, b.api.max_connections);
  check("api.idle_timeout_s", a.api.idle_timeout_s, b.api.idle_timeout_s);
  check("api.read_timeout_s", a.api.read_timeout_s, b.api.read_timeout_s);
  check("api.io_threads", a.api.io_threads, b.api.io_threads);
  check("radius.listen", a.radius.listen, b.radius.listen);
  check("radius.accounting_listen", a.radius.accounting_listen, b.radius.accounting_listen);
  check("radius.max_packet_bytes", a.radius.max_packet_bytes, b.radius.max_packet_bytes);
  check("radius.max_attributes", a.radius.max_attributes, b.radius.max_attributes);
  check("radius.max_failures", a.radius.max_failures, b.radius.max_failures);
  check("radius.failure_window_s", a.radius.failure_window_s, b.radius.failure_window_s);
  check("radius.lockout_s", a.radius.lockout_s, b.radius.lockout_s);
  check("radius.max_sessions_per_tenant", a.radius.max_sessions_per_tenant,
        b.radius.max_sessions_per_tenant);
  check("radius.duplicate_cache_s", a.radius.duplicate_cache_s, b.radius.duplicate_cache_s);
  check("admin.listen", a.admin.listen, b.admin.listen);
  check("password.argon2_memory_kib", a.password.argon2_memory_kib, b.password.argon2_memory_kib);
  check("password.argon2_iterations", a.password.argon2_iterations, b.password.argon2_iterations);
  check("password.hash_workers", a.password.hash_workers, b.password.hash_workers);
  check("password.hash_queue", a.password.hash_queue, b.password.hash_queue);
  check("password.hash_priority", a.password.hash_priority, b.password.hash_priority);
  check("store.kind", a.store.kind, b.store.kind);
  check("store.postgres_url", a.store.postgres_url, b.store.postgres_url);
  check("store.busy_timeout_ms", a.store.busy_timeout_ms, b.store.busy_timeout_ms);
  check("secrets.master_key_file", a.secrets.master_key_file, b.secrets.master_key_file);
  return keys;
}

}  // namespace obvpn::app
