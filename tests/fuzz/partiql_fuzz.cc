// Fuzz target: the PartiQL lexer and parser (src/partiql).
//
// Input: one statement (UTF-8; ExecuteStatement's Statement member is a JSON
// string, so invalid UTF-8 never reaches the parser and is skipped here).
// Invariants: nothing crashes or overflows the stack (partiql::kMaxDepth);
// every refusal is kInvalidArgument "Statement wasn't well formed, can't be
// processed: ..." whose message is valid UTF-8 (it goes back in a JSON body);
// an accepted statement formats (partiql/format.h) as valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_util.h"
#include "partiql/format.h"
#include "partiql/lexer.h"
#include "partiql/parser.h"

using namespace fdyno;  // NOLINT: a fuzz target is one function

namespace {

void checkError(const Status& st) {
  fuzz::require(st.code() == StatusCode::kInvalidArgument, "PartiQL error with an unexpected code", st.toString());
  fuzz::require(st.message().rfind(partiql::kSyntaxErrorPrefix, 0) == 0, "PartiQL error without DynamoDB's prefix",
                st.message());
  fuzz::requireUtf8("PartiQL error message is not UTF-8", st.message());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!fuzz::isUtf8(text)) return 0;
  auto tokens = partiql::tokenize(text);
  if (!tokens.ok()) checkError(tokens.status());
  auto stmt = partiql::parseStatement(text);
  if (!stmt.ok()) {
    checkError(stmt.status());
    return 0;
  }
  fuzz::require(tokens.ok(), "a statement parsed although it does not tokenize");
  fuzz::requireUtf8("formatted statement is not UTF-8", partiql::toString(*stmt));
  return 0;
}
