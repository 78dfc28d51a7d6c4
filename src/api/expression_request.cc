#include "api/expression_request.h"

#include <string>

#include "model/json_codec.h"

#include "expr/legacy.h"

namespace fdyno::api {

using simdjson::dom::element;
using simdjson::dom::element_type;

struct ExpressionRequest::LegacyPart {
  std::string expression;
  expr::NameMap names;
  model::AttributeMap values;
  // Declared after the maps it points into.
  expr::RequestExpressions rx{&names, &values};
};

namespace {

void throwIfError(const Status& s) {
  if (!s.ok()) throwStatus(s);
}

// A map-typed member (ExpressionAttributeNames, Expected, ...): absent/null
// -> nullopt; anything but an object is a SerializationException.
std::optional<element> mapMember(const RequestObject& req, std::string_view field) {
  return req.getAttributeMap(field);
}

// "#[0-9a-zA-Z_]+" / ":[0-9a-zA-Z_]+": the keys DynamoDB accepts in the maps.
bool isPlaceholder(std::string_view k, char lead) {
  if (k.size() < 2 || k[0] != lead) return false;
  for (char c : k.substr(1)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

[[noreturn]] void invalidKey(std::string_view member, std::string_view key) {
  std::string m(member);
  m += " contains invalid key: Syntax error; key: \"";
  m += key;
  m += '"';
  throw ApiError::validation(std::move(m));
}

}  // namespace

expr::NameMap parseExpressionAttributeNames(element json) {
  simdjson::dom::object o(json);
  if (o.size() == 0) throw ApiError::validation("ExpressionAttributeNames must not be empty");
  expr::NameMap names;
  for (auto field : o) {
    if (!isPlaceholder(field.key, '#')) invalidKey("ExpressionAttributeNames", field.key);
    names.emplace(std::string(field.key), std::string(asString(field.value)));
  }
  return names;
}

model::AttributeMap parseExpressionAttributeValues(element json) {
  simdjson::dom::object o(json);
  if (o.size() == 0) throw ApiError::validation("ExpressionAttributeValues must not be empty");
  // DynamoDB checks every key before any value.
  for (auto field : o) {
    if (!isPlaceholder(field.key, ':')) invalidKey("ExpressionAttributeValues", field.key);
  }
  model::AttributeMap values;
  for (auto field : o) {
    auto v = model::parseAttributeValue(field.value);
    if (!v.ok()) {
      if (v.status().code() != StatusCode::kInvalidArgument) throwStatus(v.status());
      std::string m = "ExpressionAttributeValues contains invalid value: ";
      m += errorText(v.status());
      m += " for key ";
      m += field.key;
      throw ApiError::validation(std::move(m));
    }
    values.insert_or_assign(std::string(field.key), std::move(v).value());
  }
  return values;
}

ExpressionRequest::ExpressionRequest(const RequestObject& req, ExpressionOp op) : op_(op), req_(req) {
  auto stringMember = [&](std::string_view name) -> Member {
    auto e = req.raw().at_key(name);
    element v;
    if (e.get(v) != simdjson::SUCCESS || v.type() == element_type::NULL_VALUE) return {name, std::nullopt};
    (void)asString(v);  // SerializationException unless a string
    return {name, v};
  };
  switch (op) {
    case ExpressionOp::kUpdateItem:
      expressions_.push_back(stringMember("UpdateExpression"));
      expressions_.push_back(stringMember("ConditionExpression"));
      legacy_.push_back({"AttributeUpdates", mapMember(req, "AttributeUpdates")});
      legacy_.push_back({"Expected", mapMember(req, "Expected")});
      legacy_.push_back(stringMember("ConditionalOperator"));
      break;
    case ExpressionOp::kPutItem:
    case ExpressionOp::kDeleteItem:
      expressions_.push_back(stringMember("ConditionExpression"));
      legacy_.push_back({"Expected", mapMember(req, "Expected")});
      legacy_.push_back(stringMember("ConditionalOperator"));
      break;
    case ExpressionOp::kGetItem: {
      expressions_.push_back(stringMember("ProjectionExpression"));
      std::optional<element> list;
      if (req.getList("AttributesToGet")) {  // shape check; then the element itself
        element e;
        if (req.raw().at_key("AttributesToGet").get(e) == simdjson::SUCCESS) list = e;
      }
      legacy_.push_back({"AttributesToGet", list});
      break;
    }
  }
  names_json_ = mapMember(req, "ExpressionAttributeNames");
  // GetItem has no ExpressionAttributeValues member: Coral ignores it.
  if (op != ExpressionOp::kGetItem) {
    values_json_ = mapMember(req, "ExpressionAttributeValues");
    if (values_json_) throwIfError(model::checkItemShape(*values_json_));
  }
}

ExpressionRequest::~ExpressionRequest() = default;

void ExpressionRequest::checkParameterMix() const {
  std::vector<std::string_view> exprs, legacy;
  for (const Member& m : expressions_) {
    if (m.value) exprs.push_back(m.name);
  }
  for (const Member& m : legacy_) {
    if (m.value) legacy.push_back(m.name);
  }
  throwIfError(expr::checkNoMixing(legacy, exprs));
  if (names_json_ && exprs.empty()) {
    throw ApiError::validation("ExpressionAttributeNames can only be specified when using expressions");
  }
  // Values only count expressions that can reference values (all but
  // ProjectionExpression; GetItem has no values member at all).
  if (values_json_ && exprs.empty()) {
    std::string m = "ExpressionAttributeValues can only be specified when using expressions: ";
    for (size_t i = 0; i < expressions_.size(); ++i) {
      if (i) m += " and ";
      m += expressions_[i].name;
    }
    m += expressions_.size() == 1 ? " is null" : " are null";
    throw ApiError::validation(std::move(m));
  }
}

void ExpressionRequest::resolve() {
  bool any_legacy = false;
  for (const Member& m : legacy_) any_legacy |= m.value.has_value();
  if (any_legacy) {
    resolveLegacy();
  } else {
    resolveExpressions();
  }
}

void ExpressionRequest::resolveExpressions() {
  if (names_json_) names_ = parseExpressionAttributeNames(*names_json_);
  if (values_json_) values_ = parseExpressionAttributeValues(*values_json_);
  rx_ = std::make_unique<expr::RequestExpressions>(names_ ? &*names_ : nullptr, values_ ? &*values_ : nullptr);
  // expressions_ is already in DynamoDB's order: Update, Condition, Projection.
  for (const Member& m : expressions_) {
    if (!m.value) continue;
    std::string_view text(*m.value);
    if (m.name == "UpdateExpression") {
      auto r = rx_->update(text);
      if (!r.ok()) throwStatus(r.status());
      update_.emplace(std::move(r).value());
    } else if (m.name == "ConditionExpression") {
      auto r = rx_->condition(text, expr::ExprKind::kCondition);
      if (!r.ok()) throwStatus(r.status());
      condition_.emplace(std::move(r).value());
    } else {
      auto r = rx_->projection(text);
      if (!r.ok()) throwStatus(r.status());
      projection_.emplace(std::move(r).value());
    }
  }
  throwIfError(rx_->checkUnused());
}

ExpressionRequest::LegacyPart& ExpressionRequest::addLegacyPart(std::string expression, expr::NameMap names,
                                                                model::AttributeMap values) {
  auto part = std::make_unique<LegacyPart>();
  part->expression = std::move(expression);
  part->names = std::move(names);
  part->values = std::move(values);
  legacy_parts_.push_back(std::move(part));
  return *legacy_parts_.back();
}

void ExpressionRequest::resolveLegacy() {
  // DynamoDB's order: AttributeUpdates, then Expected (UpdateItem);
  // legacy_ lists them in that order.
  const Member* expected = nullptr;
  const Member* conditional_operator = nullptr;
  for (const Member& m : legacy_) {
    if (m.name == "Expected") expected = &m;
    if (m.name == "ConditionalOperator") conditional_operator = &m;
  }
  for (const Member& m : legacy_) {
    if (!m.value || m.name == "ConditionalOperator") continue;
    Result<expr::LegacyConversion> conv = Status::Internal("unreachable");
    if (m.name == "AttributeUpdates") {
      conv = expr::convertAttributeUpdates(*m.value);
    } else if (m.name == "Expected") {
      std::string_view op = conditional_operator && conditional_operator->value
                                ? std::string_view(*conditional_operator->value)
                                : std::string_view();
      conv = expr::convertExpected(*m.value, op);
    } else {
      conv = expr::convertAttributesToGet(*m.value);
    }
    if (!conv.ok()) throwStatus(conv.status());
    LegacyPart& part = addLegacyPart(std::move(conv->expression), std::move(conv->names), std::move(conv->values));
    // An empty conversion (AttributeUpdates {}, Expected {}) means "nothing
    // to do": UpdateItem still creates the item with just its key.
    if (part.expression.empty()) continue;
    if (m.name == "AttributeUpdates") {
      auto r = part.rx.update(part.expression);
      if (!r.ok()) throwStatus(r.status());
      update_.emplace(std::move(r).value());
      legacy_update_ = true;
    } else if (m.name == "Expected") {
      auto r = part.rx.condition(part.expression, expr::ExprKind::kCondition);
      if (!r.ok()) throwStatus(r.status());
      condition_.emplace(std::move(r).value());
    } else {
      auto r = part.rx.projection(part.expression);
      if (!r.ok()) throwStatus(r.status());
      projection_.emplace(std::move(r).value());
    }
  }
  if (conditional_operator && conditional_operator->value && !(expected && expected->value)) {
    // An invalid operator is a constraint error reported earlier.
    throw ApiError::validation(std::string(expr::kConditionalOperatorWithoutFilter));
  }
}

void ExpressionRequest::addConstraintViolations(ConstraintErrors& errors,
                                                std::initializer_list<std::string_view> members) const {
  for (std::string_view name : members) {
    for (const Member& m : legacy_) {
      if (m.name != name || !m.value) continue;
      for (const auto& v : expr::legacyConstraintViolations(name, *m.value)) {
        errors.add(v.value ? std::optional<std::string_view>(*v.value) : std::nullopt, v.path, v.constraint);
      }
    }
  }
}

Status ExpressionRequest::translateApplyError(const Status& s) const {
  return legacy_update_ ? expr::translateAttributeUpdatesError(s) : s;
}

}  // namespace fdyno::api
