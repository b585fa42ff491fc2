#include "runtime/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

namespace rs {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

double quantile_sorted(const std::vector<double>& s, double q) {
  if (s.empty()) return 0;
  const double pos = q * static_cast<double>(s.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, s.size() - 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - static_cast<double>(lo));
}

double median(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return quantile_sorted(samples, 0.5);
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

bool Interval::valid() const {
  return std::isfinite(lo) && std::isfinite(point) && std::isfinite(hi) && lo <= point && point <= hi;
}

Interval Interval::scaled(double factor) const { return {lo * factor, point * factor, hi * factor}; }

Interval Interval::reciprocal(double numerator) const {
  auto inv = [numerator](double x) { return x > 0 ? numerator / x : kNaN; };
  return {inv(hi), inv(point), inv(lo)};
}

double binomial_half_cdf(int n, int k) {
  if (k < 0) return 0;
  if (k >= n) return 1;
  // log C(n, j) - n log 2, summed in linear space relative to the largest term to avoid underflow for large n.
  const double log_norm = std::lgamma(n + 1.0) - n * std::log(2.0);
  std::vector<double> logs;
  for (int j = 0; j <= k; ++j) logs.push_back(log_norm - std::lgamma(j + 1.0) - std::lgamma(n - j + 1.0));
  const double top = *std::max_element(logs.begin(), logs.end());
  double sum = 0;
  for (double l : logs) sum += std::exp(l - top);
  return std::min(1.0, std::exp(top) * sum);
}

MedianCI median_ci(std::vector<double> samples, double confidence) {
  if (samples.empty()) throw std::invalid_argument("median_ci: no samples");
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument(fmt::format("median_ci: confidence must be in (0, 1) (got {})", confidence));
  for (double x : samples)
    if (!std::isfinite(x)) throw std::invalid_argument("median_ci: non-finite sample");
  std::sort(samples.begin(), samples.end());
  MedianCI ci;
  ci.n = static_cast<int>(samples.size());
  const double alpha = 1 - confidence;
  // Largest k with 2 P(B <= k-1) <= alpha; k = 0 means no order-statistic interval reaches the level.
  int k = 0;
  while (k + 1 <= (ci.n + 1) / 2 && 2 * binomial_half_cdf(ci.n, k) <= alpha) ++k;
  ci.meets_confidence = k >= 1;
  if (k == 0) k = 1;  // fall back to [min, max], whose coverage is below the level
  ci.lower_rank = k;
  ci.upper_rank = ci.n - k + 1;
  ci.coverage = 1 - 2 * binomial_half_cdf(ci.n, k - 1);
  ci.interval = {samples[static_cast<std::size_t>(k - 1)], quantile_sorted(samples, 0.5),
                 samples[static_cast<std::size_t>(ci.upper_rank - 1)]};
  return ci;
}

namespace {

/// Ranks 1..n, ties get the mean of the ranks they span.
std::vector<double> ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double mean_rank = (static_cast<double>(i + j) + 2) / 2;  // ranks i+1 .. j+1
    for (std::size_t t = i; t <= j; ++t) r[order[t]] = mean_rank;
    i = j + 1;
  }
  return r;
}

/// Means and centred sums of squares and products of paired samples (x.size() == y.size() >= 1).
struct Moments {
  double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
};

Moments moments(const std::vector<double>& x, const std::vector<double>& y) {
  Moments m;
  const double n = static_cast<double>(x.size());
  m.mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  m.my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  for (std::size_t i = 0; i < x.size(); ++i) {
    m.sxy += (x[i] - m.mx) * (y[i] - m.my);
    m.sxx += (x[i] - m.mx) * (x[i] - m.mx);
    m.syy += (y[i] - m.my) * (y[i] - m.my);
  }
  return m;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const Moments m = moments(x, y);
  return m.sxx > 0 && m.syy > 0 ? m.sxy / std::sqrt(m.sxx * m.syy) : kNaN;
}

}  // namespace

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 3) return kNaN;
  return pearson(ranks(x), ranks(y));
}

LineFit fit_line(const std::vector<double>& x, const std::vector<double>& y) {
  LineFit f;
  f.n = static_cast<int>(x.size());
  if (x.size() != y.size() || x.size() < 2) return f;
  const Moments m = moments(x, y);
  if (!(m.sxx > 0)) return f;
  f.slope = m.sxy / m.sxx;
  f.intercept = m.my - f.slope * m.mx;
  if (x.size() >= 3 && m.syy > 0) {
    double ss_res = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double e = y[i] - (f.intercept + f.slope * x[i]);
      ss_res += e * e;
    }
    f.r2 = 1 - ss_res / m.syy;
  }
  return f;
}

}  // namespace rs
