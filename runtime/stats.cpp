#include "runtime/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace rs {

double quantile_sorted(const std::vector<double>& s, double q) {
  if (s.empty()) return 0;
  const double pos = q * static_cast<double>(s.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, s.size() - 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - static_cast<double>(lo));
}

Stats compute_stats(std::vector<double> samples) {
  Stats st;
  st.n = static_cast<int>(samples.size());
  if (samples.empty()) return st;
  std::sort(samples.begin(), samples.end());
  st.min = samples.front();
  st.max = samples.back();
  st.median = quantile_sorted(samples, 0.5);
  st.p10 = quantile_sorted(samples, 0.1);
  st.p90 = quantile_sorted(samples, 0.9);
  st.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / st.n;
  if (st.n > 1 && st.mean != 0) {
    double ss = 0;
    for (double x : samples) ss += (x - st.mean) * (x - st.mean);
    st.cv = std::sqrt(ss / (st.n - 1)) / st.mean;
  }
  return st;
}

}  // namespace rs
