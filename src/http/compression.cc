#include "http/compression.h"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>

namespace fdyno::http {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

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

// q-value as DynamoDB reads it (see the header): garbage counts as 1.
double parseQ(std::string_view v) {
  v = trim(v);
  std::string tmp(v);
  char* end = nullptr;
  double q = std::strtod(tmp.c_str(), &end);
  if (tmp.empty() || end != tmp.c_str() + tmp.size()) return 1.0;
  return std::clamp(q, 0.0, 1.0);
}

struct Candidate {
  double q = -1;        // -1: not mentioned
  size_t first_pos = 0;  // index of the first entry naming it
};

}  // namespace

bool parseContentEncoding(std::string_view value, BodyEncoding* out) {
  value = trim(value);
  if (value.empty() || iequals(value, "identity")) {
    *out = BodyEncoding::kIdentity;
  } else if (iequals(value, "gzip")) {
    *out = BodyEncoding::kGzip;
  } else if (iequals(value, "deflate")) {
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
    std::string_view coding = trim(entry.substr(0, semi));
    if (!isToken(coding)) continue;
    double q = 1.0;
    while (semi != std::string_view::npos) {
      size_t next = entry.find(';', semi + 1);
      std::string_view param = entry.substr(semi + 1, next == std::string_view::npos ? next : next - semi - 1);
      semi = next;
      size_t eq = param.find('=');
      if (eq == std::string_view::npos) continue;
      if (iequals(trim(param.substr(0, eq)), "q")) {
        q = parseQ(param.substr(eq + 1));
        break;  // only the first q counts
      }
    }
    Candidate* c = nullptr;
    if (iequals(coding, "gzip")) {
      c = &gzip;
    } else if (iequals(coding, "deflate")) {
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
