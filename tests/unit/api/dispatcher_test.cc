// What the operation registry knows, which only code can ask. What the
// Dispatcher answers (unknown and unimplemented operations, bodies that are
// not JSON objects, members of the wrong JSON type, null members) is in
// tests/api_cases/protocol.txt; the registry's own rules in operations_test.cc.
#include "api/operations.h"
#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

using Dispatch = ApiTest;

TEST_F(Dispatch, KnowsTheOperationsOfTheApi) {
  EXPECT_EQ(findOperation("FlyToTheMoon"), nullptr);
  // Known but not implemented (answers "fdyno does not support ... yet").
  ASSERT_NE(findOperation("ImportTable"), nullptr);
  EXPECT_FALSE(findOperation("ImportTable")->implemented());
  ASSERT_NE(findOperation("CreateGlobalTable"), nullptr);
  EXPECT_FALSE(findOperation("CreateGlobalTable")->implemented());
  EXPECT_NE(findOperation("Scan"), nullptr);
  EXPECT_NE(findOperation("PutItem"), nullptr);
}

}  // namespace
}  // namespace fdyno::api::testing
