#include "common/json_writer.h"

#include <gtest/gtest.h>

namespace fdyno {
namespace {

TEST(JsonWriterTest, NestedContainersGetCommas) {
  JsonWriter w;
  w.beginObject().field("a", "x").key("b").beginArray().number(1).number(int64_t{-2}).endArray();
  w.key("c").beginObject().endObject().field("d", true).key("e").null().endObject();
  EXPECT_EQ(w.str(), R"({"a":"x","b":[1,-2],"c":{},"d":true,"e":null})");
}

TEST(JsonWriterTest, EscapesControlCharactersAndQuotes) {
  JsonWriter w;
  w.string(std::string("q\"b\\n\n\x01\xc3\xa9", 9));
  EXPECT_EQ(w.str(), "\"q\\\"b\\\\n\\n\\u0001\xc3\xa9\"");
}

}  // namespace
}  // namespace fdyno
