// Status and Result<T>: the return types of every operation that can fail because of
// input or the environment (STYLE.md "Errors"). Exceptions are reserved for startup.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace obvpn {

// The broad class of a failure. Components refine the meaning in their contracts; the
// mapping to wire error codes lives in one place (accounts/errors.h).
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // the caller's input is wrong; nothing changed
  kNotFound,          // the named thing does not exist
  kAlreadyExists,     // a create found the thing already there
  kPermissionDenied,  // the caller may not do this
  kUnavailable,       // a dependency (store, file system) failed; retry may succeed
  kDataLoss,          // stored data is corrupt or cannot be decrypted
  kInternal,          // a bug or an unexpected fault
};

std::string_view StatusCodeName(StatusCode code);

// A success or a failure with a code and a message. The message is for operators and
// logs; it must never contain a secret (password, SecretKey, signature, RADIUS secret).
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "InvalidArgument: message", for logs.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status PermissionDenied(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// A value or a non-OK Status. Accessing value() of a failed Result is a bug (asserts).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace obvpn

// Propagates a non-OK Status from an expression returning Status.
#define OBVPN_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::obvpn::Status obvpn_status_ = (expr);        \
    if (!obvpn_status_.ok()) return obvpn_status_; \
  } while (0)

#define OBVPN_CONCAT_INNER(a, b) a##b
#define OBVPN_CONCAT(a, b) OBVPN_CONCAT_INNER(a, b)
// OBVPN_ASSIGN_OR_RETURN(auto x, FnReturningResult());
#define OBVPN_ASSIGN_OR_RETURN(lhs, expr) \
  OBVPN_ASSIGN_OR_RETURN_IMPL(OBVPN_CONCAT(obvpn_result_, __LINE__), lhs, expr)
#define OBVPN_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
