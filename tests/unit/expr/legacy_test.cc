// Legacy conditional parameters: conversion to expressions, DynamoDB's
// validation messages, and truth tables evaluated through RequestExpressions.
// Sources of the expected behaviour: see src/expr/legacy*.cc headers.
#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "expr/expression.h"
#include "expr/legacy.h"
#include "model/json_codec.h"

namespace fdyno::expr {
namespace {

using model::AttributeValue;

// Keeps every parsed document alive for the test's duration.
simdjson::dom::element json(const std::string& text) {
  static std::deque<simdjson::dom::parser> parsers;
  parsers.emplace_back();
  simdjson::dom::element e;
  auto err = parsers.back().parse(text).get(e);
  EXPECT_EQ(err, simdjson::SUCCESS) << text;
  return e;
}

model::Item item(const std::string& text) {
  auto r = model::parseItem(json(text));
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : model::Item{};
}

// Converts a condition-style parameter and evaluates it over `item_json` ("" = no item).
enum class Kind { kExpected, kFilter };
bool eval(Kind kind, const std::string& param, const std::string& item_json, std::string_view cond_op = "") {
  auto conv = kind == Kind::kExpected ? convertExpected(json(param), cond_op)
                                      : convertFilter(json(param), cond_op, "ScanFilter");
  EXPECT_TRUE(conv.ok()) << param << ": " << conv.status().message();
  if (!conv.ok()) return false;
  RequestExpressions rx(&conv->names, &conv->values);
  auto cond = rx.condition(conv->expression, kind == Kind::kExpected ? ExprKind::kCondition : ExprKind::kFilter);
  EXPECT_TRUE(cond.ok()) << conv->expression << ": " << cond.status().message();
  if (!cond.ok()) return false;
  EXPECT_TRUE(rx.checkUnused().ok()) << conv->expression;
  if (item_json.empty()) return cond->evaluate(nullptr);
  model::Item it = item(item_json);
  return cond->evaluate(&it);
}

// One condition on attribute "a" in ScanFilter form and in Expected form;
// both must agree (the same operator semantics).
bool op(const std::string& comparison, const std::string& values, const std::string& item_json) {
  std::string c = R"({"a": {"ComparisonOperator": ")" + comparison + R"(", "AttributeValueList": )" + values + "}}";
  bool filter = eval(Kind::kFilter, c, item_json);
  bool expected = eval(Kind::kExpected, c, item_json);
  EXPECT_EQ(filter, expected) << comparison << " " << values << " on " << item_json;
  return filter;
}

std::string expectedError(const std::string& param, std::string_view cond_op = "") {
  auto r = convertExpected(json(param), cond_op);
  EXPECT_FALSE(r.ok()) << param;
  return r.ok() ? "" : r.status().message();
}

std::string filterError(const std::string& param, std::string_view cond_op = "") {
  auto r = convertFilter(json(param), cond_op, "QueryFilter");
  EXPECT_FALSE(r.ok()) << param;
  return r.ok() ? "" : r.status().message();
}

const std::string kNum = R"({"a": {"N": "1"}})";
const std::string kStr = R"({"a": {"S": "hello"}})";
const std::string kBin = R"({"a": {"B": "aGkgdGhlcmU="}})";  // "hi there"
const std::string kNumSet = R"({"a": {"NS": ["2", "4", "7"]}})";
const std::string kStrSet = R"({"a": {"SS": ["dog", "cat"]}})";
const std::string kList = R"({"a": {"L": [{"N": "2"}, {"N": "4"}, {"N": "7"}]}})";
const std::string kMap = R"({"a": {"M": {"x": {"N": "1"}}}})";
const std::string kNull = R"({"a": {"NULL": true}})";
const std::string kBool = R"({"a": {"BOOL": true}})";
const std::string kMissing = R"({"b": {"N": "1"}})";

// ---------------- truth tables ----------------

TEST(LegacyTruth, Eq) {
  EXPECT_TRUE(op("EQ", R"([{"N": "1"}])", kNum));
  EXPECT_FALSE(op("EQ", R"([{"N": "2"}])", kNum));
  EXPECT_FALSE(op("EQ", R"([{"S": "1"}])", kNum));  // other type: false, not an error
  EXPECT_FALSE(op("EQ", R"([{"N": "1"}])", kMissing));
  EXPECT_FALSE(op("EQ", R"([{"N": "1"}])", ""));
  EXPECT_TRUE(op("EQ", R"([{"NS": ["7", "2", "4"]}])", kNumSet));  // sets compare as sets
  EXPECT_TRUE(op("EQ", R"([{"L": [{"N": "2"}, {"N": "4"}, {"N": "7"}]}])", kList));
  EXPECT_TRUE(op("EQ", R"([{"M": {"x": {"N": "1"}}}])", kMap));
  EXPECT_TRUE(op("EQ", R"([{"BOOL": true}])", kBool));
  EXPECT_TRUE(op("EQ", R"([{"NULL": true}])", kNull));
}

TEST(LegacyTruth, NeIsTrueOnMissingAndOtherTypes) {
  EXPECT_FALSE(op("NE", R"([{"N": "1"}])", kNum));
  EXPECT_TRUE(op("NE", R"([{"N": "2"}])", kNum));
  EXPECT_TRUE(op("NE", R"([{"S": "1"}])", kNum));
  EXPECT_TRUE(op("NE", R"([{"N": "1"}])", kMissing));
  EXPECT_TRUE(op("NE", R"([{"N": "1"}])", ""));
}

TEST(LegacyTruth, Ordering) {
  EXPECT_TRUE(op("LE", R"([{"N": "2"}])", kNum));
  EXPECT_TRUE(op("LE", R"([{"N": "1"}])", kNum));
  EXPECT_FALSE(op("LE", R"([{"N": "0"}])", kNum));
  EXPECT_FALSE(op("LT", R"([{"N": "1"}])", kNum));
  EXPECT_TRUE(op("LT", R"([{"N": "10"}])", kNum));
  EXPECT_TRUE(op("GE", R"([{"N": "1"}])", kNum));
  EXPECT_FALSE(op("GT", R"([{"N": "1"}])", kNum));
  EXPECT_TRUE(op("GT", R"([{"S": "aardvark"}])", kStr));
  EXPECT_FALSE(op("LT", R"([{"B": "ZG9n"}])", kBin));  // "hi there" < "dog": bytes 'h' > 'd'
  EXPECT_TRUE(op("GT", R"([{"B": "ZG9n"}])", kBin));
}

TEST(LegacyTruth, OrderingFalseOnOtherTypeOrMissing) {
  EXPECT_FALSE(op("LE", R"([{"S": "1"}])", kNum));
  EXPECT_FALSE(op("GT", R"([{"N": "0"}])", kStr));
  EXPECT_FALSE(op("GE", R"([{"N": "0"}])", kMissing));
  EXPECT_FALSE(op("LT", R"([{"N": "5"}])", kNumSet));
}

TEST(LegacyTruth, NullAndNotNullTestPresence) {
  EXPECT_TRUE(op("NOT_NULL", "[]", kNum));
  EXPECT_TRUE(op("NOT_NULL", "[]", kNull));  // the NULL type exists
  EXPECT_FALSE(op("NOT_NULL", "[]", kMissing));
  EXPECT_FALSE(op("NOT_NULL", "[]", ""));
  EXPECT_TRUE(op("NULL", "[]", kMissing));
  EXPECT_TRUE(op("NULL", "[]", ""));
  EXPECT_FALSE(op("NULL", "[]", kNull));
  EXPECT_FALSE(op("NULL", "[]", kStr));
}

TEST(LegacyTruth, Contains) {
  EXPECT_TRUE(op("CONTAINS", R"([{"S": "ell"}])", kStr));
  EXPECT_FALSE(op("CONTAINS", R"([{"S": "dog"}])", kStr));
  EXPECT_FALSE(op("CONTAINS", R"([{"N": "1"}])", kStr));
  EXPECT_TRUE(op("CONTAINS", R"([{"N": "4"}])", kNumSet));
  EXPECT_FALSE(op("CONTAINS", R"([{"N": "1"}])", kNumSet));
  EXPECT_TRUE(op("CONTAINS", R"([{"S": "dog"}])", kStrSet));  // membership, not substring
  EXPECT_FALSE(op("CONTAINS", R"([{"S": "do"}])", kStrSet));
  EXPECT_TRUE(op("CONTAINS", R"([{"N": "4"}])", kList));
  EXPECT_FALSE(op("CONTAINS", R"([{"N": "1"}])", kList));
  EXPECT_TRUE(op("CONTAINS", R"([{"B": "aGVyZQ=="}])", kBin));  // "here"
  EXPECT_FALSE(op("CONTAINS", R"([{"B": "ZG9n"}])", kBin));
  EXPECT_FALSE(op("CONTAINS", R"([{"N": "1"}])", kMissing));
}

TEST(LegacyTruth, NotContainsIsFalseOnMissing) {
  EXPECT_TRUE(op("NOT_CONTAINS", R"([{"S": "dog"}])", kStr));
  EXPECT_TRUE(op("NOT_CONTAINS", R"([{"N": "1"}])", kStr));  // other type: not contained
  EXPECT_TRUE(op("NOT_CONTAINS", R"([{"N": "1"}])", kNumSet));
  EXPECT_TRUE(op("NOT_CONTAINS", R"([{"N": "1"}])", kList));
  EXPECT_TRUE(op("NOT_CONTAINS", R"([{"B": "ZG9n"}])", kBin));
  EXPECT_FALSE(op("NOT_CONTAINS", R"([{"S": "ell"}])", kStr));
  EXPECT_FALSE(op("NOT_CONTAINS", R"([{"N": "4"}])", kNumSet));
  EXPECT_FALSE(op("NOT_CONTAINS", R"([{"N": "4"}])", kList));
  EXPECT_FALSE(op("NOT_CONTAINS", R"([{"N": "1"}])", kMissing));  // unlike NE
  EXPECT_FALSE(op("NOT_CONTAINS", R"([{"N": "1"}])", ""));
}

TEST(LegacyTruth, BeginsWith) {
  EXPECT_TRUE(op("BEGINS_WITH", R"([{"S": "hell"}])", kStr));
  EXPECT_FALSE(op("BEGINS_WITH", R"([{"S": "dog"}])", kStr));
  EXPECT_TRUE(op("BEGINS_WITH", R"([{"B": "aGk="}])", kBin));
  EXPECT_FALSE(op("BEGINS_WITH", R"([{"S": "1"}])", kNum));  // number attribute: false
  EXPECT_FALSE(op("BEGINS_WITH", R"([{"S": "h"}])", kMissing));
}

TEST(LegacyTruth, InChecksTheAttributeAgainstTheList) {
  std::string c3 = R"({"a": {"N": "3"}})";
  EXPECT_TRUE(op("IN", R"([{"N": "2"}, {"N": "3"}, {"N": "8"}])", c3));
  EXPECT_FALSE(op("IN", R"([{"N": "1"}, {"N": "2"}, {"N": "4"}])", c3));
  EXPECT_FALSE(op("IN", R"([{"N": "2"}])", kNumSet));  // a set attribute never matches
  EXPECT_FALSE(op("IN", R"([{"N": "2"}, {"N": "4"}, {"N": "7"}])", kNumSet));
  EXPECT_FALSE(op("IN", R"([{"N": "3"}])", kMissing));
}

TEST(LegacyTruth, InBeyondTheExpressionOperandLimit) {
  std::string values = "[";
  for (int i = 0; i < 250; ++i) values += (i ? ", " : "") + std::string(R"({"N": ")") + std::to_string(i) + "\"}";
  values += "]";
  EXPECT_TRUE(op("IN", values, R"({"a": {"N": "249"}})"));
  EXPECT_TRUE(op("IN", values, R"({"a": {"N": "150"}})"));
  EXPECT_FALSE(op("IN", values, R"({"a": {"N": "250"}})"));
}

TEST(LegacyTruth, Between) {
  std::string c2 = R"({"a": {"N": "2"}})";
  EXPECT_TRUE(op("BETWEEN", R"([{"N": "1"}, {"N": "3"}])", c2));
  EXPECT_TRUE(op("BETWEEN", R"([{"N": "1"}, {"N": "2"}])", c2));
  EXPECT_TRUE(op("BETWEEN", R"([{"N": "2"}, {"N": "3"}])", c2));
  EXPECT_FALSE(op("BETWEEN", R"([{"N": "0"}, {"N": "1"}])", c2));
  EXPECT_FALSE(op("BETWEEN", R"([{"S": "cat"}, {"S": "dog"}])", c2));
  EXPECT_TRUE(op("BETWEEN", R"([{"S": "aardvark"}, {"S": "zebra"}])", kStr));
  EXPECT_FALSE(op("BETWEEN", R"([{"N": "0"}, {"N": "100"}])", kMissing));
}

TEST(LegacyTruth, ExpectedValueAndExistsForms) {
  EXPECT_TRUE(eval(Kind::kExpected, R"({"a": {"Value": {"N": "1"}}})", kNum));
  EXPECT_FALSE(eval(Kind::kExpected, R"({"a": {"Value": {"N": "2"}}})", kNum));
  EXPECT_FALSE(eval(Kind::kExpected, R"({"z": {"Value": {"N": "1"}}})", kNum));
  EXPECT_TRUE(eval(Kind::kExpected, R"({"a": {"Exists": true, "Value": {"N": "1"}}})", kNum));
  EXPECT_FALSE(eval(Kind::kExpected, R"({"a": {"Exists": true, "Value": {"N": "2"}}})", kNum));
  EXPECT_TRUE(eval(Kind::kExpected, R"({"z": {"Exists": false}})", kNum));
  EXPECT_FALSE(eval(Kind::kExpected, R"({"a": {"Exists": false}})", kNum));
  EXPECT_TRUE(eval(Kind::kExpected, R"({"a": {"Exists": false}})", ""));
  EXPECT_TRUE(eval(Kind::kExpected, R"({"a": {"Exists": "false"}})", ""));  // Coral's boolean strings
  // ComparisonOperator with Value instead of AttributeValueList.
  EXPECT_TRUE(eval(Kind::kExpected, R"({"a": {"ComparisonOperator": "GT", "Value": {"N": "0"}}})", kNum));
}

TEST(LegacyTruth, ConditionalOperatorAndOr) {
  std::string item2 = R"({"a": {"N": "1"}, "b": {"N": "2"}})";
  std::string exp = R"({"a": {"Exists": true, "Value": {"N": "1"}},
                        "b": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "2"}]},
                        "c": {"Exists": false}})";
  EXPECT_TRUE(eval(Kind::kExpected, exp, item2));
  EXPECT_TRUE(eval(Kind::kExpected, exp, item2, "AND"));
  EXPECT_FALSE(eval(Kind::kExpected, exp, R"({"a": {"N": "1"}, "b": {"N": "3"}})", "AND"));
  std::string any = R"({"a": {"Value": {"N": "74"}},
                        "b": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "999"}]},
                        "c": {"Exists": false}})";
  EXPECT_TRUE(eval(Kind::kExpected, any, item2, "OR"));
  EXPECT_FALSE(eval(Kind::kExpected, any, R"({"a": {"N": "1"}, "c": {"N": "3"}})", "OR"));
  // NOT_CONTAINS and chunked IN stay whole under OR.
  std::string f = R"({"x": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "q"}]},
                      "y": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}})";
  EXPECT_TRUE(eval(Kind::kFilter, f, R"({"y": {"N": "1"}})", "OR"));
  EXPECT_FALSE(eval(Kind::kFilter, f, R"({"y": {"N": "2"}})", "OR"));
  EXPECT_FALSE(eval(Kind::kFilter, f, R"({"x": {"S": "q"}, "y": {"N": "1"}})", "AND"));
}

