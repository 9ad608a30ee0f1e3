// ApiError: every way an API request can fail, in one enum, with the one table that maps
// each to its API 2.0 code/codeDesc and its API 3.0 Error.Code (STYLE.md "Errors": one
// place mapping domain errors to wire errors). Front ends never invent codes of their own.
#pragma once

#include <string>
#include <string_view>

namespace obvpn::accounts {

enum class ApiError {
  kOk = 0,
  kInvalidParameter,      // malformed/duplicate parameter, bad value, password rule
  kMissingParameter,      // a required parameter is absent
  kUnknownParameter,      // API 3.0 only: an unexpected parameter
  kInvalidAction,         // unknown Action
  kUnsupportedRegion,     // unknown or unconfigured Region
  kNoSuchVersion,         // API 3.0: unknown Version
  kSignatureFailure,      // the signature does not verify, or the Host is not allowed
  kInvalidAuthorization,  // API 3.0: malformed Authorization header / credential scope
  kSecretIdNotFound,      // unknown, disabled or expired SecretId
  kTokenFailure,          // temporary key without its Token, or a wrong Token
  kSignatureExpired,      // Timestamp outside the window
  kReplay,                // the same request seen before
  kRateLimited,           // too many requests
  kRequestTooLarge,       // body over the limit
  kUnsupportedProtocol,   // plain HTTP while TLS is required
  kOperationDenied,       // key may not call the action, or appId is not the caller's
  kInternal,              // unexpected fault
  kStoreReadFailed,       // the store failed while reading
  kStoreWriteFailed,      // the store could not be reached/written for a change
  kAccountExists,         // create on an existing account
  kAccountMissing,        // update on a tenant without an account
  kServerBusy,            // the password hash queue is full
};

inline constexpr int kApiErrorCount = static_cast<int>(ApiError::kServerBusy) + 1;

struct ApiErrorInfo {
  std::string_view name;     // stable identifier for logs/metrics: "InvalidParameter"
  int v2_code;               // API 2.0 "code"
  std::string_view v2_desc;  // API 2.0 "codeDesc"
  std::string_view v3_code;  // API 3.0 Error.Code
};

const ApiErrorInfo& Info(ApiError e);

// An error with the message a client can act on. The message names the parameter and
// the rule; it never contains a secret.
struct ApiFailure {
  ApiError error = ApiError::kInternal;
  std::string message;
};

}  // namespace obvpn::accounts
