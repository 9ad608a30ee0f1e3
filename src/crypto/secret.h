// Secret: a byte string that refuses to be printed or logged. The only way to read it
// is reveal(), which makes every use greppable. Its memory is wiped on destruction.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace obvpn::crypto {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret& operator=(const Secret&) = default;
  Secret(Secret&&) noexcept = default;
  Secret& operator=(Secret&&) noexcept = default;
  ~Secret();

  std::string_view reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  size_t size() const { return value_.size(); }

  // No operator<<, no implicit conversion: printing a Secret does not compile.

 private:
  std::string value_;
};

}  // namespace obvpn::crypto
