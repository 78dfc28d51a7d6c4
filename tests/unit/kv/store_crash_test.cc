// kill -9 durability: a child process commits to RocksDB and reports each
// acknowledged commit through a pipe; the parent SIGKILLs it mid-stream,
// reopens the directory and checks that every acknowledged commit survived.
// (Both kSync and kRelaxed must survive a process kill: the WAL write reaches
// the OS before commit() returns. Machine crashes cannot be simulated here.)
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "store_fixture.h"

namespace fdyno::kv::testing {
namespace {

constexpr const char* kDirEnv = "FDYNO_KV_CRASH_DIR";
constexpr const char* kModeEnv = "FDYNO_KV_CRASH_MODE";

std::string keyFor(int i) { return "crash/" + std::to_string(100000 + i); }

// Runs only inside the child spawned below.
TEST(CrashWriterHelper, CommitUntilKilled) {
  const char* dir = std::getenv(kDirEnv);
  if (dir == nullptr) GTEST_SKIP() << "helper for KillDurabilityTest";
  StoreOptions opts;
  opts.durability = std::string(std::getenv(kModeEnv)) == "sync" ? DurabilityMode::kSync : DurabilityMode::kRelaxed;
  auto store = openRocksDbStore(dir, opts);
  ASSERT_TRUE(store.ok());
  for (int i = 0;; ++i) {
    auto txn = (*store)->begin();
    txn->set(keyFor(i), std::to_string(i));
    txn->atomicAdd("crash/count", 1);
    ASSERT_TRUE(txn->commit().ok());
    std::string line = std::to_string(i) + "\n";
    if (::write(STDOUT_FILENO, line.data(), line.size()) < 0) return;
  }
}

class KillDurabilityTest : public ::testing::TestWithParam<const char*> {};

TEST_P(KillDurabilityTest, AcknowledgedCommitsSurviveSigkill) {
  TempDir dir;
  std::string db = dir.path() + "/db";
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::setenv(kDirEnv, db.c_str(), 1);
    ::setenv(kModeEnv, GetParam(), 1);
    ::execl("/proc/self/exe", "kv_test", "--gtest_filter=CrashWriterHelper.*", nullptr);
    ::_exit(127);
  }
  ::close(fds[1]);
  FILE* in = ::fdopen(fds[0], "r");
  ASSERT_NE(in, nullptr);
  int last_acked = -1;
  char buf[64];
  while (last_acked < 150 && std::fgets(buf, sizeof buf, in) != nullptr) {
    if (buf[0] >= '0' && buf[0] <= '9') last_acked = std::atoi(buf);
  }
  ::kill(pid, SIGKILL);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  std::fclose(in);
  ASSERT_GE(last_acked, 150) << "child stopped early";
  ASSERT_TRUE(WIFSIGNALED(wstatus));

  auto store = openRocksDbStore(db);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto txn = (*store)->begin();
  for (int i = 0; i <= last_acked; ++i) {
    auto v = txn->get(keyFor(i));
    ASSERT_TRUE(v.ok());
    ASSERT_EQ(*v, std::to_string(i)) << "acknowledged commit " << i << " lost";
  }
  auto count = txn->get("crash/count");
  ASSERT_TRUE(count.ok() && count->has_value());
  EXPECT_GE(decodeCounter(**count), last_acked + 1);
  // Versions continue after the crash.
  uint64_t rv = txn->readVersion();
  EXPECT_GE(rv, static_cast<uint64_t>(last_acked + 1));
  auto w = (*store)->begin();
  w->set("after", "1");
  auto v = w->commit();
  ASSERT_TRUE(v.ok());
  EXPECT_GT(*v, rv);
}

INSTANTIATE_TEST_SUITE_P(Modes, KillDurabilityTest, ::testing::Values("sync", "relaxed"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace fdyno::kv::testing
