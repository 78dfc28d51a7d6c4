// Authenticator: DynamoDB's checks, error types and exact messages.
#include "auth/authenticator.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "auth/amz_time.h"

namespace fdyno::auth {
namespace {

constexpr std::string_view kKey = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr int64_t kNow = 1440938160;  // 20150830T123600Z

std::chrono::system_clock::time_point at(int64_t secs) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(secs));
}

// A DynamoDB PutItem request as boto3 would send it, signed by our signer.
struct SignedRequest {
  std::string body = R"({"TableName":"t","Item":{"p":{"S":"x"}}})";
  std::string amz_date = "20150830T123600Z";
  std::string target = "DynamoDB_20120810.PutItem";
  std::string authorization;
  std::vector<Header> headers;

  void sign(std::string_view secret = kSecret, std::string_view key = kKey,
            std::string_view region = "us-east-1") {
    headers = {{"Host", "localhost:8000"},
               {"Content-Type", "application/x-amz-json-1.0"},
               {"X-Amz-Date", amz_date},
               {"X-Amz-Target", target}};
    std::vector<std::string_view> sh{"content-type", "host", "x-amz-date", "x-amz-target"};
    std::string hash = sha256Hex(body);
    SignInput in{key, secret, region, "dynamodb", amz_date, {"POST", "/", "", headers, sh, hash}};
    authorization = authorizationHeader(in);
    headers.push_back({"Authorization", authorization});
  }
  AuthRequest request() const { return AuthRequest{"POST", "/", "", headers, body, {}}; }
};

std::unique_ptr<Authenticator> verifier() {
  return Authenticator::fromKeys(AuthMode::kVerify, {{std::string(kKey), std::string(kSecret)}});
}

void expectFailure(const std::optional<AuthFailure>& f, std::string_view type, std::string_view msg) {
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->type, type);
  EXPECT_EQ(f->message, msg);
}

TEST(AuthenticatorTest, ValidSignatureAccepted) {
  SignedRequest r;
  r.sign();
  EXPECT_FALSE(verifier()->verify(r.request(), at(kNow)).has_value());
  // Within the 15 minute window on either side.
  EXPECT_FALSE(verifier()->verify(r.request(), at(kNow + 14 * 60)).has_value());
  EXPECT_FALSE(verifier()->verify(r.request(), at(kNow - 14 * 60)).has_value());
}

TEST(AuthenticatorTest, CommaOnlySeparatorsAccepted) {
  SignedRequest r;
  r.sign();
  std::string compact = r.authorization;
  for (size_t p; (p = compact.find(", ")) != std::string::npos;) compact.erase(p + 1, 1);
  r.headers.back().value = compact;
  EXPECT_FALSE(verifier()->verify(r.request(), at(kNow)).has_value());
}

TEST(AuthenticatorTest, TamperedBodyRejected) {
  SignedRequest r;
  r.sign();
  r.body[r.body.size() - 3] = 'y';
  expectFailure(verifier()->verify(r.request(), at(kNow)), kInvalidSignatureType, kSignatureMismatchMessage);
}

TEST(AuthenticatorTest, TamperedHeaderRejected) {
  SignedRequest r;
  r.sign();
  r.headers[3].value = "DynamoDB_20120810.DeleteItem";
  expectFailure(verifier()->verify(r.request(), at(kNow)), kInvalidSignatureType, kSignatureMismatchMessage);
}

TEST(AuthenticatorTest, TamperedDateRejected) {
  SignedRequest r;
  r.sign();
  r.headers[2].value = "20150830T123601Z";
  expectFailure(verifier()->verify(r.request(), at(kNow)), kInvalidSignatureType, kSignatureMismatchMessage);
}

TEST(AuthenticatorTest, WrongSecretRejected) {
  SignedRequest r;
  r.sign("not-the-secret");
  expectFailure(verifier()->verify(r.request(), at(kNow)), kInvalidSignatureType, kSignatureMismatchMessage);
}

TEST(AuthenticatorTest, ContentSha256HeaderMustMatchBody) {
  SignedRequest r;
  r.sign();
  std::string good = sha256Hex(r.body);
  r.headers.push_back({"X-Amz-Content-Sha256", good});
  EXPECT_FALSE(verifier()->verify(r.request(), at(kNow)).has_value());
  r.headers.back().value = sha256Hex("other");
  expectFailure(verifier()->verify(r.request(), at(kNow)), kInvalidSignatureType, kSignatureMismatchMessage);
}

TEST(AuthenticatorTest, PrecomputedBodyHashUsed) {
  SignedRequest r;
  r.sign();
  std::string hash = sha256Hex(r.body);
  AuthRequest req = r.request();
  req.body_sha256_hex = hash;
  req.body = "ignored when the hash is given";
  EXPECT_FALSE(verifier()->verify(req, at(kNow)).has_value());
}

TEST(AuthenticatorTest, UnknownKeyIsUnrecognizedClient) {
  SignedRequest r;
  r.sign(kSecret, "wrong_id");
  expectFailure(verifier()->verify(r.request(), at(kNow)), kUnrecognizedClientType,
                "The security token included in the request is invalid.");
}

