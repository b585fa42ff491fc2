// The effective clock; see clock.h. Each chain is 64 dependent instructions per loop iteration on one register, so an
// iteration takes 64 x latency cycles and the loop counter (independent) hides beside it. Two chains: `add reg, reg`
// (latency 1) and `imul reg, reg` (latency 3). Not `add $1, reg`: Golden Cove / Sapphire Rapids cores execute
// add-immediate chains at rename, several per cycle (measured here: 20.7 GHz "clock" on a 3.6 GHz core).
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

constexpr double kOpsPerIter = 64;
constexpr double kImulLatencyCycles = 3;  // imul r64, r64 on every x86-64 core since Nehalem / Zen (Agner Fog's tables)

/// CPU time of the calling thread, seconds: a chain preempted by another process does not count the time it waited
/// (on a shared machine wall time would measure the CPU share, not the clock).
double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

/// Best clock of `repetitions` runs of about `seconds` each of `chain` (cycles_per_op cycles per instruction) on the
/// calling thread, GHz.
template <typename Chain>
double chain_clock_ghz(Chain chain, double cycles_per_op, double seconds, int repetitions) {
  long iters = 1000;
  double best = 0;
  for (int rep = 0; rep < repetitions;) {
    const double t0 = thread_cpu_s();
    chain(iters);
    const double dt = thread_cpu_s() - t0;
    if (dt < seconds) {  // grow until one chain lasts `seconds`; only those count
      iters = static_cast<long>(static_cast<double>(iters) * std::clamp(1.2 * seconds / std::max(dt, 1e-7), 1.5, 64.0));
      continue;
    }
    best = std::max(best, kOpsPerIter * cycles_per_op * static_cast<double>(iters) / dt * 1e-9);
    ++rep;
  }
  return best;
}

/// The lower of the two chains' clocks: a core that shortcuts a chain reads too high, none reads too low (CPU time
/// excludes preemption).
double thread_clock_ghz(double seconds, int repetitions) {
  const double add_ghz = chain_clock_ghz(
      [](long iters) {
        if (add_chain(iters) != static_cast<long>(kOpsPerIter) * iters)
          throw std::logic_error("clock probe: add chain miscounted");
      },
      1, seconds, repetitions);
  const double imul_ghz = chain_clock_ghz(
      [](long iters) {
        if (imul_chain(iters) != 1) throw std::logic_error("clock probe: imul chain miscounted");
      },
      kImulLatencyCycles, seconds, repetitions);
  return std::min(add_ghz, imul_ghz);
}

}  // namespace

long add_chain(long iters) {
  long x = 0;
  const long one = 1;
  for (long i = 0; i < iters; ++i) {
    __asm__ volatile(
        ".rept 64\n\t"
        "add %1, %0\n\t"
        ".endr"
        : "+r"(x)
        : "r"(one));
  }
  return x;
}

long imul_chain(long iters) {
  long x = 1;
  for (long i = 0; i < iters; ++i) {
    __asm__ volatile(
        ".rept 64\n\t"
        "imul %0, %0\n\t"
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
