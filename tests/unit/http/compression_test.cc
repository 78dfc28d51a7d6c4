// Body compression and Accept-Encoding negotiation.
#include "http/compression.h"

#include <gtest/gtest.h>

#include <string>

namespace fdyno::http {
namespace {

std::string gzip(std::string_view s) {
  std::string out;
  EXPECT_TRUE(compressBody(s, BodyEncoding::kGzip, out));
  return out;
}

TEST(CompressionTest, GzipAndDeflateRoundTrip) {
  std::string text(10000, 'x');
  text += "tail";
  for (BodyEncoding enc : {BodyEncoding::kGzip, BodyEncoding::kDeflate}) {
    std::string packed, unpacked;
    ASSERT_TRUE(compressBody(text, enc, packed));
    EXPECT_LT(packed.size(), text.size() / 20);
    ASSERT_EQ(inflateBody(packed, enc, 1 << 20, unpacked), InflateResult::kOk);
    EXPECT_EQ(unpacked, text);
  }
  std::string packed;
  ASSERT_TRUE(compressBody(text, BodyEncoding::kGzip, packed));
  EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8b);
}

TEST(CompressionTest, ConcatenatedGzipMembers) {
  std::string two = gzip("{\"Table") + gzip("Name\":\"t\"}");
  std::string out;
  ASSERT_EQ(inflateBody(two, BodyEncoding::kGzip, 1 << 20, out), InflateResult::kOk);
  EXPECT_EQ(out, "{\"TableName\":\"t\"}");
}

TEST(CompressionTest, BrokenStreams) {
  std::string out;
  EXPECT_EQ(inflateBody("", BodyEncoding::kGzip, 1 << 20, out), InflateResult::kCorrupt);
  EXPECT_EQ(inflateBody("{\"not\":\"gzip\"}", BodyEncoding::kGzip, 1 << 20, out), InflateResult::kCorrupt);
  std::string g = gzip("hello world");
  EXPECT_EQ(inflateBody(std::string_view(g).substr(0, g.size() - 1), BodyEncoding::kGzip, 1 << 20, out),
            InflateResult::kCorrupt);
  EXPECT_EQ(inflateBody(g + "junk", BodyEncoding::kGzip, 1 << 20, out), InflateResult::kCorrupt);
  EXPECT_TRUE(out.empty());
}

TEST(CompressionTest, InflatedSizeLimited) {
  std::string bomb = gzip(std::string(3 << 20, ' '));
  EXPECT_LT(bomb.size(), 16u * 1024);
  std::string out;
  EXPECT_EQ(inflateBody(bomb, BodyEncoding::kGzip, 1 << 20, out), InflateResult::kTooLarge);
  EXPECT_EQ(inflateBody(bomb, BodyEncoding::kGzip, 3 << 20, out), InflateResult::kOk);
  EXPECT_EQ(out.size(), 3u << 20);
}

TEST(CompressionTest, ContentEncodingHeader) {
  BodyEncoding e;
  ASSERT_TRUE(parseContentEncoding("GZIP ", &e));
  EXPECT_EQ(e, BodyEncoding::kGzip);
  ASSERT_TRUE(parseContentEncoding("deflate", &e));
  EXPECT_EQ(e, BodyEncoding::kDeflate);
  ASSERT_TRUE(parseContentEncoding("identity", &e));
  EXPECT_EQ(e, BodyEncoding::kIdentity);
  EXPECT_FALSE(parseContentEncoding("garbage", &e));
  EXPECT_FALSE(parseContentEncoding("br", &e));
}

// The Accept-Encoding cases ScyllaDB's test_compressed_response.py checks
// against DynamoDB (expected answers as DynamoDB gives them).
TEST(CompressionTest, AcceptEncodingLikeDynamoDB) {
  const BodyEncoding N = BodyEncoding::kIdentity, G = BodyEncoding::kGzip, D = BodyEncoding::kDeflate;
  struct Case {
    const char* header;
    BodyEncoding expected;
  } cases[] = {
      {"gzip", G},
      {"deflate", D},
      {"identity", N},
      {"", N},
      {"br", N},
      {"zstd", N},
      {"compress", N},
      {"x-gzip", N},
      {"gzip, deflate", G},
      {"br, identity, deflate, gzip", D},
      {"GZIP, identity", G},
      {"dog, gzip ,, cat", G},
      {"gzip;q=0.8, deflate;q=0.5", G},
      {"br, gzip;q=0, deflate; q = 0.5 , identity;q=0", D},
      {"*", G},
      {"*, deflate;q=0.5", G},
      {"*, deflate", D},
      {"*, identity", G},
      {"*, gzip;q=0.5", D},
      {"gzip ;q=0", N},
      {"identity;q=0", N},
      {"*;q=0", N},
      {"*;q=0.5,identity", G},
      {"gzip;q=0.5,identity;q=0.8", G},
      {"br;q=0.8,identity;q=0.5,*;q=0", N},
      {"\"gzip\"", N},
      {"gzip br", N},
      {"gzip:q=1", N},
      {"deflate;q=0.5, gzip;q=31", G},
      {"gzip;q=31,deflate;q=51", G},
      {"deflate;q=0.5, gzip;q=0.2", D},
      {"deflate;q=0.5, gzip;q=1;q=0.2", G},
      {"deflate;q=0.5,gzip;q=0.", D},
      {"deflate;q=0.5,gzip;q=0.x", G},
      {"deflate;q=-0.5,gzip;q=0.2", G},
      {"deflate;q=0.5,gzip;q=0. x", G},
      {"gzip;q= 0;q=1", N},
      {"gzip;q =0;q=1", G},
      {"gzip; q=0;q=1", N},
      {"gzip;nq=0;q=1", N},
      {"gzip;q=0, gzip;q=1, gzip;q=0", G},
      {"br,identity;q=0.5,gzip;q=0.0001", G},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(chooseResponseEncoding(c.header), c.expected) << "Accept-Encoding: " << c.header;
  }
}

// q values are read the way Java's Double.parseDouble reads them (DynamoDB is
// a Java service): what it refuses counts as q=1, so deflate (q=0.5) loses.
TEST(CompressionTest, AcceptEncodingQValueSyntax) {
  const BodyEncoding G = BodyEncoding::kGzip, D = BodyEncoding::kDeflate;
  struct Case {
    const char* gzip_q;
    BodyEncoding expected;
  } cases[] = {
      {"0.2", D}, {" 0.2 ", D}, {"+0.2", D}, {"2e-1", D}, {"0.2d", D}, {".2", D}, {"0", D},
      {"1e-400", D},  // underflows to 0
      {"", G}, {"inf", G}, {"nan", G}, {"0x0", G}, {"0.2.", G}, {"e1", G}, {"-", G}, {".", G},
      {"1e400", G},  // overflows: clamped to 1
  };
  for (const Case& c : cases) {
    std::string header = std::string("deflate;q=0.5, gzip;q=") + c.gzip_q;
    EXPECT_EQ(chooseResponseEncoding(header), c.expected) << "Accept-Encoding: " << header;
  }
  EXPECT_EQ(chooseResponseEncoding("deflate;q=0.5, gzip;Q=0.2"), D);  // parameter names are case-insensitive
}

}  // namespace
}  // namespace fdyno::http
