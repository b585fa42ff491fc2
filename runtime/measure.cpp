#include "runtime/measure.h"

#include <numeric>
#include <stdexcept>
#include <string>

namespace rs {

Measurement measure(Executor& exec, const MeasureOptions& o) {
  if (o.iters < 1) throw std::invalid_argument("iters must be >= 1 (got " + std::to_string(o.iters) + ")");
  if (o.warmup < 0) throw std::invalid_argument("warmup must be >= 0 (got " + std::to_string(o.warmup) + ")");
  Measurement m;
  const std::size_t n_steps = exec.steps().size();
  if (o.per_op) m.step_s.assign(n_steps, std::vector<double>(static_cast<std::size_t>(o.iters)));
  std::vector<double> steps;
  const int total = o.warmup + o.iters;
  for (int r = 0; r < total; ++r) {
    const double e2e = exec.run(o.per_op ? &steps : nullptr);
    const int k = r - o.warmup;
    if (k >= 0) {
      m.e2e_s.push_back(e2e);
      if (o.per_op) {
        for (std::size_t s = 0; s < n_steps; ++s) m.step_s[s][static_cast<std::size_t>(k)] = steps[s];
        m.overhead_s.push_back(e2e - std::accumulate(steps.begin(), steps.end(), 0.0));
      }
    }
    if (o.progress) o.progress(r + 1, total);
  }
  return m;
}

}  // namespace rs
