#include "radius/packet/user_name.h"

#include <algorithm>
#include <optional>
#include <string>

#include "core/strings.h"

namespace obvpn::radius {
namespace {

constexpr std::string_view kGroupPrefix = "bm";

// Canonical decimal only: "007" and "0" would name the same account as "7" or nothing,
// and two spellings of one account make throttling and audit keys ambiguous.
Result<uint64_t> ParseCanonicalAppId(std::string_view digits) {
  if (digits.empty() || digits.front() == '0') {
    return InvalidArgument("User-Name is not an appId");
  }
  std::optional<uint64_t> v = ParseUint64(digits);
  if (!v) return InvalidArgument("User-Name is not an appId");
  return *v;
}

}  // namespace

Result<uint64_t> ParseUserNameAppId(std::string_view user_name) {
  const size_t backslashes =
      static_cast<size_t>(std::count(user_name.begin(), user_name.end(), '\\'));
  const size_t ats = static_cast<size_t>(std::count(user_name.begin(), user_name.end(), '@'));
  if (backslashes + ats > 1) return InvalidArgument("User-Name has more than one separator");

  std::string_view user = user_name;
  std::string_view group;
  bool has_group = false;
  if (backslashes == 1) {  // "bmN\N"
    const size_t sep = user_name.find('\\');
    group = user_name.substr(0, sep);
    user = user_name.substr(sep + 1);
    has_group = true;
  } else if (ats == 1) {  // "N@bmN"
    const size_t sep = user_name.find('@');
    user = user_name.substr(0, sep);
    group = user_name.substr(sep + 1);
    has_group = true;
  }

  OBVPN_ASSIGN_OR_RETURN(uint64_t app_id, ParseCanonicalAppId(user));
  if (has_group) {
    // The group must be exactly this tenant's: "bm" + the same canonical digits.
    if (group.size() != kGroupPrefix.size() + user.size() ||
        group.substr(0, kGroupPrefix.size()) != kGroupPrefix ||
        group.substr(kGroupPrefix.size()) != user) {
      return InvalidArgument("User-Name group does not match its appId");
    }
  }
  return app_id;
}

}  // namespace obvpn::radius
