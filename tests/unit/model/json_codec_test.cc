// DynamoDB JSON parsing and writing. Expected texts come from dynalite's
// tests recorded against DynamoDB (test/deleteItem.js, test/putItem.js,
// test/helpers.js assertType) and from the dynamodb-conformance captures
// (nesting limit, empty sets).
#include "model/json_codec.h"

#include <gtest/gtest.h>

#include "model/base64.h"

namespace fdyno::model {
namespace {

const std::string kEmpty =
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
const std::string kMany =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported "
    "datatypes";
const std::string kInvalid = "One or more parameter values were invalid: ";

class JsonCodecTest : public ::testing::Test {
 protected:
  Result<AttributeValue> parse(const std::string& json, ParseOptions opts = {}) {
    auto doc = parser_.parse(json);
    EXPECT_EQ(doc.error(), simdjson::SUCCESS) << json;
    return parseAttributeValue(doc.value_unsafe(), opts);
  }
  Status parseError(const std::string& json) {
    auto r = parse(json);
    EXPECT_FALSE(r.ok()) << json << " was accepted";
    return r.ok() ? Status::OK() : r.status();
  }
  Result<Item> parseItemJson(const std::string& json) {
    auto doc = parser_.parse(json);
    EXPECT_EQ(doc.error(), simdjson::SUCCESS) << json;
    return parseItem(doc.value_unsafe());
  }
  std::string write(const AttributeValue& v) {
    JsonWriter w;
    writeAttributeValue(w, v);
    return w.take();
  }
  // parse then write: the canonical response form.
  std::string roundTrip(const std::string& json) {
    auto r = parse(json);
    EXPECT_TRUE(r.ok()) << json << ": " << r.status().message();
    return r.ok() ? write(*r) : "<error>";
  }
  void expectValidation(const std::string& json, const std::string& msg) {
    Status s = parseError(json);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << json;
    EXPECT_EQ(s.message(), msg) << json;
  }
  void expectSerialization(const std::string& json, const std::string& msg) {
    Status s = parseError(json);
    EXPECT_EQ(s.code(), StatusCode::kSerialization) << json;
    EXPECT_EQ(s.message(), msg) << json;
  }
  simdjson::dom::parser parser_;
};

std::string nestMaps(int wraps) {
  std::string s = R"({"S":"leaf"})";
  for (int i = 0; i < wraps; ++i) s = R"({"M":{"n":)" + s + "}}";
  return s;
}

std::string nestLists(int wraps) {
  std::string s = R"({"N":"1"})";
  for (int i = 0; i < wraps; ++i) s = R"({"L":[)" + s + "]}";
  return s;
}

// ---- accepted values and the canonical output ----

TEST_F(JsonCodecTest, EveryTypeRoundTrips) {
  EXPECT_EQ(roundTrip(R"({"S":"hello"})"), R"({"S":"hello"})");
  EXPECT_EQ(roundTrip(R"({"S":""})"), R"({"S":""})");  // empty strings allowed since 2020
  EXPECT_EQ(roundTrip(R"({"N":"00042"})"), R"({"N":"42"})");
  EXPECT_EQ(roundTrip(R"({"N":"1.5E2"})"), R"({"N":"150"})");
  EXPECT_EQ(roundTrip(R"({"B":"AP8="})"), R"({"B":"AP8="})");
  EXPECT_EQ(roundTrip(R"({"B":""})"), R"({"B":""})");
  EXPECT_EQ(roundTrip(R"({"BOOL":true})"), R"({"BOOL":true})");
  EXPECT_EQ(roundTrip(R"({"BOOL":false})"), R"({"BOOL":false})");
  EXPECT_EQ(roundTrip(R"({"NULL":true})"), R"({"NULL":true})");
  EXPECT_EQ(roundTrip(R"({"SS":["b","a",""]})"), R"({"SS":["b","a",""]})");
  EXPECT_EQ(roundTrip(R"({"NS":["1.0","-2e1"]})"), R"({"NS":["1","-20"]})");
  EXPECT_EQ(roundTrip(R"({"BS":["Yg==","YQ==",""]})"), R"({"BS":["Yg==","YQ==",""]})");
  EXPECT_EQ(roundTrip(R"({"L":[]})"), R"({"L":[]})");
  EXPECT_EQ(roundTrip(R"({"M":{}})"), R"({"M":{}})");
  EXPECT_EQ(roundTrip(R"({"L":[{"S":"a"},{"N":"1"},{"NULL":true},{"M":{"x":{"BOOL":false}}}]})"),
            R"({"L":[{"S":"a"},{"N":"1"},{"NULL":true},{"M":{"x":{"BOOL":false}}}]})");
  // Maps come back ordered by name.
  EXPECT_EQ(roundTrip(R"({"M":{"z":{"S":"1"},"a":{"S":"2"}}})"), R"({"M":{"a":{"S":"2"},"z":{"S":"1"}}})");
}

TEST_F(JsonCodecTest, ParsedValuesHoldDecodedData) {
  auto b = parse(R"({"B":"AP8="})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->type, AttrType::kB);
  EXPECT_EQ(b->scalar, std::string("\x00\xff", 2));
  auto n = parse(R"({"N":"-0"})");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->type, AttrType::kN);
  EXPECT_EQ(n->scalar, "0");
  auto s = parse(R"({"S":"caf\u00e9 \"q\""})");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->scalar, "caf\xc3\xa9 \"q\"");
  EXPECT_EQ(write(*s), "{\"S\":\"caf\xc3\xa9 \\\"q\\\"\"}");
}

