// The verdict rule of experiments on synthetic intervals: two intervals, combined verdicts, thresholds, the text.
#include <cmath>

#include <gtest/gtest.h>

#include "profiler/experiments/experiment_verdict.h"

namespace rs {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct JudgeCase {
  const char* name;
  Interval a;
  Direction claim;
  Interval b;
  Verdict expected;
};

void PrintTo(const JudgeCase& c, std::ostream* os) { *os << c.name; }

class Judge : public ::testing::TestWithParam<JudgeCase> {};

TEST_P(Judge, VerdictFromTwoIntervals) {
  const JudgeCase& c = GetParam();
  EXPECT_EQ(judge(c.a, c.claim, c.b), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Synthetic, Judge,
    ::testing::Values(
        JudgeCase{"less_disjoint_holds", {1, 2, 3}, Direction::Less, {4, 5, 6}, Verdict::Holds},
        JudgeCase{"less_reversed_fails", {4, 5, 6}, Direction::Less, {1, 2, 3}, Verdict::DoesNotHold},
        JudgeCase{"greater_disjoint_holds", {4, 5, 6}, Direction::Greater, {1, 2, 3}, Verdict::Holds},
        JudgeCase{"greater_reversed_fails", {1, 2, 3}, Direction::Greater, {4, 5, 6}, Verdict::DoesNotHold},
        JudgeCase{"overlap_inconclusive", {1, 2, 4}, Direction::Less, {3, 5, 6}, Verdict::Inconclusive},
        JudgeCase{"touching_inconclusive", {1, 2, 3}, Direction::Less, {3, 4, 5}, Verdict::Inconclusive},
        JudgeCase{"nested_inconclusive", {1, 5, 9}, Direction::Greater, {4, 5, 6}, Verdict::Inconclusive},
        JudgeCase{"point_medians_differ_but_overlap", {1, 1.1, 5}, Direction::Less, {2, 4.9, 6},
                  Verdict::Inconclusive},
        JudgeCase{"nan_inconclusive", {kNaN, 1, 2}, Direction::Less, {4, 5, 6}, Verdict::Inconclusive},
        JudgeCase{"inverted_interval_inconclusive", {3, 2, 1}, Direction::Less, {4, 5, 6}, Verdict::Inconclusive}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Combine, AllMustAgree) {
  using V = Verdict;
  EXPECT_EQ(combine({V::Holds, V::Holds}), V::Holds);
  EXPECT_EQ(combine({V::DoesNotHold, V::DoesNotHold}), V::DoesNotHold);
  EXPECT_EQ(combine({V::Holds, V::DoesNotHold}), V::Inconclusive);
  EXPECT_EQ(combine({V::Holds, V::Inconclusive}), V::Inconclusive);
  EXPECT_EQ(combine({}), V::Inconclusive);
}

TEST(JudgeThreshold, ThreeRegions) {
  EXPECT_EQ(judge_threshold(0.95, 0.9, 0.5), Verdict::Holds);
  EXPECT_EQ(judge_threshold(0.9, 0.9, 0.5), Verdict::Holds);
  EXPECT_EQ(judge_threshold(0.7, 0.9, 0.5), Verdict::Inconclusive);
  EXPECT_EQ(judge_threshold(0.2, 0.9, 0.5), Verdict::DoesNotHold);
  EXPECT_EQ(judge_threshold(kNaN, 0.9, 0.5), Verdict::Inconclusive);
  EXPECT_THROW(judge_threshold(0.5, 0.5, 0.9), std::invalid_argument);
}

TEST(CompareText, NamesBothSidesAndTheVerdict) {
  const Comparison c = compare("t(a)", {1e-3, 1.5e-3, 2e-3}, Direction::Less, "t(b)", {3e-3, 3.5e-3, 4e-3}, "s");
  EXPECT_EQ(c.verdict, Verdict::Holds);
  EXPECT_EQ(c.text(), "t(a) [1 ms, 2 ms] < t(b) [3 ms, 4 ms]: holds");
  EXPECT_EQ(compare("x", {1, 1, 1}, Direction::Greater, "y", {2, 2, 2}, "ps/FLOP").text(),
            "x [1 ps/FLOP, 1 ps/FLOP] > y [2 ps/FLOP, 2 ps/FLOP]: does not hold");
  EXPECT_STREQ(verdict_name(Verdict::DoesNotHold), "does not hold");
}

}  // namespace
}  // namespace rs