TEST(LegacyTruth, EmptyMapsMeanNoCondition) {
  auto e = convertExpected(json("{}"), "");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->expression, "");
  auto f = convertFilter(json("{}"), "", "QueryFilter");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->expression, "");
}

TEST(LegacyConversion, GeneratedTextAndLiteralNames) {
  auto r = convertExpected(json(R"({"status": {"Value": {"S": "x"}}, "a.b": {"Exists": false},
                                   "c": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "q"}]}})"),
                           "OR");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->expression,
            "#_e0 = :_e0 OR attribute_not_exists(#_e1) OR (attribute_exists(#_e2) AND NOT contains(#_e2, :_e1))");
  EXPECT_EQ(r->names.at("#_e0"), "status");  // a reserved word, literal through the map
  EXPECT_EQ(r->names.at("#_e1"), "a.b");     // a dot is part of the name
  EXPECT_EQ(r->values.at(":_e1"), AttributeValue::S("q"));
  // "a.b" is the top-level attribute, not a path.
  EXPECT_TRUE(eval(Kind::kExpected, R"({"a.b": {"Value": {"N": "1"}}})", R"({"a.b": {"N": "1"}})"));
  EXPECT_FALSE(eval(Kind::kExpected, R"({"a.b": {"Value": {"N": "1"}}})", R"({"a": {"M": {"b": {"N": "1"}}}})"));
}

