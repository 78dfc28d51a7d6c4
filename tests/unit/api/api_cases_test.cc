// Runs every case in tests/api_cases/*.txt (format: tests/api_cases/README.md).
//
// Each case is a sequence of requests sent to Dispatcher::handle() over a
// fresh in-memory database (after the file's @setup requests); each request
// states the HTTP status and body it must get. One GoogleTest test per case,
// named <file>_<line> (the line of the case's first line), so a failure names
// the file and line. A case file that does not parse fails the run: its
// errors become failing tests of their own.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "api/dispatcher.h"
#include "engine/database.h"
#include "kv/kv.h"

namespace fdyno::api::cases {

// ---- the case model ----

enum class BodyCheck {
  kEmpty,   // `< 200`: the body is empty (zero bytes)
  kAny,     // `< 200 *`: any body
  kExact,   // `< 200 {json}`: the body parses and equals the JSON
  kSubset,  // `< 200 ~ {json}`: the body parses and contains the JSON
  kError,   // `< 400 Type: message`: the body is exactly that error
};

struct Expectation {
  int line = 0;
  int status = 0;
  BodyCheck check = BodyCheck::kAny;
  std::string text;  // JSON text (kExact, kSubset), the message (kError)
  std::string error_type;  // kError: the short or full __type
  bool has_message = false;  // kError: "Type: message" rather than bare "Type"
};

struct Request {
  int line = 0;
  std::string operation;
  std::string body;  // raw text (macros not yet expanded)
  std::optional<Expectation> expect;  // always set in cases; optional in @setup
};

struct Case {
  std::string file;  // file name, e.g. "items.txt"
  int line = 0;      // first line of the block
  std::string title;  // the block's comment lines
  std::vector<Request> requests;
  // Shared with every case of the file.
  std::shared_ptr<const std::vector<Request>> setup;
  // Set when the file (or this block) is malformed: the test fails with it.
  std::string parse_error;

  std::string where() const { return file + ":" + std::to_string(line); }
  std::string testName() const {
    std::string stem = file.substr(0, file.rfind('.'));
    std::string out;
    for (char c : stem) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return out + "_" + std::to_string(line);
  }
};

// GoogleTest prints a failed test's parameter: the case's place, not its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.where(); }

// ---- macros: {{TEXT*N}}, {{list N: T}}, {{list A..B: T}}, {{$name}} ----

using Vars = std::map<std::string, std::string>;

// Finds the end of a macro body starting at `from` (just after "{{"): the
// first "}}" at brace depth 0 (braces inside the body, e.g. a JSON template,
// must balance). Returns npos if there is none.
size_t macroEnd(const std::string& s, size_t from) {
  int depth = 0;
  for (size_t i = from; i < s.size(); ++i) {
    if (s[i] == '{') {
      ++depth;
    } else if (s[i] == '}') {
      if (depth == 0) return i + 1 < s.size() && s[i + 1] == '}' ? i : std::string::npos;
      --depth;
    }
  }
  return std::string::npos;
}

bool parseCount(const std::string& s, long& out) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  out = std::stol(s);
  return true;
}

