// The effective clock; see clock.h. The chain is 64 `add $1, reg` per loop iteration on one register: each add
// waits for the previous one, so an iteration takes 64 cycles and the loop counter (independent) hides beside it.
#include "profiler/machine/clock.h"

#if !defined(__x86_64__)
#error "the clock probe is x86-64 only"
#endif

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include <fmt/format.h>

namespace rs {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kAddsPerIter = 64;

/// Best clock of `repetitions` chains of about `seconds` each on the calling thread.
double thread_clock_ghz(double seconds, int repetitions) {
  long iters = 1000;
  double best = 0;
  for (int rep = 0; rep < repetitions;) {
    const auto t0 = Clock::now();
    const long x = add_chain(iters);
    const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
    if (x != static_cast<long>(kAddsPerIter) * iters) throw std::logic_error("clock probe: add chain miscounted");
    if (dt < seconds) {  // grow until one chain lasts `seconds`; only those count
      iters = static_cast<long>(static_cast<double>(iters) * std::clamp(1.2 * seconds / std::max(dt, 1e-7), 1.5, 64.0));
      continue;
    }
    best = std::max(best, kAddsPerIter * static_cast<double>(iters) / dt * 1e-9);
    ++rep;
  }
  return best;
}

}  // namespace

long add_chain(long iters) {
  long x = 0;
  for (long i = 0; i < iters; ++i) {
    __asm__ volatile(
        ".rept 64\n\t"
        "add $1, %0\n\t"
        ".endr"
        : "+r"(x));
  }
  return x;
}

ClockSample measure_clock(int threads, double seconds, int repetitions) {
  if (threads < 1 || repetitions < 1 || !(seconds >= 1e-4 && seconds <= 10))
    throw std::invalid_argument(fmt::format("clock probe: threads {} >= 1, repetitions {} >= 1 and seconds {} in "
                                            "[1e-4, 10] expected", threads, repetitions, seconds));
  ClockSample s;
  s.threads = threads;
  s.per_thread_ghz.assign(static_cast<size_t>(threads), 0);
#pragma omp parallel num_threads(threads)
  s.per_thread_ghz[static_cast<size_t>(omp_get_thread_num())] = thread_clock_ghz(seconds, repetitions);
  std::vector<double> sorted = s.per_thread_ghz;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  s.ghz = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  return s;
}

double clock_change(double a_ghz, double b_ghz) { return a_ghz > 0 && b_ghz > 0 ? b_ghz / a_ghz - 1 : 0; }

}  // namespace rs
