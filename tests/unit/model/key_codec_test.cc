// Key encoding: memcmp order of encodings == DynamoDB's order; round trips;
// self-delimiting concatenation. Rules: docs/storage-format.md "Key values".
#include "model/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "model/decimal.h"
#include "model/number.h"

namespace fdyno::model {
namespace {

std::string enc(const AttributeValue& v) {
  std::string s;
  encodeKeyValue(s, v);
  return s;
}

int sgn(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }
// memcmp order (unsigned bytes, a proper prefix first), spelled out so the
// test does not depend on char_traits<char>.
int bytesOrder(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
  if (c != 0) return sgn(c);
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

std::string hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string h;
  for (unsigned char c : s) {
    h.push_back(d[c >> 4]);
    h.push_back(d[c & 15]);
  }
  return h;
}

std::string randomNumber(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> nd(1, 38), dig(0, 9), coin(0, 1), pick(0, 9);
  int kind = pick(rng);
  if (kind == 0) return "0";
  std::string d;
  int n = kind < 3 ? nd(rng) % 4 + 1 : nd(rng);
  for (int i = 0; i < n; ++i) d.push_back(static_cast<char>('0' + dig(rng)));
  if (d[0] == '0') d[0] = '1';
  // Keep the adjusted exponent within DynamoDB's range.
  std::uniform_int_distribution<int> ex(-130, 125 - (n - 1));
  int e = kind < 5 ? ex(rng) : ex(rng) / 20;
  Decimal x = Decimal::fromParts(coin(rng), d, e);
  EXPECT_TRUE(x.checkRange().ok()) << x.toString();
  return x.toString();
}

std::string randomBytes(std::mt19937_64& rng, bool utf8ish) {
  std::string s(rng() % 6, '\0');
  for (auto& c : s) {
    uint64_t r = rng() % 8;
    // Many zeros and small alphabets make prefixes and escapes common.
    c = static_cast<char>(r == 0 ? 0 : r == 1 ? 0xFF : r == 2 ? 0x01 : 'a' + static_cast<int>(rng() % 3));
    if (utf8ish && static_cast<unsigned char>(c) == 0xFF) c = 'z';
  }
  return s;
}

TEST(KeyCodecTest, StringVectors) {
  EXPECT_EQ(hex(enc(AttributeValue::S(""))), "0000");
  EXPECT_EQ(hex(enc(AttributeValue::S("a"))), "610000");
  EXPECT_EQ(hex(enc(AttributeValue::B(std::string("a\0b", 3)))), "6100ff620000");
  EXPECT_EQ(hex(enc(AttributeValue::B(std::string("\0", 1)))), "00ff0000");
}

TEST(KeyCodecTest, NumberVectors) {
  EXPECT_EQ(hex(enc(AttributeValue::N("0"))), "02");
  // 1 = 0.1 x 10^1: tag 03, exponent 1+129=130 (0x82), pair 10 -> last byte 20.
  EXPECT_EQ(hex(enc(AttributeValue::N("1"))), "038214");
  // 123 = 0.123 x 10^3: pairs 12 (more follows: 25), 30 (last: 60).
  EXPECT_EQ(hex(enc(AttributeValue::N("123"))), "0384193c");
  // -1: tag 01, exponent 255-130=125 (0x7d), digit 255-20=235 (0xeb).
  EXPECT_EQ(hex(enc(AttributeValue::N("-1"))), "017deb");
  // Extremes use the whole exponent byte.
  EXPECT_EQ(hex(enc(AttributeValue::N("0." + std::string(129, '0') + "1"))), "030014");
  EXPECT_EQ(hex(enc(AttributeValue::N("1" + std::string(125, '0')))), "03ff14");
}

TEST(KeyCodecTest, NumberOrderTable) {
  const char* ascending[] = {"-99999999999999999999999999999999999999", "-100", "-99.5", "-10", "-2", "-1.5", "-1", "-0.5", "-0.05", "-0.0001",
                             "0", "0.0001", "0.05", "0.5", "1", "1.05", "1.5", "2", "10", "99.5", "100", "100.5",
                             "99999999999999999999999999999999999999"};
  std::string prev;
  for (size_t i = 0; i < std::size(ascending); ++i) {
    std::string e = enc(AttributeValue::N(ascending[i]));
    if (i > 0) {
      EXPECT_LT(bytesOrder(prev, e), 0) << ascending[i - 1] << " vs " << ascending[i];
    }
    prev = e;
  }
}

TEST(KeyCodecTest, NumberPropertyOrderAndRoundTrip) {
  std::mt19937_64 rng(2024);
  for (int i = 0; i < 20000; ++i) {
    std::string a = randomNumber(rng), b = i % 11 == 0 ? a : randomNumber(rng);
    std::string ea = enc(AttributeValue::N(a)), eb = enc(AttributeValue::N(b));
    ASSERT_EQ(bytesOrder(ea, eb), compareNumbers(a, b)) << a << " vs " << b;
    std::string_view in = ea;
    auto d = decodeKeyValue(in, AttrType::kN);
    ASSERT_TRUE(d.ok()) << a;
    EXPECT_EQ(d->scalar, a);
    EXPECT_TRUE(in.empty());
  }
}

TEST(KeyCodecTest, BytesPropertyOrderAndRoundTrip) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 20000; ++i) {
    AttrType t = i % 2 ? AttrType::kS : AttrType::kB;
    std::string a = randomBytes(rng, t == AttrType::kS), b = randomBytes(rng, t == AttrType::kS);
    AttributeValue va, vb;
    va.type = vb.type = t;
    va.scalar = a;
    vb.scalar = b;
    std::string ea = enc(va), eb = enc(vb);
    ASSERT_EQ(bytesOrder(ea, eb), bytesOrder(a, b)) << hex(a) << " vs " << hex(b);
    std::string_view in = ea;
    auto d = decodeKeyValue(in, t);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->scalar, a);
    EXPECT_EQ(d->type, t);
    EXPECT_TRUE(in.empty());
  }
}

