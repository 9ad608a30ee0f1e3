#include "cli/call.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "crypto/crypto.h"
#include "http/signing/tc3_signature.h"
#include "http/signing/v2_signature.h"

namespace obvpn::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Tcp = asio::ip::tcp;
constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

std::string Where(const Endpoint& ep) { return ep.host_header; }

Status StepFailed(const Endpoint& ep, std::string_view step, const boost::system::error_code& ec) {
  // beast::error::timeout is what tcp_stream reports when the deadline passes.
  if (ec == beast::error::timeout) {
    return Unavailable(std::string(step) + " " + Where(ep) + " timed out");
  }
  return Unavailable(std::string(step) + " " + Where(ep) + " failed: " + ec.message());
}

// Writes the request and reads one reply on an open (plain or TLS) stream.
template <typename Stream>
asio::awaitable<Result<HttpReply>> WriteAndRead(Stream& stream, const Endpoint& ep,
                                                const HttpRequest& request,
                                                const TransportOptions& options) {
  bhttp::request<bhttp::string_body> req{
      request.method == "GET" ? bhttp::verb::get : bhttp::verb::post, request.target, 11};
  // SPEC §3.2: the signature covers the Host header value, so it is sent byte for byte
  // as it was signed.
  req.set(bhttp::field::host, request.host_header);
  req.set(bhttp::field::user_agent, "obvpnctl");
  req.set(bhttp::field::accept, "application/json");
  req.set(bhttp::field::connection, "close");
  if (!request.content_type.empty()) req.set(bhttp::field::content_type, request.content_type);
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.body() = request.body;
  req.prepare_payload();
  auto [wec, written] = co_await bhttp::async_write(stream, req, kAsTuple);
  (void)written;
  if (wec) co_return StepFailed(ep, "sending the request to", wec);

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(options.max_reply_bytes);
  auto [rec, read] = co_await bhttp::async_read(stream, buffer, parser, kAsTuple);
  (void)read;
  if (rec) co_return StepFailed(ep, "reading the reply from", rec);
  HttpReply reply;
  reply.status = parser.get().result_int();
  reply.body = std::move(parser.get().body());
  co_return reply;
}

asio::awaitable<Result<HttpReply>> DoExchange(const Endpoint& ep, const HttpRequest& request,
                                              const TransportOptions& options,
                                              asio::ssl::context* tls) {
  auto executor = co_await asio::this_coro::executor;
  Tcp::resolver resolver(executor);
  auto [rec, results] = co_await resolver.async_resolve(ep.host, std::to_string(ep.port), kAsTuple);
  if (rec) co_return StepFailed(ep, "resolving", rec);

  if (tls == nullptr) {
    beast::tcp_stream stream(executor);
    // One deadline for connect, write and read together.
    stream.expires_after(options.timeout);
    auto [cec, connected] = co_await stream.async_connect(results, kAsTuple);
    (void)connected;
    if (cec) co_return StepFailed(ep, "connecting to", cec);
    Result<HttpReply> reply = co_await WriteAndRead(stream, ep, request, options);
    boost::system::error_code ignored;
    stream.socket().shutdown(Tcp::socket::shutdown_both, ignored);
    co_return reply;
  }

  beast::ssl_stream<beast::tcp_stream> stream(executor, *tls);
  SSL* ssl = stream.native_handle();
  if (!ep.host_is_ip) {
    // RFC 6066 §3: SNI carries DNS host names only, never address literals.
    if (SSL_set_tlsext_host_name(ssl, ep.host.c_str()) != 1) {
      co_return Unavailable("cannot set the TLS server name for " + Where(ep));
    }
  }
  if (!options.insecure) {
    // RFC 6125 / RFC 2818 §3.1: the certificate must name the host we asked for (an IP
    // address literal is matched against the iPAddress subjectAltName).
    const int set = ep.host_is_ip
                        ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), ep.host.c_str())
                        : SSL_set1_host(ssl, ep.host.c_str());
    if (set != 1) co_return Unavailable("cannot set certificate verification for " + Where(ep));
    stream.set_verify_mode(asio::ssl::verify_peer);
  } else {
    stream.set_verify_mode(asio::ssl::verify_none);
  }
  beast::get_lowest_layer(stream).expires_after(options.timeout);
  auto [cec, connected] = co_await beast::get_lowest_layer(stream).async_connect(results, kAsTuple);
  (void)connected;
  if (cec) co_return StepFailed(ep, "connecting to", cec);
  auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kAsTuple);
  if (hec) {
    // Name the certificate problem ("hostname mismatch", "self-signed certificate"...)
    // rather than OpenSSL's generic "certificate verify failed".
    const long verify = SSL_get_verify_result(ssl);
    if (!options.insecure && verify != X509_V_OK) {
      co_return Unavailable("the TLS handshake with " + Where(ep) +
                            " failed: the server certificate is not trusted: " +
                            X509_verify_cert_error_string(verify) +
                            " (use --ca-file, or --insecure for testing)");
    }
    co_return StepFailed(ep, "the TLS handshake with", hec);
  }
  Result<HttpReply> reply = co_await WriteAndRead(stream, ep, request, options);
  // A missing close_notify from the server is common and harmless here: the reply was
  // framed by Content-Length or chunking, not by the end of the stream.
  auto [sec] = co_await stream.async_shutdown(kAsTuple);
  (void)sec;
  co_return reply;
}

}  // namespace

