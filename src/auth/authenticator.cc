#include "auth/authenticator.h"

#include <fstream>

#include "auth/amz_time.h"
#include "auth/authorization_header.h"

namespace fdyno::auth {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// The last value of a header (DynamoDB, like most servers, uses the last).
std::optional<std::string_view> findHeader(std::span<const Header> headers, std::string_view name) {
  std::optional<std::string_view> v;
  for (const Header& h : headers)
    if (iequals(h.name, name)) v = h.value;
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

AuthFailure fail(std::string_view type, std::string message) {
  return AuthFailure{std::string(type), std::move(message)};
}

bool validRegion(std::string_view r) {
  if (r.empty()) return false;
  for (char c : r)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

}  // namespace

Result<std::unique_ptr<Authenticator>> Authenticator::create(AuthMode mode,
                                                             const std::string& credentials_file) {
  std::unordered_map<std::string, std::string> keys;
  if (credentials_file.empty()) {
    if (mode == AuthMode::kVerify)
      return Status::InvalidArgument("authentication mode 'verify' requires a credentials file");
    return fromKeys(mode, std::move(keys));
  }
  std::ifstream in(credentials_file);
  if (!in) return Status::IOError("cannot read credentials file '" + credentials_file + "'");
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string_view l = trim(line);
    if (l.empty() || l.front() == '#') continue;
    size_t colon = l.find(':');
    std::string_view id = colon == std::string_view::npos ? l : trim(l.substr(0, colon));
    std::string_view secret = colon == std::string_view::npos ? std::string_view{} : trim(l.substr(colon + 1));
    if (colon == std::string_view::npos || id.empty() || secret.empty()) {
      return Status::InvalidArgument(credentials_file + ":" + std::to_string(lineno) +
                                     ": expected ACCESS_KEY_ID:SECRET");
    }
    if (!keys.emplace(std::string(id), std::string(secret)).second) {
      return Status::InvalidArgument(credentials_file + ":" + std::to_string(lineno) +
                                     ": duplicate access key id '" + std::string(id) + "'");
    }
  }
  if (mode == AuthMode::kVerify && keys.empty())
    return Status::InvalidArgument("credentials file '" + credentials_file + "' holds no keys");
  return fromKeys(mode, std::move(keys));
}

std::unique_ptr<Authenticator> Authenticator::fromKeys(
    AuthMode mode, std::unordered_map<std::string, std::string> keys) {
  return std::unique_ptr<Authenticator>(new Authenticator(mode, std::move(keys)));
}

std::optional<AuthFailure> Authenticator::verify(const AuthRequest& req) const {
  return verify(req, std::chrono::system_clock::now());
}

std::optional<AuthFailure> Authenticator::verify(const AuthRequest& req,
                                                 std::chrono::system_clock::time_point now_tp) const {
  const bool verifying = mode_ == AuthMode::kVerify;
  std::optional<std::string_view> header = findHeader(req.headers, "authorization");
  if (!header) {
    if (!verifying) return std::nullopt;  // open mode: unsigned requests welcome
    return fail(kMissingTokenType, std::string(kMissingTokenMessage));
  }
  if (!looksLikeSigV4(*header)) return fail(kMissingTokenType, std::string(kMissingTokenMessage));

  ParsedAuthorization pa;
  if (auto f = parseAuthorization(*header, &pa)) return f;

  std::optional<std::string_view> amz_date_hdr = findHeader(req.headers, "x-amz-date");
  std::optional<std::string_view> date_hdr = amz_date_hdr ? std::nullopt : findHeader(req.headers, "date");
  {
    std::string msg;
    if (!pa.credential || pa.credential->empty()) msg += "Authorization header requires 'Credential' parameter. ";
    if (!pa.signature || pa.signature->empty()) msg += "Authorization header requires 'Signature' parameter. ";
    if (!pa.signed_headers) msg += "Authorization header requires 'SignedHeaders' parameter. ";
    if (!amz_date_hdr && !date_hdr)
      msg += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    if (!msg.empty()) {
      msg += "Authorization=";
      msg += *header;
      return fail(kIncompleteSignatureType, std::move(msg));
    }
  }

  // Request time, and its ISO-8601 basic spelling for the string to sign.
  std::string_view date_value = amz_date_hdr ? *amz_date_hdr : *date_hdr;
  std::optional<int64_t> req_time = amz_date_hdr ? parseAmzDate(date_value) : parseHttpDate(date_value);
  if (!req_time) {
    return fail(kIncompleteSignatureType, "Date must be in ISO-8601 'basic format'. Got '" +
                                              std::string(date_value) +
                                              "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  std::string amz_date = amz_date_hdr ? std::string(*amz_date_hdr) : formatAmzDate(*req_time);

  if (verifying) {
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(now_tp.time_since_epoch()).count();
    if (*req_time < now - kMaxSkewSeconds) {
      return fail(kInvalidSignatureType, "Signature expired: " + amz_date + " is now earlier than " +
                                             formatAmzDate(now - kMaxSkewSeconds) + " (" +
                                             formatAmzDate(now) + " - 15 min.)");
    }
    if (*req_time > now + kMaxSkewSeconds) {
      return fail(kInvalidSignatureType, "Signature not yet current: " + amz_date +
                                             " is still later than " + formatAmzDate(now + kMaxSkewSeconds) +
                                             " (" + formatAmzDate(now) + " + 15 min.)");
    }
  }

  std::vector<std::string_view> signed_headers = splitSignedHeaders(*pa.signed_headers);
  if (verifying) {
    bool host_signed = false;
    for (std::string_view h : signed_headers) host_signed |= iequals(h, "host");
    if (!host_signed)
      return fail(kInvalidSignatureType, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    // X-Amz-Target names the operation: left unsigned, a captured GetItem
    // could be replayed as a DeleteItem with the same valid signature. AWS's
    // SigV4 rules require every x-amz-* header sent to be signed; every AWS
    // SDK signs this one. The text follows the Host rule's.
    // TODO(verify): DynamoDB's own text for an unsigned X-Amz-Target.
    if (findHeader(req.headers, "x-amz-target")) {
      bool target_signed = false;
      for (std::string_view h : signed_headers) target_signed |= iequals(h, "x-amz-target");
      if (!target_signed)
        return fail(kInvalidSignatureType, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
    }
  }

  if (pa.algorithm != kAlgorithm) {
    return fail(kIncompleteSignatureType, "Unsupported AWS 'algorithm': '" + std::string(pa.algorithm) +
                                              "' (only AWS4-HMAC-SHA256 for now). ");
  }

  std::vector<std::string_view> cred = splitCredential(*pa.credential);
  if (cred.size() != 5) {
    std::string_view c = *pa.credential;
    while (!c.empty() && c.back() == '/') c.remove_suffix(1);
    return fail(kIncompleteSignatureType,
                "Credential must have exactly 5 slash-delimited elements, e.g. "
                "keyid/date/region/service/term, got '" + std::string(c) + "'");
  }
  if (!verifying) return std::nullopt;  // open mode: any key, any signature

  {
    std::string msg;
    if (!validRegion(cred[2]))
      msg += "Credential should be scoped to a valid region, not '" + std::string(cred[2]) + "'. ";
    if (cred[3] != "dynamodb") msg += "Credential should be scoped to correct service: 'dynamodb'. ";
    if (cred[4] != kTerminator)
      msg += "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
             std::string(cred[4]) + "'. ";
    std::string_view date8 = std::string_view(amz_date).substr(0, 8);
    if (cred[1] != date8) {
      msg += "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
             std::string(cred[1]) + "' != '" + std::string(date8) + "', from '" + amz_date + "'.";
    }
    if (!msg.empty()) {
      if (msg.back() == ' ') msg.pop_back();
      return fail(kInvalidSignatureType, std::move(msg));
    }
  }

  auto key = keys_.find(std::string(cred[0]));
  if (key == keys_.end()) return fail(kUnrecognizedClientType, std::string(kUnrecognizedClientMessage));

  // The payload hash: the client's X-Amz-Content-Sha256 if it sent one (it
  // signed with that), but then it must also match the body we received.
  std::string computed_hash;
  std::string_view body_hash = req.body_sha256_hex;
  if (body_hash.empty()) {
    computed_hash = sha256Hex(req.body);
    body_hash = computed_hash;
  }
  std::string_view payload_hash = body_hash;
  if (auto declared = findHeader(req.headers, "x-amz-content-sha256")) {
    if (!constantTimeEquals(*declared, body_hash))
      return fail(kInvalidSignatureType, std::string(kSignatureMismatchMessage));
    payload_hash = *declared;
  }

  CanonicalRequestInput cr{req.method, req.raw_path, req.raw_query, req.headers, signed_headers, payload_hash};
  std::string scope = credentialScope(cred[1], cred[2], cred[3]);
  std::string sts = stringToSign(amz_date, scope, canonicalRequest(cr));
  std::string expected = signatureHex(deriveSigningKey(key->second, cred[1], cred[2], cred[3]), sts);
  if (!constantTimeEquals(expected, *pa.signature))
    return fail(kInvalidSignatureType, std::string(kSignatureMismatchMessage));
  return std::nullopt;
}

}  // namespace fdyno::auth
