// The tag rules of a request (api/tag_rules.h): DynamoDB's messages, lengths
// in characters, the AWS tag pattern.
#include "api/tag_rules.h"

#include <gtest/gtest.h>

#include "api/errors.h"

namespace fdyno::api {
namespace {

std::string msg(const Status& s) { return errorText(s); }
std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(TagRules, MessagesAreDynamoDbs) {
  EXPECT_EQ(msg(checkTags({})), "Atleast one Tag needs to be provided as Input.");
  EXPECT_EQ(msg(checkTags({{std::string(""), std::string("v")}})), "The Tag Key provided is invalid, Key: ");
  EXPECT_EQ(msg(checkTags({{std::nullopt, std::string("v")}})), "The Tag Key provided is invalid, Key: null");
  EXPECT_EQ(msg(checkTags({{std::string("k"), std::nullopt}})), "The Tag Value provided is invalid, Value: null");
  std::string k129(129, 'k');
  EXPECT_EQ(msg(checkTags({{k129, std::string("v")}})), "The Tag Key provided is invalid, Key: " + k129);
  std::string v257(257, 'v');
  EXPECT_EQ(msg(checkTags({{std::string("k"), v257}})), "The Tag Value provided is invalid, Value: " + v257);
  EXPECT_EQ(msg(checkTags({{std::string("hi!"), std::string("v")}})), "The Tag Key provided is invalid, Key: hi!");
  EXPECT_EQ(msg(checkTags({{std::string("k"), std::string("100%")}})),
            "The Tag Value provided is invalid, Value: 100%");
  EXPECT_EQ(msg(checkTags({{std::string("aws:zzz"), std::string("v")}})),
            "Tag Key cannot be prefixed with aws:, Key: aws:zzz");
  EXPECT_EQ(msg(checkTags({{std::string("dup"), std::string("a")}, {std::string("dup"), std::string("b")}})),
            "Duplicate Tag Keys provided as input: Duplicate Tag Key found dup");
  std::vector<TagInput> many;
  for (int i = 0; i < 51; ++i) many.push_back({std::to_string(i), std::string("v")});
  EXPECT_EQ(msg(checkTags(many)), "Number of Tags exceed the current limit for the provided ResourceArn");
  many.pop_back();
  EXPECT_TRUE(checkTags(many).ok());
  // A bad tag after a good one still rejects the request (all or nothing is
  // the caller's: nothing is written on error).
  EXPECT_FALSE(checkTags({{std::string("ok"), std::string("ok")}, {k129, std::string("v")}}).ok());
}

TEST(TagRules, LengthsCountCharactersAndTheCharsetIsTheAwsTagPattern) {
  EXPECT_TRUE(checkTags({{std::string(128, 'x'), std::string(256, 'y')}}).ok());
  EXPECT_TRUE(checkTags({{repeat("א", 128), repeat("ж", 256)}}).ok());  // 2 bytes each: chars count
  EXPECT_FALSE(checkTags({{repeat("א", 129), std::string("v")}}).ok());
  EXPECT_TRUE(checkTags({{std::string("k"), std::string("")}}).ok());  // empty value allowed
  EXPECT_TRUE(checkTags({{std::string("a+b-c=d.e_f:g/h@i"), std::string(" 7 ")}}).ok());
  EXPECT_TRUE(checkTags({{std::string("ключ café 表"), std::string("\xC2\xA0\xE3\x80\x80")}}).ok());  // NBSP, ideographic space
  for (const char* bad : {"hi!", "d%g", "\"hello\"", "a,b", "(x)", "a&b", "a*b", "a;b", "a?b", "a|b", "a\\b",
                          "<a>", "~a", "#", "tab\there", "\xF0\x9F\x94\x91" /* key emoji */, "\xE2\x80\xA6" /* … */,
                          "\xC3\x97" /* × */, "\xFF"}) {
    EXPECT_FALSE(isValidTagText(bad)) << bad;
  }
  EXPECT_TRUE(checkTags({{std::string("system:initial_tablets"), std::string("none")}}).ok());
}

TEST(TagRules, UntagKeys) {
  EXPECT_EQ(msg(checkTagKeys({})), "Atleast one Tag Key needs to be provided as Input.");
  EXPECT_EQ(msg(checkTagKeys({""})), "The Tag Key provided is invalid, Key: ");
  std::vector<std::string> many;
  for (int i = 0; i < 51; ++i) many.push_back(std::to_string(i));
  EXPECT_EQ(msg(checkTagKeys(many)), "Number of Tags exceed the current limit for the provided ResourceArn");
  EXPECT_TRUE(checkTagKeys({"aws:anything", "not-there"}).ok());  // removing is always allowed
}

// CreateTable's Tags (the api layer checks them before creating anything).
TEST(TagRules, CreateTableTags) {
  std::vector<engine::Tag> tags;
  EXPECT_TRUE(checkCreateTableTags(tags).ok());  // none at all is fine
  for (int i = 0; i < 100; ++i) tags.push_back({std::to_string(i), "v"});
  EXPECT_EQ(msg(checkCreateTableTags(tags)), "Number of Tags exceed the current limit for the provided ResourceArn");
  EXPECT_EQ(msg(checkCreateTableTags({{"ok", "#!"}})), "The Tag Value provided is invalid, Value: #!");
}

}  // namespace
}  // namespace fdyno::api
