// HTTP body compression: request decoding (Content-Encoding) and response
// encoding negotiated from Accept-Encoding, matching DynamoDB.
//
// Contract: pure functions over caller-owned buffers; thread-safe. Output
// strings are cleared and reused, so a connection can keep one per direction
// and avoid a fresh allocation per request.
//
// DynamoDB behaviour (ScyllaDB test_compressed_request.py and
// test_compressed_response.py, run against DynamoDB):
// - Requests: "gzip" bodies are inflated; several concatenated gzip members
//   are allowed (RFC 1952). An invalid or empty gzip stream gets HTTP 500.
//   We also accept "deflate" (zlib format) and "identity". Any other
//   Content-Encoding gets HTTP 500. DynamoDB does not limit the inflated
//   size, but we do (the same 16 MB as raw bodies; HTTP 413), as Alternator
//   does: a tiny gzip bomb must not allocate gigabytes. Trailing bytes that are
//   not another gzip member are an error here (DynamoDB ignores them, which
//   ScyllaDB considers a DynamoDB bug).
// - Responses: gzip and deflate only, chosen from Accept-Encoding (see
//   chooseResponseEncoding), and only for bodies of at least 4 KB.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fdyno::http {

enum class BodyEncoding { kIdentity, kGzip, kDeflate };

enum class InflateResult {
  kOk,
  kUnsupportedEncoding,  // Content-Encoding we do not speak
  kCorrupt,              // not a valid stream of the declared encoding
  kTooLarge,             // inflated size exceeds the limit
};

// Parses a Content-Encoding header value (case-insensitive, trimmed).
// Returns false for encodings we do not support. Empty means identity.
bool parseContentEncoding(std::string_view value, BodyEncoding* out);

// Inflates `in` (encoded as `enc`, which must not be kIdentity) into `out`,
// failing with kTooLarge as soon as the output would exceed `limit` bytes.
InflateResult inflateBody(std::string_view in, BodyEncoding enc, size_t limit, std::string& out);

// Compresses `in` into `out` (gzip or zlib "deflate"). Returns false only on
// an internal zlib failure.
bool compressBody(std::string_view in, BodyEncoding enc, std::string& out);

// Picks the response encoding for an Accept-Encoding header value, the way
// DynamoDB does:
// - entries separated by ','; each "coding;param;param"; codings compare
//   case-insensitively; entries whose coding is not a valid token (e.g.
//   "\"gzip\"", "gzip br", "gzip:q=1") are ignored;
// - q is the value after the first "q=" anywhere in the entry's parameters
//   (so "gzip; q=0" is q=0, "gzip;q =0;q=1" is q=1, "gzip;nq=0;q=1" is q=0);
//   no "q=" means 1; a value Java's Double.parseDouble would refuse ("0.x",
//   "0. x") counts as 1, q > 1 as 1, q < 0 as 0; q = 0 means "not acceptable";
// - only the first Accept-Encoding header of a request is consulted (the
//   caller's business; DynamoDB ignores later ones, test_multiple_accept_encoding_headers);
// - "*" stands for gzip and deflate when they are not named explicitly;
//   "identity" is ignored;
// - the highest q wins; on a tie an explicitly named coding beats one covered
//   by "*", an earlier-named coding beats a later one, and gzip beats deflate.
BodyEncoding chooseResponseEncoding(std::string_view accept_encoding);

inline constexpr size_t kResponseCompressionThreshold = 4096;

}  // namespace fdyno::http