TEST_F(JsonCodecTest, UnknownMembersAndNullsAreIgnored) {
  // Coral drops members it does not know and members set to null.
  EXPECT_EQ(roundTrip(R"({"S":"x","X":"y"})"), R"({"S":"x"})");
  EXPECT_EQ(roundTrip(R"({"S":"x","N":null})"), R"({"S":"x"})");
  EXPECT_EQ(roundTrip(R"({"s":5,"S":"x"})"), R"({"S":"x"})");  // names are case-sensitive
}

TEST_F(JsonCodecTest, BooleanStringsAreCoercedLikeCoral) {
  EXPECT_EQ(roundTrip(R"({"BOOL":"true"})"), R"({"BOOL":true})");
  EXPECT_EQ(roundTrip(R"({"BOOL":"FALSE"})"), R"({"BOOL":false})");
  EXPECT_EQ(roundTrip(R"({"BOOL":"1"})"), R"({"BOOL":true})");
  EXPECT_EQ(roundTrip(R"({"BOOL":"no"})"), R"({"BOOL":false})");
  EXPECT_EQ(roundTrip(R"({"BOOL":"Yes"})"), R"({"BOOL":true})");
  EXPECT_EQ(roundTrip(R"({"NULL":"true"})"), R"({"NULL":true})");
}

// ---- validation (ValidationException) ----

TEST_F(JsonCodecTest, EmptyAttributeValue) {
  for (const char* j : {R"({})", R"({"a":""})", R"({"X":"a"})", R"({"S":null})", R"({"M":{"a":{}}})",
                        R"({"L":[{}]})", R"({"L":[{"a":{}}]})", R"({"L":[null]})", R"({"M":{"a":null}})"}) {
    expectValidation(j, kEmpty);
  }
}

TEST_F(JsonCodecTest, MoreThanOneDatatype) {
  expectValidation(R"({"S":"a","N":"1"})", kMany);
  expectValidation(R"({"NULL":true,"BOOL":true})", kMany);
  expectValidation(R"({"L":[],"M":{}})", kMany);
  expectValidation(R"({"M":{"x":{"S":"a","B":"YQ=="}}})", kMany);
}

