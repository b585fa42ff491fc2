// Timing harness; see microbench.h.
#include "profiler/microbench.h"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <stdexcept>

namespace rs {
namespace {

/// Wall time of one run of `iters` iterations on the whole team, from a common start (barrier) to the last finisher.
double time_once(int threads, long iters, const ThreadWork& work) {
  double t0 = 0, t1 = 0;
#pragma omp parallel num_threads(threads)
  {
#pragma omp barrier
#pragma omp master
    t0 = omp_get_wtime();
    work(omp_get_thread_num(), iters);
#pragma omp barrier
#pragma omp master
    t1 = omp_get_wtime();
  }
  return t1 - t0;
}

}  // namespace

RateStats summarize_rates(std::vector<double> rates) {
  if (rates.empty()) throw std::invalid_argument("summarize_rates: no repetitions");
  std::sort(rates.begin(), rates.end());
  RateStats s;
  s.repetitions = static_cast<int>(rates.size());
  s.worst = rates.front();
  s.best = rates.back();
  const size_t n = rates.size();
  s.median = n % 2 ? rates[n / 2] : 0.5 * (rates[n / 2 - 1] + rates[n / 2]);
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
  for (int r = 0; r < policy.repetitions; ++r) {
    const double seconds = time_once(threads, iters, work);
    rates.push_back(units_per_iter * static_cast<double>(iters) / std::max(seconds, 1e-9) / 1e9);
  }
  return summarize_rates(std::move(rates));
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024.0 && u < 4) {
    bytes /= 1024.0;
    ++u;
  }
  const bool whole = bytes == static_cast<double>(static_cast<long long>(bytes));
  return whole ? fmt::format("{:.0f} {}", bytes, units[u]) : fmt::format("{:.3g} {}", bytes, units[u]);
}

}  // namespace rs