// ---------------- Expected validation (dynalite putItem.js/deleteItem.js) ----------------

TEST(LegacyExpected, ValueExistsMessages) {
  EXPECT_EQ(expectedError(R"({"a": {}})"),
            "One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: a");
  EXPECT_EQ(expectedError(R"({"a": null})"),
            "One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: a");
  EXPECT_EQ(expectedError(R"({"a": {"Exists": true}})"),
            "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a");
  EXPECT_EQ(expectedError(R"({"a": {"Exists": false, "Value": {"S": "a"}}})"),
            "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a");
}

TEST(LegacyExpected, ComparisonOperatorMessages) {
  EXPECT_EQ(expectedError(R"({"a": {"ComparisonOperator": "LT"}})"),
            "One or more parameter values were invalid: Value or AttributeValueList must be used with "
            "ComparisonOperator: LT for Attribute: a");
  EXPECT_EQ(expectedError(R"({"a": {"Exists": true, "ComparisonOperator": "LT"}})"),
            "One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for "
            "Attribute: a");
  EXPECT_EQ(expectedError(R"({"a": {"AttributeValueList": [{"S": "a"}], "Value": {"S": "a"}, "ComparisonOperator": "LT"}})"),
            "One or more parameter values were invalid: Value and AttributeValueList cannot be used together for "
            "Attribute: a");
  EXPECT_EQ(expectedError(R"({"a": {"AttributeValueList": [{"S": "a"}]}})"),
            "One or more parameter values were invalid: AttributeValueList can only be used with a "
            "ComparisonOperator for Attribute: a");
  EXPECT_EQ(expectedError(R"({"a": {"Exists": true, "AttributeValueList": [{"S": "a"}]}})"),
            "One or more parameter values were invalid: AttributeValueList can only be used with a "
            "ComparisonOperator for Attribute: a");
  EXPECT_EQ(expectedError(R"({"a": {"Exists": false, "ComparisonOperator": "EQ", "AttributeValueList": [{"N": "3"}]}})"),
            "One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for "
            "Attribute: a");
}

