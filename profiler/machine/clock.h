// The effective core clock, measured rather than read: a chain of dependent `add reg, reg` (latency 1 cycle on every
// x86-64 core) retires one add per cycle, so adds / seconds is the clock the core actually runs at (benchdnn's
// %@freq% idea); a chain of dependent `imul reg, reg` (latency 3) checks it, and the lower of the two is kept (a
// core that executes a chain faster than its latency, as Golden Cove does with add-immediate chains, reads high).
// /proc/cpuinfo and cpufreq give the nominal clock; a VM hides turbo, and the host moves the clock.
#pragma once
#include <vector>

namespace rs {

/// One measurement of the clock on every thread of an already bound OpenMP team.
struct ClockSample {
  int threads = 1;
  double ghz = 0;                ///< median over the threads of min(add chain, imul chain) cycles / second / 1e9
  std::vector<double> per_thread_ghz;
};

/// Runs each chain for about `seconds` (>= 1e-4) of CPU time on `threads` OpenMP threads at once (bind them first
/// with bind_threads), each thread timing its own chain in its own CPU time (CLOCK_THREAD_CPUTIME_ID, so time spent
/// preempted by other processes does not count); best of `repetitions` per thread.
/// Throws std::invalid_argument when threads < 1, repetitions < 1 or seconds is out of [1e-4, 10].
ClockSample measure_clock(int threads, double seconds = 0.005, int repetitions = 3);

/// Dependent adds of `iters` iterations x 64, returned so the work cannot be deleted (for tests: adds == 64 x iters).
long add_chain(long iters);
/// Dependent multiplications x = x * x from x = 1, `iters` iterations x 64; returns 1 (for tests).
long imul_chain(long iters);

/// Relative change b / a - 1 of two clocks; 0 when either is unknown (<= 0).
double clock_change(double a_ghz, double b_ghz);

}  // namespace rs
