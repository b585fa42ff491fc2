// Statistics of repeated timings, computed in one place (STYLE.md §9).
#pragma once
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
/// q in [0, 1] of already sorted samples, linear interpolation.
double quantile_sorted(const std::vector<double>& sorted, double q);

}  // namespace rs