std::string ltrim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b);
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Expands every macro in `text`. `vars` may be null (load-time check: then
// {{$name}} expands to a placeholder). Returns false and sets `error` on a
// malformed macro or an unknown variable.
bool expand(const std::string& text, const Vars* vars, std::string& out, std::string& error) {
  out.clear();
  size_t pos = 0;
  while (true) {
    size_t open = text.find("{{", pos);
    if (open == std::string::npos) {
      out.append(text, pos, std::string::npos);
      return true;
    }
    out.append(text, pos, open - pos);
    size_t close = macroEnd(text, open + 2);
    if (close == std::string::npos) {
      error = "unterminated macro at: " + text.substr(open, 40);
      return false;
    }
    std::string body = text.substr(open + 2, close - open - 2);
    pos = close + 2;
    if (!body.empty() && body[0] == '$') {
      std::string name = body.substr(1);
      if (vars == nullptr) {
        out += "saved-" + name;
        continue;
      }
      auto it = vars->find(name);
      if (it == vars->end()) {
        error = "macro {{" + body + "}}: no value saved under '" + name + "' (by a \"<save " + name + ">\")";
        return false;
      }
      out += it->second;
      continue;
    }
    if (body.rfind("list ", 0) == 0) {
      size_t colon = body.find(':');
      if (colon == std::string::npos) {
        error = "macro {{" + body.substr(0, 40) + "...}}: expected {{list N: TEMPLATE}}";
        return false;
      }
      std::string range = trim(body.substr(5, colon - 5));
      std::string tmpl = body.substr(colon + 1);
      if (!tmpl.empty() && tmpl[0] == ' ') tmpl.erase(0, 1);
      long from = 0, to = -1;
      size_t dots = range.find("..");
      bool ok = dots == std::string::npos
                    ? parseCount(range, to) && (--to, true)
                    : parseCount(range.substr(0, dots), from) && parseCount(range.substr(dots + 2), to);
      if (!ok || to < from - 1) {
        error = "macro {{list " + range + ": ...}}: the count must be N or FROM..TO (decimal)";
        return false;
      }
      // The template may hold macros of its own (e.g. {{x*10}}).
      std::string inner;
      if (!expand(tmpl, vars, inner, error)) return false;
      for (long i = from; i <= to; ++i) {
        if (i > from) out += ',';
        std::string item = inner;
        for (size_t p = item.find("$i"); p != std::string::npos; p = item.find("$i", p)) {
          item.replace(p, 2, std::to_string(i));
        }
        out += item;
      }
      continue;
    }
    size_t star = body.rfind('*');
    long n = 0;
    if (star == std::string::npos || star == 0 || !parseCount(body.substr(star + 1), n)) {
      error = "unknown macro {{" + body.substr(0, 40) + "}}: expected {{TEXT*N}}, {{list N: T}} or {{$name}}";
      return false;
    }
    std::string unit = body.substr(0, star);
    out.reserve(out.size() + unit.size() * n);
    for (long i = 0; i < n; ++i) out += unit;
  }
}

// ---- the parser ----

bool isBlank(const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; }

bool validJson(const std::string& text, std::string& why) {
  simdjson::dom::parser p;
  simdjson::dom::element e;
  auto err = p.parse(text).get(e);
  if (err) why = simdjson::error_message(err);
  return !err;
}

// Parses the text after "< " of an expectation line.
bool parseExpectation(const std::string& rest, Expectation& e, std::string& error) {
  size_t sp = rest.find(' ');
  std::string status = rest.substr(0, sp);
  long st = 0;
  if (!parseCount(status, st) || status.size() != 3) {
    error = "expectation must start with a 3-digit HTTP status: '< " + rest.substr(0, 40) + "'";
    return false;
  }
  e.status = static_cast<int>(st);
  // Trailing spaces are part of an error message ("..., Key: "), not of the rest.
  std::string tail = sp == std::string::npos ? "" : ltrim(rest.substr(sp + 1));
  if (trim(tail).empty()) {
    e.check = BodyCheck::kEmpty;
  } else if (trim(tail) == "*") {
    e.check = BodyCheck::kAny;
  } else if (tail[0] == '~') {
    e.check = BodyCheck::kSubset;
    e.text = trim(tail.substr(1));
    if (e.text.empty() || e.text[0] != '{') {
      error = "'~' must be followed by a JSON object";
      return false;
    }
  } else if (tail[0] == '{' || tail[0] == '[' || tail[0] == '"') {
    e.check = BodyCheck::kExact;
    e.text = trim(tail);
  } else {
    if (e.status == 200) {
      error = "a 200 expectation takes nothing, '*', '~ {json}' or '{json}', not: " + tail.substr(0, 40);
      return false;
    }
    e.check = BodyCheck::kError;
    size_t colon = tail.find(':');
    e.error_type = trim(tail.substr(0, colon));
    if (e.error_type.empty() || !std::all_of(e.error_type.begin(), e.error_type.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '#';
        })) {
      error = "error expectation must be 'Type' or 'Type: message', got: " + tail.substr(0, 60);
      return false;
    }
    if (colon != std::string::npos) {
      e.has_message = true;
      e.text = tail.substr(colon + 1);
      if (!e.text.empty() && e.text[0] == ' ') e.text.erase(0, 1);
    }
  }
  return true;
}

