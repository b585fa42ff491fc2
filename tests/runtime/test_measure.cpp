// The one measurement loop on made-up run times: warm-up unrecorded, iters, the time floor, the cap, the cutoff,
// progress totals and the validation messages naming the flags.
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/measure.h"

namespace rs {
namespace {

/// Runs `plan` on runs of `seconds` each; returns the record flags seen, in order.
std::vector<bool> flags_of(const RepeatPlan& plan, double seconds, RepeatCount* count = nullptr) {
  std::vector<bool> seen;
  const RepeatCount c = repeat(plan, [&](bool record) {
    seen.push_back(record);
    return seconds;
  });
  if (count) *count = c;
  return seen;
}

TEST(Repeat, WarmupThenIters) {
  RepeatCount c;
  const auto seen = flags_of({2, 3}, 0.5, &c);
  EXPECT_EQ(seen, (std::vector<bool>{false, false, true, true, true}));
  EXPECT_EQ(c.runs, 3);
  EXPECT_DOUBLE_EQ(c.measured_s, 1.5);
}

TEST(Repeat, MinTimeAddsRunsUntilReached) {
  RepeatCount c;
  flags_of({1, 2, 1.0}, 0.25, &c);  // 2 runs = 0.5 s < 1 s: two more
  EXPECT_EQ(c.runs, 4);
  EXPECT_DOUBLE_EQ(c.measured_s, 1.0);
}

TEST(Repeat, MaxItersCapsTheTimeFloor) {
  RepeatCount c;
  flags_of({0, 3, 1e9, 7}, 0.0, &c);  // zero-second runs never reach the floor
  EXPECT_EQ(c.runs, 7);
}

TEST(Repeat, CutoffStopsAfterTheFirstMeasuredRun) {
  RepeatPlan plan{1, 5};
  plan.cutoff_s = 0.1;
  RepeatCount c;
  EXPECT_EQ(flags_of(plan, 0.2, &c).size(), 2u);  // warm-up + one measured run
  EXPECT_EQ(c.runs, 1);
  EXPECT_EQ(flags_of(plan, 0.05, &c).size(), 6u);
}

TEST(Repeat, ProgressCountsWarmupAndGrowsWithTheFloor) {
  std::vector<std::pair<int, int>> calls;
  repeat({1, 1, 0.3}, [](bool) { return 0.1; }, [&](int done, int total) { calls.emplace_back(done, total); });
  const std::vector<std::pair<int, int>> expected = {{1, 2}, {2, 3}, {3, 4}, {4, 4}};
  EXPECT_EQ(calls, expected);
}

TEST(Repeat, ValidationNamesTheFlag) {
  auto message = [](const RepeatPlan& p, const RepeatFlags& f = {}) {
    try {
      p.validate(f);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message({0, 0}), "--iters must be >= 1 (got 0)");
  EXPECT_EQ(message({-1, 1}), "--warmup must be >= 0 (got -1)");
  EXPECT_EQ(message({0, 1, -1.0}), "--min-time must be a finite number >= 0 (got -1)");
  EXPECT_EQ(message({0, 5, 0, 3}, {"--warmup", "--reps", "min_time_s", "max_reps"}),
            "max_reps must be >= --reps (got 3 < 5)");
  EXPECT_THROW(repeat({0, 0}, [](bool) { return 0.0; }), std::invalid_argument);
}

}  // namespace
}  // namespace rs
