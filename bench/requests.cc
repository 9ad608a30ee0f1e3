#include "requests.h"

#include <charconv>

#include "core/strings.h"
#include "http/signing/form.h"

namespace obvpn::bench {

namespace signing = http::signing;

WireRequest BuildV2Request(const Credential& key, V2Action action, const V2Options& options,
                           int64_t timestamp, uint64_t nonce) {
  signing::Params params;
  params.reserve(12);
  const bool get = action == V2Action::kGet;
  // SPEC §3.1 common parameters, then the action's own (§3.4, §3.5).
  params.push_back({"Action", get ? "GetOutBandVPNAuthInfo" : "SetOutBandVPNAuthPwd"});
  params.push_back({"Region", options.region});
  params.push_back({"Timestamp", std::to_string(timestamp)});
  params.push_back({"Nonce", std::to_string(nonce)});
  params.push_back({"SecretId", key.secret_id});
  switch (options.method) {
    case signing::V2Method::kHmacSha1:
      break;  // the default: qcloudcli never sends SignatureMethod
    case signing::V2Method::kHmacSha256:
      params.push_back({"SignatureMethod", "HmacSHA256"});
      break;
    case signing::V2Method::kTc2HmacSha256:
      params.push_back({"SignatureMethod", "TC2-HmacSHA256"});
      break;
  }
  if (!get) {
    params.push_back({"password", options.password});
    params.push_back({"createOrUpdate", options.create_or_update});
  }
  WireRequest out;
  out.method = options.post ? "POST" : "GET";
  signing::V2Request sreq;
  sreq.http_method = out.method;
  sreq.host = options.host;
  sreq.path = options.path;
  sreq.params = &params;
  sreq.rewrite_underscores = true;
  std::string signature = signing::V2Sign(
      key.secret_key, signing::V2StringToSign(sreq, options.method), options.method);
  params.push_back({"Signature", std::move(signature)});
  std::string form = signing::EncodeForm(params);
  if (options.post) {
    out.target = options.path;
    out.body = std::move(form);
  } else {
    out.target = options.path + "?" + form;
  }
  return out;
}

Result<std::vector<Credential>> ParseKeys(std::string_view text) {
  std::vector<Credential> keys;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    std::vector<std::string_view> fields;
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      const size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
      if (i > start) fields.push_back(line.substr(start, i - start));
    }
    if (fields.empty()) continue;
    auto app = fields.size() == 3 ? ParseUint64(fields[0]) : std::nullopt;
    if (!app) {
      return InvalidArgument("keys file line " + std::to_string(line_no) +
                             ": expected 'appId secretId secretKey'");
    }
    keys.push_back({*app, std::string(fields[1]), std::string(fields[2])});
  }
  if (keys.empty()) return InvalidArgument("keys file holds no key");
  return keys;
}

int64_t V2Code(std::string_view body) {
  // Both obvpnd (SPEC §3.3) and the baselines start the body with {"code":N; a full JSON
  // parse per response would make the client, not the server, the bottleneck.
  constexpr std::string_view kPrefix = "{\"code\":";
  size_t pos = body.find(kPrefix);
  if (pos == std::string_view::npos || pos > 8) return -1;
  pos += kPrefix.size();
  while (pos < body.size() && body[pos] == ' ') ++pos;
  int64_t code = -1;
  const char* first = body.data() + pos;
  const auto [end, ec] = std::from_chars(first, body.data() + body.size(), code);
  if (ec != std::errc() || end == first) return -1;
  return code;
}

}  // namespace obvpn::bench
