// Shared fixture for api tests: Dispatcher over a Database over a memory
// store; requests are JSON strings, as the HTTP layer passes them.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "api/dispatcher.h"
#include "engine/database.h"
#include "kv/kv.h"

namespace fdyno::api::testing {

inline constexpr const char* kValidation = "com.amazon.coral.validate#ValidationException";
inline constexpr const char* kSerialization = "com.amazon.coral.service#SerializationException";
inline constexpr const char* kNotFound = "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException";
inline constexpr const char* kInUse = "com.amazonaws.dynamodb.v20120810#ResourceInUseException";

// The exact error body DynamoDB sends.
inline std::string errorBody(const std::string& type, const std::string& message, const char* key = "message") {
  std::string b = "{\"__type\":\"" + type + "\",\"" + key + "\":\"";
  for (char c : message) {
    if (c == '"' || c == '\\') b.push_back('\\');
    b.push_back(c);
  }
  return b + "\"}";
}

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = kv::openMemoryStore();
    ASSERT_TRUE(s.ok()) << s.status().toString();
    store_ = std::move(s).value();
    db_ = std::make_unique<engine::Database>(*store_, engine::DatabaseOptions{});
    dispatcher_ = std::make_unique<Dispatcher>(*db_);
  }

  ApiResponse call(std::string_view op, std::string_view body) { return dispatcher_->handle(op, body); }

  // Asserts a 200 answer and returns its body.
  std::string ok(std::string_view op, std::string_view body) {
    ApiResponse r = call(op, body);
    EXPECT_EQ(r.status, 200) << op << " " << body << " -> " << r.body;
    return r.body;
  }

  void expectError(std::string_view op, std::string_view body, const std::string& type, const std::string& msg) {
    ApiResponse r = call(op, body);
    EXPECT_EQ(r.status, 400) << body;
    const char* key = type == kSerialization ? "Message" : "message";
    EXPECT_EQ(r.body, errorBody(type, msg, key)) << "request: " << op << " " << body;
  }
  void expectValidation(std::string_view op, std::string_view body, const std::string& msg) {
    expectError(op, body, kValidation, msg);
  }

  void createHashTable(const std::string& name, const std::string& type = "S") {
    ok("CreateTable", R"({"TableName":")" + name +
                          R"(","AttributeDefinitions":[{"AttributeName":"p","AttributeType":")" + type +
                          R"("}],"KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  }
  void createHashRangeTable(const std::string& name) {
    ok("CreateTable", R"({"TableName":")" + name +
                          R"(","AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},{"AttributeName":"c","AttributeType":"N"}],)"
                          R"("KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"c","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"})");
  }

  std::unique_ptr<kv::Store> store_;
  std::unique_ptr<engine::Database> db_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

}  // namespace fdyno::api::testing
