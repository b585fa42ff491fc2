// Training data for latency prediction (issue 11): ops timed IN CONTEXT of whole networks, through the path
// `roofscope run --per-op --tune off` takes (fusion passes, oneDNN's first kernel choice, the reorders it causes, the
// planned arena), one row per fused op (its median time; the reorder and copy steps the runtime inserted before it
// are added to it, so the per-op dispatch/reorder overhead is part of what is learned), plus each model's
// end-to-end median; over several passes, the median of the passes (median_over_passes). And the fitted model: every
// predictor per thread count, the op kinds it covers.
#pragma once
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "profiler/roofline/predictors.h"
#include "runtime/measure.h"

namespace rs {

/// One model measured at one thread count.
struct MeasuredModel {
  std::string name;       ///< e.g. "resnet18" or "resnet-basic-w0.75-k3-d2222-s160"
  int threads = 1;
  std::vector<OpRow> ops; ///< one per fused op (live node), graph order
  double e2e_median_s = 0;     ///< end-to-end median of the same runs (per-op timestamps on)
  double sum_op_median_s = 0;  ///< sum of the ops' times
  double clock_ghz = 0;        ///< effective clock measured right before the runs (every op's kFeatClockGhz)
};

/// How long to measure each model: warm-up 3, then >= 10 runs and >= 0.25 s (at most 300 runs).
RepeatPlan training_plan(bool quick);

/// Compiles `graph` (optimized, shapes inferred) with oneDNN's first choices at the thread count bound now
/// (bind_threads(roofs.threads, true) already applied), measures the effective clock, runs it as `plan` says with
/// per-op timestamps, and returns its rows. Throws what the Executor throws.
MeasuredModel measure_model(const std::string& name, const Graph& graph, const Roofs& roofs, const RepeatPlan& plan);

/// One model measured in several passes over the training set (the same name, thread count and graph each time):
/// each op's time, the end-to-end time and the clock are the medians over the passes, so a pass that met a busy
/// neighbour (shared L3 and DRAM bandwidth, another VM on the core) does not decide the row. Throws std::invalid_argument
/// when `passes` is empty or its entries differ in name, thread count or ops.
MeasuredModel median_over_passes(const std::vector<MeasuredModel>& passes);

/// Every predictor fitted at one thread count.
struct ThreadModel {
  int threads = 1;
  Roofs roofs;  ///< the roofs the features were computed with (predict uses them: no machine profile is parsed)
  std::map<std::string, std::unique_ptr<OpPredictor>> predictors;  ///< by predictor_names()
  std::set<std::string> covered_kinds;   ///< op kinds (OpFeatures::kind) with training rows
  /// e2e = e2e_scale x sum of op times + e2e_overhead_s, least squares over the training models (fit_linear): the
  /// executor's own overhead and what a run loses between and around its ops (preemption on a loaded machine grows
  /// with the run's length, so it is a scale, not a constant).
  double e2e_scale = 1;
  double e2e_overhead_s = 0;
  int rows = 0, models = 0;
};

/// Fits every predictor on the rows of the `models` at `threads` whose index is not in `skip` (held out). Throws
/// PredictorError when there is no row.
ThreadModel fit_thread_model(const std::vector<MeasuredModel>& models, int threads, const std::set<int>& skip = {},
                             int xgb_threads = 1);

/// One op's prediction.
struct OpPrediction {
  OpFeatures f;
  double time_s = 0;     ///< predicted seconds; for an uncovered op the roofline floor
  bool covered = true;   ///< the predictor has training rows of this op kind
};
struct ModelPrediction {
  std::vector<OpPrediction> ops;
  double op_sum_s = 0;   ///< sum of the ops
  double total_s = 0;    ///< end to end: e2e_scale x op_sum_s + e2e_overhead_s
  int uncovered = 0;
};

/// Predicts `ops` (graph_features()) with predictor `name` of `model`. An op of a kind without rows is uncovered:
/// its time is its cache-aware roofline time (a floor, never 0: at least 1e-7 s). Throws std::invalid_argument for
/// an unknown predictor.
ModelPrediction predict_ops(const ThreadModel& model, const std::string& name, std::vector<OpFeatures> ops);

}  // namespace rs
