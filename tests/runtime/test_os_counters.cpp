// OS counters per OpenMP thread: one entry per thread of the team when perf_event_open works, summing to (at most)
// what read() sees right after; nothing per thread with the getrusage fallback.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "runtime/os_counters.h"

namespace rs {
namespace {

TEST(OsCounters, PerThreadCountsSumToTheTotal) {
  const OsCounters os;
  const std::vector<OsCounts> before = os.read_per_thread();
  if (!os.per_thread()) {
    EXPECT_TRUE(before.empty()) << os.source();
    GTEST_SKIP() << "no per-thread counters here: " << os.source();
  }
  ASSERT_EQ(before.size(), static_cast<std::size_t>(omp_get_max_threads()));
  std::vector<char> fresh(64 << 20);  // 64 MiB touched on thread 0: page faults there
  std::memset(fresh.data(), 1, fresh.size());
  const std::vector<OsCounts> after = os.read_per_thread();
  const OsCounts total = os.read();
  OsCounts sum;
  for (std::size_t t = 0; t < after.size(); ++t) {
    EXPECT_GE(after[t].page_faults, before[t].page_faults) << t;
    sum += after[t];
  }
  EXPECT_GT(after[0].page_faults - before[0].page_faults, 10);  // 16384 pages of 4 KiB, 32 of 2 MiB
  EXPECT_LE(sum.page_faults, total.page_faults);
  EXPECT_LE(sum.context_switches, total.context_switches);
}

}  // namespace
}  // namespace rs