TEST(AuthenticatorTest, MissingHeader) {
  SignedRequest r;
  r.sign();
  r.headers.pop_back();
  expectFailure(verifier()->verify(r.request(), at(kNow)), kMissingTokenType,
                "Request is missing Authentication Token");
  r.headers.push_back({"Authorization", "AWS4"});
  expectFailure(verifier()->verify(r.request(), at(kNow)), kMissingTokenType,
                "Request is missing Authentication Token");
}

TEST(AuthenticatorTest, IncompleteHeader) {
  std::vector<Header> h{{"Authorization", "AWS4-"}};
  expectFailure(verifier()->verify(AuthRequest{"POST", "/", "", h, "", {}}, at(kNow)), kIncompleteSignatureType,
                "Authorization header requires 'Credential' parameter. "
                "Authorization header requires 'Signature' parameter. "
                "Authorization header requires 'SignedHeaders' parameter. "
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                "Authorization=AWS4-");
  std::vector<Header> h2{{"Authorization", "AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders"}};
  expectFailure(verifier()->verify(AuthRequest{"POST", "/", "", h2, "", {}}, at(kNow)), kIncompleteSignatureType,
                "'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: "
                "'AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders'.");
}

TEST(AuthenticatorTest, BadDateFormat) {
  std::vector<Header> h{{"Authorization", "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=1"},
                        {"X-Amz-Date", "201"}};
  expectFailure(verifier()->verify(AuthRequest{"POST", "/", "", h, "", {}}, at(kNow)), kIncompleteSignatureType,
                "Date must be in ISO-8601 'basic format'. Got '201'. See http://en.wikipedia.org/wiki/ISO_8601");
}

TEST(AuthenticatorTest, ExpiredAndFutureSignatures) {
  // Same shape as ScyllaDB's test_expired_signature: checked before anything
  // else about the credential.
  std::vector<Header> h{
      {"Authorization", "AWS4-HMAC-SHA256 Credential=alternator/2/3/4/aws4_request SignedHeaders=x-amz-date;host Signature=123"},
      {"X-Amz-Date", "20130301T000000Z"}};
  expectFailure(verifier()->verify(AuthRequest{"POST", "/", "", h, "", {}}, at(*parseAmzDate("20130609T100015Z"))),
                kInvalidSignatureType,
                "Signature expired: 20130301T000000Z is now earlier than 20130609T094515Z "
                "(20130609T100015Z - 15 min.)");
  h[1].value = "30200101T010101Z";
  expectFailure(verifier()->verify(AuthRequest{"POST", "/", "", h, "", {}}, at(*parseAmzDate("20210502T173640Z"))),
                kInvalidSignatureType,
                "Signature not yet current: 30200101T010101Z is still later than 20210502T175140Z "
                "(20210502T173640Z + 15 min.)");
}

TEST(AuthenticatorTest, DateHeaderFallback) {
  SignedRequest r;
  r.sign();
  // Replace X-Amz-Date by an HTTP Date carrying the same instant: the string
  // to sign still uses the ISO-8601 basic form, but the canonical headers
  // change, so re-sign with "date" in SignedHeaders.
  std::vector<Header> headers{{"Host", "localhost:8000"}, {"Date", "Sun, 30 Aug 2015 12:36:00 GMT"}};
  std::vector<std::string_view> sh{"date", "host"};
  std::string hash = sha256Hex(r.body);
  SignInput in{kKey, kSecret, "us-east-1", "dynamodb", "20150830T123600Z", {"POST", "/", "", headers, sh, hash}};
  std::string auth = authorizationHeader(in);
  headers.push_back({"Authorization", auth});
  EXPECT_FALSE(verifier()->verify(AuthRequest{"POST", "/", "", headers, r.body, {}}, at(kNow)).has_value());
}

TEST(AuthenticatorTest, HostMustBeSigned) {
  std::vector<Header> h{{"Authorization", "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=x-amz-date, Signature=1"},
                        {"X-Amz-Date", "20150830T123600Z"}};
  expectFailure(verifier()->verify(AuthRequest{"POST", "/", "", h, "", {}}, at(kNow)), kInvalidSignatureType,
                "'Host' must be a 'SignedHeader' in the AWS Authorization.");
}