TEST(LegacyExpected, ArgumentCounts) {
  auto count = [](std::string_view o) {
    return "One or more parameter values were invalid: Invalid number of argument(s) for the " + std::string(o) +
           " ComparisonOperator";
  };
  EXPECT_EQ(expectedError(R"({"a": {"AttributeValueList": [], "ComparisonOperator": "EQ"}})"), count("EQ"));
  EXPECT_EQ(expectedError(R"({"a": {"AttributeValueList": [{"S": "a"}], "ComparisonOperator": "NULL"}})"),
            count("NULL"));
  EXPECT_EQ(expectedError(R"({"a": {"AttributeValueList": [], "ComparisonOperator": "IN"}})"), count("IN"));
  EXPECT_EQ(expectedError(
                R"({"a": {"AttributeValueList": [{"N": "1"}, {"N": "10"}, {"N": "12"}], "ComparisonOperator": "BETWEEN"}})"),
            count("BETWEEN"));
  EXPECT_EQ(expectedError(R"({"a": {"Value": {"S": "a"}, "ComparisonOperator": "NULL"}})"), count("NULL"));
  EXPECT_EQ(expectedError(R"({"a": {"Value": {"S": "a"}, "ComparisonOperator": "BETWEEN"}})"), count("BETWEEN"));
  EXPECT_EQ(expectedError(R"({"a": {"AttributeValueList": [{"N": "2"}, {"N": "3"}], "ComparisonOperator": "NE"}})"),
            count("NE"));
  EXPECT_EQ(expectedError(R"({"a": {"AttributeValueList": [], "ComparisonOperator": "CONTAINS"}})"), count("CONTAINS"));
}