// Parses one file's text into cases. Errors are reported as cases with
// parse_error set (so they fail, named by file and line).
std::vector<Case> parseFile(const std::string& file, std::istream& in) {
  std::vector<Case> out;
  auto setup = std::make_shared<std::vector<Request>>();
  bool have_setup = false, seen_case = false;

  std::vector<std::pair<int, std::string>> block;
  auto fail = [&](int line, const std::string& msg) {
    Case c;
    c.file = file;
    c.line = line;
    c.parse_error = file + ":" + std::to_string(line) + ": malformed case file: " + msg;
    out.push_back(std::move(c));
  };

  auto flush = [&] {
    if (block.empty()) return;
    std::vector<std::pair<int, std::string>> lines;
    lines.swap(block);
    Case c;
    c.file = file;
    c.line = lines.front().first;
    bool is_setup = false;
    // Joined logical lines: (line number, kind '>' or '<', text).
    struct Logical {
      int line;
      char kind;
      std::string text;
    };
    std::vector<Logical> logical;
    for (auto& [n, text] : lines) {
      if (text[0] == '#') {
        if (logical.empty() && !is_setup) c.title += (c.title.empty() ? "" : " ") + trim(text.substr(1));
        continue;
      }
      if (text == "@setup") {
        if (!logical.empty() || is_setup) return fail(n, "@setup must be the first line of its block");
        is_setup = true;
        continue;
      }
      if (text[0] == ' ' || text[0] == '\t') {
        if (logical.empty()) return fail(n, "continuation line (indented) with no '>' or '<' line before it");
        logical.back().text += " " + ltrim(text);
        continue;
      }
      if ((text[0] == '>' || text[0] == '<') && (text.size() == 1 || text[1] == ' ')) {
        logical.push_back({n, text[0], text.size() > 2 ? text.substr(2) : ""});
        continue;
      }
      return fail(n, "unexpected line (expected '> Operation body', '< status ...', '#', '@setup' or an "
                     "indented continuation): " + text.substr(0, 60));
    }
    if (logical.empty()) return;  // a block of comments only
    std::vector<Request> reqs;
    for (const Logical& l : logical) {
      if (l.kind == '>') {
        Request r;
        r.line = l.line;
        size_t sp = l.text.find(' ');
        r.operation = l.text.substr(0, sp);
        r.body = sp == std::string::npos ? "" : l.text.substr(sp + 1);
        if (r.operation.empty() || !std::all_of(r.operation.begin(), r.operation.end(),
                                                [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)); })) {
          return fail(l.line, "'>' must be followed by an operation name: " + l.text.substr(0, 60));
        }
        if (!reqs.empty() && !reqs.back().expect && !is_setup) {
          return fail(reqs.back().line, "request has no '<' expectation");
        }
        reqs.push_back(std::move(r));
      } else {
        if (reqs.empty() || reqs.back().expect) return fail(l.line, "'<' expectation without a '>' request before it");
        Expectation e;
        e.line = l.line;
        std::string error;
        if (!parseExpectation(l.text, e, error)) return fail(l.line, error);
        reqs.back().expect = std::move(e);
      }
    }
    if (!is_setup && !reqs.back().expect) return fail(reqs.back().line, "request has no '<' expectation");
    // Check what can be checked now: macros, and JSON without saved values.
    for (const Request& r : reqs) {
      std::string expanded, error;
      if (!expand(r.body, nullptr, expanded, error)) return fail(r.line, error);
      if (r.expect) {
        if (!expand(r.expect->text, nullptr, expanded, error)) return fail(r.expect->line, error);
        bool json = r.expect->check == BodyCheck::kExact || r.expect->check == BodyCheck::kSubset;
        std::string why;
        if (json && r.expect->text.find("{{$") == std::string::npos && !validJson(expanded, why)) {
          return fail(r.expect->line, "expected body is not valid JSON (" + why + "): " + expanded.substr(0, 80));
        }
      }
    }
    if (is_setup) {
      if (have_setup) return fail(c.line, "a file has at most one @setup block");
      if (seen_case) return fail(c.line, "@setup must come before the file's cases");
      have_setup = true;
      *setup = std::move(reqs);
      return;
    }
    seen_case = true;
    c.requests = std::move(reqs);
    c.setup = setup;
    out.push_back(std::move(c));
  };

  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (isBlank(line)) {
      flush();
    } else {
      block.emplace_back(lineno, line);
    }
  }
  flush();
  return out;
}

// The case directory: FDYNO_API_CASES_DIR from the environment (to run
// other cases, e.g. while writing new ones), else the compiled-in path.
std::string casesDir() {
  const char* env = std::getenv("FDYNO_API_CASES_DIR");
  return env && *env ? env : FDYNO_API_CASES_DIR;
}

