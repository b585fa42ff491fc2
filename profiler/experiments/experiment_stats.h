// Statistics behind `roofscope experiment` verdicts: a distribution-free confidence interval of the median, the
// verdict rule on two intervals, and the fits some experiments report (Spearman rank correlation, least squares).
// Pure functions on numbers: no timing, no oneDNN.
#pragma once
#include <limits>
#include <string>
#include <vector>

namespace rs {

/// A confidence interval [lo, hi] around a point estimate, all in the unit of the samples. NaN = unknown.
struct Interval {
  double lo = std::numeric_limits<double>::quiet_NaN();
  double point = std::numeric_limits<double>::quiet_NaN();
  double hi = std::numeric_limits<double>::quiet_NaN();

  /// True when lo, point and hi are finite and lo <= point <= hi.
  bool valid() const;
  /// Every bound times `factor` (> 0): the exact interval of the median of the scaled samples (order statistics
  /// commute with a positive scale). E.g. time -> time per FLOP with factor = 1 / FLOPs.
  Interval scaled(double factor) const;
  /// numerator / x for every bound, lo and hi swapped (a decreasing map keeps order statistics, reversed):
  /// e.g. time -> efficiency with numerator = roofline time, time -> GFLOP/s with numerator = GFLOPs. Needs lo > 0.
  Interval reciprocal(double numerator) const;
};

/// A distribution-free confidence interval of the median: the order-statistic (sign-test, binomial) interval
/// [x_(k), x_(n-k+1)] of the sorted samples x_(1) <= ... <= x_(n) (1-based ranks). For any continuous distribution
/// P(x_(k) <= median <= x_(n-k+1)) = 1 - 2 P(B <= k-1), B ~ Binomial(n, 1/2) (Conover, Practical Nonparametric
/// Statistics, 3rd ed., §3.2; Hahn & Meeker, Statistical Intervals, §5.2). k is the largest rank whose coverage is
/// still >= the confidence asked for, so the coverage is exact, never approximate (it steps with n: 96.9% at n = 6,
/// 97.9% at n = 10, 95.9% at n = 20). No assumption of normality: run times are skewed and have outliers.
struct MedianCI {
  Interval interval;          ///< lo = x_(k), point = sample median (mean of the middle two for even n), hi = x_(n-k+1)
  int n = 0;                  ///< samples
  int lower_rank = 0;         ///< k (1-based)
  int upper_rank = 0;         ///< n - k + 1
  double coverage = 0;        ///< 1 - 2 P(B <= k-1): the interval's exact confidence level
  bool meets_confidence = false;  ///< false when n is too small for the level (95%: n <= 5): then [min, max]
};

/// The interval for `samples` at `confidence` (e.g. 0.95). Throws std::invalid_argument when samples is empty,
/// holds a non-finite value, or confidence is not in (0, 1).
MedianCI median_ci(std::vector<double> samples, double confidence = 0.95);

/// P(B <= k) for B ~ Binomial(n, 1/2), computed in log space (exact to rounding for any n); 0 for k < 0, 1 for
/// k >= n.
double binomial_half_cdf(int n, int k);

/// The outcome of testing one claim.
enum class Verdict { Holds, DoesNotHold, Inconclusive };
/// "holds" | "does not hold" | "inconclusive".
const char* verdict_name(Verdict verdict);

/// The direction a claim asserts between two quantities a and b.
enum class Direction { Less, Greater };
/// "<" | ">".
const char* direction_symbol(Direction direction);

/// The verdict on the claim "a (direction) b" from the two intervals: Holds when they are disjoint in the claimed
/// order (Less: a.hi < b.lo), DoesNotHold when disjoint in the opposite order, Inconclusive when they overlap or
/// touch, or either is not valid(). With two 95% intervals, disjointness is a conservative test (a difference of
/// medians is declared at a level well above 95%), so "inconclusive" is the honest answer on a noisy machine.
Verdict judge(const Interval& a, Direction claim, const Interval& b);

/// Verdict of a claim made of several comparisons that must all hold: Holds when every one holds, DoesNotHold when
/// every one does not hold, otherwise (mixed, or empty) Inconclusive.
Verdict combine(const std::vector<Verdict>& verdicts);

/// Verdict of a claim "x is at least `holds_at`" for a statistic without an interval (e.g. a fit's R^2): Holds when
/// x >= holds_at, DoesNotHold when x < fails_below, Inconclusive in between or when x is NaN.
/// Throws std::invalid_argument unless fails_below <= holds_at.
Verdict judge_threshold(double x, double holds_at, double fails_below);

/// One tested comparison, as shown in the reports: "a (claim) b" with both intervals in `unit`.
struct Comparison {
  std::string a_label, b_label;  ///< e.g. "t(dw) x 64", "t(dense)"
  Interval a, b;
  Direction claim = Direction::Less;
  std::string unit;              ///< e.g. "ms", "ps/FLOP", "" (unitless)
  Verdict verdict = Verdict::Inconclusive;
  /// "t(dw) x 64 [1.21, 1.40] ms < t(dense) [0.93, 1.02] ms: does not hold".
  std::string text() const;
};
/// Builds the comparison and judges it.
Comparison compare(std::string a_label, const Interval& a, Direction claim, std::string b_label, const Interval& b,
                   std::string unit);

/// Spearman's rank correlation of x and y (Pearson correlation of their ranks; tied values get their mean rank).
/// NaN when the sizes differ, n < 3, or either is constant.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

/// Least-squares line y = intercept + slope * x and its coefficient of determination R^2 = 1 - SS_res / SS_tot.
struct LineFit {
  double intercept = std::numeric_limits<double>::quiet_NaN();
  double slope = std::numeric_limits<double>::quiet_NaN();
  double r2 = std::numeric_limits<double>::quiet_NaN();  ///< NaN when n < 3 (two points always fit exactly)
  int n = 0;
};
/// NaN fields when the sizes differ, n < 2, or x is constant.
LineFit fit_line(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace rs
