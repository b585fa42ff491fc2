// Software OS counters — page faults, context switches, CPU migrations — of the OpenMP threads that run the
// primitives, via perf_event_open (one counter group per thread), falling back to getrusage (whole process, no
// migrations) and to "unavailable". Counts, not times. Hardware counters are not used (often absent in VMs).
#pragma once
#include <string>
#include <vector>

namespace rs {

/// Counts of OS events (NaN for a counter no source could read).
struct OsCounts {
  double page_faults = 0;
  double context_switches = 0;
  double migrations = 0;
  OsCounts operator-(const OsCounts& o) const {
    return {page_faults - o.page_faults, context_switches - o.context_switches, migrations - o.migrations};
  }
  OsCounts& operator+=(const OsCounts& o);
};

class OsCounters {
 public:
  /// Opens the counters for the current OpenMP team (omp_get_max_threads() threads; each thread opens its own
  /// group, so create this after bind_threads()). Never throws: see source() for what is counted.
  OsCounters();
  ~OsCounters();
  OsCounters(const OsCounters&) = delete;
  OsCounters& operator=(const OsCounters&) = delete;

  /// Totals since an arbitrary origin, summed over the threads (differences are what matter).
  OsCounts read() const;
  /// Totals since an arbitrary origin per OpenMP thread, index = omp_get_thread_num() of the thread the group was
  /// opened on (perf_event_open only; empty otherwise: getrusage counts the whole process). A group whose read
  /// fails counts 0. Their sum is read().
  std::vector<OsCounts> read_per_thread() const;
  /// True when read_per_thread() has one entry per OpenMP thread.
  bool per_thread() const { return mode_ == Mode::Perf; }
  /// "perf_event_open (per OpenMP thread)", "getrusage (whole process; no migrations)" or "n/a (...)".
  const std::string& source() const { return source_; }
  bool available() const { return mode_ != Mode::None; }

 private:
  enum class Mode { Perf, Rusage, None } mode_ = Mode::None;
  std::vector<int> group_fds_;  ///< one leader fd per OpenMP thread, by thread number (page faults), members read
                                ///< with it
  std::vector<int> all_fds_;
  std::string source_;
};

}  // namespace rs