TEST_F(JsonCodecTest, NumbersAreValidatedBeforeTheDatatypeCount) {
  // dynalite's captured order: {S:'', N:''} reports the number.
  expectValidation(R"({"S":"","N":""})", "The parameter cannot be converted to a numeric value");
  expectValidation(R"({"S":"a","N":"b"})", "The parameter cannot be converted to a numeric value: b");
}

TEST_F(JsonCodecTest, InvalidNumbers) {
  expectValidation(R"({"N":""})", "The parameter cannot be converted to a numeric value");
  expectValidation(R"({"N":"abc"})", "The parameter cannot be converted to a numeric value: abc");
  expectValidation(R"({"N":" 1"})", "The parameter cannot be converted to a numeric value:  1");
  expectValidation(R"({"NS":["1",""]})", "The parameter cannot be converted to a numeric value");
  expectValidation(R"({"NS":["1","b"]})", "The parameter cannot be converted to a numeric value: b");
  expectValidation(R"({"N":"123456789012345678901234567890123456789"})",
                   "Attempting to store more than 38 significant digits in a Number");
  expectValidation(R"({"N":"-1.23456789012345678901234567890123456789"})",
                   "Attempting to store more than 38 significant digits in a Number");
  expectValidation(R"({"N":"1e126"})",
                   "Number overflow. Attempting to store a number with magnitude larger than supported range");
  expectValidation(R"({"N":"-1e126"})",
                   "Number overflow. Attempting to store a number with magnitude larger than supported range");
  expectValidation(R"({"N":"1e-131"})",
                   "Number underflow. Attempting to store a number with magnitude smaller than supported range");
  expectValidation(R"({"L":[{"N":"x"}]})", "The parameter cannot be converted to a numeric value: x");
  expectValidation(R"({"M":{"k":{"NS":["1e-131"]}}})",
                   "Number underflow. Attempting to store a number with magnitude smaller than supported range");
}

TEST_F(JsonCodecTest, NullMustBeTrue) {
  expectValidation(R"({"NULL":false})", kInvalid + "Null attribute value types must have the value of true");
  expectValidation(R"({"NULL":"no"})", kInvalid + "Null attribute value types must have the value of true");
}

TEST_F(JsonCodecTest, EmptySets) {
  // Two spaces in "string set  may" are DynamoDB's.
  expectValidation(R"({"SS":[]})", kInvalid + "An string set  may not be empty");
  expectValidation(R"({"NS":[]})", kInvalid + "An number set  may not be empty");
  expectValidation(R"({"BS":[]})", kInvalid + "Binary sets should not be empty");
  expectValidation(R"({"M":{"inner":{"SS":[]}}})", kInvalid + "An string set  may not be empty");
  expectValidation(R"({"L":[{"SS":[]}]})", kInvalid + "An string set  may not be empty");
}

TEST_F(JsonCodecTest, DuplicateSetMembers) {
  expectValidation(R"({"SS":["a","a"]})", kInvalid + "Input collection [a, a] contains duplicates.");
  expectValidation(R"({"SS":["0","1","0"]})", kInvalid + "Input collection [0, 1, 0] contains duplicates.");
  expectValidation(R"({"BS":["Yg==","Yg=="]})", kInvalid + "Input collection [Yg==, Yg==]of type BS contains duplicates.");
  expectValidation(R"({"NS":["1","1"]})", "Input collection contains duplicates");
  // Numbers are duplicates by value.
  expectValidation(R"({"NS":["1","1.0"]})", "Input collection contains duplicates");
  expectValidation(R"({"NS":["-0","0"]})", "Input collection contains duplicates");
  // A large set takes the hashing path.
  std::string big = R"({"SS":[)";
  for (int i = 0; i < 100; ++i) big += "\"m" + std::to_string(i) + "\",";
  std::string dup = big + "\"m5\"]}";
  big.back() = ']';
  big += "}";
  EXPECT_TRUE(parse(big).ok());
  Status s = parseError(dup);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().rfind(kInvalid + "Input collection [m0, m1, ", 0), 0u) << s.message();
  EXPECT_NE(s.message().find(", m99, m5] contains duplicates."), std::string::npos) << s.message();
}

