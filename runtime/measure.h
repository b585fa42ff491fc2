// Repeated runs: warm-up, then measured runs, end-to-end and (optionally) per step.
#pragma once
#include <functional>
#include <vector>

#include "runtime/executor.h"

namespace rs {

struct MeasureOptions {
  int warmup = 5;          ///< runs discarded before measuring (>= 0)
  int iters = 50;          ///< measured runs (>= 1)
  bool per_op = false;     ///< record each step's time (a monotonic timestamp after each primitive)
  /// Called after each run with (runs done, total runs incl. warm-up); may be empty.
  std::function<void(int, int)> progress;
};

struct Measurement {
  std::vector<double> e2e_s;                ///< end-to-end seconds of each measured run
  std::vector<std::vector<double>> step_s;  ///< per_op only: step_s[step][run], seconds
  /// per_op only: e2e - sum of step times, per run (the executor's own overhead), seconds.
  std::vector<double> overhead_s;
};

/// Runs `exec` warmup + iters times. Throws std::invalid_argument if iters < 1 or warmup < 0.
Measurement measure(Executor& exec, const MeasureOptions& options);

}  // namespace rs
