// Statistics of repeated timings, computed in one place (STYLE.md §9): the summary (median, p10/p90, CV), a
// distribution-free confidence interval of the median, and the fits some experiments report (Spearman rank
// correlation, least squares). Pure functions on numbers: no timing, no oneDNN (the reporters include this).
#pragma once
#include <limits>
#include <vector>

namespace rs {

/// Summary of samples (seconds or any unit; the unit of the input is the unit of every field but cv).
struct Stats {
  int n = 0;
  double median = 0, p10 = 0, p90 = 0, min = 0, max = 0, mean = 0;
  double cv = 0;  ///< coefficient of variation = stddev / mean (unitless; 0 when n < 2)
};

/// Percentiles by linear interpolation between order statistics (numpy's default). Empty input -> all zeros.
Stats compute_stats(std::vector<double> samples);
/// The median of samples (mean of the middle two for an even count); 0 for an empty input.
double median(std::vector<double> samples);
/// q in [0, 1] of already sorted samples, linear interpolation.
double quantile_sorted(const std::vector<double>& sorted, double q);

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
