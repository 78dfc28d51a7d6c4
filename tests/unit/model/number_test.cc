// normalizeNumber / compareNumbers: DynamoDB's number rules. Sources for the
// expected values: ScyllaDB test/alternator/test_number.py (accepted and
// rejected literals), dynalite's captured messages, the conformance suite's
// numberPrecision tests, boto3 issue #2500 (1e100 comes back as plain digits).
#include "model/number.h"

#include <gtest/gtest.h>

#include <random>

#include "model/decimal.h"

namespace fdyno::model {
namespace {

std::string zeros(size_t n) { return std::string(n, '0'); }

std::string norm(std::string_view s) {
  auto r = normalizeNumber(s);
  EXPECT_TRUE(r.ok()) << s << ": " << r.status().message();
  return r.ok() ? *r : "<error>";
}

Status err(std::string_view s) {
  auto r = normalizeNumber(s);
  EXPECT_FALSE(r.ok()) << s << " was accepted as " << (r.ok() ? *r : "");
  return r.ok() ? Status::OK() : r.status();
}

TEST(NumberTest, NormalizationTable) {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"0", "0"},
      {"42", "42"},
      {"00042", "42"},
      {"1.5E2", "150"},
      {"1.5e2", "150"},
      {"-0", "0"},
      {"+0", "0"},
      {"0.0", "0"},
      {"-0.0e-5", "0"},
      {"0e1000", "0"},
      {"+3", "3"},
      {".123", "0.123"},
      {"-.5", "-0.5"},
      {"1.", "1"},
      {"0001.23", "1.23"},
      {"1e+5", "100000"},
      {"1E5", "100000"},
      {"1E+0", "1"},
      {"-17e5", "-1700000"},
      {"-7.1234", "-7.1234"},
      {"3.1400", "3.14"},
      {"1.0", "1"},
      {"100", "100"},
      {"1E2", "100"},
      {"1E-7", "0.0000001"},
      {"1.23e-2", "0.0123"},
      {"123.456e1", "1234.56"},
      {"123.456e-1", "12.3456"},
      {"-17.4E37", "-174" + zeros(36)},
      {"1e100", "1" + zeros(100)},
      {"1e125", "1" + zeros(125)},
      {"-1e-100", "-0." + zeros(99) + "1"},
      {"1E-130", "0." + zeros(129) + "1"},
      {"9.9999999999999999999999999999999999999E+125", std::string(38, '9') + zeros(88)},
      {"12345678901234567890123456789012345678", "12345678901234567890123456789012345678"},
      {"0.00000000000000000000000000000000000001", "0.00000000000000000000000000000000000001"},
      {"3.1415926535897932384626433832795028841", "3.1415926535897932384626433832795028841"},
      {"31415926535897932384626433832795028841e30", "31415926535897932384626433832795028841" + zeros(30)},
      {"1000000000000000000000000000000000000000000", "1" + zeros(42)},  // 1 significant digit
      {"0.000100", "0.0001"},
  };
  for (const auto& c : cases) EXPECT_EQ(norm(c.in), c.out) << c.in;
}

TEST(NumberTest, NormalizedFormIsAFixedPoint) {
  for (std::string s : std::vector<std::string>{"42", "-1.5", "0.0001", "1" + zeros(100), "0." + zeros(129) + "1"}) {
    EXPECT_EQ(norm(s), s);
  }
}

TEST(NumberTest, EmptyStringMessageHasNoSuffix) {
  Status s = err("");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "The parameter cannot be converted to a numeric value");
}

TEST(NumberTest, SyntaxErrorsQuoteTheText) {
  for (std::string s : std::vector<std::string>{"abc", "NaN", "Infinity", "-Infinity", "-NaN", "dog", "-dog", " 1", "1 ", "1e", "e5",
                        ".", "-", "+", "1e+", "1e-", "0x10", "1..2", "1.2.3", "--1", "+-1", "1e5.5", "1,000",
                        "1_000", "1E5E5", ".e5", "\t1", "1f", "0b1"}) {
    Status st = err(s);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << s;
    EXPECT_EQ(st.message(), "The parameter cannot be converted to a numeric value: " + s) << s;
  }
}

