// Runs every case in tests/expr_cases/*.txt (format: tests/expr_cases/README.md).
// Each case runs the full request flow of the api layer: empty-map checks,
// parse + resolve + validate, the unused-reference check, then evaluation.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/json_writer.h"
#include "expr/expression.h"
#include "model/base64.h"
#include "model/json_codec.h"

namespace fdyno::expr {
namespace {

struct Case {
  std::string file;
  int line = 0;
  std::map<std::string, std::string> fields;
  std::string name() const { return file + ":" + std::to_string(line); }
  bool has(const std::string& k) const { return fields.count(k) > 0; }
  const std::string& get(const std::string& k) const { return fields.at(k); }
};

std::vector<Case> loadCases() {
  std::vector<Case> out;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(FDYNO_EXPR_CASES_DIR)) {
    if (e.path().extension() == ".txt") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::string line;
    int lineno = 0;
    Case cur;
    auto flush = [&] {
      if (!cur.fields.empty()) out.push_back(cur);
      cur = Case{};
    };
    while (std::getline(in, line)) {
      ++lineno;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) {
        flush();
        continue;
      }
      if (line[0] == '#') continue;
      size_t colon = line.find(": ");
      std::string key = colon == std::string::npos ? line : line.substr(0, colon);
      std::string value = colon == std::string::npos ? "" : line.substr(colon + 2);
      if (key.back() == ':') key.pop_back();
      if (cur.fields.empty()) {
        cur.file = f.filename().string();
        cur.line = lineno;
      }
      cur.fields[key] = value;
    }
    flush();
  }
  return out;
}

// Keeps the parsed JSON documents alive for the case.
struct Json {
  simdjson::dom::parser parser;
  simdjson::dom::element parse(const std::string& text) {
    simdjson::dom::element e;
    auto err = parser.parse(text).get(e);
    EXPECT_EQ(err, simdjson::SUCCESS) << "bad JSON: " << text;
    return e;
  }
};

model::Item parseItemJson(const std::string& text) {
  Json j;
  auto r = model::parseItem(j.parse(text));
  EXPECT_TRUE(r.ok()) << r.status().message() << " in " << text;
  return r.ok() ? *r : model::Item{};
}

std::string itemJson(const model::Item& item) {
  JsonWriter w;
  model::writeItem(w, item);
  return w.take();
}

std::string describeValue(const model::AttributeValue& v) {
  std::string out(model::attrTypeName(v.type));
  out += ":";
  out += v.type == model::AttrType::kB ? model::base64Encode(v.scalar) : v.scalar;
  return out;
}

std::string describeKey(const KeyCondition& kc) {
  std::string out;
  for (const KeyPart& p : kc.parts()) {
    if (!out.empty()) out += " AND ";
    out += std::string(p.name) + " " + std::string(keyOpName(p.op)) + " " + describeValue(*p.value);
    if (p.value2) out += " " + describeValue(*p.value2);
  }
  return out;
}

// Runs one case; returns the error text ("" on success) and fills `result`.
std::string runCase(const Case& c, std::string& result) {
  std::optional<NameMap> names;
  std::optional<model::AttributeMap> values;
  if (c.has("names")) {
    Json j;
    names.emplace();
    simdjson::dom::object obj;
    EXPECT_EQ(j.parse(c.get("names")).get(obj), simdjson::SUCCESS);
    for (auto [k, v] : obj) names->emplace(std::string(k), std::string(v.get_string().value()));
  }
  if (c.has("values")) values = parseItemJson(c.get("values"));
  RequestExpressions rx(names ? &*names : nullptr, values ? &*values : nullptr);
  Status st = rx.checkNotEmpty();
  if (!st.ok()) return st.message();

  std::string text = c.has("expr") ? c.get("expr") : "";
  if (c.has("expr_json")) {
    Json j;
    text = std::string(j.parse(c.get("expr_json")).get_string().value());
  }
  std::optional<model::Item> item;
  if (c.has("item") && c.get("item") != "none") item = parseItemJson(c.get("item"));
  const std::string& kind = c.get("kind");

  if (kind == "condition" || kind == "filter") {
    auto cond = rx.condition(text, kind == "condition" ? ExprKind::kCondition : ExprKind::kFilter);
    if (!cond.ok()) return cond.status().message();
    if (!(st = rx.checkUnused()).ok()) return st.message();
    result = cond->evaluate(item ? &*item : nullptr) ? "true" : "false";
  } else if (kind == "update") {
    auto upd = rx.update(text);
    if (!upd.ok()) return upd.status().message();
    if (!(st = rx.checkUnused()).ok()) return st.message();
    model::Item work = item ? *item : model::Item{};
    if (!(st = upd->apply(work)).ok()) return st.message();
    result = itemJson(work);
    if (c.has("touched")) {
      std::string t;
      for (const auto& p : upd->targets()) t += (t.empty() ? "" : ", ") + formatPath(p);
      EXPECT_EQ(t, c.get("touched")) << c.name();
    }
  } else if (kind == "projection") {
    auto proj = rx.projection(text);
    if (!proj.ok()) return proj.status().message();
    if (!(st = rx.checkUnused()).ok()) return st.message();
    result = itemJson(proj->apply(item ? *item : model::Item{}));
  } else if (kind == "key_condition") {
    auto kc = rx.keyCondition(text);
    if (!kc.ok()) return kc.status().message();
    if (!(st = rx.checkUnused()).ok()) return st.message();
    if (c.has("schema")) {
      std::istringstream in(c.get("schema"));
      std::string hash, range;
      in >> hash >> range;
      KeySchemaView schema;
      auto split = [](const std::string& s, std::optional<model::AttrType>& type) {
        size_t colon = s.find(':');
        if (colon != std::string::npos) type = model::attrTypeFromName(s.substr(colon + 1));
        return s.substr(0, colon);
      };
      std::string hash_name = split(hash, schema.hash_type);
      std::string range_name = range.empty() ? "" : split(range, schema.range_type);
      schema.hash_name = hash_name;
      if (!range.empty()) schema.range_name = range_name;
      if (!(st = kc->validateSchema(schema)).ok()) return st.message();
    }
    result = describeKey(*kc);
  } else {
    ADD_FAILURE() << c.name() << ": unknown kind " << kind;
  }
  return "";
}

TEST(ExprCases, AllCasesPass) {
  auto cases = loadCases();
  EXPECT_GE(cases.size(), 300u) << "expected at least 300 cases in " << FDYNO_EXPR_CASES_DIR;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name() + " expr: " + (c.has("expr") ? c.get("expr") : c.has("expr_json") ? c.get("expr_json") : ""));
    ASSERT_TRUE(c.has("kind")) << c.name();
    std::string result;
    std::string error = runCase(c, result);
    if (c.has("error")) {
      EXPECT_EQ(error, c.get("error")) << c.name();
      continue;
    }
    if (!error.empty()) {
      ADD_FAILURE() << c.name() << ": unexpected error: " << error;
      continue;
    }
    if (c.has("result")) EXPECT_EQ(result, c.get("result")) << c.name();
    if (c.has("result_item")) {
      EXPECT_EQ(parseItemJson(result), parseItemJson(c.get("result_item")))
          << c.name() << "\n  got:  " << result << "\n  want: " << c.get("result_item");
    }
    if (!c.has("result") && !c.has("result_item")) ADD_FAILURE() << c.name() << ": no expectation";
  }
  std::cout << "[ expr cases ] " << cases.size() << " cases\n";
}

}  // namespace
}  // namespace fdyno::expr
