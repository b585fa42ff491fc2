// Memory planner on made-up lifetimes: no two simultaneously live records overlap; arena >= lower bound.
#include <random>

#include <gtest/gtest.h>

#include "runtime/planner.h"

namespace rs {
namespace {

void expect_valid(const std::vector<UsageRecord>& recs, const MemoryPlan& plan, std::int64_t align) {
  for (std::size_t i = 0; i < recs.size(); ++i) {
    ASSERT_GE(recs[i].offset, 0) << recs[i].name;
    EXPECT_EQ(recs[i].offset % align, 0) << recs[i].name;
    EXPECT_LE(recs[i].offset + recs[i].bytes, plan.arena_bytes) << recs[i].name;
    for (std::size_t j = i + 1; j < recs.size(); ++j) {
      if (!lifetimes_overlap(recs[i], recs[j])) continue;
      const bool disjoint = recs[i].offset + recs[i].bytes <= recs[j].offset || recs[j].offset + recs[j].bytes <= recs[i].offset;
      EXPECT_TRUE(disjoint) << recs[i].name << " and " << recs[j].name << " are live together and overlap";
    }
  }
  EXPECT_GE(plan.arena_bytes, plan.lower_bound_bytes);
  EXPECT_LE(plan.arena_bytes, plan.naive_bytes);
}

TEST(Planner, ChainReusesMemory) {
  // a -> b -> c -> d, each read only by the next step: two buffers suffice.
  std::vector<UsageRecord> r = {{"a", 0, 1, 1000}, {"b", 1, 2, 1000}, {"c", 2, 3, 1000}, {"d", 3, 4, 1000}};
  const MemoryPlan p = plan_memory(r, 64);
  expect_valid(r, p, 64);
  EXPECT_EQ(p.arena_bytes, 2 * 1024);
  EXPECT_EQ(p.lower_bound_bytes, 2 * 1024);
  EXPECT_EQ(p.naive_bytes, 4 * 1024);
}

TEST(Planner, LongLivedInputIsNeverShared) {
  // The graph input lives over every step: nothing may be placed over it.
  std::vector<UsageRecord> r = {{"input", 0, 9, 4096}, {"x1", 0, 3, 8192}, {"x2", 4, 9, 8192}, {"x3", 2, 5, 64}};
  const MemoryPlan p = plan_memory(r, 64);
  expect_valid(r, p, 64);
  EXPECT_EQ(p.arena_bytes, p.lower_bound_bytes);
}

TEST(Planner, RandomLifetimesAreValid) {
  std::mt19937 gen(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<UsageRecord> r;
    const int n = 1 + static_cast<int>(gen() % 60);
    for (int i = 0; i < n; ++i) {
      const int first = static_cast<int>(gen() % 50);
      const int len = static_cast<int>(gen() % 8);
      r.push_back({"t" + std::to_string(i), first, first + len, static_cast<std::int64_t>(1 + gen() % 100000)});
    }
    const MemoryPlan p = plan_memory(r, 64);
    expect_valid(r, p, 64);
    // Largest-first best fit stays close to the bound on such inputs; a loose sanity factor, not a tight claim.
    EXPECT_LE(p.arena_bytes, 2 * p.lower_bound_bytes + 100000);
  }
}

TEST(Planner, RejectsBadRecords) {
  std::vector<UsageRecord> r = {{"bad", 3, 1, 10}};
  EXPECT_THROW(plan_memory(r), std::invalid_argument);
  std::vector<UsageRecord> s = {{"ok", 0, 1, 10}};
  EXPECT_THROW(plan_memory(s, 48), std::invalid_argument);
}

}  // namespace
}  // namespace rs
