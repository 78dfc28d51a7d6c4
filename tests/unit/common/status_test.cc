#include "common/status.h"

#include <gtest/gtest.h>

namespace fdyno {
namespace {

Result<int> half(int x) {
  if (x % 2) return Status::InvalidArgument("odd");
  return x / 2;
}

Status quarter(int x, int* out) {
  FDYNO_ASSIGN_OR_RETURN(int h, half(x));
  FDYNO_ASSIGN_OR_RETURN(int q, half(h));
  *out = q;
  return Status::OK();
}

TEST(StatusTest, OkIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.toString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = Status::Conflict("lost race");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.isConflict());
  EXPECT_EQ(s.message(), "lost race");
  Status c = s;
  EXPECT_EQ(c.toString(), "Conflict: lost race");
}

TEST(ResultTest, ValueAndErrorPropagate) {
  int out = 0;
  EXPECT_TRUE(quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  Status s = quarter(6, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "odd");
}

}  // namespace
}  // namespace fdyno