Result<SignMethod> ParseSignMethod(std::string_view s) {
  if (s == "HmacSHA1") return SignMethod::kHmacSha1;
  if (s == "HmacSHA256") return SignMethod::kHmacSha256;
  if (s == "TC3-HMAC-SHA256") return SignMethod::kTc3HmacSha256;
  return InvalidArgument("--sign must be HmacSHA1, HmacSHA256 or TC3-HMAC-SHA256");
}

Result<Credentials> CredentialsFromEnvironment() {
  Credentials c;
  const char* id = std::getenv(kSecretIdEnv);
  if (id == nullptr || *id == '\0') {
    return InvalidArgument(std::string(kSecretIdEnv) + " is not set");
  }
  const char* key = std::getenv(kSecretKeyEnv);
  if (key == nullptr || *key == '\0') {
    return InvalidArgument(std::string(kSecretKeyEnv) + " is not set");
  }
  c.secret_id = id;
  c.secret_key = crypto::Secret(key);
  if (const char* token = std::getenv(kSessionTokenEnv); token != nullptr && *token != '\0') {
    c.token = crypto::Secret(token);
  }
  return c;
}

Result<HttpRequest> BuildV2Request(const CallRequest& request, const Credentials& credentials) {
  using http::signing::Param;
  using http::signing::Params;
  using http::signing::V2Method;
  V2Method method;
  switch (request.sign) {
    case SignMethod::kHmacSha1:
      method = V2Method::kHmacSha1;
      break;
    case SignMethod::kHmacSha256:
      method = V2Method::kHmacSha256;
      break;
    default:
      return InvalidArgument(
          "--sign TC3-HMAC-SHA256 needs --api 3; API 2.0 signs with "
          "HmacSHA1 or HmacSHA256");
  }
  if (request.http_method != "GET" && request.http_method != "POST") {
    return InvalidArgument("--method must be GET or POST");
  }
  // SPEC §3.1 common parameters. SignatureMethod is sent only for HmacSHA256: absent
  // means HmacSHA1, the legacy default every 2.0 SDK relies on.
  Params params = {
      {"Action", request.action},
      {"Region", request.region},
      {"Timestamp", std::to_string(request.timestamp)},
      {"Nonce", std::to_string(request.nonce)},
      {"SecretId", credentials.secret_id},
  };
  if (method == V2Method::kHmacSha256) params.push_back({"SignatureMethod", "HmacSHA256"});
  if (!credentials.token.empty()) {
    params.push_back({"Token", std::string(credentials.token.reveal())});
  }
  for (const Param& p : request.params) {
    if (p.key == "Signature") {
      return InvalidArgument("parameter 'Signature' is computed by obvpnctl; do not pass it");
    }
    bool replaced = false;
    for (Param& common : params) {
      if (common.key == p.key) {
        common.value = p.value;
        replaced = true;
      }
    }
    if (!replaced) params.push_back(p);
  }

  const std::string path =
      request.endpoint.path.empty() ? std::string(kV2Path) : request.endpoint.path;
  http::signing::V2Request to_sign;
  to_sign.http_method = request.http_method;
  to_sign.host = request.endpoint.host_header;
  to_sign.path = path;
  to_sign.params = &params;
  to_sign.rewrite_underscores = true;
  const std::string signature = http::signing::V2Sign(
      credentials.secret_key.reveal(), http::signing::V2StringToSign(to_sign, method), method);
  params.push_back({"Signature", signature});

  HttpRequest out;
  out.method = request.http_method;
  out.host_header = request.endpoint.host_header;
  const std::string form = http::signing::EncodeForm(params);
  if (out.method == "GET") {
    out.target = path + "?" + form;
  } else {
    out.target = path;
    out.content_type = "application/x-www-form-urlencoded";
    out.body = form;
  }
  return out;
}

