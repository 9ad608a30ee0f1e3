// CountingStore: a Store decorator that reports every store failure — Unavailable,
// DataLoss or Internal from any method — to a callback with the method's name, for the
// obvpn_store_errors_total metric (SPEC §8 "store errors"). Outcomes that are answers,
// not failures (NotFound, AlreadyExists, InvalidArgument, PermissionDenied), are not
// reported. Otherwise it forwards every call unchanged. Thread-safe if the callback is.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

namespace obvpn::app {

// `op` is the Store method name ("FindKey"); `status` the failure (never holds a secret,
// store.h).
using StoreErrorCallback = std::function<void(std::string_view op, const Status& status)>;

std::unique_ptr<store::Store> MakeCountingStore(std::unique_ptr<store::Store> inner,
                                                StoreErrorCallback on_error);

// True for the codes CountingStore reports.
bool IsStoreFailure(const Status& status);

}  // namespace obvpn::app
