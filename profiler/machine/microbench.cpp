// Timing harness; see microbench.h.
#include "profiler/machine/microbench.h"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "runtime/stats.h"

namespace rs {
namespace {

/// Wall time of one run of `iters` iterations on the whole team: from the first thread's start to the last thread's
/// end. Each thread reads the clock itself right before and after its own work, so a thread descheduled after the
/// barrier delays its own start stamp too (a single master stamp would then miss work already done by the others).
double time_once(int threads, long iters, const ThreadWork& work) {
  std::vector<double> start(static_cast<size_t>(threads) * 8), end(static_cast<size_t>(threads) * 8);  // 64 B apart
  int team = 0;
#pragma omp parallel num_threads(threads)
  {
    const auto slot = static_cast<size_t>(omp_get_thread_num()) * 8;
#pragma omp single
    team = omp_get_num_threads();  // implicit barrier

    start[slot] = omp_get_wtime();
    work(omp_get_thread_num(), iters);
    end[slot] = omp_get_wtime();
  }
  if (team != threads) {
    throw std::runtime_error(fmt::format("measure_rate: OpenMP ran {} threads instead of {} (OMP_THREAD_LIMIT?)",
                                         team, threads));
  }
  double first = start[0], last = end[0];
  for (size_t t = 1; t < static_cast<size_t>(threads); ++t) {
    first = std::min(first, start[t * 8]);
    last = std::max(last, end[t * 8]);
  }
  return last - first;
}

}  // namespace

RateStats summarize_rates(std::vector<double> rates) {
  if (rates.empty()) throw std::invalid_argument("summarize_rates: no repetitions");
  const Stats st = compute_stats(std::move(rates));
  RateStats s;
  s.repetitions = st.n;
  s.worst = st.min;
  s.best = st.max;
  s.median = st.median;
  s.spread = s.best > 0 ? (s.best - s.worst) / s.best : 0;
  return s;
}

RateStats measure_rate(int threads, const RepeatPolicy& policy, double units_per_iter, const ThreadWork& work) {
  if (threads < 1 || policy.repetitions < 1 || units_per_iter <= 0) {
    throw std::invalid_argument(fmt::format("measure_rate: expected threads >= 1, repetitions >= 1, units > 0 "
                                            "(got {}, {}, {})", threads, policy.repetitions, units_per_iter));
  }
  long iters = 1;
  double t = time_once(threads, iters, work);  // warm-up: caches, page faults, clock ramp
  while (t < policy.min_rep_seconds) {
    const double grow = t > 0 ? 1.25 * policy.min_rep_seconds / t : 1000.0;
    iters = static_cast<long>(iters * std::clamp(grow, 2.0, 1000.0));
    t = time_once(threads, iters, work);
  }
  std::vector<double> rates;
  rates.reserve(static_cast<size_t>(policy.repetitions));
  const int max_reps = std::max(policy.repetitions,
                                policy.max_repetitions > 0 ? policy.max_repetitions : 2 * policy.repetitions);
  const int base_reps =
      std::clamp(static_cast<int>(std::ceil(policy.min_total_seconds / t)), policy.repetitions, max_reps);
  const double budget = 3.0 * base_reps * t;  // extra repetitions may at most triple the time of a figure
  double spent = 0;
  for (int r = 0; r < max_reps; ++r) {
    if (r >= base_reps && (!summarize_rates(rates).noisy() || spent >= budget)) break;
    const double seconds = time_once(threads, iters, work);
    spent += seconds;
    rates.push_back(units_per_iter * static_cast<double>(iters) / std::max(seconds, 1e-9) / 1e9);
  }
  return summarize_rates(std::move(rates));
}

}  // namespace rs
