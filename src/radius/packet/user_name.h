// Parsing of the RADIUS User-Name into the tenant it names (SPEC §5). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"

namespace obvpn::radius {

// Returns the appId named by a User-Name in one of the forms gateways send (SPEC §5),
// where N is the appId in canonical decimal (digits only, no leading zero, 1..2^64-1) and
// bmN is its user group (SPEC §2: userGroup = "bm" + appId):
//   "N"        the plain user name
//   "bmN\N"    DOMAIN\user, as Windows-style clients send it
//   "N@bmN"    user@domain, as the SSL VPN client's "domain" field produces it
// InvalidArgument for anything else: other text, more than one separator, an empty part,
// a group that is not "bm" followed by the same N (so one tenant cannot log in under
// another's group), or a number out of range. The message never echoes the input.
Result<uint64_t> ParseUserNameAppId(std::string_view user_name);

}  // namespace obvpn::radius
