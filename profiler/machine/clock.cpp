// The effective clock; see clock.h. The chain is 64 `add $1, reg` per loop iteration on one register: each add
// waits for the previous one, so an iteration takes 64 cycles and the loop counter (independent) hides beside it.
#include "profiler/machine/clock.h"

#if !defined(__x86_64__)
#error "the clock probe is x86-64 only"
#endif

#include <omp.h>

#include <time.h>

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "runtime/stats.h"

namespace rs {
namespace {

constexpr double kAddsPerIter = 64;

/// CPU time of the calling thread, seconds: a chain preempted by another process does not count the time it waited
/// (on a shared machine wall time would measure the CPU share, not the clock).
double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

/// Best clock of `repetitions` chains of about `seconds` each on the calling thread.
double thread_clock_ghz(double seconds, int repetitions) {
  long iters = 1000;
  double best = 0;
  for (int rep = 0; rep < repetitions;) {
    const double t0 = thread_cpu_s();
    const long x = add_chain(iters);
    const double dt = thread_cpu_s() - t0;
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
  s.ghz = median(s.per_thread_ghz);
  return s;
}

double clock_change(double a_ghz, double b_ghz) { return a_ghz > 0 && b_ghz > 0 ? b_ghz / a_ghz - 1 : 0; }

}  // namespace rs
