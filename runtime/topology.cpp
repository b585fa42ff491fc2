// Machine topology from hwloc and OpenMP thread pinning (one thread per physical core).
#include "runtime/topology.h"

#include <hwloc.h>
#include <omp.h>
#include <sched.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace rs {
namespace {

/// The process-wide hwloc topology, loaded once and kept for the life of the process (binding needs it).
struct Hwloc {
  hwloc_topology_t topo = nullptr;
  bool loaded = false;
  Topology summary;
};

int count_inside(hwloc_topology_t topo, hwloc_const_cpuset_t set, hwloc_obj_type_t type) {
  return hwloc_get_nbobjs_inside_cpuset_by_type(topo, set, type);
}

/// Largest per-instance size of the data/unified caches at `level`; 0 when hwloc has none.
CacheLevel cache_level(hwloc_topology_t topo, int level, hwloc_obj_type_t type) {
  CacheLevel cache;
  cache.level = level;
  const int n = hwloc_get_nbobjs_by_type(topo, type);
  for (int i = 0; i < n; ++i) {
    hwloc_obj_t obj = hwloc_get_obj_by_type(topo, type, static_cast<unsigned>(i));
    if (obj->attr == nullptr || obj->attr->cache.type == HWLOC_OBJ_CACHE_INSTRUCTION) continue;
    const auto size = static_cast<std::int64_t>(obj->attr->cache.size);
    if (size > cache.size_bytes) {
      cache.size_bytes = size;
      cache.cores_sharing = std::max(1, count_inside(topo, obj->cpuset, HWLOC_OBJ_CORE));
    }
  }
  return cache;
}

Topology summarize(hwloc_topology_t topo) {
  Topology t;
  t.physical_cores = std::max(1, hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE));
  t.logical_cpus = std::max(1, hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU));
  t.packages = std::max(1, hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE));
  const hwloc_obj_type_t types[] = {HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L3CACHE};
  for (int level = 1; level <= 3; ++level) {
    CacheLevel c = cache_level(topo, level, types[level - 1]);
    if (c.size_bytes > 0) t.caches.push_back(c);
  }
  const int n_cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
  for (int i = 0; i < n_cores; ++i) {
    hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, static_cast<unsigned>(i));
    hwloc_obj_t pu = hwloc_get_obj_inside_cpuset_by_type(topo, core->cpuset, HWLOC_OBJ_PU, 0);
    t.core_os_index.push_back(pu != nullptr ? static_cast<int>(pu->os_index) : i);
  }
  if (t.core_os_index.empty()) {  // hwloc without core objects (rare VMs): one core per PU
    t.physical_cores = t.logical_cpus;
    for (int i = 0; i < t.logical_cpus; ++i) t.core_os_index.push_back(i);
  }
  return t;
}

Topology fallback_topology() {
  Topology t;
  t.logical_cpus = std::max(1u, std::thread::hardware_concurrency());
  t.physical_cores = t.logical_cpus;
  for (int i = 0; i < t.logical_cpus; ++i) t.core_os_index.push_back(i);
  return t;
}

Hwloc& hwloc() {
  static Hwloc h;
  static std::once_flag once;
  std::call_once(once, [] {
    if (hwloc_topology_init(&h.topo) == 0 && hwloc_topology_load(h.topo) == 0) {
      h.loaded = true;
      h.summary = summarize(h.topo);
    } else {
      h.summary = fallback_topology();
    }
  });
  return h;
}

/// Binds the calling thread to the first PU of physical core `core` (or to every allowed cpu when core < 0).
/// Returns an empty string on success, else the reason.
std::string bind_self(const Hwloc& h, int core) {
  if (!h.loaded) return "hwloc topology unavailable";
  hwloc_const_cpuset_t set = nullptr;
  if (core < 0) {
    set = hwloc_topology_get_allowed_cpuset(h.topo);
  } else {
    hwloc_obj_t c = hwloc_get_obj_by_type(h.topo, HWLOC_OBJ_CORE, static_cast<unsigned>(core));
    hwloc_obj_t pu = c != nullptr ? hwloc_get_obj_inside_cpuset_by_type(h.topo, c->cpuset, HWLOC_OBJ_PU, 0)
                                  : hwloc_get_obj_by_type(h.topo, HWLOC_OBJ_PU, static_cast<unsigned>(core));
    if (pu == nullptr) return "no PU for core " + std::to_string(core);
    set = pu->cpuset;
  }
  if (hwloc_set_cpubind(h.topo, set, HWLOC_CPUBIND_THREAD) != 0) {
    return "hwloc_set_cpubind failed for " + (core < 0 ? std::string("the whole machine")
                                                          : "core " + std::to_string(core));
  }
  return {};
}

}  // namespace

const Topology& topology() { return hwloc().summary; }

std::string BindingReport::describe() const {
  std::ostringstream os;
  os << threads << (threads == 1 ? " thread" : " threads");
  if (bound) {
    os << " pinned:";
    for (size_t i = 0; i < cpu_of_thread.size(); ++i) os << " t" << i << "->cpu" << cpu_of_thread[i];
  } else {
    os << ", unbound (OS placement)";
  }
  if (!note.empty()) os << " [" << note << "]";
  return os.str();
}

BindingReport bind_threads(int n_threads, bool bind) {
  const Hwloc& h = hwloc();
  const int cores = h.summary.physical_cores;
  if (n_threads < 1 || n_threads > cores) {
    throw std::invalid_argument("threads must be between 1 and " + std::to_string(cores) + " (got " +
                                std::to_string(n_threads) + ")");
  }
  omp_set_num_threads(n_threads);
  BindingReport report;
  report.threads = n_threads;
  report.cpu_of_thread.assign(static_cast<size_t>(n_threads), -1);
  std::vector<std::string> errors(static_cast<size_t>(n_threads));
  int team = 0;
#pragma omp parallel num_threads(n_threads)
  {
    const int tid = omp_get_thread_num();
#pragma omp single
    team = omp_get_num_threads();
    errors[static_cast<size_t>(tid)] = bind_self(h, bind ? tid : -1);
    report.cpu_of_thread[static_cast<size_t>(tid)] = sched_getcpu();
  }
  std::string first_error;
  for (const auto& e : errors) {
    if (!e.empty() && first_error.empty()) first_error = e;
  }
  report.bound = bind && first_error.empty();
  report.note = first_error;
  if (team != n_threads) {
    if (!report.note.empty()) report.note += "; ";
    report.note += "OpenMP gave " + std::to_string(team) + " threads instead of " + std::to_string(n_threads);
    report.cpu_of_thread.resize(static_cast<size_t>(team));
    report.threads = team;
  }
  return report;
}

}  // namespace rs

namespace rs {

std::int64_t memory_budget_bytes(std::string* source) {
  if (const char* env = std::getenv("ROOFSCOPE_MAX_MEMORY_GIB"); env != nullptr && env[0] != '\0') {
    char* end = nullptr;
    const double gib = std::strtod(env, &end);
    if (end == env || *end != '\0' || !std::isfinite(gib) || gib <= 0 || gib > 1e9)
      throw std::invalid_argument(std::string("ROOFSCOPE_MAX_MEMORY_GIB must be a finite number of GiB > 0 (got '") +
                                  env + "')");
    if (source) *source = std::string("ROOFSCOPE_MAX_MEMORY_GIB=") + env;
    return static_cast<std::int64_t>(gib * 1073741824.0);
  }
  if (source) *source = "the physical memory; set ROOFSCOPE_MAX_MEMORY_GIB to change it";
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<std::int64_t>(pages) * page : INT64_MAX;
}

}  // namespace rs
