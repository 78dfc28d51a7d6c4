// SigV4 signer against the worked examples published in AWS's documentation
// (values typed in from the docs, not fetched files).
#include "auth/sigv4.h"

#include <gtest/gtest.h>

#include <vector>

#include "auth/amz_time.h"

namespace fdyno::auth {
namespace {

// "Create a signed AWS API request" / "Examples of signature calculations":
// GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08
class IamListUsersExample : public ::testing::Test {
 protected:
  std::vector<Header> headers{
      {"Host", "iam.amazonaws.com"},
      {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
      {"X-Amz-Date", "20150830T123600Z"},
  };
  std::vector<std::string_view> signed_headers{"content-type", "host", "x-amz-date"};
  CanonicalRequestInput input() const {
    return CanonicalRequestInput{"GET", "/", "Action=ListUsers&Version=2010-05-08", headers,
                                 signed_headers, kEmptySha256};
  }
};

TEST_F(IamListUsersExample, CanonicalRequest) {
  std::string cr = canonicalRequest(input());
  EXPECT_EQ(cr,
            "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
            "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
            "host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "content-type;host;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex(cr), "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
}

TEST_F(IamListUsersExample, StringToSignKeyAndSignature) {
  std::string scope = credentialScope("20150830", "us-east-1", "iam");
  EXPECT_EQ(scope, "20150830/us-east-1/iam/aws4_request");
  std::string sts = stringToSign("20150830T123600Z", scope, canonicalRequest(input()));
  EXPECT_EQ(sts,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  Digest key = deriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
  EXPECT_EQ(toHex(key), "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  EXPECT_EQ(signatureHex(key, sts), "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST_F(IamListUsersExample, AuthorizationHeader) {
  SignInput in{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "iam",
               "20150830T123600Z", input()};
  EXPECT_EQ(authorizationHeader(in),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

// Amazon S3 "Signature Calculations for the Authorization Header", example
// GET Object: GET /test.txt with a Range header.
TEST(SigV4Test, S3GetObjectExample) {
  std::vector<Header> headers{
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"Range", "bytes=0-9"},
      {"x-amz-content-sha256", kEmptySha256},
      {"x-amz-date", "20130524T000000Z"},
  };
  std::vector<std::string_view> sh{"host", "range", "x-amz-content-sha256", "x-amz-date"};
  CanonicalRequestInput cr{"GET", "/test.txt", "", headers, sh, kEmptySha256};
  std::string scope = credentialScope("20130524", "us-east-1", "s3");
  std::string sts = stringToSign("20130524T000000Z", scope, canonicalRequest(cr));
  EXPECT_EQ(sha256Hex(canonicalRequest(cr)),
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  Digest key = deriveSigningKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3");
  EXPECT_EQ(signatureHex(key, sts), "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4Test, Sha256OfEmpty) { EXPECT_EQ(sha256Hex(""), kEmptySha256); }

TEST(SigV4Test, UriEncoding) {
  std::string out;
  uriEncode("a b/c~d_e.f-g*h", false, out);
  EXPECT_EQ(out, "a%20b%2Fc~d_e.f-g%2Ah");
  EXPECT_EQ(canonicalUri(""), "/");
  EXPECT_EQ(canonicalUri("/a b/%20"), "/a%20b/%2520");
}

TEST(SigV4Test, CanonicalQuerySortsAndReencodes) {
  EXPECT_EQ(canonicalQuery("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
  EXPECT_EQ(canonicalQuery("k=a%20b&j=x+y"), "j=x%2By&k=a%20b");
  EXPECT_EQ(canonicalQuery(""), "");
}

TEST(SigV4Test, HeaderValuesTrimmedCollapsedAndJoined) {
  std::vector<Header> headers{{"X-A", "  a   b  "}, {"x-a", "c"}, {"Host", "h"}};
  std::vector<std::string_view> sh{"host", "x-a"};
  CanonicalRequestInput cr{"POST", "/", "", headers, sh, kEmptySha256};
  EXPECT_EQ(canonicalRequest(cr), "POST\n/\n\nhost:h\nx-a:a b,c\n\nhost;x-a\n" + std::string(kEmptySha256));
}

TEST(SigV4Test, ConstantTimeEquals) {
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "ab"));
}

TEST(AmzTimeTest, ParseAndFormat) {
  auto t = parseAmzDate("20150830T123600Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, 1440938160);
  EXPECT_EQ(formatAmzDate(*t), "20150830T123600Z");
  EXPECT_FALSE(parseAmzDate("201").has_value());
  EXPECT_FALSE(parseAmzDate("20151330T123600Z").has_value());
  EXPECT_FALSE(parseAmzDate("20150830 123600Z").has_value());
  auto d = parseHttpDate("Sun, 30 Aug 2015 12:36:00 GMT");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 1440938160);
  EXPECT_FALSE(parseHttpDate("Sun, 30 Foo 2015 12:36:00 GMT").has_value());
}

}  // namespace
}  // namespace fdyno::auth