TEST_F(JsonCodecTest, EmptyStringsInsideSetsAreAllowed) {
  auto r = parse(R"({"SS":["", "a"]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->set.size(), 2u);
  EXPECT_EQ(r->set[0], "");
}

TEST_F(JsonCodecTest, NestingLimitIs32Levels) {
  // Captured: a leaf at level 32 is accepted, at level 33 rejected.
  EXPECT_TRUE(parse(nestMaps(31)).ok());
  EXPECT_TRUE(parse(nestLists(31)).ok());
  const std::string msg =
      "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond "
      "supported limit";
  expectValidation(nestMaps(32), msg);
  expectValidation(nestLists(32), msg);
  expectValidation(nestMaps(200), msg);
  // TransactWriteItems' expression values are not depth-checked.
  EXPECT_TRUE(parse(nestMaps(40), ParseOptions{.check_depth = false}).ok());
}

// ---- serialization (SerializationException) ----

TEST_F(JsonCodecTest, AttributeValueMustBeAnObject) {
  expectSerialization(R"("23")", "Unexpected value type in payload");
  expectSerialization(R"(true)", "Unexpected value type in payload");
  expectSerialization(R"(23)", "Unexpected value type in payload");
  expectSerialization(R"([])", "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
  expectSerialization(R"({"L":["23"]})", "Unexpected value type in payload");
  expectSerialization(R"({"M":{"a":[]}})",
                      "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
}

TEST_F(JsonCodecTest, StringMembersMustBeStrings) {
  for (const char* k : {"S", "N"}) {
    std::string p = std::string(R"({")") + k + R"(":)";
    expectSerialization(p + "true}", "TRUE_VALUE cannot be converted to String");
    expectSerialization(p + "false}", "FALSE_VALUE cannot be converted to String");
    expectSerialization(p + "123}", "NUMBER_VALUE cannot be converted to String");
    expectSerialization(p + "-2147483648}", "NUMBER_VALUE cannot be converted to String");
    expectSerialization(p + "34.56}", "DECIMAL_VALUE cannot be converted to String");
    expectSerialization(p + "[]}", "Unrecognized collection type class java.lang.String");
    expectSerialization(p + "{}}", "Start of structure or map found where not expected");
  }
  expectSerialization(R"({"SS":[1]})", "NUMBER_VALUE cannot be converted to String");
  expectSerialization(R"({"NS":["1",2.5]})", "DECIMAL_VALUE cannot be converted to String");
}

TEST_F(JsonCodecTest, BooleanMembersMustBeBooleans) {
  for (const char* k : {"BOOL", "NULL"}) {
    std::string p = std::string(R"({")") + k + R"(":)";
    expectSerialization(p + R"("23"})", "Unexpected token received from parser");
    expectSerialization(p + "23}", "NUMBER_VALUE cannot be converted to Boolean");
    expectSerialization(p + "34.56}", "DECIMAL_VALUE cannot be converted to Boolean");
    expectSerialization(p + "[]}", "Unrecognized collection type class java.lang.Boolean");
    expectSerialization(p + "{}}", "Start of structure or map found where not expected");
  }
}

TEST_F(JsonCodecTest, BlobMembersMustBeBase64Strings) {
  expectSerialization(R"({"B":true})", "only base-64-encoded strings are convertible to bytes");
  expectSerialization(R"({"B":23})", "only base-64-encoded strings are convertible to bytes");
  expectSerialization(R"({"B":[]})", "Unrecognized collection type class java.nio.ByteBuffer");
  expectSerialization(R"({"B":{}})", "Start of structure or map found where not expected");
  expectSerialization(R"({"B":"23456"})", "Base64 encoded length is expected a multiple of 4 bytes but found: 5");
  expectSerialization(R"({"B":"=+/="})", "Invalid last non-pad Base64 character dectected");
  expectSerialization(R"({"BS":["+/+="]})", "Invalid last non-pad Base64 character dectected");
  expectSerialization(R"({"M":{"a":{"BS":["Yg==",5]}}})", "only base-64-encoded strings are convertible to bytes");
}

TEST_F(JsonCodecTest, ListAndMapMembersMustBeContainers) {
  for (const char* k : {"SS", "NS", "BS", "L"}) {
    std::string p = std::string(R"({")") + k + R"(":)";
    expectSerialization(p + R"("23"})", "Unexpected field type");
    expectSerialization(p + "true}", "Unexpected field type");
    expectSerialization(p + "23}", "Unexpected field type");
    expectSerialization(p + "{}}", "Start of structure or map found where not expected");
  }
  expectSerialization(R"({"M":"23"})", "Unexpected field type");
  expectSerialization(R"({"M":34.56})", "Unexpected field type");
  expectSerialization(R"({"M":[]})",
                      "Unrecognized collection type java.util.Map<java.lang.String, "
                      "com.amazonaws.dynamodb.v20120810.AttributeValue>");
}

TEST_F(JsonCodecTest, SerializationErrorsComeBeforeValidationErrors) {
  // Coral deserializes the whole input before DynamoDB validates any of it.
  expectSerialization(R"({"L":[{"N":"bad"},{"S":5}]})", "NUMBER_VALUE cannot be converted to String");
  expectSerialization(R"({"SS":[],"B":"x"})", "Base64 encoded length is expected a multiple of 4 bytes but found: 1");
  auto item = parseItemJson(R"({"a":{"N":"bad"},"b":{"S":true}})");
  ASSERT_FALSE(item.ok());
  EXPECT_EQ(item.status().code(), StatusCode::kSerialization);
  EXPECT_EQ(item.status().message(), "TRUE_VALUE cannot be converted to String");
}

// ---- items ----

TEST_F(JsonCodecTest, ItemsParseAndWrite) {
  auto item = parseItemJson(R"({"pk":{"S":"k"},"n":{"N":"007"},"m":{"M":{"x":{"L":[{"BOOL":true}]}}}})");
  ASSERT_TRUE(item.ok()) << item.status().message();
  EXPECT_EQ(item->size(), 3u);
  EXPECT_EQ(item->at("n"), AttributeValue::N("7"));
  JsonWriter w;
  writeItem(w, *item);
  EXPECT_EQ(w.str(), R"({"m":{"M":{"x":{"L":[{"BOOL":true}]}}},"n":{"N":"7"},"pk":{"S":"k"}})");
  auto empty = parseItemJson("{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_F(JsonCodecTest, ItemShapeErrors) {
  auto arr = parseItemJson("[]");
  EXPECT_EQ(arr.status().code(), StatusCode::kSerialization);
  EXPECT_EQ(arr.status().message(),
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.AttributeValue>");
  auto str = parseItemJson(R"("x")");
  EXPECT_EQ(str.status().message(), "Unexpected field type");
  auto member = parseItemJson(R"({"a":"x"})");
  EXPECT_EQ(member.status().message(), "Unexpected value type in payload");
  auto nul = parseItemJson(R"({"a":null})");
  EXPECT_EQ(nul.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(nul.status().message(), kEmpty);
  auto deep = parseItemJson(R"({"a":)" + nestMaps(32) + "}");
  EXPECT_EQ(deep.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(JsonCodecTest, ShapeCheckAlone) {
  auto doc = parser_.parse(std::string(R"({"N":"not a number"})"));
  EXPECT_TRUE(checkAttributeValueShape(doc.value_unsafe()).ok());
  auto doc2 = parser_.parse(std::string(R"({"a":{"N":5}})"));
  EXPECT_EQ(checkItemShape(doc2.value_unsafe()).message(), "NUMBER_VALUE cannot be converted to String");
}

TEST_F(JsonCodecTest, WriterEncodesBinaryAsBase64) {
  AttributeValue bs;
  bs.type = AttrType::kBS;
  bs.set = {std::string("\x00", 1), "foobar"};
  EXPECT_EQ(write(bs), R"({"BS":["AA==","Zm9vYmFy"]})");
  EXPECT_EQ(write(AttributeValue::B("f")), R"({"B":"Zg=="})");
  EXPECT_EQ(write(AttributeValue::Null()), R"({"NULL":true})");
  EXPECT_EQ(write(AttributeValue::N("-1.5")), R"({"N":"-1.5"})");
}

// ---- attribute names (Alternator test_limits.py; the texts: json_codec.h) ----

const std::string kTooLarge =
    "1 validation error detected: Attribute name is too large, must be less than 65536 bytes";

TEST_F(JsonCodecTest, ItemNamesUpTo65535BytesAreAccepted) {
  std::string name(65535, 'n');
  auto r = parseItemJson(R"({"p":{"S":"x"},")" + name + R"(":{"N":"1"}})");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->size(), 2u);
  EXPECT_EQ(r->count(name), 1u);
  // Nested map keys too.
  auto nested = parse(R"({"M":{")" + name + R"(":{"S":"v"}}})");
  ASSERT_TRUE(nested.ok()) << nested.status().message();
  EXPECT_EQ(nested->map.count(name), 1u);
}

TEST_F(JsonCodecTest, ItemNameOf65536BytesIsTooLarge) {
  std::string name(65536, 'n');
  auto r = parseItemJson(R"({"p":{"S":"x"},")" + name + R"(":{"N":"1"}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), kTooLarge);
  // Nested map keys: same text, in an item and in a lone value.
  auto in_item = parseItemJson(R"({"p":{"S":"x"},"m":{"M":{"a":{"M":{")" + name + R"(":{"S":"v"}}}}}})");
  ASSERT_FALSE(in_item.ok());
  EXPECT_EQ(in_item.status().message(), kTooLarge);
  expectValidation(R"({"M":{")" + name + R"(":{"S":"v"}}})", kTooLarge);
}

TEST_F(JsonCodecTest, NameSizeIsCheckedBeforeValuesAndEmptyNames) {
  std::string name(70000, 'n');
  // The bad value and the empty name come first in the item; the size of a
  // later name is still what is reported.
  auto r = parseItemJson(R"({"a":{"N":"x"},"":{"S":"v"},")" + name + R"(":{"S":"v"}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), kTooLarge);
}

TEST_F(JsonCodecTest, EmptyTopLevelNameIsRejected) {
  auto r = parseItemJson(R"({"p":{"S":"x"},"":{"N":"1"}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "Empty attribute name");
  // Attribute by attribute: a bad value before the empty name wins.
  auto first = parseItemJson(R"({"a":{"N":"x"},"":{"N":"1"}})");
  ASSERT_FALSE(first.ok());
  EXPECT_NE(first.status().message(), "Empty attribute name");
  // Nested empty map keys are kept (only top-level names are item names).
  auto nested = parseItemJson(R"({"m":{"M":{"":{"S":"v"}}}})");
  ASSERT_TRUE(nested.ok()) << nested.status().message();
  EXPECT_EQ(nested->at("m").map.count(""), 1u);
}

TEST_F(JsonCodecTest, CheckAttributeNameHelpers) {
  EXPECT_TRUE(checkAttributeName("a").ok());
  EXPECT_TRUE(checkAttributeName(std::string(65535, 'a')).ok());
  EXPECT_EQ(checkAttributeName("").message(), "Empty attribute name");
  EXPECT_EQ(checkAttributeName(std::string(65536, 'a')).message(), kTooLarge);
  EXPECT_TRUE(checkAttributeNameSize("").ok());
  // Bytes, not characters: 21846 three-byte characters are 65538 bytes.
  std::string wide;
  for (int i = 0; i < 21846; ++i) wide += "\xe2\x82\xac";
  EXPECT_EQ(checkAttributeNameSize(wide).message(), kTooLarge);
}

}  // namespace
}  // namespace fdyno::model
