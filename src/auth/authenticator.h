// Authenticator: checks a request's SigV4 Authorization header the way
// DynamoDB does, with DynamoDB's error types and message texts.
//
// Contract:
// - Created once from a credentials file ("ACCESS_KEY_ID:SECRET" per line;
//   blank lines and lines starting with '#' ignored) and immutable afterwards:
//   verify() is const and safe to call from many threads at once.
// - verify() returns std::nullopt when the request may proceed, or an
//   AuthFailure carrying the full DynamoDB __type and message; the HTTP layer
//   turns it into an api::ApiError (all authentication errors are HTTP 400 in
//   DynamoDB). The auth layer itself knows nothing of HTTP or the api layer.
// - Modes:
//   kVerify: every check below, including the access key lookup and the
//            signature (constant-time compare) and the +/-15 minute skew.
//   kOpen:   like DynamoDB Local: any access key and any signature. A request
//            without an Authorization header is accepted (so curl and health
//            probes work); one that has the header must still parse
//            (algorithm, Credential/SignedHeaders/Signature, date format).
// - Check order (DynamoDB's, as recorded by dynalite against the real service):
//   missing/non-"AWS4-" header -> MissingAuthenticationTokenException;
//   malformed key=value pairs, missing parameters or date ->
//   IncompleteSignatureException; date format -> IncompleteSignatureException;
//   expiry/future -> InvalidSignatureException; Host not signed, or an
//   X-Amz-Target header present but not signed (kVerify only: the operation
//   must be covered by the signature) -> InvalidSignatureException;
//   algorithm, Credential element count ->
//   IncompleteSignatureException; Credential scope -> InvalidSignatureException;
//   unknown key -> UnrecognizedClientException; signature -> InvalidSignatureException.
// - X-Amz-Security-Token (temporary credentials) is ignored: keys come only
//   from the credentials file.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/sigv4.h"
#include "common/status.h"

namespace fdyno::auth {

enum class AuthMode { kOpen, kVerify };

// Everything of a request that the signature covers, as received.
struct AuthRequest {
  std::string_view method;     // "POST"
  std::string_view raw_path;   // percent-encoded, without '?', e.g. "/"
  std::string_view raw_query;  // without '?', may be empty
  std::span<const Header> headers;
  // The body exactly as received (still compressed if Content-Encoding says
  // so: the signature covers the bytes on the wire).
  std::string_view body;
  // Optional precomputed hex SHA-256 of `body`; when empty it is computed.
  std::string_view body_sha256_hex;
};

struct AuthFailure {
  std::string type;  // full __type, e.g. "com.amazon.coral.service#InvalidSignatureException"
  std::string message;
};

inline constexpr std::string_view kMissingTokenType =
    "com.amazon.coral.service#MissingAuthenticationTokenException";
inline constexpr std::string_view kIncompleteSignatureType =
    "com.amazon.coral.service#IncompleteSignatureException";
inline constexpr std::string_view kInvalidSignatureType =
    "com.amazon.coral.service#InvalidSignatureException";
inline constexpr std::string_view kUnrecognizedClientType =
    "com.amazon.coral.service#UnrecognizedClientException";

inline constexpr std::string_view kMissingTokenMessage = "Request is missing Authentication Token";
inline constexpr std::string_view kUnrecognizedClientMessage =
    "The security token included in the request is invalid.";
inline constexpr std::string_view kSignatureMismatchMessage =
    "The request signature we calculated does not match the signature you provided. Check your AWS "
    "Secret Access Key and signing method. Consult the service documentation for details.";

// Allowed clock skew between the request's date and ours.
inline constexpr int64_t kMaxSkewSeconds = 15 * 60;

class Authenticator {
 public:
  // Loads the credentials file. kVerify requires a non-empty file name and at
  // least one key; kOpen accepts an empty name. Errors: kIOError (unreadable
  // file), kInvalidArgument (malformed line, with its number, or no keys).
  static Result<std::unique_ptr<Authenticator>> create(AuthMode mode,
                                                       const std::string& credentials_file);
  // For tests and embedding: access key id -> secret.
  static std::unique_ptr<Authenticator> fromKeys(AuthMode mode,
                                                 std::unordered_map<std::string, std::string> keys);

  AuthMode mode() const { return mode_; }
  size_t keyCount() const { return keys_.size(); }

  std::optional<AuthFailure> verify(const AuthRequest& req) const;
  // Same, with an explicit "now" (tests).
  std::optional<AuthFailure> verify(const AuthRequest& req,
                                    std::chrono::system_clock::time_point now) const;

 private:
  Authenticator(AuthMode mode, std::unordered_map<std::string, std::string> keys)
      : mode_(mode), keys_(std::move(keys)) {}

  AuthMode mode_;
  std::unordered_map<std::string, std::string> keys_;
};

}  // namespace fdyno::auth
