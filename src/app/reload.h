// Reload (SPEC §8 "SIGHUP reloads the config file's zones and limits"): which parts of
// a new configuration a running obvpnd can take over on SIGHUP, and which need a
// restart. docs/operations.md lists the same split for operators.
//
// Applied on reload: zones, [limits], the per-request API settings (require_tls, hosts,
// timestamp_window_s, max_body_bytes, max_json_body_bytes, max_params), log.level, and
// the TLS certificate and key (re-read from their files even when the paths are the
// same, so a renewed certificate is picked up). Everything else is read once at start:
// listeners, thread and pool sizes, connection limits and timeouts, RADIUS settings,
// password cost, store and master key.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"

namespace obvpn::app {

// InvalidArgument when `next` cannot be applied to a server started with `running` at
// all: turning TLS on or off (the API listener is built with or without TLS).
Status CheckReloadable(const config::Config& running, const config::Config& next);

// The keys whose value differs between `running` and `next` but only takes effect after
// a restart ("api.listen", "radius.max_failures", ...), in config.h order. Empty when the
// reload applies completely.
std::vector<std::string> RestartOnlyChanges(const config::Config& running,
                                            const config::Config& next);

}  // namespace obvpn::app
