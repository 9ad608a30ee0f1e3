#include "accounts/errors.h"

#include <array>

namespace obvpn::accounts {
namespace {

// SPEC §3.7 (API 2.0) and §4 (API 3.0). Order must match the enum (checked by tests).
constexpr std::array<ApiErrorInfo, kApiErrorCount> kTable = {{
    {"Ok", 0, "Success", ""},
    {"InvalidParameter", 4000, "InvalidParameter", "InvalidParameter"},
    {"MissingParameter", 4000, "InvalidParameter", "MissingParameter"},
    {"UnknownParameter", 4000, "InvalidParameter", "UnknownParameter"},
    {"InvalidAction", 4000, "InvalidParameter", "InvalidAction"},
    {"UnsupportedRegion", 4000, "InvalidParameter", "UnsupportedRegion"},
    {"NoSuchVersion", 4000, "InvalidParameter", "NoSuchVersion"},
    {"SignatureFailure", 4100, "AuthFailure", "AuthFailure.SignatureFailure"},
    {"InvalidAuthorization", 4100, "AuthFailure", "AuthFailure.InvalidAuthorization"},
    {"SecretIdNotFound", 4100, "AuthFailure", "AuthFailure.SecretIdNotFound"},
    {"TokenFailure", 4100, "AuthFailure", "AuthFailure.TokenFailure"},
    {"SignatureExpired", 4500, "ReplayAttack", "AuthFailure.SignatureExpire"},
    {"Replay", 4500, "ReplayAttack", "AuthFailure.InvalidAuthorization"},
    {"RateLimited", 4400, "LimitExceeded", "RequestLimitExceeded"},
    {"RequestTooLarge", 4000, "InvalidParameter", "RequestSizeLimitExceeded"},
    {"UnsupportedProtocol", 4600, "UnsupportedProtocol", "UnsupportedProtocol"},
    {"OperationDenied", 10004, "OperationDenied", "UnauthorizedOperation"},
    {"Internal", 6000, "InternalError", "InternalError"},
    {"StoreReadFailed", 9001, "InternalError.DbError", "InternalError"},
    {"StoreWriteFailed", 10100, "InternalError.ObAuthAccessError", "InternalError"},
    {"AccountExists", 10101, "InternalError.ObAuthError", "FailedOperation"},
    {"AccountMissing", 10105, "InvalidResource.ObAuthNoConfig", "FailedOperation"},
    {"ServerBusy", 4400, "LimitExceeded", "RequestLimitExceeded"},
}};

}  // namespace

const ApiErrorInfo& Info(ApiError e) {
  const auto i = static_cast<size_t>(e);
  return i < kTable.size() ? kTable[i] : kTable[static_cast<size_t>(ApiError::kInternal)];
}

}  // namespace obvpn::accounts
