#include "http/message.h"

namespace obvpn::http {

const std::string* Request::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return &v;
  }
  return nullptr;
}

void SplitTarget(std::string_view target, std::string& path, std::string& query) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) {
    path.assign(target);
    query.clear();
  } else {
    path.assign(target.substr(0, q));
    query.assign(target.substr(q + 1));
  }
}

}  // namespace obvpn::http
