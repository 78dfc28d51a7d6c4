#include "auth/authorization_header.h"

#include <string>

namespace fdyno::auth {
namespace {

bool isSep(char c) { return c == ' ' || c == '\t' || c == ','; }

std::string_view trimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

}  // namespace

bool looksLikeSigV4(std::string_view header) { return trimLeft(header).starts_with("AWS4-"); }

std::optional<AuthFailure> parseAuthorization(std::string_view header, ParsedAuthorization* out) {
  *out = ParsedAuthorization{};
  std::string_view s = trimLeft(header);
  size_t i = 0;
  while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
  out->algorithm = s.substr(0, i);
  while (i < s.size()) {
    while (i < s.size() && isSep(s[i])) ++i;
    size_t start = i;
    while (i < s.size() && !isSep(s[i])) ++i;
    if (start == i) break;
    std::string_view comp = s.substr(start, i - start);
    size_t eq = comp.find('=');
    if (eq == std::string_view::npos) {
      std::string msg;
      msg += '\'';
      msg += comp;
      msg += "' not a valid key=value pair (missing equal-sign) in Authorization header: '";
      msg += header;
      msg += "'.";
      return AuthFailure{std::string(kIncompleteSignatureType), std::move(msg)};
    }
    std::string_view key = comp.substr(0, eq), value = comp.substr(eq + 1);
    if (key == "Credential") {
      out->credential = value;
    } else if (key == "SignedHeaders") {
      out->signed_headers = value;
    } else if (key == "Signature") {
      out->signature = value;
    }
    // Unknown keys are ignored, as DynamoDB does.
  }
  return std::nullopt;
}

std::vector<std::string_view> splitCredential(std::string_view credential) {
  while (!credential.empty() && credential.back() == '/') credential.remove_suffix(1);
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t slash = credential.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(credential.substr(start));
      break;
    }
    parts.push_back(credential.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

std::vector<std::string_view> splitSignedHeaders(std::string_view signed_headers) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= signed_headers.size()) {
    size_t semi = signed_headers.find(';', start);
    if (semi == std::string_view::npos) semi = signed_headers.size();
    if (semi > start) out.push_back(signed_headers.substr(start, semi - start));
    start = semi + 1;
  }
  return out;
}

}  // namespace fdyno::auth