TEST(LegacyExpected, TypesAndBetweenOrder) {
  EXPECT_EQ(expectedError(R"({"a": {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "b"}, {"N": "1"}]}})"),
            "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same "
            "type");
  EXPECT_EQ(expectedError(R"({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"S": "b"}, {"S": "a"}]}})"),
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
  EXPECT_EQ(expectedError(R"({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "4"}, {"N": "3"}]}})"),
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
  EXPECT_EQ(expectedError(R"({"a": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "3"}]}})"),
            "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N "
            "AttributeValue type");
  EXPECT_EQ(expectedError(R"({"a": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"L": [{"N": "1"}]}]}})"),
            "One or more parameter values were invalid: ComparisonOperator CONTAINS is not valid for L AttributeValue "
            "type");
}

TEST(LegacyExpected, ConditionalOperatorRules) {
  EXPECT_EQ(expectedError("{}", "OR"), "ConditionalOperator cannot be used without Filter or Expected");
  EXPECT_EQ(expectedError("{}", "AND"), "ConditionalOperator cannot be used without Filter or Expected");
  EXPECT_EQ(expectedError(R"({"a": {"Value": {"S": "x"}}})", "AND"),
            "ConditionalOperator can only be used when Filter or Expected has two or more elements");
  EXPECT_EQ(expectedError(R"({"a": {"Value": {"S": "x"}}, "b": {"Value": {"S": "y"}}})", "AN"),
            "1 validation error detected: Value 'AN' at 'conditionalOperator' failed to satisfy constraint: Member "
            "must satisfy enum value set: [OR, AND]");
}

TEST(LegacyExpected, AttributeValuesValidatedFirst) {
  // The bad value of the second entry wins over the first entry's rule error.
  EXPECT_EQ(expectedError(R"({"a": {"Exists": true}, "b": {"Value": {"SS": []}}})"),
            "One or more parameter values were invalid: An string set  may not be empty");
  EXPECT_EQ(expectedError(R"({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{}]}})"),
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
}

TEST(LegacyExpected, ShapeErrorsAreSerialization) {
  auto r = convertExpected(json(R"({"a": {"Exists": 5}})"), "");
  EXPECT_EQ(r.status().code(), StatusCode::kSerialization);
  EXPECT_EQ(r.status().message(), "NUMBER_VALUE cannot be converted to Boolean");
  r = convertExpected(json(R"({"a": {"ComparisonOperator": true}})"), "");
  EXPECT_EQ(r.status().code(), StatusCode::kSerialization);
  EXPECT_EQ(r.status().message(), "TRUE_VALUE cannot be converted to String");
  r = convertExpected(json(R"({"a": []})"), "");
  EXPECT_EQ(r.status().message(),
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue");
  r = convertExpected(json(R"([])"), "");
  EXPECT_EQ(r.status().code(), StatusCode::kSerialization);
  r = convertExpected(json(R"({"a": {"AttributeValueList": {"S": "x"}, "ComparisonOperator": "EQ"}})"), "");
  EXPECT_EQ(r.status().message(), "Start of structure or map found where not expected");
  r = convertExpected(json(R"({"a": {"ComparisonOperator": "XX", "Value": {"S": "x"}}})"), "");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "1 validation error detected: Value 'XX' at 'expected.a.member.comparisonOperator' failed to satisfy "
            "constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, "
            "NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
}

// ---------------- QueryFilter / ScanFilter validation (dynalite scan.js/query.js) ----------------

TEST(LegacyFilter, ArgumentCountForEveryOperator) {
  const char* ops[] = {"EQ", "NE", "LE", "LT", "GE", "GT", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH", "IN", "BETWEEN"};
  for (const char* o : ops) {
    EXPECT_EQ(filterError(R"({"a": {"ComparisonOperator": ")" + std::string(o) + "\"}}"),
              "One or more parameter values were invalid: Invalid number of argument(s) for the " + std::string(o) +
                  " ComparisonOperator");
  }
  const char* two[] = {"EQ", "NE", "LE", "LT", "GE", "GT", "CONTAINS", "NOT_CONTAINS", "NULL", "NOT_NULL"};
  for (const char* o : two) {
    EXPECT_EQ(filterError(R"({"a": {"ComparisonOperator": ")" + std::string(o) +
                          R"(", "AttributeValueList": [{"S": "a"}, {"S": "a"}]}})"),
              "One or more parameter values were invalid: Invalid number of argument(s) for the " + std::string(o) +
                  " ComparisonOperator");
  }
}

TEST(LegacyFilter, OperandTypes) {
  const char* ordering[] = {"LT", "LE", "GT", "GE", "IN"};
  const char* bad[] = {R"({"BOOL": true})", R"({"NULL": true})", R"({"SS": ["a"]})", R"({"NS": ["1"]})",
                       R"({"BS": ["abcd"]})", R"({"M": {}})", R"({"L": []})"};
  const char* bad_names[] = {"BOOL", "NULL", "SS", "NS", "BS", "M", "L"};
  for (const char* o : ordering) {
    for (size_t i = 0; i < std::size(bad); ++i) {
      EXPECT_EQ(filterError(R"({"a": {"ComparisonOperator": ")" + std::string(o) + R"(", "AttributeValueList": [)" +
                            bad[i] + "]}}"),
                "One or more parameter values were invalid: ComparisonOperator " + std::string(o) +
                    " is not valid for " + bad_names[i] + " AttributeValue type");
    }
  }
  for (const char* o : {"CONTAINS", "NOT_CONTAINS"}) {
    for (size_t i = 2; i < std::size(bad); ++i) {
      EXPECT_EQ(filterError(R"({"a": {"ComparisonOperator": ")" + std::string(o) + R"(", "AttributeValueList": [)" +
                            bad[i] + "]}}"),
                "One or more parameter values were invalid: ComparisonOperator " + std::string(o) +
                    " is not valid for " + bad_names[i] + " AttributeValue type");
    }
  }
  for (size_t i = 0; i < std::size(bad); ++i) {
    EXPECT_EQ(filterError(R"({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [)" + std::string(bad[i]) +
                          ", " + bad[i] + "]}}"),
              "One or more parameter values were invalid: ComparisonOperator BETWEEN is not valid for " +
                  std::string(bad_names[i]) + " AttributeValue type");
  }
  EXPECT_EQ(filterError(R"({"a": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "1"}]}})"),
            "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N "
            "AttributeValue type");
  EXPECT_EQ(filterError(R"({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "4"}, {"S": "dog"}]}})"),
            "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same "
            "type");
}

TEST(LegacyFilter, ConstraintsAndConditionalOperator) {
  EXPECT_EQ(filterError(R"({"a": {}, "b": {"ComparisonOperator": ""}})"),
            "2 validation errors detected: Value null at 'queryFilter.a.member.comparisonOperator' failed to satisfy "
            "constraint: Member must not be null; Value '' at 'queryFilter.b.member.comparisonOperator' failed to "
            "satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, "
            "NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
  // Operator names are case-sensitive (ScyllaDB test_query_filter_case_sensitive).
  EXPECT_EQ(filterError(R"({"i": {"ComparisonOperator": "eq", "AttributeValueList": [{"N": "3"}]}})"),
            "1 validation error detected: Value 'eq' at 'queryFilter.i.member.comparisonOperator' failed to satisfy "
            "constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, "
            "NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
  EXPECT_EQ(filterError("{}", "AND"), "ConditionalOperator cannot be used without Filter or Expected");
  EXPECT_EQ(filterError(R"({"a": {"ComparisonOperator": "NULL"}})", "OR"),
            "ConditionalOperator can only be used when Filter or Expected has two or more elements");
  // Values are validated before the operand count.
  EXPECT_EQ(filterError(R"({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}, {"SS": ["a", "a"]}]}})"),
            "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
}

// ---------------- KeyConditions ----------------

Result<LegacyConversion> keyConv(const std::string& s) { return convertKeyConditions(json(s)); }

TEST(LegacyKeyConditions, ConvertsToAKeyConditionExpression) {
  auto conv = keyConv(R"({"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]},
                          "sk": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]}})");
  ASSERT_TRUE(conv.ok()) << conv.status().message();
  EXPECT_EQ(conv->expression, "#_k0 = :_k0 AND #_k1 BETWEEN :_k1 AND :_k2");
  RequestExpressions rx(&conv->names, &conv->values);
  auto kc = rx.keyCondition(conv->expression);
  ASSERT_TRUE(kc.ok()) << kc.status().message();
  ASSERT_TRUE(kc->validateSchema({"pk", model::AttrType::kS, "sk", model::AttrType::kN}).ok());
  EXPECT_EQ(kc->partition().name, "pk");
  ASSERT_NE(kc->sort(), nullptr);
  EXPECT_EQ(kc->sort()->op, KeyOp::kBetween);
  EXPECT_EQ(*kc->sort()->value2, AttributeValue::N("5"));

  auto bw = keyConv(R"({"sk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "x"}]},
                        "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}})");
  ASSERT_TRUE(bw.ok());
  RequestExpressions rx2(&bw->names, &bw->values);
  auto kc2 = rx2.keyCondition(bw->expression);
  ASSERT_TRUE(kc2.ok()) << kc2.status().message();
  ASSERT_TRUE(kc2->validateSchema({"pk", model::AttrType::kS, "sk", model::AttrType::kS}).ok());
  EXPECT_EQ(kc2->partition().name, "pk");
  EXPECT_EQ(kc2->sort()->op, KeyOp::kBeginsWith);
}