TEST(KeyCodecTest, ConcatenatedKeysOrderByPartitionThenSort) {
  std::mt19937_64 rng(5);
  const AttrType types[] = {AttrType::kS, AttrType::kN, AttrType::kB};
  for (int i = 0; i < 20000; ++i) {
    AttrType pt = types[i % 3], st = types[(i / 3) % 3];
    auto make = [&](AttrType t) {
      AttributeValue v;
      v.type = t;
      v.scalar = t == AttrType::kN ? randomNumber(rng) : randomBytes(rng, t == AttrType::kS);
      return v;
    };
    auto order = [](const AttributeValue& x, const AttributeValue& y) {
      return x.type == AttrType::kN ? compareNumbers(x.scalar, y.scalar) : bytesOrder(x.scalar, y.scalar);
    };
    AttributeValue p1 = make(pt), s1 = make(st), p2 = i % 4 == 0 ? p1 : make(pt), s2 = make(st);
    std::string k1 = enc(p1) + enc(s1), k2 = enc(p2) + enc(s2);
    int want = order(p1, p2);
    if (want == 0) want = order(s1, s2);
    ASSERT_EQ(bytesOrder(k1, k2), want) << p1.scalar << "/" << s1.scalar << " vs " << p2.scalar << "/" << s2.scalar;
    // Decoding the concatenation yields both parts and consumes everything.
    std::string_view in = k1;
    auto dp = decodeKeyValue(in, pt);
    auto ds = decodeKeyValue(in, st);
    ASSERT_TRUE(dp.ok() && ds.ok());
    EXPECT_EQ(dp->scalar, p1.scalar);
    EXPECT_EQ(ds->scalar, s1.scalar);
    EXPECT_TRUE(in.empty());
  }
}

TEST(KeyCodecTest, CorruptInputIsReported) {
  auto bad = [](std::string bytes, AttrType t) {
    std::string_view in = bytes;
    auto r = decodeKeyValue(in, t);
    EXPECT_FALSE(r.ok()) << hex(bytes);
    return r.ok() ? StatusCode::kOk : r.status().code();
  };
  EXPECT_EQ(bad("", AttrType::kN), StatusCode::kCorruption);
  EXPECT_EQ(bad("\x07", AttrType::kN), StatusCode::kCorruption);
  EXPECT_EQ(bad("\x03\x82", AttrType::kN), StatusCode::kCorruption);      // no digits
  EXPECT_EQ(bad("\x03\x82\x15", AttrType::kN), StatusCode::kCorruption);  // never ends
  EXPECT_EQ(bad("\x03\x82\xC8", AttrType::kN), StatusCode::kCorruption);  // byte > 199
  EXPECT_EQ(bad(std::string("\x03\x82\x00", 3), AttrType::kN), StatusCode::kCorruption);  // 00 last pair
  EXPECT_EQ(bad("abc", AttrType::kS), StatusCode::kCorruption);
  EXPECT_EQ(bad(std::string("a\0", 2), AttrType::kS), StatusCode::kCorruption);
  EXPECT_EQ(bad(std::string("a\0\x05", 3), AttrType::kB), StatusCode::kCorruption);
  EXPECT_EQ(bad("x", AttrType::kBool), StatusCode::kInvalidArgument);
  // Every truncation of a valid number encoding fails cleanly.
  std::string full = enc(AttributeValue::N("-123.456"));
  for (size_t n = 0; n < full.size(); ++n) EXPECT_EQ(bad(full.substr(0, n), AttrType::kN), StatusCode::kCorruption);
}

}  // namespace
}  // namespace fdyno::model
