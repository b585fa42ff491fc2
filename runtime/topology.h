// Machine topology (hwloc) and thread binding: OpenMP threads pinned one per physical core.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace rs {

struct CacheLevel {
  int level = 0;                ///< 1, 2, 3
  std::int64_t size_bytes = 0;  ///< per instance (data cache for L1)
  int cores_sharing = 1;        ///< physical cores sharing one instance
};

struct Topology {
  int physical_cores = 1;
  int logical_cpus = 1;
  int packages = 1;
  std::vector<CacheLevel> caches;  ///< ascending level; empty when hwloc reports none
  std::vector<int> core_os_index;  ///< OS index of the first PU of each physical core, in core order
};

/// The memory a run may map, bytes: $ROOFSCOPE_MAX_MEMORY_GIB when set (a finite number > 0), else the physical
/// memory (sysconf). *source says which, for error messages. Throws std::invalid_argument on a bad variable.
std::int64_t memory_budget_bytes(std::string* source = nullptr);

/// The machine's topology from hwloc (computed once, then cached).
const Topology& topology();

/// The binding actually applied.
struct BindingReport {
  int threads = 1;
  bool bound = false;               ///< true when each thread was pinned to its own core
  std::vector<int> cpu_of_thread;   ///< OS cpu index each OpenMP thread runs on after binding (sched_getcpu)
  std::string note;                 ///< e.g. why binding failed; empty when all went as asked
  /// "2 threads pinned: t0->cpu0 t1->cpu1" / "2 threads, unbound (OS placement)".
  std::string describe() const;
};

/// Sets the OpenMP thread count to n_threads and, when bind is true, pins OpenMP thread i to physical core i via
/// hwloc (and the calling thread to core 0); with bind false, clears any earlier binding (all cpus allowed).
/// Throws std::invalid_argument "threads must be between 1 and <cores> (got n)" when n_threads is out of range.
BindingReport bind_threads(int n_threads, bool bind);

}  // namespace rs
