#include "common/descriptors.h"

#include <sys/resource.h>

#include <algorithm>

namespace fdyno {

namespace {
int64_t softLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return kUnlimitedDescriptors;
  return std::min<int64_t>(static_cast<int64_t>(rl.rlim_cur), kUnlimitedDescriptors);
}
}  // namespace

DescriptorBudget descriptorBudget() {
  DescriptorBudget b;
  b.limit = softLimit();
  b.store_files = std::clamp<int64_t>(b.limit / 4, kMinStoreFiles, kMaxStoreFiles);
  b.connections = std::max<int64_t>(b.limit - kOtherDescriptors - b.store_files, kMinConnections);
  return b;
}

int64_t raiseDescriptorLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != rl.rlim_max) {
    rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &raised);  // best effort: the old limit stays otherwise
  }
  return softLimit();
}

}  // namespace fdyno
