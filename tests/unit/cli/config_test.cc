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

}  // namespace
}  // namespace fdyno::cli
