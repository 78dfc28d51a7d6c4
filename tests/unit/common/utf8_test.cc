// UTF-8 sequence checks (RFC 3629) and the JSON writer's guarantee that its
// output is valid UTF-8 whatever it is given (issue 8, defect 5).
#include "common/utf8.h"

#include <gtest/gtest.h>

#include "common/json_writer.h"

namespace fdyno {
namespace {

size_t len(std::string_view s) { return utf8SequenceLength(s, 0); }

TEST(Utf8Test, WellFormedSequences) {
  EXPECT_EQ(len("a"), 1u);
  EXPECT_EQ(len("\xc3\xa9"), 2u);          // é
  EXPECT_EQ(len("\xe2\x82\xac"), 3u);      // €
  EXPECT_EQ(len("\xf0\x9f\x98\x80"), 4u);  // U+1F600
  EXPECT_EQ(len("\xf4\x8f\xbf\xbf"), 4u);  // U+10FFFF, the last code point
  EXPECT_EQ(len("\xef\xbf\xbd"), 3u);      // U+FFFD itself
}

TEST(Utf8Test, MalformedSequences) {
  EXPECT_EQ(len("\xc3"), 0u);              // cut short
  EXPECT_EQ(len("\xc3" "a"), 0u);          // not a continuation byte
  EXPECT_EQ(len("\xa9"), 0u);              // continuation byte alone
  EXPECT_EQ(len("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(len("\xe0\x80\xaf"), 0u);      // overlong
  EXPECT_EQ(len("\xed\xa0\x80"), 0u);      // surrogate U+D800
  EXPECT_EQ(len("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(len("\xff"), 0u);
  EXPECT_EQ(utf8SequenceLength("x\xe2\x82", 1), 0u);
}

TEST(Utf8Test, JsonWriterNeverEmitsInvalidUtf8) {
  JsonWriter w;
  // A lone first byte of 'é', as a lexer once quoted it; then a valid 'é',
  // a stray continuation byte and a truncated three-byte sequence at the end.
  w.string("Unexpected character '\xc3' \xc3\xa9 \xa9 \xe2\x82");
  EXPECT_EQ(w.str(), "\"Unexpected character '\xef\xbf\xbd' \xc3\xa9 \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\"");
  JsonWriter k;
  k.beginObject().field("\xff", "ok").endObject();
  EXPECT_EQ(k.str(), "{\"\xef\xbf\xbd\":\"ok\"}");
}

}  // namespace
}  // namespace fdyno
