// Parsing of the SigV4 Authorization header:
//   AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/dynamodb/aws4_request,
//     SignedHeaders=host;x-amz-date, Signature=<64 hex>
//
// Contract: pure functions over string_views into the caller's header value
// (the results point into it; keep it alive). Thread-safe.
// Components may be separated by commas, spaces or both (boto uses ", ";
// some clients use "," only: ScyllaDB issue #9568).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "auth/authenticator.h"

namespace fdyno::auth {

struct ParsedAuthorization {
  std::string_view algorithm;
  std::optional<std::string_view> credential;
  std::optional<std::string_view> signed_headers;
  std::optional<std::string_view> signature;
};

// True when the header is present and starts with "AWS4-" (after leading
// whitespace); otherwise DynamoDB answers MissingAuthenticationTokenException.
bool looksLikeSigV4(std::string_view header);

// Splits the header into its components. Fails (IncompleteSignatureException)
// only when a component is not a key=value pair.
std::optional<AuthFailure> parseAuthorization(std::string_view header, ParsedAuthorization* out);

// "AKID/20150830/us-east-1/dynamodb/aws4_request" split on '/', trailing
// slashes ignored (as DynamoDB does).
std::vector<std::string_view> splitCredential(std::string_view credential);

// "host;x-amz-date" split on ';'.
std::vector<std::string_view> splitSignedHeaders(std::string_view signed_headers);

}  // namespace fdyno::auth
