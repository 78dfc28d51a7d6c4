#include "model/base64.h"

#include <gtest/gtest.h>

#include <random>

namespace fdyno::model {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> v[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                    {"foo", "Zm9v"}, {"foob", "Zm9vYg=="},  {"fooba", "Zm9vYmE="},
                                                    {"foobar", "Zm9vYmFy"}};
  for (auto [raw, enc] : v) {
    EXPECT_EQ(base64Encode(raw), enc);
    auto d = base64Decode(enc);
    ASSERT_TRUE(d.ok()) << enc;
    EXPECT_EQ(*d, raw);
    EXPECT_EQ(base64EncodedSize(std::string_view(raw).size()), std::string_view(enc).size());
  }
}

TEST(Base64Test, BinaryBytesAndAlphabetEnds) {
  std::string bytes("\x00\xff\xfe\x80\x7f", 5);
  EXPECT_EQ(base64Encode(bytes), "AP/+gH8=");
  EXPECT_EQ(*base64Decode("AP/+gH8="), bytes);
  EXPECT_EQ(*base64Decode("+/+/"), std::string("\xfb\xff\xbf", 3));
}

TEST(Base64Test, LengthMustBeAMultipleOfFour) {
  // DynamoDB's SerializationException text (dynalite's captured tests).
  auto r = base64Decode("23456");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kSerialization);
  EXPECT_EQ(r.status().message(), "Base64 encoded length is expected a multiple of 4 bytes but found: 5");
  EXPECT_EQ(base64Decode("YQ").status().message(),
            "Base64 encoded length is expected a multiple of 4 bytes but found: 2");
}

TEST(Base64Test, InvalidCharactersAndNonCanonicalEndings) {
  for (const char* s : {"=+/=", "+/+=", "Yh==", "YWJ=", "Zm9v!A==", "Zm=v", "====", "A===", "Zm9v\nA==",
                        "Zm-_", "YQ=a"}) {
    auto r = base64Decode(s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.status().code(), StatusCode::kSerialization) << s;
    // DynamoDB's spelling, "dectected", is kept on purpose.
    EXPECT_EQ(r.status().message(), "Invalid last non-pad Base64 character dectected") << s;
    EXPECT_EQ(base64Validate(s).message(), r.status().message());
  }
  EXPECT_TRUE(base64Validate("Yg==").ok());
  EXPECT_TRUE(base64Validate("").ok());
}

TEST(Base64Test, RandomRoundTrip) {
  std::mt19937 rng(1);
  for (int i = 0; i < 1000; ++i) {
    std::string b(rng() % 40, '\0');
    for (auto& c : b) c = static_cast<char>(rng());
    std::string e = base64Encode(b);
    EXPECT_EQ(e.size() % 4, 0u);
    auto d = base64Decode(e);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, b);
  }
}

}  // namespace
}  // namespace fdyno::model