std::string_view DefaultSignMethod(ApiVersion api) {
  return api == ApiVersion::kV3 ? "TC3-HMAC-SHA256" : "HmacSHA1";
}

std::string_view DefaultRegion(ApiVersion api) {
  return api == ApiVersion::kV3 ? "ap-guangzhou" : "gz";
}

namespace {

// API 3.0 TC3-HMAC-SHA256 (SPEC §4; PROTOCOL.md "TC3-HMAC-SHA256, step by step").
HttpRequest BuildTc3Request(const CallRequest& request, const Credentials& credentials) {
  using http::signing::Param;
  HttpRequest out;
  out.method = request.http_method;
  out.host_header = request.endpoint.host_header;
  std::string query;
  if (out.method == "GET") {
    // A TC3 GET carries the action parameters in the query and signs it as sent; the
    // Node.js SDK labels it application/x-www-form-urlencoded.
    query = http::signing::EncodeForm(request.params);
    out.content_type = "application/x-www-form-urlencoded";
    out.target = query.empty() ? "/" : "/?" + query;
  } else {
    nlohmann::ordered_json body = nlohmann::ordered_json::object();
    for (const Param& p : request.params) body[p.key] = p.value;
    out.content_type = "application/json";
    out.body = body.dump();
    out.target = "/";
  }
  const std::string timestamp = std::to_string(request.timestamp);
  const std::string date = http::signing::Tc3Date(request.timestamp);
  http::signing::Tc3Request to_sign;
  to_sign.http_method = out.method;
  to_sign.canonical_query = query;
  to_sign.headers = {{"content-type", out.content_type}, {"host", out.host_header}};
  to_sign.payload = out.body;
  const std::string signature = http::signing::Tc3Sign(
      credentials.secret_key.reveal(), date, kV3Service,
      http::signing::Tc3StringToSign(timestamp, http::signing::Tc3CredentialScope(date, kV3Service),
                                     http::signing::Tc3CanonicalRequest(to_sign)));
  out.headers = {
      {"X-TC-Action", request.action},
      {"X-TC-Version", std::string(kV3Version)},
      {"X-TC-Timestamp", timestamp},
      {"X-TC-Region", request.region},
  };
  if (!credentials.token.empty()) {
    out.headers.emplace_back("X-TC-Token", std::string(credentials.token.reveal()));
  }
  out.headers.emplace_back(
      "Authorization",
      http::signing::FormatTc3Authorization(credentials.secret_id, date, kV3Service,
                                            http::signing::Tc3SignedHeaders(to_sign), signature));
  return out;
}

// API 3.0 "v1" HmacSHA1/HmacSHA256 (SPEC §4): the 2.0 algorithm with path "/" and no
// underscore rewriting.
HttpRequest BuildV1Request(const CallRequest& request, const Credentials& credentials,
                           http::signing::V2Method method) {
  using http::signing::Param;
  using http::signing::Params;
  Params params = {
      {"Action", request.action},
      {"Version", std::string(kV3Version)},
      {"Region", request.region},
      {"Timestamp", std::to_string(request.timestamp)},
      {"Nonce", std::to_string(request.nonce)},
      {"SecretId", credentials.secret_id},
      {"SignatureMethod",
       method == http::signing::V2Method::kHmacSha256 ? "HmacSHA256" : "HmacSHA1"},
  };
  if (!credentials.token.empty()) {
    params.push_back({"Token", std::string(credentials.token.reveal())});
  }
  for (const Param& p : request.params) {
    bool replaced = false;
    for (Param& common : params) {
      if (common.key == p.key) {
        common.value = p.value;
        replaced = true;
      }
    }
    if (!replaced) params.push_back(p);
  }
  http::signing::V2Request to_sign;
  to_sign.http_method = request.http_method;
  to_sign.host = request.endpoint.host_header;
  to_sign.path = "/";
  to_sign.params = &params;
  to_sign.rewrite_underscores = false;
  params.push_back(
      {"Signature", http::signing::V2Sign(credentials.secret_key.reveal(),
                                          http::signing::V2StringToSign(to_sign, method), method)});
  HttpRequest out;
  out.method = request.http_method;
  out.host_header = request.endpoint.host_header;
  const std::string form = http::signing::EncodeForm(params);
  if (out.method == "GET") {
    out.target = "/?" + form;
  } else {
    out.target = "/";
    out.content_type = "application/x-www-form-urlencoded";
    out.body = form;
  }
  return out;
}

}  // namespace

