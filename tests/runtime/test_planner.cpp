// Memory planner on made-up lifetimes: no two simultaneously live records overlap; arena >= lower bound.
#include <algorithm>
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

UsageRecord record(const char* name, int first, int last, std::int64_t bytes, int alias_of = -1) {
  UsageRecord r{name, first, last, bytes};
  r.alias_of = alias_of;
  return r;
}

bool disjoint(const UsageRecord& a, const UsageRecord& b) {
  return a.offset + a.bytes <= b.offset || b.offset + b.bytes <= a.offset;
}

TEST(Planner, InPlaceRecordSharesItsTargetsStorage) {
  // Step 2 accumulates y into x's buffer (a conv with a sum post-op, x its residual); z is live meanwhile.
  std::vector<UsageRecord> r = {record("x", 0, 2, 4096), record("y", 2, 4, 4096, 0), record("z", 1, 3, 4096),
                                record("w", 3, 4, 4096)};
  const MemoryPlan p = plan_memory(r, 64);
  EXPECT_EQ(r[0].offset, r[1].offset);
  EXPECT_TRUE(disjoint(r[2], r[0]));
  EXPECT_TRUE(disjoint(r[3], r[1]));
  EXPECT_TRUE(disjoint(r[3], r[2]));
  EXPECT_EQ(p.lower_bound_bytes, 3 * 4096);  // at step 3: x/y, z, w; x and y count once
  EXPECT_EQ(p.arena_bytes, 3 * 4096);
  EXPECT_EQ(p.naive_bytes, 4 * 4096);        // one allocation per tensor
}

TEST(Planner, LiveBytesByStepIsTheTimelineTheBoundIsTheMaxOf) {
  // As above: the x/y chain is live 0..4 and counts once; z 1..3, w 3..4; 100 B rounds up to 128.
  const std::vector<UsageRecord> r = {record("x", 0, 2, 4096), record("y", 2, 4, 4096, 0), record("z", 1, 3, 4096),
                                      record("w", 3, 4, 4096), record("s", 1, 1, 100)};
  EXPECT_EQ(live_bytes_by_step(r, 64), (std::vector<std::int64_t>{4096, 2 * 4096 + 128, 2 * 4096, 3 * 4096, 2 * 4096}));
  EXPECT_TRUE(live_bytes_by_step({}).empty());
  std::mt19937 gen(11);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<UsageRecord> rand;
    for (int i = 0; i < 20; ++i) {
      const int first = static_cast<int>(gen() % 30);
      rand.push_back({"t" + std::to_string(i), first, first + static_cast<int>(gen() % 5),
                      static_cast<std::int64_t>(1 + gen() % 10000)});
    }
    const std::vector<std::int64_t> live = live_bytes_by_step(rand);
    EXPECT_EQ(*std::max_element(live.begin(), live.end()), liveness_lower_bound(rand));
  }
  EXPECT_THROW(live_bytes_by_step({record("early", -1, 2, 10)}), std::invalid_argument);
}

TEST(Planner, InPlaceChainKeepsTheGapBetweenReaders) {
  // x is last read at step 1 by another op and taken over at step 3: t (step 2) must not land in x's bytes.
  std::vector<UsageRecord> r = {record("x", 0, 1, 4096), record("t", 2, 2, 4096), record("y", 3, 4, 4096, 0)};
  plan_memory(r, 64);
  EXPECT_EQ(r[0].offset, r[2].offset);
  EXPECT_TRUE(disjoint(r[1], r[0]));
}

TEST(Planner, RejectsBadInPlaceRecords) {
  std::vector<UsageRecord> still_live = {record("x", 0, 3, 64), record("y", 2, 4, 64, 0)};
  EXPECT_THROW(plan_memory(still_live), std::invalid_argument);
  std::vector<UsageRecord> larger = {record("x", 0, 2, 64), record("y", 2, 4, 128, 0)};
  EXPECT_THROW(plan_memory(larger), std::invalid_argument);
  std::vector<UsageRecord> out_of_range = {record("x", 0, 2, 64, 5)};
  EXPECT_THROW(plan_memory(out_of_range), std::invalid_argument);
  std::vector<UsageRecord> cycle = {record("a", 1, 1, 64, 1), record("b", 1, 1, 64, 0)};
  EXPECT_THROW(plan_memory(cycle), std::invalid_argument);
}

}  // namespace
}  // namespace rs