std::vector<Case> loadCases() {
  std::vector<Case> out;
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(casesDir(), ec)) {
    if (e.path().extension() == ".txt") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    Case c;
    c.file = "missing.txt";
    c.parse_error = "no *.txt case files in " + casesDir();
    out.push_back(std::move(c));
  }
  for (const auto& f : files) {
    std::ifstream in(f);
    auto cases = parseFile(f.filename().string(), in);
    for (auto& c : cases) out.push_back(std::move(c));
  }
  return out;
}

// ---- matching ----

// Short error names and their DynamoDB __type prefix; the message key is
// "Message" for the types listed with true, "message" otherwise.
struct ErrorKind {
  const char* name;
  const char* prefix;
  bool capital_message;
};
constexpr ErrorKind kCoralErrors[] = {
    {"ValidationException", "com.amazon.coral.validate#", false},
    {"SerializationException", "com.amazon.coral.service#", true},
    {"UnknownOperationException", "com.amazon.coral.service#", false},
    {"AccessDeniedException", "com.amazon.coral.service#", true},
};
constexpr const char* kDynamoPrefix = "com.amazonaws.dynamodb.v20120810#";
constexpr const char* kCapitalDynamoErrors[] = {"TransactionCanceledException"};

std::string escapeJson(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (ch < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", ch);
          out += buf;
        } else {
          out += static_cast<char>(ch);
        }
    }
  }
  return out;
}

// The full error body `< STATUS Type[: message]` stands for.
std::string errorBody(const Expectation& e) {
  std::string type = e.error_type, key = "message";
  if (type.find('#') == std::string::npos) {
    std::string prefix = kDynamoPrefix;
    for (const ErrorKind& k : kCoralErrors) {
      if (type == k.name) {
        prefix = k.prefix;
        if (k.capital_message) key = "Message";
      }
    }
    for (const char* n : kCapitalDynamoErrors) {
      if (type == n) key = "Message";
    }
    type = prefix + type;
  }
  std::string body = "{\"__type\":\"" + escapeJson(type) + "\"";
  if (e.has_message) body += ",\"" + key + "\":\"" + escapeJson(e.text) + "\"";
  return body + "}";
}

std::string show(const std::string& s, size_t max = 3000) {
  if (s.size() <= max) return s;
  return s.substr(0, max) + "... [" + std::to_string(s.size() - max) + " more bytes]";
}

std::string minified(simdjson::dom::element e) { return simdjson::minify(e); }

// A member name as shown in a path: long ones (65 KB names) are abridged.
std::string keyLabel(std::string_view k) {
  if (k.size() <= 40) return std::string(k);
  return std::string(k.substr(0, 20)) + "...(" + std::to_string(k.size()) + " bytes)";
}

std::string savedText(simdjson::dom::element e) {
  std::string_view sv;
  if (e.get_string().get(sv) == simdjson::SUCCESS) return std::string(sv);
  return minified(e);
}

// Compares `want` against `got`; returns "" if they match, else where and how
// they differ. subset: objects in `want` may omit members `got` has.
std::string compare(simdjson::dom::element want, simdjson::dom::element got, bool subset, const std::string& path,
                    Vars& vars) {
  using T = simdjson::dom::element_type;
  std::string_view ws;
  if (want.get_string().get(ws) == simdjson::SUCCESS) {
    if (ws == "<any>") return "";
    if (ws.rfind("<save ", 0) == 0 && ws.size() > 7 && ws.back() == '>') {
      vars[std::string(ws.substr(6, ws.size() - 7))] = savedText(got);
      return "";
    }
  }
  auto where = path.empty() ? std::string("the body") : path;
  auto differ = [&] { return "at " + where + ": expected " + show(minified(want), 300) + ", got " + show(minified(got), 300); };
  T wt = want.type(), gt = got.type();
  if (wt != gt) return differ();
  switch (wt) {
    case T::OBJECT: {
      simdjson::dom::object wo = want, go = got;
      for (auto [k, v] : wo) {
        simdjson::dom::element gv;
        if (go.at_key(k).get(gv) != simdjson::SUCCESS) return "at " + where + ": member \"" + keyLabel(k) + "\" is missing";
        std::string d = compare(v, gv, subset, path + "." + keyLabel(k), vars);
        if (!d.empty()) return d;
      }
      if (!subset) {
        for (auto [k, v] : go) {
          simdjson::dom::element wv;
          if (wo.at_key(k).get(wv) != simdjson::SUCCESS) {
            return "at " + where + ": unexpected member \"" + keyLabel(k) + "\": " + show(minified(v), 300);
          }
        }
      }
      return "";
    }
    case T::ARRAY: {
      simdjson::dom::array wa = want, ga = got;
      if (wa.size() != ga.size()) {
        return "at " + where + ": expected " + std::to_string(wa.size()) + " elements, got " + std::to_string(ga.size()) +
               ": " + show(minified(got), 300);
      }
      size_t i = 0;
      auto gi = ga.begin();
      for (auto w : wa) {
        std::string d = compare(w, *gi, subset, path + "[" + std::to_string(i) + "]", vars);
        if (!d.empty()) return d;
        ++gi;
        ++i;
      }
      return "";
    }
    case T::STRING: return std::string_view(want) == std::string_view(got) ? "" : differ();
    case T::INT64: return int64_t(want) == int64_t(got) ? "" : differ();
    case T::UINT64: return uint64_t(want) == uint64_t(got) ? "" : differ();
    case T::DOUBLE: return double(want) == double(got) ? "" : differ();
    case T::BOOL: return bool(want) == bool(got) ? "" : differ();
    case T::NULL_VALUE: return "";
  }
  return differ();
}