TEST(LegacyKeyConditions, Messages) {
  EXPECT_EQ(keyConv("{}").status().message(), "Conditions can be of length 1 or 2 only");
  EXPECT_EQ(keyConv(R"({"a": {"ComparisonOperator": "NULL"}, "b": {"ComparisonOperator": "NULL"},
                        "c": {"ComparisonOperator": "NULL"}})").status().message(),
            "Conditions can be of length 1 or 2 only");
  EXPECT_EQ(keyConv(R"({"a": {"ComparisonOperator": "EQ"}, "b": {"ComparisonOperator": "NULL"}, "c": {"ComparisonOperator": "NULL"}})")
                .status().message(),
            "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator");
  EXPECT_EQ(keyConv(R"({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}, {"NULL": "no"}, {}]}})")
                .status().message(),
            "One or more parameter values were invalid: Null attribute value types must have the value of true");
  EXPECT_EQ(keyConv(R"({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"S": "b"}, {"S": "a"}]}})")
                .status().message(),
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
  EXPECT_EQ(keyConv(R"({"a": {"AttributeValueList": [{"S": "b"}]}})").status().message(),
            "1 validation error detected: Value null at 'keyConditions.a.member.comparisonOperator' failed to "
            "satisfy constraint: Member must not be null");
}

Status schemaCheck(const std::string& s, const KeySchemaView& schema) {
  auto e = json(s);
  auto conv = convertKeyConditions(e);
  EXPECT_TRUE(conv.ok()) << conv.status().message();
  return checkKeyConditionsSchema(e, schema);
}

TEST(LegacyKeyConditions, SchemaChecksInDynamoDBOrder) {
  KeySchemaView hash{"a", model::AttrType::kS, std::nullopt, std::nullopt};
  KeySchemaView range{"a", model::AttrType::kS, "b", model::AttrType::kS};
  KeySchemaView index4{"c", model::AttrType::kS, "d", model::AttrType::kS};
  const std::string not_indexable = "Attempted conditional constraint is not an indexable operation";
  for (const char* c : {R"({"ComparisonOperator": "NULL"})", R"({"ComparisonOperator": "NOT_NULL"})",
                        R"({"ComparisonOperator": "NE", "AttributeValueList": [{"N": "1"}]})",
                        R"({"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "a"}]})",
                        R"({"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "a"}]})",
                        R"({"ComparisonOperator": "IN", "AttributeValueList": [{"S": "a"}]})"}) {
    EXPECT_EQ(schemaCheck(R"({"a": )" + std::string(c) + "}", hash).message(), not_indexable) << c;
    EXPECT_EQ(schemaCheck(R"({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "b"}]}, "b": )" +
                              std::string(c) + "}",
                          range)
                  .message(),
              not_indexable)
        << c;
  }
  // The missed key element is reported before the non-indexable operator.
  EXPECT_EQ(schemaCheck(R"({"c": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "b"}]},
                            "b": {"ComparisonOperator": "NULL"}})",
                        index4)
                .message(),
            "Query condition missed key schema element: d");
  const std::string unsupported = "Query key condition not supported";
  EXPECT_EQ(schemaCheck(R"({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]},
                            "b": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}})",
                        hash)
                .message(),
            unsupported);
  for (const char* o : {"LE", "LT", "GE", "GT", "BEGINS_WITH"}) {
    EXPECT_EQ(schemaCheck(R"({"a": {"ComparisonOperator": ")" + std::string(o) +
                              R"(", "AttributeValueList": [{"S": "a"}]}})",
                          hash)
                  .message(),
              unsupported);
  }
  EXPECT_EQ(schemaCheck(R"({"z": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}})", hash).message(),
            "Query condition missed key schema element: a");
  EXPECT_EQ(schemaCheck(R"({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}})", hash).message(),
            "One or more parameter values were invalid: Condition parameter type does not match schema type");
  EXPECT_TRUE(schemaCheck(R"({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}})", range).ok());
  EXPECT_TRUE(schemaCheck(R"({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]},
                              "b": {"ComparisonOperator": "GT", "AttributeValueList": [{"S": "a"}]}})",
                          range)
                  .ok());
}

// ---------------- AttributeUpdates ----------------

std::string updatesError(const std::string& s) {
  auto r = convertAttributeUpdates(json(s));
  EXPECT_FALSE(r.ok()) << s;
  return r.ok() ? "" : r.status().message();
}

// Applies AttributeUpdates to `before`; returns the error message or "".
std::string applyUpdates(const std::string& updates, model::Item& it) {
  auto conv = convertAttributeUpdates(json(updates));
  EXPECT_TRUE(conv.ok()) << conv.status().message();
  if (!conv.ok()) return "convert failed";
  RequestExpressions rx(&conv->names, &conv->values);
  auto upd = rx.update(conv->expression);
  EXPECT_TRUE(upd.ok()) << conv->expression << ": " << upd.status().message();
  if (!upd.ok()) return "parse failed";
  EXPECT_TRUE(rx.checkUnused().ok());
  Status s = translateAttributeUpdatesError(upd->apply(it));
  return s.message();
}

