// AWS Signature Version 4 (SigV4): the pure signing functions.
//
// Contract:
// - Everything here is a pure function of its arguments: no clock, no I/O, no
//   shared state. Thread-safe. The verifier (authenticator.h) and the tests
//   (which sign requests the way an SDK would) both build on these.
// - Inputs are the request exactly as it travels on the wire: the path still
//   percent-encoded, the raw query string, header values untrimmed.
// - Algorithm (docs.aws.amazon.com, "Create a signed AWS API request"):
//     CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n
//                        CanonicalHeaders \n SignedHeaders \n PayloadHash
//     StringToSign     = "AWS4-HMAC-SHA256" \n AmzDate \n Scope \n hex(SHA256(CanonicalRequest))
//     Scope            = yyyymmdd/region/service/aws4_request
//     SigningKey       = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, yyyymmdd), region), service), "aws4_request")
//     Signature        = hex(HMAC(SigningKey, StringToSign))
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fdyno::auth {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kTerminator = "aws4_request";
// Hex SHA-256 of the empty string (an empty body's payload hash).
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// One request header as received. Names compare case-insensitively; a name
// may repeat (SigV4 joins repeated values with ',').
struct Header {
  std::string_view name;
  std::string_view value;
};

using Digest = std::array<uint8_t, 32>;

Digest sha256(std::string_view data);
std::string sha256Hex(std::string_view data);
Digest hmacSha256(std::span<const uint8_t> key, std::string_view data);
std::string toHex(std::span<const uint8_t> bytes);

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters
// (A-Z a-z 0-9 - _ . ~) stay, everything else becomes %XX (upper-case hex).
// With keep_slash, '/' also stays (for paths).
void uriEncode(std::string_view in, bool keep_slash, std::string& out);

// The canonical URI of a path as received on the wire. Non-S3 services encode
// the (already percent-encoded) path once more, which is what botocore and the
// other SDKs compute, so "%20" becomes "%2520". An empty path is "/".
std::string canonicalUri(std::string_view raw_path);

// The canonical query string: parameters decoded, re-encoded strictly, sorted
// by name then value, joined with '&'. A parameter without '=' gets an empty
// value ("a" -> "a=").
std::string canonicalQuery(std::string_view raw_query);

// Header value normalisation: trim, and collapse runs of spaces into one.
void appendTrimmedCollapsed(std::string_view value, std::string& out);

struct CanonicalRequestInput {
  std::string_view method;
  std::string_view raw_path;
  std::string_view raw_query;
  std::span<const Header> headers;
  // Lower-case header names, in the order given by SignedHeaders (sorted
  // by a well-behaved signer).
  std::span<const std::string_view> signed_headers;
  std::string_view payload_hash_hex;
};

std::string canonicalRequest(const CanonicalRequestInput& in);

std::string credentialScope(std::string_view date8, std::string_view region, std::string_view service);

std::string stringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);

Digest deriveSigningKey(std::string_view secret, std::string_view date8, std::string_view region,
                        std::string_view service);

// hex(HMAC(signing_key, string_to_sign)).
std::string signatureHex(const Digest& signing_key, std::string_view string_to_sign);

// Signs a request the way an SDK does and returns the Authorization header
// value. The caller must already have put the x-amz-date (and host) headers
// in `headers`; `signed_headers` lists lower-case names, sorted.
struct SignInput {
  std::string_view access_key;
  std::string_view secret_key;
  std::string_view region;
  std::string_view service;
  std::string_view amz_date;  // "YYYYMMDDTHHMMSSZ"
  CanonicalRequestInput request;
};
std::string authorizationHeader(const SignInput& in);

// Constant-time comparison (the time taken does not depend on where the
// inputs first differ), so the signature cannot be guessed byte by byte.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace fdyno::auth
