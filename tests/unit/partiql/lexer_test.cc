#include <gtest/gtest.h>

#include "partiql/lexer.h"

namespace fdyno::partiql {
namespace {

TEST(PartiqlLexer, Tokens) {
  auto r = tokenize("SELECT \"a\"\"b\" <<'x''y'>> <> != <= >= -- comment\n 1.5e-3 ?");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& t = *r;
  ASSERT_EQ(t.size(), 12u);
  EXPECT_EQ(t[0].kind, Tok::kIdent);
  EXPECT_EQ(t[1].kind, Tok::kQuotedIdent);
  EXPECT_EQ(t[1].text, "a\"b");
  EXPECT_EQ(t[2].kind, Tok::kSetOpen);
  EXPECT_EQ(t[3].kind, Tok::kString);
  EXPECT_EQ(t[3].text, "x'y");
  EXPECT_EQ(t[4].kind, Tok::kSetClose);
  EXPECT_EQ(t[5].kind, Tok::kNe);
  EXPECT_EQ(t[6].kind, Tok::kNe);
  EXPECT_EQ(t[7].kind, Tok::kLe);
  EXPECT_EQ(t[8].kind, Tok::kGe);
  EXPECT_EQ(t[9].kind, Tok::kNumber);
  EXPECT_EQ(t[9].text, "1.5e-3");
  EXPECT_EQ(t[10].kind, Tok::kParam);
  EXPECT_EQ(t[11].kind, Tok::kEnd);
}

TEST(PartiqlLexer, Errors) {
  auto r = tokenize("a ! b");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "Statement wasn't well formed, can't be processed: Unexpected character '!'");
  // A multi-byte character is quoted whole, never one of its bytes (issue 8,
  // defect 5: "'\xc3'" made the response invalid UTF-8).
  auto e = tokenize("SELECT * FROM tbl WHERE \xc3\xa9 = 1");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(),
            "Statement wasn't well formed, can't be processed: Unexpected character '\xc3\xa9'");
  auto emoji = tokenize("\xf0\x9f\x98\x80");
  ASSERT_FALSE(emoji.ok());
  EXPECT_EQ(emoji.status().message(),
            "Statement wasn't well formed, can't be processed: Unexpected character '\xf0\x9f\x98\x80'");
}

}  // namespace
}  // namespace fdyno::partiql
