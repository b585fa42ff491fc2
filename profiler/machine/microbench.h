// Timing harness shared by the micro-benchmarks (FMA peak, STREAM bandwidth): run a work function on an already
// bound OpenMP team, grow the iteration count until one repetition lasts long enough, then keep the best of several
// repetitions (the machine is noisy; the best run is the least disturbed one) and record the spread.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace rs {

/// How many times to repeat a measurement and how long each repetition must last.
struct RepeatPolicy {
  int repetitions = 5;           ///< timed repetitions after warm-up (>= 1)
  double min_rep_seconds = 0.01; ///< the iteration count is grown until one repetition lasts at least this long
  int max_repetitions = 0;       ///< while the spread exceeds 10%, repeat up to this many times (0 = 2 x repetitions)
  double min_total_seconds = 0;  ///< short repetitions are repeated (up to max_repetitions) until their sum reaches
                                 ///< this, so cheap points get more chances at an undisturbed run
};

/// A rate (GFLOP/s or GB/s) over repetitions: the best is the figure; the spread says how noisy it was.
struct RateStats {
  double best = 0;    ///< highest rate over the repetitions
  double median = 0;
  double worst = 0;
  double spread = 0;  ///< (best - worst) / best, in [0, 1]
  int repetitions = 0;
  /// True when the repetitions disagree by more than `tolerance` (default 10%, as the issue asks to warn).
  bool noisy(double tolerance = 0.10) const { return spread > tolerance; }
};

/// Statistics of a set of rates (all > 0). Throws std::invalid_argument when `rates` is empty.
RateStats summarize_rates(std::vector<double> rates);

/// Work of one thread: perform `iters` iterations of this thread's share (tid in [0, threads)).
using ThreadWork = std::function<void(int tid, long iters)>;

/// Measures `units_per_iter` (summed over all threads, e.g. FLOP or bytes) per second for `work` run on `threads`
/// OpenMP threads (bind them first with bind_threads). Warm-up: the iteration-count search (each try runs the full
/// team); then policy.repetitions timed runs (more when they are short, see min_total_seconds), extended up to
/// policy.max_repetitions while they disagree by more than 10% (a busy machine gets more chances at a quiet run), but
/// never beyond three times the time of the planned repetitions. Rates are in units per second divided by 1e9 (GFLOP/s, GB/s).
RateStats measure_rate(int threads, const RepeatPolicy& policy, double units_per_iter, const ThreadWork& work);

/// Progress callback: fraction done in [0, 1] and what is being measured ("bandwidth 2T 8 MiB").
using ProgressFn = std::function<void(double fraction, const std::string& what)>;

}  // namespace rs