TEST(LegacyAttributeUpdates, Messages) {
  EXPECT_EQ(updatesError(R"({"a": {"x": "whatever"}})"),
            "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is "
            "specified");
  EXPECT_EQ(updatesError(R"({"a": {"Action": "ADD"}})"),
            "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is "
            "specified");
  const std::pair<const char*, const char*> del_bad[] = {{"S", R"({"S": "1"})"},     {"N", R"({"N": "1"})"},
                                                         {"B", R"({"B": "Yg=="})"},   {"NULL", R"({"NULL": true})"},
                                                         {"BOOL", R"({"BOOL": true})"}, {"M", R"({"M": {}})"},
                                                         {"L", R"({"L": []})"}};
  for (const auto& [type, v] : del_bad) {
    EXPECT_EQ(updatesError(R"({"a": {"Action": "DELETE", "Value": )" + std::string(v) + "}}"),
              "One or more parameter values were invalid: DELETE action with value is not supported for the type " +
                  std::string(type));
  }
  const std::pair<const char*, const char*> add_bad[] = {{"S", R"({"S": "1"})"},
                                                         {"B", R"({"B": "Yg=="})"},
                                                         {"NULL", R"({"NULL": true})"},
                                                         {"BOOL", R"({"BOOL": true})"},
                                                         {"M", R"({"M": {}})"}};
  for (const auto& [type, v] : add_bad) {
    EXPECT_EQ(updatesError(R"({"a": {"Action": "ADD", "Value": )" + std::string(v) + "}}"),
              "One or more parameter values were invalid: ADD action is not supported for the type " +
                  std::string(type));
  }
  EXPECT_EQ(updatesError(R"({"a": {"Action": "PUT", "Value": {"SS": []}}})"),
            "One or more parameter values were invalid: An string set  may not be empty");
  EXPECT_EQ(updatesError(R"({"a": {"Action": "REPLACE", "Value": {"S": "x"}}})"),
            "1 validation error detected: Value 'REPLACE' at 'attributeUpdates.a.member.action' failed to satisfy "
            "constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]");
  auto r = convertAttributeUpdates(json(R"({"a": {"Action": 1, "Value": {"S": "x"}}})"));
  EXPECT_EQ(r.status().code(), StatusCode::kSerialization);
  EXPECT_EQ(r.status().message(), "NUMBER_VALUE cannot be converted to String");
}

TEST(LegacyAttributeUpdates, GeneratedText) {
  auto conv = convertAttributeUpdates(json(R"({"p": {"Value": {"S": "x"}}, "r": {"Action": "DELETE"},
      "n": {"Action": "ADD", "Value": {"N": "1"}}, "l": {"Action": "ADD", "Value": {"L": [{"N": "1"}]}},
      "d": {"Action": "DELETE", "Value": {"SS": ["a"]}}})"));
  ASSERT_TRUE(conv.ok()) << conv.status().message();
  EXPECT_EQ(conv->expression,
            "SET #_u0 = :_u0, #_u3 = list_append(if_not_exists(#_u3, :_u2), :_u3) REMOVE #_u1 ADD #_u2 :_u1 "
            "DELETE #_u4 :_u4");
  auto empty = convertAttributeUpdates(json("{}"));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->expression, "");
}

TEST(LegacyAttributeUpdates, ApplyResults) {
  model::Item it = item(R"({"pk": {"S": "k"}, "n": {"N": "10"}, "tags": {"SS": ["a", "b", "c"]},
                           "list": {"L": [{"S": "a"}, {"N": "1"}]}, "gone": {"S": "x"}, "status": {"S": "old"}})");
  EXPECT_EQ(applyUpdates(R"({"n": {"Action": "ADD", "Value": {"N": "5"}},
                             "tags": {"Action": "DELETE", "Value": {"SS": ["b", "zz"]}},
                             "list": {"Action": "ADD", "Value": {"L": [{"S": "b"}, {"N": "2"}]}},
                             "gone": {"Action": "DELETE"},
                             "status": {"Action": "PUT", "Value": {"S": "new"}}})",
                         it),
            "");
  EXPECT_EQ(it, item(R"({"pk": {"S": "k"}, "n": {"N": "15"}, "tags": {"SS": ["a", "c"]},
                         "list": {"L": [{"S": "a"}, {"N": "1"}, {"S": "b"}, {"N": "2"}]}, "status": {"S": "new"}})"));
  // ADD/DELETE/PUT on missing attributes (dynalite "should just add valid ADD actions if nothing exists").
  model::Item fresh = item(R"({"pk": {"S": "k"}})");
  EXPECT_EQ(applyUpdates(R"({"b": {"Action": "DELETE"}, "c": {"Action": "DELETE", "Value": {"SS": ["a", "b"]}},
                             "d": {"Action": "ADD", "Value": {"N": "5"}}, "e": {"Action": "ADD", "Value": {"SS": ["a", "b"]}},
                             "f": {"Action": "ADD", "Value": {"L": [{"S": "a"}, {"N": "1"}]}}})",
                         fresh),
            "");
  EXPECT_EQ(fresh, item(R"({"pk": {"S": "k"}, "d": {"N": "5"}, "e": {"SS": ["a", "b"]},
                            "f": {"L": [{"S": "a"}, {"N": "1"}]}})"));
  // Set union, and deleting the last element removes the attribute.
  model::Item sets = item(R"({"s": {"SS": ["a", "b"]}, "t": {"NS": ["1"]}})");
  EXPECT_EQ(applyUpdates(R"({"s": {"Action": "ADD", "Value": {"SS": ["b", "c", "d"]}},
                             "t": {"Action": "DELETE", "Value": {"NS": ["1"]}}})",
                         sets),
            "");
  EXPECT_EQ(sets, item(R"({"s": {"SS": ["a", "b", "c", "d"]}})"));
}

