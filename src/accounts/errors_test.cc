#include "accounts/errors.h"

#include <gtest/gtest.h>

#include <set>

namespace obvpn::accounts {
namespace {

// STYLE.md: every domain error has a name, a distinct identity and a mapping to both
// wire versions.
TEST(ApiError, EveryValueHasANameAndBothWireMappings) {
  std::set<std::string_view> names;
  for (int i = 0; i < kApiErrorCount; ++i) {
    const auto e = static_cast<ApiError>(i);
    const ApiErrorInfo& info = Info(e);
    EXPECT_FALSE(info.name.empty()) << i;
    EXPECT_TRUE(names.insert(info.name).second) << "duplicate name " << info.name;
    EXPECT_FALSE(info.v2_desc.empty()) << info.name;
    if (e != ApiError::kOk) {
      EXPECT_NE(info.v2_code, 0) << info.name;
      EXPECT_FALSE(info.v3_code.empty()) << info.name;
    }
  }
}

struct Row {
  ApiError e;
  int v2;
  std::string_view desc;
  std::string_view v3;
};

// SPEC §3.7 and §4, row by row.
TEST(ApiError, MatchesTheSpecTables) {
  const Row rows[] = {
      {ApiError::kOk, 0, "Success", ""},
      {ApiError::kInvalidParameter, 4000, "InvalidParameter", "InvalidParameter"},
      {ApiError::kMissingParameter, 4000, "InvalidParameter", "MissingParameter"},
      {ApiError::kSignatureFailure, 4100, "AuthFailure", "AuthFailure.SignatureFailure"},
      {ApiError::kSecretIdNotFound, 4100, "AuthFailure", "AuthFailure.SecretIdNotFound"},
      {ApiError::kTokenFailure, 4100, "AuthFailure", "AuthFailure.TokenFailure"},
      {ApiError::kRateLimited, 4400, "LimitExceeded", "RequestLimitExceeded"},
      {ApiError::kReplay, 4500, "ReplayAttack", "AuthFailure.InvalidAuthorization"},
      {ApiError::kSignatureExpired, 4500, "ReplayAttack", "AuthFailure.SignatureExpire"},
      {ApiError::kUnsupportedProtocol, 4600, "UnsupportedProtocol", "UnsupportedProtocol"},
      {ApiError::kInternal, 6000, "InternalError", "InternalError"},
      {ApiError::kStoreReadFailed, 9001, "InternalError.DbError", "InternalError"},
      {ApiError::kOperationDenied, 10004, "OperationDenied", "UnauthorizedOperation"},
      {ApiError::kStoreWriteFailed, 10100, "InternalError.ObAuthAccessError", "InternalError"},
      {ApiError::kAccountExists, 10101, "InternalError.ObAuthError", "FailedOperation"},
      {ApiError::kAccountMissing, 10105, "InvalidResource.ObAuthNoConfig", "FailedOperation"},
      {ApiError::kInvalidAction, 4000, "InvalidParameter", "InvalidAction"},
      {ApiError::kUnsupportedRegion, 4000, "InvalidParameter", "UnsupportedRegion"},
      {ApiError::kNoSuchVersion, 4000, "InvalidParameter", "NoSuchVersion"},
      {ApiError::kRequestTooLarge, 4000, "InvalidParameter", "RequestSizeLimitExceeded"},
  };
  for (const Row& r : rows) {
    const ApiErrorInfo& info = Info(r.e);
    EXPECT_EQ(info.v2_code, r.v2) << info.name;
    EXPECT_EQ(info.v2_desc, r.desc) << info.name;
    EXPECT_EQ(info.v3_code, r.v3) << info.name;
  }
}

}  // namespace
}  // namespace obvpn::accounts
