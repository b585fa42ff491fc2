// runtime/stats on synthetic numbers: the order-statistic CI of the median (ranks, exact coverage, empirical
// coverage), intervals, Spearman and the line fit.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "runtime/stats.h"

namespace rs {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(BinomialHalfCdf, ExactSmallValuesAndEdges) {
  EXPECT_DOUBLE_EQ(binomial_half_cdf(5, 0), 1.0 / 32);
  EXPECT_NEAR(binomial_half_cdf(10, 1), 11.0 / 1024, 1e-15);
  EXPECT_NEAR(binomial_half_cdf(10, 2), 56.0 / 1024, 1e-15);
  EXPECT_EQ(binomial_half_cdf(10, -1), 0.0);
  EXPECT_EQ(binomial_half_cdf(10, 10), 1.0);
  EXPECT_NEAR(binomial_half_cdf(7, 3), 0.5, 1e-15);  // symmetric, odd n
}

TEST(BinomialHalfCdf, LargeNDoesNotUnderflow) {
  // P(B <= 999) for n = 2000 is (1 - P(B = 1000)) / 2, P(B = 1000) = C(2000, 1000) / 2^2000 = 0.0178390111...
  EXPECT_NEAR(binomial_half_cdf(2000, 999), (1 - 0.0178390111) / 2, 1e-8);
  EXPECT_GT(binomial_half_cdf(2000, 900), 0.0);
}

/// n, expected lower rank k, whether 95% is reachable.
struct RankCase {
  int n, k;
  bool meets;
};

class MedianCiRanks : public ::testing::TestWithParam<RankCase> {};

TEST_P(MedianCiRanks, RanksAndExactCoverage) {
  const RankCase c = GetParam();
  std::vector<double> samples;
  for (int i = c.n; i >= 1; --i) samples.push_back(i);  // x_(i) = i, given in reverse order
  const MedianCI ci = median_ci(samples, 0.95);
  EXPECT_EQ(ci.n, c.n);
  EXPECT_EQ(ci.lower_rank, c.k);
  EXPECT_EQ(ci.upper_rank, c.n - c.k + 1);
  EXPECT_EQ(ci.meets_confidence, c.meets);
  EXPECT_DOUBLE_EQ(ci.interval.lo, c.k);
  EXPECT_DOUBLE_EQ(ci.interval.hi, c.n - c.k + 1);
  EXPECT_DOUBLE_EQ(ci.interval.point, (c.n + 1) / 2.0);
  EXPECT_NEAR(ci.coverage, 1 - 2 * binomial_half_cdf(c.n, c.k - 1), 1e-15);
  if (c.meets) {
    EXPECT_GE(ci.coverage, 0.95);
    // k is the largest rank that keeps the level: one more would drop below it.
    EXPECT_LT(1 - 2 * binomial_half_cdf(c.n, c.k), 0.95);
  } else {
    EXPECT_LT(ci.coverage, 0.95);
  }
}

// Reference ranks: the classical tables of the sign-test interval (n = 20: 6 and 15; n = 100: 40 and 61).
INSTANTIATE_TEST_SUITE_P(Table, MedianCiRanks,
                         ::testing::Values(RankCase{1, 1, false}, RankCase{5, 1, false}, RankCase{6, 1, true},
                                           RankCase{9, 2, true}, RankCase{10, 2, true}, RankCase{11, 2, true},
                                           RankCase{20, 6, true}, RankCase{31, 10, true}, RankCase{100, 40, true}));

TEST(MedianCi, EmpiricalCoverageMatchesTheExactLevel) {
  // Skewed samples (lognormal, true median 1): the interval must cover 1 in ~98.8% of trials for n = 11.
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(0.0, 1.0);
  const int trials = 4000, n = 11;
  int covered = 0;
  double coverage = 0;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> s(n);
    for (double& x : s) x = dist(rng);
    const MedianCI ci = median_ci(s);
    coverage = ci.coverage;
    covered += ci.interval.lo <= 1.0 && 1.0 <= ci.interval.hi;
  }
  // Binomial standard error sqrt(p(1-p)/trials) = 0.0017; allow 4 of them.
  EXPECT_NEAR(static_cast<double>(covered) / trials, coverage, 0.007);
}

TEST(MedianCi, RejectsBadInput) {
  EXPECT_THROW(median_ci({}), std::invalid_argument);
  EXPECT_THROW(median_ci({1.0, kNaN, 2.0}), std::invalid_argument);
  EXPECT_THROW(median_ci({1.0, 2.0}, 0.0), std::invalid_argument);
  EXPECT_THROW(median_ci({1.0, 2.0}, 1.0), std::invalid_argument);
}

TEST(Interval, ScaledAndReciprocalKeepOrder) {
  const Interval t{2.0, 4.0, 8.0};
  const Interval s = t.scaled(0.5);
  EXPECT_DOUBLE_EQ(s.lo, 1.0);
  EXPECT_DOUBLE_EQ(s.hi, 4.0);
  const Interval r = t.reciprocal(16.0);  // e.g. efficiency = roof / time: bounds swap
  EXPECT_DOUBLE_EQ(r.lo, 2.0);
  EXPECT_DOUBLE_EQ(r.point, 4.0);
  EXPECT_DOUBLE_EQ(r.hi, 8.0);
  EXPECT_TRUE(r.valid());
  EXPECT_FALSE(Interval{}.valid());
  EXPECT_FALSE(Interval{}.reciprocal(1.0).valid());
}

TEST(Spearman, RanksNotValues) {
  const std::vector<double> x = {1, 2, 3, 4, 5};
  EXPECT_DOUBLE_EQ(spearman(x, {1, 8, 27, 64, 125}), 1.0);  // monotone, not linear
  EXPECT_DOUBLE_EQ(spearman(x, {5, 4, 3, 2, 1}), -1.0);
  // Ties get mean ranks: y ranks {1.5, 1.5, 3, 4}; Pearson of {1,2,3,4} with them = 0.9486832980505138.
  EXPECT_NEAR(spearman({1, 2, 3, 4}, {7, 7, 8, 9}), 0.9486832980505138, 1e-12);
  EXPECT_TRUE(std::isnan(spearman({1, 2}, {1, 2})));
  EXPECT_TRUE(std::isnan(spearman(x, {3, 3, 3, 3, 3})));
  EXPECT_TRUE(std::isnan(spearman(x, {1, 2, 3})));
}

TEST(FitLine, ExactAndNoisy) {
  const LineFit exact = fit_line({1, 2, 3, 4}, {3, 5, 7, 9});
  EXPECT_NEAR(exact.slope, 2.0, 1e-12);
  EXPECT_NEAR(exact.intercept, 1.0, 1e-12);
  EXPECT_NEAR(exact.r2, 1.0, 1e-12);
  // y = {1, 3, 2}: slope 0.5, intercept 1.5, residuals {-0.5, 1, -0.5}: SS_res 1.5, SS_tot 2 -> R^2 = 0.25.
  const LineFit noisy = fit_line({0, 1, 2}, {1, 3, 2});
  EXPECT_NEAR(noisy.slope, 0.5, 1e-12);
  EXPECT_NEAR(noisy.intercept, 1.5, 1e-12);
  EXPECT_NEAR(noisy.r2, 0.25, 1e-12);
  EXPECT_TRUE(std::isnan(fit_line({1, 2}, {1, 2}).r2));  // two points always fit
  EXPECT_TRUE(std::isnan(fit_line({2, 2, 2}, {1, 2, 3}).slope));
  EXPECT_TRUE(std::isnan(fit_line({1, 2, 3}, {1, 2}).slope));
}

}  // namespace
}  // namespace rs