TEST(NumberTest, Overflow) {
  for (std::string s : std::vector<std::string>{"1e126", "-1e126", "11e125", "1E+126", "99999999999999999999999999999999999999e89",
                        "10" + zeros(125), "1e2147483647"}) {
    EXPECT_EQ(err(s).message(),
              "Number overflow. Attempting to store a number with magnitude larger than supported range")
        << s;
  }
}

TEST(NumberTest, Underflow) {
  for (std::string s : std::vector<std::string>{"1e-131", "-1e-131", "0.9e-130", "0." + zeros(130) + "1", "1e-2147483647"}) {
    EXPECT_EQ(err(s).message(),
              "Number underflow. Attempting to store a number with magnitude smaller than supported range")
        << s;
  }
}

TEST(NumberTest, TooManyDigits) {
  for (std::string s : std::vector<std::string>{"123456789012345678901234567890123456789", "-1.23456789012345678901234567890123456789",
                        "3.14159265358979323846264338327950288419", "314159265358979323846.264338327950288419",
                        "314159265358979323846264338327950288419e30", "1.00000000000000000000000000000000000001"}) {
    EXPECT_EQ(err(s).message(), "Attempting to store more than 38 significant digits in a Number") << s;
  }
}

TEST(NumberTest, RangeIsCheckedBeforePrecision) {
  // dynalite's order (exponent first, then digit count).
  EXPECT_EQ(err("1234567890123456789012345678901234567891e200").message(),
            "Number overflow. Attempting to store a number with magnitude larger than supported range");
  EXPECT_EQ(err("1234567890123456789012345678901234567891e-200").message(),
            "Number underflow. Attempting to store a number with magnitude smaller than supported range");
}

TEST(NumberTest, ExponentBeyondJavaIntIsNotANumber) {
  EXPECT_EQ(err("1e2147483648").message(), "The parameter cannot be converted to a numeric value: 1e2147483648");
}

TEST(NumberTest, CompareTable) {
  struct Case {
    const char *a, *b;
    int want;
  } cases[] = {
      {"0", "0", 0},        {"1", "0", 1},          {"-1", "0", -1},      {"-1", "1", -1},
      {"2", "10", -1},      {"10", "9.99", 1},      {"0.5", "0.05", 1},   {"0.1", "0.11", -1},
      {"0.11", "0.1", 1},   {"-0.1", "-0.11", 1},   {"-2", "-10", 1},     {"1.5", "1.5", 0},
      {"1.5", "1.25", 1},   {"123", "123.0001", -1}, {"-123", "-123.0001", 1}, {"0.001", "0.01", -1},
      {"100", "99.999", 1}, {"-100", "-99.999", -1},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(compareNumbers(c.a, c.b), c.want) << c.a << " vs " << c.b;
    EXPECT_EQ(compareNumbers(c.b, c.a), -c.want) << c.b << " vs " << c.a;
  }
}

// Random normalized numbers; compareNumbers must agree with Decimal::compare.
TEST(NumberTest, ComparePropertyAgreesWithDecimal) {
  std::mt19937_64 rng(42);
  auto randomNumber = [&]() {
    std::uniform_int_distribution<int> nd(1, 38), ex(-60, 60), dig(0, 9), coin(0, 1);
    std::string d;
    int n = nd(rng);
    for (int i = 0; i < n; ++i) d.push_back(static_cast<char>('0' + dig(rng)));
    return Decimal::fromParts(coin(rng), d, ex(rng) / (coin(rng) ? 1 : 8)).toString();
  };
  for (int i = 0; i < 5000; ++i) {
    std::string a = randomNumber(), b = randomNumber();
    if (i % 7 == 0) b = a;
    auto da = Decimal::parse(a), db = Decimal::parse(b);
    ASSERT_TRUE(da.ok() && db.ok()) << a << " " << b;
    EXPECT_EQ(compareNumbers(a, b), da->compare(*db)) << a << " vs " << b;
  }
}

}  // namespace
}  // namespace fdyno::model
