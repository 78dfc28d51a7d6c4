#include "auth/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <utility>

namespace fdyno::auth {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";

bool isUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Query-string decoding: %XX sequences; a malformed '%' stays literal. '+'
// is NOT a space in SigV4 (SDKs encode spaces as %20).
std::string percentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      int hi = hexValue(in[i + 1]), lo = hexValue(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

}  // namespace

Digest sha256(std::string_view data) {
  Digest d{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), d.data(), &len, EVP_sha256(), nullptr);
  return d;
}

std::string sha256Hex(std::string_view data) { return toHex(sha256(data)); }

Digest hmacSha256(std::span<const uint8_t> key, std::string_view data) {
  Digest d{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), d.data(), &len);
  return d;
}

std::string toHex(std::span<const uint8_t> bytes) {
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xF];
  }
  return out;
}

void uriEncode(std::string_view in, bool keep_slash, std::string& out) {
  for (unsigned char c : in) {
    if (isUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 0xF]);
    }
  }
}

std::string canonicalUri(std::string_view raw_path) {
  if (raw_path.empty()) return "/";
  std::string out;
  out.reserve(raw_path.size() + 8);
  uriEncode(raw_path, /*keep_slash=*/true, out);
  return out;
}

std::string canonicalQuery(std::string_view raw_query) {
  if (raw_query.empty()) return {};
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start <= raw_query.size()) {
    size_t amp = raw_query.find('&', start);
    if (amp == std::string_view::npos) amp = raw_query.size();
    std::string_view part = raw_query.substr(start, amp - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string_view k = part.substr(0, eq);
      std::string_view v = eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1);
      std::string ek, ev;
      uriEncode(percentDecode(k), false, ek);
      uriEncode(percentDecode(v), false, ev);
      params.emplace_back(std::move(ek), std::move(ev));
    }
    start = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (size_t i = 0; i < params.size(); ++i) {
    if (i) out.push_back('&');
    out += params[i].first;
    out.push_back('=');
    out += params[i].second;
  }
  return out;
}

void appendTrimmedCollapsed(std::string_view value, std::string& out) {
  size_t b = 0, e = value.size();
  while (b < e && (value[b] == ' ' || value[b] == '\t')) ++b;
  while (e > b && (value[e - 1] == ' ' || value[e - 1] == '\t')) --e;
  bool in_space = false;
  for (size_t i = b; i < e; ++i) {
    char c = value[i];
    if (c == ' ' || c == '\t') {
      if (!in_space) out.push_back(' ');
      in_space = true;
    } else {
      out.push_back(c);
      in_space = false;
    }
  }
}

std::string canonicalRequest(const CanonicalRequestInput& in) {
  std::string out;
  out.reserve(256 + in.headers.size() * 48);
  out += in.method;
  out.push_back('\n');
  out += canonicalUri(in.raw_path);
  out.push_back('\n');
  out += canonicalQuery(in.raw_query);
  out.push_back('\n');
  for (std::string_view name : in.signed_headers) {
    out += name;
    out.push_back(':');
    bool first = true;
    for (const Header& h : in.headers) {
      if (!iequals(h.name, name)) continue;
      if (!first) out.push_back(',');
      appendTrimmedCollapsed(h.value, out);
      first = false;
    }
    out.push_back('\n');
  }
  out.push_back('\n');
  for (size_t i = 0; i < in.signed_headers.size(); ++i) {
    if (i) out.push_back(';');
    out += in.signed_headers[i];
  }
  out.push_back('\n');
  out += in.payload_hash_hex;
  return out;
}

std::string credentialScope(std::string_view date8, std::string_view region, std::string_view service) {
  std::string s;
  s.reserve(date8.size() + region.size() + service.size() + kTerminator.size() + 3);
  s += date8;
  s += '/';
  s += region;
  s += '/';
  s += service;
  s += '/';
  s += kTerminator;
  return s;
}

std::string stringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string s;
  s.reserve(kAlgorithm.size() + amz_date.size() + scope.size() + 64 + 3);
  s += kAlgorithm;
  s += '\n';
  s += amz_date;
  s += '\n';
  s += scope;
  s += '\n';
  s += sha256Hex(canonical_request);
  return s;
}

Digest deriveSigningKey(std::string_view secret, std::string_view date8, std::string_view region,
                        std::string_view service) {
  std::string k0;
  k0.reserve(4 + secret.size());
  k0 += "AWS4";
  k0 += secret;
  auto as_span = [](const std::string& s) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  Digest k_date = hmacSha256(as_span(k0), date8);
  OPENSSL_cleanse(k0.data(), k0.size());
  Digest k_region = hmacSha256(k_date, region);
  Digest k_service = hmacSha256(k_region, service);
  return hmacSha256(k_service, kTerminator);
}

std::string signatureHex(const Digest& signing_key, std::string_view string_to_sign) {
  return toHex(hmacSha256(signing_key, string_to_sign));
}

std::string authorizationHeader(const SignInput& in) {
  std::string_view date8 = in.amz_date.substr(0, 8);
  std::string scope = credentialScope(date8, in.region, in.service);
  std::string sts = stringToSign(in.amz_date, scope, canonicalRequest(in.request));
  std::string sig = signatureHex(deriveSigningKey(in.secret_key, date8, in.region, in.service), sts);
  std::string out;
  out += kAlgorithm;
  out += " Credential=";
  out += in.access_key;
  out += '/';
  out += scope;
  out += ", SignedHeaders=";
  for (size_t i = 0; i < in.request.signed_headers.size(); ++i) {
    if (i) out.push_back(';');
    out += in.request.signed_headers[i];
  }
  out += ", Signature=";
  out += sig;
  return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace fdyno::auth