// Checks one response; returns "" on success, else the mismatch.
std::string check(const Expectation& e, const ApiResponse& r, Vars& vars) {
  std::string want_text, error;
  if (!expand(e.text, &vars, want_text, error)) return error;
  std::string d;
  if (r.status != e.status) d = "status: expected " + std::to_string(e.status) + ", got " + std::to_string(r.status);
  switch (e.check) {
    case BodyCheck::kAny: break;
    case BodyCheck::kEmpty:
      if (!r.body.empty() && d.empty()) d = "body: expected none (empty)";
      break;
    case BodyCheck::kError: {
      std::string want = errorBody({e.line, e.status, e.check, want_text, e.error_type, e.has_message});
      if (r.body != want && d.empty()) d = "body differs";
      if (!d.empty()) return d + "\n  expected body: " + show(want) + "\n  actual body:   " + show(r.body);
      break;
    }
    case BodyCheck::kExact:
    case BodyCheck::kSubset: {
      simdjson::dom::parser pw, pg;
      simdjson::dom::element w, g;
      if (auto err = pw.parse(want_text).get(w)) {
        return "expected body is not valid JSON (" + std::string(simdjson::error_message(err)) + "): " + show(want_text);
      }
      if (pg.parse(r.body).get(g) != simdjson::SUCCESS) {
        if (d.empty()) d = "body is not JSON";
      } else if (d.empty()) {
        d = compare(w, g, e.check == BodyCheck::kSubset, "", vars);
      }
      if (!d.empty()) {
        return d + "\n  expected body" + (e.check == BodyCheck::kSubset ? " (subset): " : ": ") + show(want_text) +
               "\n  actual body:   " + show(r.body);
      }
      break;
    }
  }
  if (!d.empty()) d += "\n  actual body: " + show(r.body);
  return d;
}

// ---- the tests ----

class ApiCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(ApiCaseTest, Run) {
  const Case& c = GetParam();
  ASSERT_TRUE(c.parse_error.empty()) << c.parse_error;
  auto store = kv::openMemoryStore();
  ASSERT_TRUE(store.ok()) << store.status().toString();
  engine::DatabaseOptions opts;
  opts.ttl_interval_ms = 0;  // no background expiry: cases are deterministic
  engine::Database db(**store, opts);
  Dispatcher dispatcher(db);
  Vars vars;
  // FDYNO_API_CASES_PRINT=1 prints every request and its answer (to write cases).
  const char* print_env = std::getenv("FDYNO_API_CASES_PRINT");
  const bool print = print_env && *print_env && std::string(print_env) != "0";
  auto run = [&](const Request& r, bool in_setup) -> bool {
    std::string body, error;
    if (!expand(r.body, &vars, body, error)) {
      ADD_FAILURE() << c.file << ":" << r.line << ": " << error;
      return false;
    }
    ApiResponse resp = dispatcher.handle(r.operation, body);
    if (print) {
      std::cout << c.file << ":" << r.line << "\n> " << r.operation << " " << show(body, 500) << "\n< " << resp.status
                << " " << show(resp.body, 2000) << "\n";
    }
    Expectation dflt;
    dflt.status = 200;
    dflt.check = BodyCheck::kAny;
    const Expectation& e = r.expect ? *r.expect : dflt;
    std::string d = check(e, resp, vars);
    if (!d.empty()) {
      ADD_FAILURE() << c.file << ":" << r.line << ": " << (in_setup ? "@setup request" : "request") << " of case "
                    << c.where() << (c.title.empty() ? "" : " (" + c.title + ")") << " does not get what line "
                    << (r.expect ? r.expect->line : r.line) << " expects\n  request: > " << r.operation << " "
                    << show(body) << "\n  " << d;
      return false;
    }
    return true;
  };
  for (const Request& r : *c.setup) {
    if (!run(r, true)) return;
  }
  for (const Request& r : c.requests) {
    if (!run(r, false)) return;  // later requests would only repeat the damage
  }
}

