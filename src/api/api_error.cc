#include "api/api_error.h"

#include "common/json_writer.h"

namespace fdyno::api {

ApiResponse toResponse(const ApiError& e) {
  std::string body;
  body.reserve(64 + e.type().size() + e.message().size() + e.extra_json.size());
  body += "{\"__type\":\"";
  JsonWriter::appendEscaped(body, e.type());
  body += '"';
  // An empty message key: no message member at all (UnknownOperationException).
  if (!e.messageKey().empty()) {
    body += ",\"";
    body += e.messageKey();
    body += "\":\"";
    JsonWriter::appendEscaped(body, e.message());
    body += '"';
  }
  body += e.extra_json;
  body += '}';
  return ApiResponse{e.httpStatus(), std::move(body)};
}

}  // namespace fdyno::api
