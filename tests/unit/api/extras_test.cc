// DescribeEndpoints with a configured endpoint address: it needs
// DatabaseOptions, which the case files cannot set. Tags, Time to Live,
// DescribeLimits and the default DescribeEndpoints answer are cases:
// tests/api_cases/tags.txt, ttl.txt, service.txt.
#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

TEST(ExtrasTest, DescribeEndpointsUsesTheConfiguredAddress) {
  auto s = kv::openMemoryStore();
  ASSERT_TRUE(s.ok());
  engine::DatabaseOptions o;
  o.ttl_interval_ms = 0;
  o.endpoint_address = "127.0.0.1:4567";
  engine::Database db(**s, o);
  Dispatcher d(db);
  ApiResponse r = d.handle("DescribeEndpoints", "{}");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"Endpoints":[{"Address":"127.0.0.1:4567","CachePeriodInMinutes":1440}]})");
}

}  // namespace
}  // namespace fdyno::api::testing
