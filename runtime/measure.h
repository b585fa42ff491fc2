// The one measurement loop (STYLE.md §12: warm-up runs before measured ones): RepeatPlan says how often, repeat()
// runs it, and every timed loop uses it (run, profile, experiments, the tuner). measure() is run's use of it: an
// executor end to end and (optionally) per step.
#pragma once
#include <functional>
#include <limits>
#include <vector>

#include "runtime/executor.h"

namespace rs {

/// The default cap on measured runs when min_time_s asks for more than `iters`: one million, so that a time floor
/// the runs never reach (samples of 0 s, a floor of hours) still ends; at 1 ms a run that is ~17 minutes.
constexpr int kDefaultMaxIters = 1000000;

/// The names validate() gives a plan's fields in its messages: the command-line flags that set them.
struct RepeatFlags {
  const char* warmup = "--warmup";
  const char* iters = "--iters";
  const char* min_time_s = "--min-time";
  const char* max_iters = "--max-iters";
};

/// How many times to repeat a measured run. Measuring stops once `iters` runs are done and their seconds add up to
/// min_time_s, at max_iters runs whatever min_time_s asks, or right after the first measured run when it took more
/// than cutoff_s.
struct RepeatPlan {
  int warmup = 0;           ///< runs discarded before measuring (>= 0)
  int iters = 1;            ///< measured runs, at least (>= 1)
  double min_time_s = 0;    ///< then more runs until the measured seconds add up to this (finite, >= 0)
  int max_iters = kDefaultMaxIters;  ///< cap on measured runs (>= iters)
  /// A run this slow is not repeated: stop after the first measured run when it took longer (>= 0; the tuner's
  /// candidates far slower than the best so far).
  double cutoff_s = std::numeric_limits<double>::infinity();

  /// Throws std::invalid_argument naming the flag, e.g. "--iters must be >= 1 (got 0)".
  void validate(const RepeatFlags& flags = {}) const;
};

/// What repeat() did: measured runs and the seconds they returned, summed.
struct RepeatCount {
  int runs = 0;
  double measured_s = 0;
};

/// One run: record = false during warm-up. Returns the seconds that count towards min_time_s and cutoff_s.
using RunOnce = std::function<double(bool record)>;
/// Called after each run with (runs done, total runs planned so far), warm-up included; the total grows by one
/// whenever min_time_s adds a run.
using RepeatProgress = std::function<void(int done, int total)>;

/// Runs `run_once` plan.warmup times unrecorded, then recorded as the plan says. Validates the plan first (default
/// flag names). `progress` may be empty.
RepeatCount repeat(const RepeatPlan& plan, const RunOnce& run_once, const RepeatProgress& progress = {});

struct MeasureOptions {
  RepeatPlan plan{5, 50};  ///< warm-up 5, 50 measured runs
  bool per_op = false;     ///< record each step's time (a monotonic timestamp after each primitive)
  RepeatProgress progress; ///< may be empty
};

struct Measurement {
  std::vector<double> e2e_s;                ///< end-to-end seconds of each measured run
  std::vector<std::vector<double>> step_s;  ///< per_op only: step_s[step][run], seconds
  /// per_op only: e2e - sum of step times, per run (the executor's own overhead), seconds.
  std::vector<double> overhead_s;
};

/// Runs `exec` as options.plan says. Throws std::invalid_argument on a bad plan (RepeatPlan::validate).
Measurement measure(Executor& exec, const MeasureOptions& options);

}  // namespace rs
