#include "cli/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace fdyno::cli {
namespace {

TEST(ConfigTest, SplitHostPort) {
  std::string h;
  uint16_t p = 0;
  ASSERT_TRUE(splitHostPort("127.0.0.1:8000", &h, &p));
  EXPECT_EQ(h, "127.0.0.1");
  EXPECT_EQ(p, 8000);
  ASSERT_TRUE(splitHostPort("[::1]:9", &h, &p));
  EXPECT_EQ(h, "::1");
  EXPECT_EQ(p, 9);
  EXPECT_FALSE(splitHostPort("nohost", &h, &p));
  EXPECT_FALSE(splitHostPort(":80", &h, &p));
  EXPECT_FALSE(splitHostPort("a:99999", &h, &p));
  EXPECT_FALSE(splitHostPort("a:8x", &h, &p));
}

TEST(ConfigTest, AuthDefaultsByAddress) {
  std::string err;
  ServeConfig c;
  ASSERT_TRUE(finalize(c, &err)) << err;
  EXPECT_EQ(c.auth, "open");

  ServeConfig remote;
  remote.listen = "0.0.0.0:8000";
  EXPECT_FALSE(finalize(remote, &err));
  EXPECT_NE(err.find("--credentials"), std::string::npos) << err;

  ServeConfig with_creds;
  with_creds.credentials = "/tmp/creds";
  ASSERT_TRUE(finalize(with_creds, &err));
  EXPECT_EQ(with_creds.auth, "verify");
}

TEST(ConfigTest, OpenOnRemoteNeedsExplicitPermission) {
  std::string err;
  ServeConfig c;
  c.listen = "10.0.0.1:8000";
  c.auth = "open";
  EXPECT_FALSE(finalize(c, &err));
  EXPECT_NE(err.find("--allow-open-remote"), std::string::npos);
  c.allow_open_remote = true;
  EXPECT_TRUE(finalize(c, &err)) << err;
}

TEST(ConfigTest, RejectsBadValues) {
  std::string err;
  ServeConfig c;
  c.durability = "fast";
  EXPECT_FALSE(finalize(c, &err));
  EXPECT_EQ(err, "--durability: expected sync or relaxed, got 'fast'");
  ServeConfig d;
  d.auth = "none";
  EXPECT_FALSE(finalize(d, &err));
}

TEST(ConfigTest, LayersApplyInPrecedenceOrder) {
  std::string path = ::testing::TempDir() + "/fdyno_cfg_test.toml";
  {
    std::ofstream f(path);
    f << "listen = \"127.0.0.1:7000\"\nthreads = 3\ndata-dir = \"/tmp/x\"\n";
  }
  ConfigLayer file;
  std::string err;
  ASSERT_TRUE(layerFromToml(path, &file, &err)) << err;
  ServeConfig cfg;
  applyLayer(cfg, file);
  EXPECT_EQ(cfg.listen, "127.0.0.1:7000");
  EXPECT_EQ(cfg.threads, 3);
  EXPECT_EQ(cfg.data_dir, "/tmp/x");

  setenv("FDYNO_LISTEN", "127.0.0.1:7001", 1);
  ConfigLayer env;
  ASSERT_TRUE(layerFromEnv(&env, &err)) << err;
  unsetenv("FDYNO_LISTEN");
  applyLayer(cfg, env);
  EXPECT_EQ(cfg.listen, "127.0.0.1:7001");
  EXPECT_EQ(cfg.threads, 3);

  ConfigLayer flags;
  flags.listen = "127.0.0.1:7002";
  applyLayer(cfg, flags);
  EXPECT_EQ(cfg.listen, "127.0.0.1:7002");
  std::remove(path.c_str());
}

TEST(ConfigTest, TomlErrorsAreReported) {
  std::string path = ::testing::TempDir() + "/fdyno_cfg_bad.toml";
  {
    std::ofstream f(path);
    f << "colour = \"blue\"\n";
  }
  ConfigLayer layer;
  std::string err;
  EXPECT_FALSE(layerFromToml(path, &layer, &err));
  EXPECT_NE(err.find("unknown setting 'colour'"), std::string::npos) << err;
  std::remove(path.c_str());
}

TEST(ConfigTest, EnvRejectsMalformedNumbers) {
  setenv("FDYNO_THREADS", "many", 1);
  ConfigLayer env;
  std::string err;
  EXPECT_FALSE(layerFromEnv(&env, &err));
  unsetenv("FDYNO_THREADS");
  EXPECT_EQ(err, "FDYNO_THREADS: expected a number, got 'many'");
}

// --max-connections, --idle-timeout-seconds, --request-timeout-seconds:
// each from the TOML file and the environment, in the usual precedence, and
// bounded.
TEST(ConfigTest, ConnectionSettingsFromEveryLayer) {
  ServeConfig defaults;
  EXPECT_EQ(defaults.max_connections, 0);  // derived from RLIMIT_NOFILE by the server
  EXPECT_EQ(defaults.idle_timeout_seconds, 60);
  EXPECT_EQ(defaults.request_timeout_seconds, 60);

  std::string path = ::testing::TempDir() + "/fdyno_cfg_conn.toml";
  {
    std::ofstream f(path);
    f << "max_connections = 100\nidle-timeout-seconds = 30\nrequest_timeout_seconds = 20\n";
  }
  ConfigLayer file;
  std::string err;
  ASSERT_TRUE(layerFromToml(path, &file, &err)) << err;
  std::remove(path.c_str());
  ServeConfig cfg;
  applyLayer(cfg, file);
  EXPECT_EQ(cfg.max_connections, 100);
  EXPECT_EQ(cfg.idle_timeout_seconds, 30);
  EXPECT_EQ(cfg.request_timeout_seconds, 20);

  setenv("FDYNO_MAX_CONNECTIONS", "200", 1);
  setenv("FDYNO_IDLE_TIMEOUT_SECONDS", "40", 1);
  ConfigLayer env;
  ASSERT_TRUE(layerFromEnv(&env, &err)) << err;
  unsetenv("FDYNO_MAX_CONNECTIONS");
  unsetenv("FDYNO_IDLE_TIMEOUT_SECONDS");
  applyLayer(cfg, env);
  EXPECT_EQ(cfg.max_connections, 200);
  EXPECT_EQ(cfg.idle_timeout_seconds, 40);
  EXPECT_EQ(cfg.request_timeout_seconds, 20);  // the file's, env did not set it

  ConfigLayer flags;
  flags.max_connections = 300;
  flags.request_timeout_seconds = 5;
  applyLayer(cfg, flags);
  EXPECT_EQ(cfg.max_connections, 300);
  EXPECT_EQ(cfg.idle_timeout_seconds, 40);
  EXPECT_EQ(cfg.request_timeout_seconds, 5);
  ASSERT_TRUE(finalize(cfg, &err)) << err;

  setenv("FDYNO_REQUEST_TIMEOUT_SECONDS", "soon", 1);
  ConfigLayer bad_env;
  EXPECT_FALSE(layerFromEnv(&bad_env, &err));
  unsetenv("FDYNO_REQUEST_TIMEOUT_SECONDS");
  EXPECT_EQ(err, "FDYNO_REQUEST_TIMEOUT_SECONDS: expected a number, got 'soon'");
}

TEST(ConfigTest, ConnectionSettingsAreBounded) {
  std::string err;
  ServeConfig c;
  c.max_connections = -1;
  EXPECT_FALSE(finalize(c, &err));
  EXPECT_NE(err.find("--max-connections"), std::string::npos) << err;
  c = ServeConfig{};
  c.max_connections = kMaxConnectionsSetting + 1;
  EXPECT_FALSE(finalize(c, &err));
  c = ServeConfig{};
  c.idle_timeout_seconds = 0;
  EXPECT_FALSE(finalize(c, &err));
  EXPECT_EQ(err, "--idle-timeout-seconds: expected 1 to 86400");
  c = ServeConfig{};
  c.request_timeout_seconds = kMaxTimeoutSeconds + 1;
  EXPECT_FALSE(finalize(c, &err));
  EXPECT_EQ(err, "--request-timeout-seconds: expected 1 to 86400");

  // A TOML integer that does not fit an int is refused, not wrapped.
  std::string path = ::testing::TempDir() + "/fdyno_cfg_huge.toml";
  {
    std::ofstream f(path);
    f << "max_connections = 4294967396\n";
  }
  ConfigLayer layer;
  EXPECT_FALSE(layerFromToml(path, &layer, &err));
  std::remove(path.c_str());
  EXPECT_NE(err.find("'max_connections' must be an integer"), std::string::npos) << err;
}

// --item-collection-limit-bytes: the engine's item collection limit comes
// from the configuration (it reads no environment itself); 10 GiB by
// default, lowered by any layer, never raised.
TEST(ConfigTest, ItemCollectionLimitFromEveryLayerAndBounded) {
  ServeConfig cfg;
  EXPECT_EQ(cfg.item_collection_limit_bytes, int64_t{10} * 1024 * 1024 * 1024);

  std::string path = ::testing::TempDir() + "/fdyno_cfg_collection.toml";
  {
    std::ofstream f(path);
    f << "item-collection-limit-bytes = 8192\n";
  }
  ConfigLayer file;
  std::string err;
  ASSERT_TRUE(layerFromToml(path, &file, &err)) << err;
  std::remove(path.c_str());
  applyLayer(cfg, file);
  EXPECT_EQ(cfg.item_collection_limit_bytes, 8192);

  setenv("FDYNO_ITEM_COLLECTION_LIMIT_BYTES", "4096", 1);
  ConfigLayer env;
  ASSERT_TRUE(layerFromEnv(&env, &err)) << err;
  unsetenv("FDYNO_ITEM_COLLECTION_LIMIT_BYTES");
  applyLayer(cfg, env);
  EXPECT_EQ(cfg.item_collection_limit_bytes, 4096);
  ASSERT_TRUE(finalize(cfg, &err)) << err;

  setenv("FDYNO_ITEM_COLLECTION_LIMIT_BYTES", "12abc", 1);
  ConfigLayer bad_env;
  EXPECT_FALSE(layerFromEnv(&bad_env, &err));
  unsetenv("FDYNO_ITEM_COLLECTION_LIMIT_BYTES");
  EXPECT_EQ(err, "FDYNO_ITEM_COLLECTION_LIMIT_BYTES: expected a number, got '12abc'");

  for (int64_t bad : {int64_t{0}, int64_t{-1}, kMaxItemCollectionLimitBytes + 1}) {
    ServeConfig c;
    c.item_collection_limit_bytes = bad;
    EXPECT_FALSE(finalize(c, &err)) << bad;
    EXPECT_EQ(err, "--item-collection-limit-bytes: expected 1 to 10737418240 (DynamoDB's 10 GiB)");
  }
}

}  // namespace
}  // namespace fdyno::cli
