// Shared fixture for engine tests: a Database over a fresh memory store.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "engine/database.h"
#include "kv/kv.h"

namespace fdyno::engine::testing {

inline TableDefinition hashTable(std::string name, model::AttrType t = model::AttrType::kS) {
  TableDefinition d;
  d.name = std::move(name);
  d.hash_key = {"p", t};
  d.attribute_definitions = {{"p", t}};
  d.billing_mode = BillingMode::kPayPerRequest;
  return d;
}

inline TableDefinition hashRangeTable(std::string name) {
  TableDefinition d = hashTable(std::move(name));
  d.range_key = KeyAttribute{"c", model::AttrType::kN};
  d.attribute_definitions.push_back({"c", model::AttrType::kN});
  return d;
}

inline model::Item item(std::initializer_list<std::pair<const std::string, model::AttributeValue>> l) {
  return model::Item(l);
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = kv::openMemoryStore();
    ASSERT_TRUE(s.ok()) << s.status().toString();
    store_ = std::move(s).value();
    db_ = std::make_unique<Database>(*store_, DatabaseOptions{});
  }
  std::unique_ptr<kv::Store> store_;
  std::unique_ptr<Database> db_;
};

}  // namespace fdyno::engine::testing
