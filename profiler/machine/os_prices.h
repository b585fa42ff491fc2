// What the OS charges for the events `profile` counts per op (issue 10): a minor page fault (first touch of a fresh
// 4 KiB page), a context switch and a thread migration, each measured here so that an op's OS loss can be put
// inside its measured time as counted events x price.
#pragma once
#include <string>

namespace rs {

struct OsPrices {
  double page_fault_s = 0;      ///< per minor fault, first write to a fresh private anonymous 4 KiB page (zeroing
                                ///< included), minus a write to the same page once mapped; 0 = not measured
  double context_switch_s = 0;  ///< per switch: two threads on one CPU pass a byte back and forth through two pipes;
                                ///< round trip / 2 (the pipe syscalls included, as lmbench's lat_ctx)
  double migration_s = 0;       ///< per migration: sched_setaffinity moving the calling thread to the other of two
                                ///< CPUs, until it runs there; 0 with one CPU (cold caches after it are not included)
  std::string method;           ///< one line: how each was measured and how many events
  bool measured() const { return page_fault_s > 0; }
};

/// Measures the three prices (about 0.1-0.3 s), median of `repetitions` (>= 1) runs each. Leaves the calling thread's
/// affinity as it found it. A price the machine cannot measure (one CPU, mmap refused) stays 0 and the method says
/// why. Throws std::invalid_argument when repetitions < 1.
OsPrices measure_os_prices(int repetitions = 5);

/// Seconds per fault of first-touching `pages` fresh 4 KiB pages (one write per page), minus the second pass; also
/// returns the faults getrusage counted in *faults (THP or a refused madvise can make them fewer than pages).
double page_fault_price_s(long pages, long* faults);

}  // namespace rs
