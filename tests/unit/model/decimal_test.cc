// Decimal: exact arithmetic for UpdateExpression's + and -.
#include "model/decimal.h"

#include <gtest/gtest.h>

#include <random>

namespace fdyno::model {
namespace {

Decimal D(std::string_view s) {
  auto r = Decimal::parse(s);
  EXPECT_TRUE(r.ok()) << s << ": " << r.status().message();
  return r.ok() ? *r : Decimal();
}

std::string sum(std::string_view a, std::string_view b) {
  auto r = D(a).add(D(b));
  return r.ok() ? r->toString() : "error: " + r.status().message();
}

std::string diff(std::string_view a, std::string_view b) {
  auto r = D(a).subtract(D(b));
  return r.ok() ? r->toString() : "error: " + r.status().message();
}

const std::string kOverflow =
    "error: Number overflow. Attempting to store a number with magnitude larger than supported range";

TEST(DecimalTest, ParseExposesParts) {
  Decimal d = D("-1.500e3");
  EXPECT_TRUE(d.isNegative());
  EXPECT_EQ(d.digits(), "15");
  EXPECT_EQ(d.exponent(), 2);
  EXPECT_EQ(d.adjustedExponent(), 3);
  EXPECT_EQ(d.toString(), "-1500");
  Decimal z = D("-0.000");
  EXPECT_TRUE(z.isZero());
  EXPECT_FALSE(z.isNegative());
  EXPECT_EQ(z.toString(), "0");
}

TEST(DecimalTest, RoundTripThroughText) {
  for (std::string s : std::vector<std::string>{"0", "1", "-1", "0.5", "-0.0001", "123456789.987654321", "99999999999999999999999999999999999999",
                        "1" + std::string(125, '0'), "0." + std::string(129, '0') + "1"}) {
    EXPECT_EQ(D(s).toString(), s);
    EXPECT_EQ(D(D(s).toString()), D(s));
  }
}

TEST(DecimalTest, FromIntAndFromParts) {
  EXPECT_EQ(Decimal::fromInt(0).toString(), "0");
  EXPECT_EQ(Decimal::fromInt(-120).toString(), "-120");
  EXPECT_EQ(Decimal::fromInt(INT64_MIN).toString(), "-9223372036854775808");
  EXPECT_EQ(Decimal::fromParts(false, "000120", -3).toString(), "0.12");
  EXPECT_EQ(Decimal::fromParts(true, "000", 5).toString(), "0");
}

TEST(DecimalTest, AddAndSubtractExactly) {
  // ScyllaDB test_update_expression_plus_precision: no double rounding.
  EXPECT_EQ(sum("1", "10000000000000000000000"), "10000000000000000000001");
  EXPECT_EQ(diff("10000000000000000000000", "1"), "9999999999999999999999");
  EXPECT_EQ(sum("0.1", "0.2"), "0.3");
  EXPECT_EQ(sum("-5", "3"), "-2");
  EXPECT_EQ(sum("5", "-3"), "2");
  EXPECT_EQ(diff("5", "5"), "0");
  EXPECT_EQ(diff("-5", "-5"), "0");
  EXPECT_EQ(sum("0", "-7.5"), "-7.5");
  EXPECT_EQ(sum("-7.5", "0"), "-7.5");
  EXPECT_EQ(diff("0", "7.5"), "-7.5");
  EXPECT_EQ(sum("99.99", "0.01"), "100");
  EXPECT_EQ(diff("100", "0.01"), "99.99");
  EXPECT_EQ(sum("1e125", "1e125"), "2" + std::string(125, '0'));
  EXPECT_EQ(diff("1e-129", "1e-130"), "0." + std::string(129, '0') + "9");
  EXPECT_EQ(sum("12345678901234567890123456789012345678", "1"), "12345678901234567890123456789012345679");
}

TEST(DecimalTest, ArithmeticOverflowUsesDynamoDbsMessage) {
  // test_update_expression_plus_overflow
  EXPECT_EQ(sum("9e125", "9e125"), kOverflow);
  EXPECT_EQ(diff("9e125", "-9e125"), kOverflow);
  EXPECT_EQ(sum("-9e125", "-9e125"), kOverflow);
  // test_update_expression_plus_imprecise: DynamoDB says "overflow" for a
  // result needing more than 38 digits.
  EXPECT_EQ(diff("1e50", "1"), kOverflow);
  EXPECT_EQ(sum("1e50", "1"), kOverflow);
  EXPECT_EQ(sum("99999999999999999999999999999999999999", "0.1"), kOverflow);
  // Far-apart operands are refused without building huge digit strings.
  EXPECT_EQ(sum("1e125", "1e-130"), kOverflow);
}

TEST(DecimalTest, ArithmeticUnderflow) {
  EXPECT_EQ(diff("1.000000000000000000000000000000000001e-130", "1e-130"),
            "error: Number underflow. Attempting to store a number with magnitude smaller than supported range");
}

TEST(DecimalTest, CompareByValue) {
  EXPECT_LT(D("-10").compare(D("-9")), 0);
  EXPECT_GT(D("0.5").compare(D("-100")), 0);
  EXPECT_EQ(D("1.50").compare(D("1.5")), 0);
  EXPECT_LT(D("0").compare(D("1e-130")), 0);
  EXPECT_GT(D("0").compare(D("-1e-130")), 0);
  EXPECT_LT(D("1.2").compare(D("1.21")), 0);
  EXPECT_EQ(D("0").negated().toString(), "0");
  EXPECT_EQ(D("3").negated().toString(), "-3");
}

TEST(DecimalTest, ParseSyntaxSkipsLimits) {
  auto r = Decimal::parseSyntax("1e500");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->adjustedExponent(), 500);
  EXPECT_EQ(r->checkRange().message(),
            "Number overflow. Attempting to store a number with magnitude larger than supported range");
  EXPECT_EQ(Decimal::parseSyntax("x").status().message(),
            "The parameter cannot be converted to a numeric value: x");
}

// Property: integer sums agree with __int128 arithmetic, at random scales.
TEST(DecimalTest, RandomSumsMatchInt128) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> val(-999999999999999999LL, 999999999999999999LL);
  std::uniform_int_distribution<int> scale(-20, 20);
  auto text = [](__int128 v) {
    bool neg = v < 0;
    unsigned __int128 m = neg ? -static_cast<unsigned __int128>(v) : v;
    std::string s;
    do {
      s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
      m /= 10;
    } while (m);
    return (neg ? "-" : "") + s;
  };
  for (int i = 0; i < 3000; ++i) {
    int64_t a = val(rng), b = val(rng);
    int sc = scale(rng);
    // Both operands share the exponent `sc`, so the exact sum is (a+b)e{sc}.
    std::string ea = std::to_string(a) + "e" + std::to_string(sc);
    std::string eb = std::to_string(b) + "e" + std::to_string(sc);
    __int128 s = static_cast<__int128>(a) + b, d = static_cast<__int128>(a) - b;
    auto ps = Decimal::parse(text(s) + "e" + std::to_string(sc));
    auto pd = Decimal::parse(text(d) + "e" + std::to_string(sc));
    ASSERT_TRUE(ps.ok() && pd.ok());
    auto rs = D(ea).add(D(eb));
    auto rd = D(ea).subtract(D(eb));
    ASSERT_TRUE(rs.ok() && rd.ok());
    EXPECT_EQ(rs->toString(), ps->toString()) << ea << " + " << eb;
    EXPECT_EQ(rd->toString(), pd->toString()) << ea << " - " << eb;
    EXPECT_EQ(rs->compare(*ps), 0);
  }
}

}  // namespace
}  // namespace fdyno::model
