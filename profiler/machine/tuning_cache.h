// The tuning cache: the kernel choices the executor's tuner measured (runtime/tuner.h), kept per machine, model,
// threads and ISA limit beside the machine profile, so later runs start with them instead of timing again.
#pragma once
#include <map>
#include <stdexcept>
#include <string>

#include "graph/graph.h"
#include "runtime/tuner.h"

namespace rs {

/// What a tuning cache holds and what it is valid for.
struct TuningCache {
  std::string cpu;          ///< CPU model name it was measured on
  int cores = 0;            ///< physical cores of that machine
  std::string dnnl;         ///< oneDNN version, e.g. "2.6.3"
  std::string isa;          ///< $DNNL_MAX_CPU_ISA at the time, or "native"
  int threads = 0;
  std::string graph;        ///< graph_fingerprint() of the optimized graph (shapes, so batch, included)
  std::string model;        ///< model name, for people
  double tune_time_s = 0;   ///< compile time of the tuning run, seconds
  std::map<std::string, StepChoice> choices;  ///< node name -> the candidate chosen, runner-up and their times
};

/// Thrown for a cache file that cannot be read or parsed; the message names the file and the problem.
class TuningCacheError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// 16 hex digits (FNV-1a, 64 bit) over every live node's name, op label and input/output dims, in order.
std::string graph_fingerprint(const Graph& graph);

/// A TuningCache for this machine, oneDNN build, $DNNL_MAX_CPU_ISA, `threads` and `graph`, with no choices yet.
TuningCache tuning_key(const Graph& graph, const std::string& model, int threads);

/// <cache_dir>/tune-<model>-<fingerprint>-<threads>t-<isa>.json (cache_dir as for machine profiles).
std::string tuning_cache_path(const TuningCache& key, const std::string& cache_dir);

/// Reads a cache file. Throws TuningCacheError (cannot open, not JSON, fields missing or of the wrong type).
TuningCache load_tuning_cache(const std::string& path);
/// Writes `cache` to `path` atomically (temp file in the same folder, then rename); creates the cache folder.
/// Throws std::runtime_error naming the file.
void save_tuning_cache(const TuningCache& cache, const std::string& path);
/// "" when `cached` is valid for `want` (same CPU, cores, oneDNN, ISA limit, threads and graph), else why not.
std::string tuning_mismatch(const TuningCache& cached, const TuningCache& want);

}  // namespace rs