// Issue 8, defect 6: a request signed over `host` alone was accepted, so the
// X-Amz-Target of a captured GetItem could be rewritten to DeleteItem.
TEST(AuthenticatorTest, TargetMustBeSignedWhenPresent) {
  SignedRequest r;
  r.body = R"({"TableName":"t","Key":{"p":{"S":"x"}}})";
  r.target = "DynamoDB_20120810.GetItem";
  std::vector<Header> headers{{"Host", "localhost:8000"},
                              {"X-Amz-Date", r.amz_date},
                              {"X-Amz-Target", r.target}};
  std::vector<std::string_view> host_only{"host", "x-amz-date"};
  std::string hash = sha256Hex(r.body);  // SignInput holds views
  SignInput in{kKey, kSecret, "us-east-1", "dynamodb", r.amz_date, {"POST", "/", "", headers, host_only, hash}};
  std::string authorization = authorizationHeader(in);  // Header holds views
  headers.push_back({"Authorization", authorization});
  headers[2].value = "DynamoDB_20120810.DeleteItem";  // the attacker's edit
  expectFailure(verifier()->verify(AuthRequest{"POST", "/", "", headers, r.body, {}}, at(kNow)),
                kInvalidSignatureType, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
  // Signed (any case in the list is the same header), it is accepted.
  SignedRequest ok;
  ok.sign();
  EXPECT_FALSE(verifier()->verify(ok.request(), at(kNow)).has_value());
  // Open mode checks no signatures at all, as DynamoDB Local.
  auto open = Authenticator::fromKeys(AuthMode::kOpen, {});
  EXPECT_FALSE(open->verify(AuthRequest{"POST", "/", "", headers, r.body, {}}, at(kNow)).has_value());
}

TEST(AuthenticatorTest, AlgorithmAndCredentialShape) {
  std::vector<Header> h{{"Authorization", "AWS4-HMAC-SHA25 Credential=a/b/c/d/e, SignedHeaders=host, Signature=1"},
                        {"X-Amz-Date", "20150830T123600Z"}};
  AuthRequest req{"POST", "/", "", h, "", {}};
  expectFailure(verifier()->verify(req, at(kNow)), kIncompleteSignatureType,
                "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). ");
  h[0].value = "AWS4-HMAC-SHA256 Credential=a/b/c/d/, SignedHeaders=host, Signature=1";
  expectFailure(verifier()->verify(req, at(kNow)), kIncompleteSignatureType,
                "Credential must have exactly 5 slash-delimited elements, e.g. "
                "keyid/date/region/service/term, got 'a/b/c/d'");
  h[0].value = "AWS4-HMAC-SHA256 Credential=a/b/C/d/e, SignedHeaders=host, Signature=1";
  h[1].value = "20130609T095204Z";
  expectFailure(verifier()->verify(req, at(*parseAmzDate("20130609T095204Z"))), kInvalidSignatureType,
                "Credential should be scoped to a valid region, not 'C'. "
                "Credential should be scoped to correct service: 'dynamodb'. "
                "Credential should be scoped with a valid terminator: 'aws4_request', not 'e'. "
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                "'b' != '20130609', from '20130609T095204Z'.");
}

TEST(AuthenticatorTest, OpenModeAcceptsAnyKeyAndSignature) {
  auto open = Authenticator::fromKeys(AuthMode::kOpen, {});
  SignedRequest r;
  r.sign("whatever", "any-key");
  r.body = "tampered";
  // Open mode does not check the clock either.
  EXPECT_FALSE(open->verify(r.request(), at(kNow + 86400)).has_value());
  r.headers.pop_back();
  EXPECT_FALSE(open->verify(r.request(), at(kNow)).has_value()) << "no header is fine in open mode";
  r.headers.push_back({"Authorization", "AWS4-"});
  ASSERT_TRUE(open->verify(r.request(), at(kNow)).has_value());
  EXPECT_EQ(open->verify(r.request(), at(kNow))->type, kIncompleteSignatureType);
  r.headers.back().value = "Bearer x";
  EXPECT_EQ(open->verify(r.request(), at(kNow))->type, kMissingTokenType);
}

class CredentialsFileTest : public ::testing::Test {
 protected:
  // Unique per process and test: ctest runs tests of this binary at once,
  // and other checkouts may run the same tests on this machine.
  std::string path = ::testing::TempDir() + "fdyno_creds_" + std::to_string(::getpid()) + "_" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".txt";
  void write(const std::string& text) { std::ofstream(path) << text; }
  void TearDown() override { std::remove(path.c_str()); }
};

TEST_F(CredentialsFileTest, LoadsKeysSkippingCommentsAndBlanks) {
  write("# comment\n\nAKID1:secret1\r\n  AKID2 : sec:ret2  \n");
  auto a = Authenticator::create(AuthMode::kVerify, path);
  ASSERT_TRUE(a.ok()) << a.status().toString();
  EXPECT_EQ((*a)->keyCount(), 2u);
  SignedRequest r;
  r.sign("sec:ret2", "AKID2");
  EXPECT_FALSE((*a)->verify(r.request(), at(kNow)).has_value());
}

TEST_F(CredentialsFileTest, Errors) {
  write("AKID1:secret1\nbroken line\n");
  auto a = Authenticator::create(AuthMode::kVerify, path);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.status().message(), path + ":2: expected ACCESS_KEY_ID:SECRET");
  write("A:1\nA:2\n");
  EXPECT_EQ(Authenticator::create(AuthMode::kVerify, path).status().message(),
            path + ":2: duplicate access key id 'A'");
  write("# nothing\n");
  EXPECT_FALSE(Authenticator::create(AuthMode::kVerify, path).ok());
  EXPECT_TRUE(Authenticator::create(AuthMode::kOpen, path).ok());
  EXPECT_EQ(Authenticator::create(AuthMode::kVerify, "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Authenticator::create(AuthMode::kOpen, "").ok());
  EXPECT_EQ(Authenticator::create(AuthMode::kOpen, "/nonexistent/creds").status().code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace fdyno::auth
