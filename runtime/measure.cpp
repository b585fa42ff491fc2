#include "runtime/measure.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

namespace rs {

void RepeatPlan::validate(const RepeatFlags& f) const {
  if (warmup < 0) throw std::invalid_argument(fmt::format("{} must be >= 0 (got {})", f.warmup, warmup));
  if (iters < 1) throw std::invalid_argument(fmt::format("{} must be >= 1 (got {})", f.iters, iters));
  if (!(std::isfinite(min_time_s) && min_time_s >= 0))
    throw std::invalid_argument(fmt::format("{} must be a finite number >= 0 (got {})", f.min_time_s, min_time_s));
  if (max_iters < iters)
    throw std::invalid_argument(fmt::format("{} must be >= {} (got {} < {})", f.max_iters, f.iters, max_iters, iters));
  if (!(cutoff_s >= 0)) throw std::invalid_argument(fmt::format("the cutoff must be >= 0 s (got {})", cutoff_s));
}

RepeatCount repeat(const RepeatPlan& plan, const RunOnce& run_once, const RepeatProgress& progress) {
  plan.validate();
  RepeatCount c;
  int total = plan.warmup + plan.iters;
  for (int r = 0; r < total; ++r) {
    const bool record = r >= plan.warmup;
    const double s = run_once(record);
    if (record) {
      ++c.runs;
      c.measured_s += s;
      if (c.runs == 1 && s > plan.cutoff_s) total = r + 1;
      else if (r + 1 == total && c.measured_s < plan.min_time_s && c.runs < plan.max_iters) ++total;
    }
    if (progress) progress(r + 1, total);
  }
  return c;
}

Measurement measure(Executor& exec, const MeasureOptions& o) {
  Measurement m;
  const std::size_t n_steps = exec.steps().size();
  if (o.per_op) m.step_s.resize(n_steps);
  std::vector<double> steps;
  repeat(
      o.plan,
      [&](bool record) {
        const double e2e = exec.run(o.per_op ? &steps : nullptr);
        if (!record) return e2e;
        m.e2e_s.push_back(e2e);
        if (o.per_op) {
          for (std::size_t s = 0; s < n_steps; ++s) m.step_s[s].push_back(steps[s]);
          m.overhead_s.push_back(e2e - std::accumulate(steps.begin(), steps.end(), 0.0));
        }
        return e2e;
      },
      o.progress);
  return m;
}

}  // namespace rs
