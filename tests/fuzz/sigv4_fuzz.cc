// Fuzz target: SigV4 Authorization header parsing (auth/authorization_header.h)
// and Authenticator::verify in both modes (auth/authenticator.h).
//
// Input: line 1 is the Authorization header value; the following lines up
// to an empty line are further headers "name:value" (a line without ':' is a
// header with an empty value); everything after the empty line is the body.
// verify() runs at a fixed time, 2015-08-30T12:36:00Z (the AWS SigV4 test
// suite's date), so signed seeds stay inside the 15-minute window, against
// the key AKIDEXAMPLE (the suite's secret).
// Invariants: nothing crashes; parse results are pieces of the header;
// every failure has one of DynamoDB's four __types and, for UTF-8 input, a
// UTF-8 message (it goes back in a JSON body); anything kVerify accepts,
// kOpen accepts too (open mode checks a subset).
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authenticator.h"
#include "auth/authorization_header.h"
#include "fuzz/fuzz_util.h"

using namespace fdyno;  // NOLINT: a fuzz target is one function

namespace {

bool within(std::string_view part, std::string_view whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void checkFailure(const auth::AuthFailure& f, bool utf8_input) {
  fuzz::require(f.type == auth::kMissingTokenType || f.type == auth::kIncompleteSignatureType ||
                    f.type == auth::kInvalidSignatureType || f.type == auth::kUnrecognizedClientType,
                "unknown authentication failure type", f.type);
  fuzz::require(!f.message.empty(), "authentication failure without a message", f.type);
  if (utf8_input) fuzz::requireUtf8("authentication failure message is not UTF-8", f.message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto open = auth::Authenticator::fromKeys(auth::AuthMode::kOpen, {});
  static const auto verify = auth::Authenticator::fromKeys(
      auth::AuthMode::kVerify, {{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}});
  // 2015-08-30T12:36:00Z
  static const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1440938160));

  std::string_view in(reinterpret_cast<const char*>(data), size);
  const bool utf8 = fuzz::isUtf8(in);
  size_t nl = in.find('\n');
  std::string_view authorization = in.substr(0, nl);
  std::string_view rest = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);

  std::vector<auth::Header> headers;
  headers.push_back({"Authorization", authorization});
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) headers.push_back({line, {}});
    else headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
  }
  std::string_view body = rest;

  if (auth::looksLikeSigV4(authorization)) {
    auth::ParsedAuthorization parsed;
    if (!auth::parseAuthorization(authorization, &parsed)) {
      fuzz::require(within(parsed.algorithm, authorization), "algorithm is not part of the header");
      if (parsed.credential) {
        fuzz::require(within(*parsed.credential, authorization), "credential is not part of the header");
        for (auto part : auth::splitCredential(*parsed.credential))
          fuzz::require(within(part, *parsed.credential), "credential element is not part of the credential");
      }
      if (parsed.signed_headers) {
        for (auto h : auth::splitSignedHeaders(*parsed.signed_headers))
          fuzz::require(within(h, *parsed.signed_headers), "signed header name is not part of SignedHeaders");
      }
    }
  }

  auth::AuthRequest req{"POST", "/", "", headers, body, {}};
  auto open_failure = open->verify(req, now);
  if (open_failure) checkFailure(*open_failure, utf8);
  auto verify_failure = verify->verify(req, now);
  if (verify_failure) checkFailure(*verify_failure, utf8);
  fuzz::require(verify_failure || !open_failure, "kVerify accepted a request that kOpen refuses",
                open_failure ? open_failure->message : "");

  // Without an Authorization header: kOpen lets it through, kVerify refuses.
  std::vector<auth::Header> others(headers.begin() + 1, headers.end());
  bool has_auth = false;
  for (const auto& h : others) {
    std::string lower(h.name);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    has_auth |= lower == "authorization";
  }
  if (!has_auth) {
    auth::AuthRequest bare{"POST", "/", "", others, body, {}};
    auto vf = verify->verify(bare, now);
    fuzz::require(vf.has_value(), "kVerify accepted a request without Authorization");
    checkFailure(*vf, utf8);
  }
  return 0;
}
