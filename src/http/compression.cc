#include "http/compression.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>

#include "http/header_text.h"

namespace fdyno::http {
namespace {

// RFC 9110 token characters.
bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// q-value as DynamoDB (a Java service) reads it: Double.parseDouble after
// trimming, so " 0", "0." and "1e-1" are numbers while "0.x", "0. x" and ""
// are not; a value that does not parse counts as 1 (test_accept_encoding_header).
// std::strtod is not used: it would also take "inf", "nan" and "0x1".
double parseQ(std::string_view v) {
  v = trimOws(v);
  std::string_view num = v;
  if (!num.empty() && (num.back() == 'f' || num.back() == 'F' || num.back() == 'd' || num.back() == 'D'))
    num.remove_suffix(1);  // Java's float/double suffixes
  if (!num.empty() && num.front() == '+') num.remove_prefix(1);
  size_t i = 0, digits = 0;
  auto isDigit = [&](size_t k) { return k < num.size() && num[k] >= '0' && num[k] <= '9'; };
  if (i < num.size() && num[i] == '-') ++i;
  while (isDigit(i)) ++i, ++digits;
  if (i < num.size() && num[i] == '.') {
    ++i;
    while (isDigit(i)) ++i, ++digits;
  }
  if (digits > 0 && i < num.size() && (num[i] == 'e' || num[i] == 'E')) {
    size_t j = i + 1;
    if (j < num.size() && (num[j] == '+' || num[j] == '-')) ++j;
    if (isDigit(j)) {
      while (isDigit(j)) ++j;
      i = j;
    }
  }
  if (digits == 0 || i != num.size()) return 1.0;
  double q = 1.0;
  auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), q);
  if (ec == std::errc::result_out_of_range) {
    // Java gives 0 (underflow) or +-Infinity (overflow); either way clamped.
    const bool underflow = num.find("e-") != std::string_view::npos || num.find("E-") != std::string_view::npos;
    return underflow || num.front() == '-' ? 0.0 : 1.0;
  }
  if (ec != std::errc() || end != num.data() + num.size()) return 1.0;
  return std::clamp(q, 0.0, 1.0);
}

// The q parameter of one Accept-Encoding entry's parameter list (the text
// after the coding's first ';'), as DynamoDB finds it: the first occurrence
// of "q=" anywhere in it, its value running to the next ';'. So "; q=0" is
// q=0 (leading space ignored), "q =0;q=1" is q=1 (the first one has no
// "q="), and "nq=0;q=1" is q=0: all three recorded against DynamoDB in
// test_accept_encoding_header. No "q=" at all means q=1.
double findQ(std::string_view params) {
  for (size_t i = 0; i + 1 < params.size(); ++i) {
    if (asciiLower(params[i]) == 'q' && params[i + 1] == '=') {
      std::string_view value = params.substr(i + 2);
      return parseQ(value.substr(0, value.find(';')));
    }
  }
  return 1.0;
}

struct Candidate {
  double q = -1;        // -1: not mentioned
  size_t first_pos = 0;  // index of the first entry naming it
};

}  // namespace

bool parseContentEncoding(std::string_view value, BodyEncoding* out) {
  value = trimOws(value);
  if (value.empty() || asciiIequals(value, "identity")) {
    *out = BodyEncoding::kIdentity;
  } else if (asciiIequals(value, "gzip")) {
    *out = BodyEncoding::kGzip;
  } else if (asciiIequals(value, "deflate")) {
    *out = BodyEncoding::kDeflate;
  } else {
    return false;
  }
  return true;
}