TEST(LegacyAttributeUpdates, TypeMismatchUsesTheLegacyText) {
  const std::string base = R"({"b": {"SS": ["1"]}, "c": {"N": "1"}, "d": {"NS": ["1"]}, "s": {"S": "x"}})";
  for (const char* u : {R"({"b": {"Action": "DELETE", "Value": {"NS": ["1"]}}})",
                        R"({"b": {"Action": "DELETE", "Value": {"BS": ["YQ=="]}}})",
                        R"({"c": {"Action": "DELETE", "Value": {"NS": ["1"]}}})",
                        R"({"b": {"Action": "ADD", "Value": {"NS": ["1"]}}})",
                        R"({"d": {"Action": "ADD", "Value": {"N": "1"}}})",
                        R"({"s": {"Action": "ADD", "Value": {"L": [{"N": "1"}]}}})"}) {
    model::Item it = item(base);
    EXPECT_EQ(applyUpdates(u, it), "Type mismatch for attribute to update") << u;
    EXPECT_EQ(it, item(base)) << u;  // unchanged
  }
  EXPECT_EQ(translateAttributeUpdatesError(Status::InvalidArgument("x")).message(), "x");
}

TEST(LegacyAttributeUpdates, ReservedWordsAndDotsAreLiteral) {
  model::Item it = item(R"({"a": {"M": {"b": {"N": "1"}}}})");
  EXPECT_EQ(applyUpdates(R"({"a.b": {"Value": {"N": "2"}}, "size": {"Value": {"N": "3"}}})", it), "");
  EXPECT_EQ(it, item(R"({"a": {"M": {"b": {"N": "1"}}}, "a.b": {"N": "2"}, "size": {"N": "3"}})"));
}

// ---------------- AttributesToGet ----------------

TEST(LegacyAttributesToGet, ProjectionAndMessages) {
  auto conv = convertAttributesToGet(json(R"(["status", "a.b", "c"])"));
  ASSERT_TRUE(conv.ok()) << conv.status().message();
  EXPECT_EQ(conv->expression, "#_p0, #_p1, #_p2");
  RequestExpressions rx(&conv->names, nullptr);
  auto proj = rx.projection(conv->expression);
  ASSERT_TRUE(proj.ok()) << proj.status().message();
  EXPECT_TRUE(rx.checkUnused().ok());
  model::Item it = item(R"({"status": {"S": "x"}, "a.b": {"N": "1"}, "a": {"M": {"b": {"N": "2"}}}, "z": {"N": "0"}})");
  EXPECT_EQ(proj->apply(it), item(R"({"status": {"S": "x"}, "a.b": {"N": "1"}})"));

  EXPECT_EQ(convertAttributesToGet(json(R"(["a", "b", "a"])")).status().message(),
            "One or more parameter values were invalid: Duplicate value in attribute name: a");
  EXPECT_EQ(convertAttributesToGet(json("[]")).status().message(),
            "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must "
            "have length greater than or equal to 1");
  auto ser = convertAttributesToGet(json("[1]"));
  EXPECT_EQ(ser.status().code(), StatusCode::kSerialization);
  EXPECT_EQ(ser.status().message(), "NUMBER_VALUE cannot be converted to String");
  EXPECT_EQ(convertAttributesToGet(json("{}")).status().message(), "Start of structure or map found where not expected");
}

// ---------------- mixing and constraints ----------------

TEST(LegacyMixing, MessagesInDynamoDBOrder) {
  EXPECT_TRUE(checkNoMixing({"Expected"}, {}).ok());
  EXPECT_TRUE(checkNoMixing({}, {"ConditionExpression"}).ok());
  EXPECT_EQ(checkNoMixing({"Expected"}, {"ConditionExpression"}).message(),
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {Expected} Expression parameters: {ConditionExpression}");
  EXPECT_EQ(checkNoMixing({"AttributeUpdates"}, {"UpdateExpression"}).message(),
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}");
  EXPECT_EQ(checkNoMixing({"ConditionalOperator", "Expected", "AttributeUpdates"},
                          {"ConditionExpression", "UpdateExpression"})
                .message(),
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {AttributeUpdates, Expected, ConditionalOperator} Expression parameters: {UpdateExpression, "
            "ConditionExpression}");
  EXPECT_EQ(checkNoMixing({"ConditionalOperator", "ScanFilter", "AttributesToGet"},
                          {"FilterExpression", "ProjectionExpression"})
                .message(),
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {AttributesToGet, ScanFilter, ConditionalOperator} Expression parameters: "
            "{ProjectionExpression, FilterExpression}");
  EXPECT_EQ(checkNoMixing({"KeyConditions", "QueryFilter", "ConditionalOperator"},
                          {"KeyConditionExpression", "FilterExpression", "ProjectionExpression"})
                .message(),
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {QueryFilter, ConditionalOperator, KeyConditions} Expression parameters: "
            "{ProjectionExpression, FilterExpression, KeyConditionExpression}");
  // KeyConditions alone may be combined with FilterExpression/ProjectionExpression.
  EXPECT_TRUE(checkNoMixing({"KeyConditions"}, {"FilterExpression", "ProjectionExpression"}).ok());
  EXPECT_EQ(checkNoMixing({"KeyConditions", "AttributesToGet"}, {"FilterExpression"}).message(),
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {AttributesToGet} Expression parameters: {FilterExpression}");
}

TEST(LegacyConstraints, ViolationsForTheCaller) {
  auto v = legacyConstraintViolations("KeyConditions", json(R"({"a": {}, "b": {"ComparisonOperator": "XX"}})"));
  ASSERT_EQ(v.size(), 2u);
  EXPECT_FALSE(v[0].value.has_value());
  EXPECT_EQ(v[0].path, "keyConditions.a.member.comparisonOperator");
  EXPECT_EQ(v[0].constraint, "Member must not be null");
  EXPECT_EQ(*v[1].value, "XX");
  v = legacyConstraintViolations("ConditionalOperator", json(R"("AN")"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].constraint, "Member must satisfy enum value set: [OR, AND]");
  EXPECT_TRUE(legacyConstraintViolations("ConditionalOperator", json(R"("OR")")).empty());
  EXPECT_TRUE(legacyConstraintViolations("Expected", json(R"({"a": {}})")).empty());  // operator optional
  v = legacyConstraintViolations("AttributesToGet", json("[]"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(*v[0].value, "[]");
}

}  // namespace
}  // namespace fdyno::expr
