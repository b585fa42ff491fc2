#include "profiler/experiments/experiment_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "runtime/stats.h"

namespace rs {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

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

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Holds: return "holds";
    case Verdict::DoesNotHold: return "does not hold";
    case Verdict::Inconclusive: return "inconclusive";
  }
  return "?";
}

const char* direction_symbol(Direction d) { return d == Direction::Less ? "<" : ">"; }

Verdict judge(const Interval& a, Direction claim, const Interval& b) {
  if (!a.valid() || !b.valid()) return Verdict::Inconclusive;
  const bool a_below = a.hi < b.lo, a_above = a.lo > b.hi;
  if (!a_below && !a_above) return Verdict::Inconclusive;
  const bool claimed = claim == Direction::Less ? a_below : a_above;
  return claimed ? Verdict::Holds : Verdict::DoesNotHold;
}

Verdict combine(const std::vector<Verdict>& vs) {
  if (vs.empty()) return Verdict::Inconclusive;
  if (std::all_of(vs.begin(), vs.end(), [](Verdict v) { return v == Verdict::Holds; })) return Verdict::Holds;
  if (std::all_of(vs.begin(), vs.end(), [](Verdict v) { return v == Verdict::DoesNotHold; }))
    return Verdict::DoesNotHold;
  return Verdict::Inconclusive;
}

Verdict judge_threshold(double x, double holds_at, double fails_below) {
  if (!(fails_below <= holds_at))
    throw std::invalid_argument(
        fmt::format("judge_threshold: fails_below {} must be <= holds_at {}", fails_below, holds_at));
  if (std::isnan(x)) return Verdict::Inconclusive;
  if (x >= holds_at) return Verdict::Holds;
  if (x < fails_below) return Verdict::DoesNotHold;
  return Verdict::Inconclusive;
}

std::string Comparison::text() const {
  const std::string u = unit.empty() ? "" : " " + unit;
  return fmt::format("{} [{:.3g}, {:.3g}]{} {} {} [{:.3g}, {:.3g}]{}: {}", a_label, a.lo, a.hi, u,
                     direction_symbol(claim), b_label, b.lo, b.hi, u, verdict_name(verdict));
}

Comparison compare(std::string a_label, const Interval& a, Direction claim, std::string b_label, const Interval& b,
                   std::string unit) {
  Comparison c;
  c.a_label = std::move(a_label);
  c.b_label = std::move(b_label);
  c.a = a;
  c.b = b;
  c.claim = claim;
  c.unit = std::move(unit);
  c.verdict = judge(a, claim, b);
  return c;
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

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : kNaN;
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
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (!(sxx > 0)) return f;
  f.slope = sxy / sxx;
  f.intercept = my - f.slope * mx;
  if (x.size() >= 3 && syy > 0) {
    double ss_res = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double e = y[i] - (f.intercept + f.slope * x[i]);
      ss_res += e * e;
    }
    f.r2 = 1 - ss_res / syy;
  }
  return f;
}

}  // namespace rs
