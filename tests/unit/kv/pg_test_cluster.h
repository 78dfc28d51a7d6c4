// pg_test_cluster.h: the PostgreSQL database the kv tests of the shared
// store run against. Real PostgreSQL, never a mock:
// - FDYNO_TEST_POSTGRES (a libpq URL) names one that is already running
//   (make test starts one with scripts/pg-cluster.sh and sets it);
// - otherwise the first test that needs it starts a private cluster with
//   scripts/pg-cluster.sh in a temporary directory, stopped when the test
//   binary exits. A test never skips because PostgreSQL is absent: it
//   fails, with the script's message.
// Each store gets a schema of its own (freshPostgresUrl), so tests never
// see each other's keys.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>

#ifndef FDYNO_SOURCE_DIR
#error "FDYNO_SOURCE_DIR must name the source tree (tests/unit/kv/CMakeLists.txt)"
#endif

namespace fdyno::kv::testing {

class PgTestCluster {
 public:
  // The base URL, or "" with *error set.
  static const std::string& url(std::string* error) {
    static PgTestCluster cluster;
    if (!cluster.error_.empty()) *error = cluster.error_;
    return cluster.url_;
  }

 private:
  PgTestCluster() {
    if (const char* env = std::getenv("FDYNO_TEST_POSTGRES"); env != nullptr && *env != '\0') {
      url_ = env;
      return;
    }
    std::random_device rd;
    dir_ = (std::filesystem::temp_directory_path() /
            ("fdyno-pg-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd())))
               .string();
    std::string cmd = std::string(FDYNO_SOURCE_DIR) + "/scripts/pg-cluster.sh start " + dir_ + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (p != nullptr && std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
    int rc = p == nullptr ? -1 : ::pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    if (rc != 0 || out.rfind("postgresql://", 0) != 0) {
      error_ = "could not start PostgreSQL for the tests: " + out;
      return;
    }
    url_ = out;
  }
  ~PgTestCluster() {
    if (dir_.empty()) return;
    std::string cmd = std::string(FDYNO_SOURCE_DIR) + "/scripts/pg-cluster.sh stop " + dir_ + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "pg test cluster: stop failed\n");
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string url_;
  std::string dir_;
  std::string error_;
};

// The test database with a new, unique schema selected (created by the
// store on open). "" with *error set if no database could be had.
inline std::string freshPostgresUrl(std::string* error) {
  const std::string& base = PgTestCluster::url(error);
  if (base.empty()) return "";
  static std::atomic<int> counter{0};
  std::random_device rd;
  std::string schema = "kvt_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
                       std::to_string(rd() % 100000);
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

}  // namespace fdyno::kv::testing
