// ApiError: a DynamoDB error that ends a request.
//
// Handlers throw it; the dispatcher (api/dispatcher.h) catches it in one place
// and turns it into DynamoDB's error response:
//   HTTP <status>, body {"__type": "<type>", "<message_key>": "<message>"}.
// Real DynamoDB uses three __type prefixes (see the factories below) and
// spells the message key "message" for most errors but "Message" for some.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace fdyno::api {

inline constexpr std::string_view kCoralValidate = "com.amazon.coral.validate#";
inline constexpr std::string_view kCoralService = "com.amazon.coral.service#";
inline constexpr std::string_view kDynamoDb = "com.amazonaws.dynamodb.v20120810#";

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON
};

class ApiError : public std::runtime_error {
 public:
  ApiError(std::string type, std::string message, int http_status = 400,
           std::string message_key = "message")
      : std::runtime_error(message),
        type_(std::move(type)),
        message_(std::move(message)),
        http_status_(http_status),
        message_key_(std::move(message_key)) {}

  // Full __type, e.g. "com.amazon.coral.validate#ValidationException".
  const std::string& type() const { return type_; }
  const std::string& message() const { return message_; }
  int httpStatus() const { return http_status_; }
  // "message" or "Message"; empty: the body has no message member.
  const std::string& messageKey() const { return message_key_; }
  // Extra pre-serialized JSON members appended to the error body, e.g.
  // ,"Item":{...} for ConditionalCheckFailedException. Empty or starts with ','.
  std::string extra_json;

  static ApiError validation(std::string msg) {
    return ApiError(std::string(kCoralValidate) + "ValidationException", std::move(msg));
  }
  static ApiError serialization(std::string msg) {
    return ApiError(std::string(kCoralService) + "SerializationException", std::move(msg), 400,
                    "Message");
  }
  static ApiError unknownOperation() {
    // DynamoDB's answer carries no message member at all.
    return ApiError(std::string(kCoralService) + "UnknownOperationException", "", 400, "");
  }
  static ApiError resourceNotFound(std::string msg) {
    return ApiError(std::string(kDynamoDb) + "ResourceNotFoundException", std::move(msg));
  }
  static ApiError resourceInUse(std::string msg) {
    return ApiError(std::string(kDynamoDb) + "ResourceInUseException", std::move(msg));
  }
  static ApiError dynamo(std::string_view name, std::string msg, std::string key = "message") {
    return ApiError(std::string(kDynamoDb) + std::string(name), std::move(msg), 400, std::move(key));
  }
  static ApiError internal(std::string msg) {
    return ApiError(std::string(kDynamoDb) + "InternalServerError", std::move(msg), 500);
  }

 private:
  std::string type_;
  std::string message_;
  int http_status_;
  std::string message_key_;
};

// Serializes an ApiError as DynamoDB does. Used by the dispatcher and by the
// HTTP layer for the protocol and authentication errors it raises itself.
ApiResponse toResponse(const ApiError& e);

}  // namespace fdyno::api
