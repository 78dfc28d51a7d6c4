// The RequestExpressions API as the api layer uses it.
#include <gtest/gtest.h>

#include "expr/expression.h"

namespace fdyno::expr {
namespace {

using model::AttributeValue;

TEST(RequestExpressions, ConditionAndUnusedAcrossExpressions) {
  NameMap names{{"#a", "a"}, {"#b", "b"}};
  model::AttributeMap values{{":one", AttributeValue::N("1")}, {":two", AttributeValue::N("2")}};
  RequestExpressions rx(&names, &values);
  ASSERT_TRUE(rx.checkNotEmpty().ok());
  auto upd = rx.update("SET #a = :one");
  ASSERT_TRUE(upd.ok()) << upd.status().message();
  // Not yet used: #b and :two.
  EXPECT_EQ(rx.checkUnused().message(), "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
  auto cond = rx.condition("#b < :two", ExprKind::kCondition);
  ASSERT_TRUE(cond.ok()) << cond.status().message();
  EXPECT_TRUE(rx.checkUnused().ok());

  model::Item item{{"b", AttributeValue::N("1")}};
  EXPECT_TRUE(cond->evaluate(&item));
  EXPECT_FALSE(cond->evaluate(nullptr));
  ASSERT_TRUE(upd->apply(item).ok());
  EXPECT_EQ(item.at("a"), AttributeValue::N("1"));
  ASSERT_EQ(upd->targets().size(), 1u);
  EXPECT_EQ(formatPath(upd->targets()[0]), "[a]");
  EXPECT_EQ(upd->topLevelTargets()[0], "a");
}

TEST(RequestExpressions, ErrorsArePrefixedPerKind) {
  RequestExpressions rx(nullptr, nullptr);
  EXPECT_EQ(rx.condition("", ExprKind::kFilter).status().message(),
            "Invalid FilterExpression: The expression can not be empty;");
  EXPECT_EQ(rx.projection("a, status").status().message(),
            "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: status");
  EXPECT_EQ(rx.condition(std::string(4097, 'a'), ExprKind::kCondition).status().message(),
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097");
  auto same = rx.condition("a = a", ExprKind::kCondition);
  EXPECT_EQ(same.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(same.status().message(),
            "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this "
            "operator or function; operator: =, first operand: [a]");
}

TEST(RequestExpressions, ProjectionAndUpdatedPaths) {
  model::AttributeMap values{{":v", AttributeValue::S("new")}};
  RequestExpressions rx(nullptr, &values);
  auto upd = rx.update("SET m.x = :v");
  ASSERT_TRUE(upd.ok());
  model::Item item;
  item["m"].type = model::AttrType::kM;
  item["m"].map["x"] = AttributeValue::S("old");
  item["m"].map["y"] = AttributeValue::S("keep");
  model::Item old_projection = projectPaths(item, upd->targets());
  ASSERT_TRUE(upd->apply(item).ok());
  model::Item new_projection = projectPaths(item, upd->targets());
  EXPECT_EQ(old_projection.at("m").map.at("x"), AttributeValue::S("old"));
  EXPECT_EQ(new_projection.at("m").map.size(), 1u);
  EXPECT_EQ(new_projection.at("m").map.at("x"), AttributeValue::S("new"));
}

TEST(RequestExpressions, KeyConditionStructure) {
  model::AttributeMap values{{":p", AttributeValue::S("x")}, {":lo", AttributeValue::N("1")},
                             {":hi", AttributeValue::N("5")}};
  RequestExpressions rx(nullptr, &values);
  auto kc = rx.keyCondition("sk BETWEEN :lo AND :hi AND pk = :p");
  ASSERT_TRUE(kc.ok()) << kc.status().message();
  KeySchemaView schema{"pk", model::AttrType::kS, std::string_view("sk"), model::AttrType::kN};
  ASSERT_TRUE(kc->validateSchema(schema).ok());
  EXPECT_EQ(kc->partition().name, "pk");
  ASSERT_NE(kc->sort(), nullptr);
  EXPECT_EQ(kc->sort()->op, KeyOp::kBetween);
  EXPECT_EQ(*kc->sort()->value2, AttributeValue::N("5"));
}

}  // namespace
}  // namespace fdyno::expr
