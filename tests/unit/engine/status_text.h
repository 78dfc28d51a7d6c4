// The DynamoDB text of an engine Status, for tests that pin it.
//
// The engine reports errors as typed reasons with arguments (common/status.h)
// and src/api words them (api/errors.h). These engine tests asserted the text
// before the reasons existed; they keep asserting it, through the api layer's
// one mapping, so a reason that loses an argument still fails here.
#pragma once

#include <string>

#include "api/errors.h"
#include "common/status.h"

namespace fdyno::testing {

inline std::string dynamoText(const Status& s) { return api::errorText(s); }

}  // namespace fdyno::testing
