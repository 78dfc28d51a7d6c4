// Dispatcher::knows(), which only code can ask. What the Dispatcher answers
// (unknown and unimplemented operations, bodies that are not JSON objects,
// members of the wrong JSON type, null members) is in
// tests/api_cases/protocol.txt.
#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

using Dispatch = ApiTest;

TEST_F(Dispatch, KnowsTheOperationsOfTheApi) {
  EXPECT_FALSE(dispatcher_->knows("FlyToTheMoon"));
  // Known but not implemented (answers "fdyno does not support ... yet").
  EXPECT_TRUE(dispatcher_->knows("ImportTable"));
  EXPECT_TRUE(dispatcher_->knows("CreateGlobalTable"));
  EXPECT_TRUE(dispatcher_->knows("Scan"));
  EXPECT_TRUE(dispatcher_->knows("PutItem"));
}

}  // namespace
}  // namespace fdyno::api::testing
