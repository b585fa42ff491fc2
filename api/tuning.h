// --tune: kernel selection by measurement (runtime/tuner.h) with the per-machine tuning cache
// (profiler/machine/tuning_cache.h), shared by run and profile (the API and the CLI).
#pragma once
#include <string>

#include "graph/graph.h"
#include "profiler/machine/tuning_cache.h"
#include "runtime/executor.h"
#include "roofscope/api.h"

namespace rs::api {

using TuneArgs = roofscope::Tune;

/// The tuning plan for one compile of `graph` (optimized, shapes inferred) at `threads`.
struct TunePlan {
  TuneOptions options;  ///< for ExecOptions::tuning
  TuningCache key;      ///< what this compile's cache must match
  std::string path;     ///< the cache file
};
/// off: oneDNN's first choice per node, no cache; cached: the cache's choices when it is valid for this machine,
/// oneDNN build, DNNL_MAX_CPU_ISA, threads and graph (nodes it lacks are tuned), else tune; a corrupt or foreign
/// cache is one warning on stderr, then a re-tune; full: tune every node again. Throws std::invalid_argument for
/// another mode.
TunePlan plan_tuning(const TuneArgs& args, const Graph& graph, const std::string& model, int threads);
/// Compiles `graph` with plan.options into `options`. When that timed any node (not everything came from the
/// cache), it also compiles oneDNN's first choices and runs both end to end, interleaved (medians of 15 runs each):
/// the tuned plan is kept only when it is faster, so per-op choices that lose over the whole graph (reorders they
/// cause downstream, cache effects) never make the model slower than oneDNN's defaults on this machine. The winner's
/// choices are saved to plan.path, with one line on stderr (an unwritable cache is a warning). Throws what the
/// Executor throws.
std::unique_ptr<Executor> compile_with_tuning(const TunePlan& plan, const Graph& graph, ExecOptions options);

}  // namespace rs::api