std::string caseName(const ::testing::TestParamInfo<Case>& info) { return info.param.testName(); }

// ctest runs each case as `--gtest_filter=<its name>`, with the names of the
// last build. A name that no longer exists (a case moved, a file removed)
// would run nothing and pass; GoogleTest skips environments when nothing
// runs, so a listener makes such a run fail instead, so stale lists are seen.
class StaleFilterCheck : public ::testing::EmptyTestEventListener {
  void OnTestIterationEnd(const ::testing::UnitTest& unit, int) override {
    std::string filter = ::testing::GTEST_FLAG(filter);
    if (unit.test_to_run_count() == 0 && filter.find("ApiCases/") != std::string::npos) {
      std::cerr << "no api case matches --gtest_filter=" << filter
                << ": the case files changed since this list was made; rebuild (cmake --build)\n";
      std::exit(1);
    }
  }
};
const bool kStaleFilterCheck = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new StaleFilterCheck);
  return true;
}();

INSTANTIATE_TEST_SUITE_P(ApiCases, ApiCaseTest, ::testing::ValuesIn(loadCases()), caseName);

// The corpus is a record of behaviour: keep it from shrinking by accident.
TEST(ApiCasesInventory, EnoughRequestCases) {
  auto cases = loadCases();
  size_t expectations = 0, files = 0;
  std::string last;
  for (const Case& c : cases) {
    for (const Request& r : c.requests) expectations += r.expect ? 1 : 0;
    if (c.file != last) ++files, last = c.file;
  }
  std::cout << "[ api cases ] " << files << " files, " << cases.size() << " cases, " << expectations
            << " requests with an expectation\n";
  if (casesDir() != FDYNO_API_CASES_DIR) return;  // someone else's directory
  EXPECT_GE(expectations, 150u) << "expected at least 150 request expectations in " << casesDir();
}

// The parser rejects what it cannot read (rather than skipping it).
TEST(ApiCasesParser, MalformedBlocksBecomeFailures) {
  auto errorsOf = [](const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> errors;
    for (const Case& c : parseFile("t.txt", in)) {
      if (!c.parse_error.empty()) errors.push_back(c.parse_error);
    }
    return errors;
  };
  EXPECT_TRUE(errorsOf("> ListTables {}\n< 200 {\"TableNames\":[]}\n").empty());
  for (const char* bad : {
           "> ListTables {}\n",                                 // no expectation
           "< 200 {}\n",                                        // expectation without request
           "> ListTables {}\n< 20 {}\n",                        // bad status
           "> ListTables {}\n< 200 {\"a\":\n",                  // bad JSON
           "> ListTables {}\n< 200 hello\n",                    // 200 with an error form
           "> ListTables {}\n< 400 Bad Type: x\n",              // bad error type
           "ListTables {}\n",                                   // not a request line
           "> ListTables {{x*}}\n< 200 *\n",                    // bad macro
           "> ListTables {{x*3\n< 200 *\n",                     // unterminated macro
           "> ListTables {}\n< 200 *\n\n@setup\n> ListTables\n",  // setup after a case
           "  {}\n",                                            // orphan continuation
       }) {
    EXPECT_EQ(errorsOf(bad).size(), 1u) << bad;
  }
}

TEST(ApiCasesParser, Macros) {
  std::string out, error;
  Vars vars{{"arn", "arn:x"}};
  ASSERT_TRUE(expand("[{{ab*3}}|{{list 3: {\"k\":\"$i\"}}}|{{list 2..3: $i}}|{{$arn}}]", &vars, out, error)) << error;
  EXPECT_EQ(out, "[ababab|{\"k\":\"0\"},{\"k\":\"1\"},{\"k\":\"2\"}|2,3|arn:x]");
  EXPECT_FALSE(expand("{{$nope}}", &vars, out, error));
}

}  // namespace fdyno::api::cases