Result<HttpRequest> BuildV3Request(const CallRequest& request, const Credentials& credentials) {
  if (request.http_method != "GET" && request.http_method != "POST") {
    return InvalidArgument("--method must be GET or POST");
  }
  if (!request.endpoint.path.empty()) {
    return InvalidArgument("API 3.0 is served at the path /; remove '" + request.endpoint.path +
                           "' from --endpoint");
  }
  for (const auto& p : request.params) {
    if (p.key == "Signature") {
      return InvalidArgument("parameter 'Signature' is computed by obvpnctl; do not pass it");
    }
  }
  switch (request.sign) {
    case SignMethod::kTc3HmacSha256:
      return BuildTc3Request(request, credentials);
    case SignMethod::kHmacSha1:
      return BuildV1Request(request, credentials, http::signing::V2Method::kHmacSha1);
    case SignMethod::kHmacSha256:
      return BuildV1Request(request, credentials, http::signing::V2Method::kHmacSha256);
  }
  return InvalidArgument("unknown signature method");
}

Result<HttpRequest> BuildRequest(ApiVersion api, const CallRequest& request,
                                 const Credentials& credentials) {
  switch (api) {
    case ApiVersion::kV2:
      return BuildV2Request(request, credentials);
    case ApiVersion::kV3:
      return BuildV3Request(request, credentials);
  }
  return InvalidArgument("unknown API version");
}

Result<HttpReply> Exchange(const Endpoint& endpoint, const HttpRequest& request,
                           const TransportOptions& options) {
  std::unique_ptr<asio::ssl::context> tls;
  if (endpoint.tls) {
    tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
    if (!options.insecure) {
      boost::system::error_code ec;
      if (!options.ca_file.empty()) {
        tls->load_verify_file(options.ca_file, ec);
        if (ec) return InvalidArgument("--ca-file '" + options.ca_file + "': " + ec.message());
      } else {
        tls->set_default_verify_paths(ec);
        if (ec) return Unavailable("cannot load the system CA store: " + ec.message());
      }
    }
  }
  asio::io_context io;
  Result<HttpReply> result = Internal("the exchange did not complete");
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        result = co_await DoExchange(endpoint, request, options, tls.get());
      },
      asio::detached);
  try {
    io.run();
  } catch (const std::exception& e) {
    // Asio reports allocation failures and the like by exception; this is the edge.
    return Internal(std::string("HTTP client failure: ") + e.what());
  }
  return result;
}

ReplyKind ClassifyReply(std::string_view body) {
  const nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return ReplyKind::kNotJson;
  // API 3.0 (SPEC §4): {"Response": {"Error": {...}?, "RequestId": ...}}.
  if (const auto r = j.find("Response"); r != j.end() && r->is_object()) {
    return r->contains("Error") ? ReplyKind::kApiError : ReplyKind::kSuccess;
  }
  // API 2.0 (SPEC §3.3): {"code": <int>, ...}.
  if (const auto c = j.find("code"); c != j.end() && c->is_number_integer()) {
    return c->get<int64_t>() == 0 ? ReplyKind::kSuccess : ReplyKind::kApiError;
  }
  return ReplyKind::kNotJson;
}

}  // namespace obvpn::cli