InflateResult inflateBody(std::string_view in, BodyEncoding enc, size_t limit, std::string& out) {
  out.clear();
  if (enc == BodyEncoding::kIdentity) return InflateResult::kUnsupportedEncoding;
  // An empty body is not a valid gzip (or zlib) stream.
  if (in.empty()) return InflateResult::kCorrupt;
  z_stream zs{};
  const int window_bits = enc == BodyEncoding::kGzip ? 16 + MAX_WBITS : MAX_WBITS;
  if (inflateInit2(&zs, window_bits) != Z_OK) return InflateResult::kCorrupt;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  size_t used = 0;
  InflateResult result = InflateResult::kOk;
  while (true) {
    if (used == out.size()) {
      if (out.size() > limit) {
        result = InflateResult::kTooLarge;
        break;
      }
      size_t grow = std::max<size_t>({out.size() * 2, in.size() * 4, 16 * 1024});
      out.resize(std::min(grow, limit + 1));
    }
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    zs.avail_out = static_cast<uInt>(out.size() - used);
    int rc = inflate(&zs, Z_NO_FLUSH);
    used = out.size() - zs.avail_out;
    if (used > limit) {
      result = InflateResult::kTooLarge;
      break;
    }
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      // More input: only another gzip member may follow.
      if (enc != BodyEncoding::kGzip || inflateReset(&zs) != Z_OK) {
        result = InflateResult::kCorrupt;
        break;
      }
      continue;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && zs.avail_out == 0) continue;  // just needs more room
    result = InflateResult::kCorrupt;  // Z_DATA_ERROR, or input ended mid-stream
    break;
  }
  inflateEnd(&zs);
  if (result == InflateResult::kOk) {
    out.resize(used);
  } else {
    out.clear();
  }
  return result;
}

bool compressBody(std::string_view in, BodyEncoding enc, std::string& out) {
  out.clear();
  if (enc == BodyEncoding::kIdentity) return false;
  z_stream zs{};
  const int window_bits = enc == BodyEncoding::kGzip ? 16 + MAX_WBITS : MAX_WBITS;
  // Level 1: responses are compressed on the request path; JSON compresses
  // well even at the fastest level.
  if (deflateInit2(&zs, 1, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
  out.resize(deflateBound(&zs, static_cast<uLong>(in.size())) + 32);  // + gzip header/trailer
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  size_t produced = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    out.clear();
    return false;
  }
  out.resize(produced);
  return true;
}

BodyEncoding chooseResponseEncoding(std::string_view accept_encoding) {
  Candidate gzip, deflate, star;
  size_t pos = 0, index = 0;
  while (pos <= accept_encoding.size()) {
    size_t comma = accept_encoding.find(',', pos);
    if (comma == std::string_view::npos) comma = accept_encoding.size();
    std::string_view entry = accept_encoding.substr(pos, comma - pos);
    pos = comma + 1;
    size_t semi = entry.find(';');
    std::string_view coding = trimOws(entry.substr(0, semi));
    if (!isToken(coding)) continue;
    const double q = semi == std::string_view::npos ? 1.0 : findQ(entry.substr(semi + 1));
    Candidate* c = nullptr;
    if (asciiIequals(coding, "gzip")) {
      c = &gzip;
    } else if (asciiIequals(coding, "deflate")) {
      c = &deflate;
    } else if (coding == "*") {
      c = &star;
    }
    if (c == nullptr) continue;
    if (c->q < 0) c->first_pos = index++;
    c->q = std::max(c->q, q);
  }
  struct Choice {
    BodyEncoding enc;
    double q;
    bool explicit_;
    size_t pos;
  };
  auto effective = [&](const Candidate& c, BodyEncoding enc, size_t tiebreak) -> Choice {
    if (c.q >= 0) return {enc, c.q, true, c.first_pos};
    if (star.q >= 0) return {enc, star.q, false, tiebreak};
    return {enc, 0.0, false, tiebreak};
  };
  Choice g = effective(gzip, BodyEncoding::kGzip, 0);
  Choice d = effective(deflate, BodyEncoding::kDeflate, 1);
  auto better = [](const Choice& a, const Choice& b) {  // is a preferred over b?
    if (a.q != b.q) return a.q > b.q;
    if (a.explicit_ != b.explicit_) return a.explicit_;
    if (a.explicit_) return a.pos < b.pos;
    return a.enc == BodyEncoding::kGzip;
  };
  const Choice& best = better(g, d) ? g : d;
  return best.q > 0 ? best.enc : BodyEncoding::kIdentity;
}

}  // namespace fdyno::http
