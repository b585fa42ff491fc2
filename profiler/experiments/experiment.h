// `roofscope experiment`: does a piece of model-design advice (seed 001 §II-§IV) hold on this machine? Each
// experiment builds paired or swept arms (graphs run by the Executor, or callables such as the Eigen conv), runs them
// under identical conditions (same threads, pinned, repetitions interleaved across arms so drift hits every arm),
// and reports per arm FLOPs, bytes, AI, both roofline predictions, the median time with a 95% confidence interval
// and the efficiency, then a verdict — holds / does not hold / inconclusive — with one sentence grounded in the
// numbers. The statistics are in runtime/stats.h, the verdict rule in profiler/experiments/experiment_verdict.h; the
// reporters in profiler/experiments/experiment_report.h.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "graph/cost.h"
#include "graph/graph.h"
#include "profiler/experiments/experiment_verdict.h"
#include "profiler/machine/machine_profile.h"
#include "profiler/report/report.h"
#include "runtime/executor.h"
#include "runtime/measure.h"
#include "runtime/os_counters.h"
#include "runtime/stats.h"

namespace rs {

/// Problem sizes and repetition counts. Tiny: unit tests (seconds, numbers meaningless); Quick: the whole suite in
/// ~2-3 minutes on 2 cores; Full: the sizes the advice is about (224x224 models, 56x56 layers).
enum class Scale { Tiny, Quick, Full };
const char* scale_name(Scale scale);

/// How many times each arm runs. Rounds run every arm once, in an order rotated each round; the first `warmup`
/// rounds are discarded. Measuring stops after `reps` rounds once the measured time of the slowest-summing arm
/// reaches min_time_s, or at max_reps rounds.
struct RunConfig {
  int warmup = 2;
  int reps = 11;           ///< >= 1; 95% CIs of the median need >= 6 (else [min, max] with lower coverage)
  double min_time_s = 0;   ///< keep adding rounds until some arm has this many measured seconds
  int max_reps = 11;       ///< cap on measured rounds (>= reps)
  /// Tiny: 1 + 6 (no time floor); Quick: 2 + 15 (up to 201 rounds while under 1 s); Full: 5 + 31 (up to 301 while
  /// under 3 s).
  static RunConfig for_scale(Scale scale);
  /// The rounds as the shared measurement loop takes them (runtime/measure.h: warm-up, reps, min-time, cap).
  RepeatPlan plan() const;
};

/// One arm as written by an experiment. A graph arm (make_callable empty) runs `graph` through an Executor; a
/// callable arm runs what make_callable returns. Arms are instantiated (executors compiled, callables prepared) after
/// the runner applied bind_threads(threads, true): oneDNN fixes its parallelization at primitive creation.
struct ArmSpec {
  std::string name;        ///< row label, e.g. "dw 3x3"
  std::string detail;      ///< shape or option, e.g. "[1, 64, 56, 56] groups=64"
  int threads = 0;         ///< OpenMP threads (0 = the experiment's thread count)
  bool bind = true;        ///< pin threads (bind_threads) before each run; false: OS placement

  Graph graph;             ///< shapes inferred, as written
  bool fuse = true;        ///< optimize(graph, fuse) before compiling: BN folding + post-op fusion (false: --no-fuse)
  ExecOptions exec;        ///< pool (pre-faulted arena) or allocation per run
  std::string focus_node;  ///< "" = time the whole run end to end; else only the step that runs this node (per-op
                           ///< timestamps on), and cost/prediction of that step only
  bool per_op = false;     ///< per-op timestamps, so framework overhead = e2e - sum of step times is recorded
  bool count_os = false;   ///< read OS counters (page faults, context switches, migrations) around each run
  int hot_runs = 0;        ///< untimed runs of this arm right before each timed one: its steady state (weights and
                           ///< activations left in cache by its own previous run, as `run` and `predict --train`
                           ///< measure); 0: the state the other arms' interleaved runs leave

  OpCost cost;             ///< callable arms: ideal cost of one call (graph arms: from the executed steps)
  OpKind kind = OpKind::Conv;  ///< callable arms: the op kind it implements (colour in the roofline plot)
  std::string impl;        ///< callable arms: implementation name, e.g. "eigen im2col+gemm"
  /// Callable arms: prepares state (buffers, weights) and returns the function one timed run calls.
  std::function<std::function<void()>()> make_callable;

  bool is_graph() const { return !make_callable; }
};

/// One measured arm.
struct ArmResult {
  std::string name, detail, impl;  ///< impl: oneDNN implementation(s) of the timed step(s), or the callable's
  OpKind kind = OpKind::Conv;      ///< kind of the focus step, or of the step with the most FLOPs
  int threads = 1;
  bool bound = true;
  int ops = 1;                     ///< steps timed (1 for a focus node or a callable)
  int reorders = 0;                ///< of which layout reorders the runtime inserted
  OpCost cost;                     ///< of what was timed, summed over its steps (reorders included)
  double t_roof_theoretical_s = 0; ///< sum over the timed steps of max(FLOPs / pi, bytes / beta), theoretical roofs
  double t_roof_measured_s = 0;    ///< same with the measured peak and measured DRAM bandwidth (NaN when unknown)
  double t_roof_cache_s = 0;       ///< same with the measured bandwidth of the level holding each step's working set:
                                   ///< the roof no kernel beats (profiler/roofline/roofline.h predict())
  std::vector<double> time_s;      ///< measured samples, seconds, in run order
  Stats stats;                     ///< of time_s
  MedianCI ci;                     ///< 95% CI of the median of time_s
  double efficiency = 0;           ///< t_roof_measured / median time
  double efficiency_cache = 0;     ///< t_roof_cache / median time: above 1 the roof is below what was attained
  double clock_start_ghz = 0;      ///< effective clock right before its thread count's runs (0 = not measured)
  double clock_end_ghz = 0;        ///< and right after them
  std::vector<double> overhead_share;  ///< per_op arms: (e2e - sum of step times) / e2e, per run
  std::vector<OsCounts> counts;    ///< count_os arms: OS events per run
  std::vector<Cell> extra;         ///< experiment-specific cells, one per ExperimentResult::extra_columns
};

/// A number an experiment derives from several arms (a correlation, a fit, a ratio).
struct Metric {
  std::string key;    ///< machine name with unit, e.g. "spearman_latency_vs_flops"
  std::string label;  ///< human label, e.g. "Spearman rho(latency, FLOPs)"
  double value = 0;
  std::string unit;   ///< "" when unitless
};

struct ExperimentResult {
  std::string name, advice;
  Scale scale = Scale::Quick;
  int threads = 1;
  RunConfig run;
  std::vector<ArmResult> arms;
  std::vector<Column> extra_columns;   ///< appended to the standard columns of the arm table
  std::vector<Metric> metrics;
  std::vector<Comparison> comparisons; ///< what the verdict was decided on
  Verdict verdict = Verdict::Inconclusive;
  std::string explanation;             ///< one sentence grounded in the numbers
  std::vector<std::string> notes;      ///< what was left out and why, how the verdict is formed
  bool plot = false;                   ///< a roofline plot of the arms is worth drawing
  double seconds = 0;                  ///< wall time of the experiment
};

/// What every experiment gets.
struct ExperimentContext {
  const MachineProfile* machine = nullptr;  ///< roofs (roofs_for(machine, threads)); must be set
  int threads = 1;                          ///< default thread count of the arms (1..physical cores)
  Scale scale = Scale::Quick;
  RunConfig run = RunConfig::for_scale(Scale::Quick);
  std::function<void(int done, int total)> progress;  ///< measured + warm-up runs so far; may be empty
};

/// An experiment: the advice it tests, how it builds its arms, and how it turns measured arms into a verdict.
struct Experiment {
  std::string name;    ///< CLI name, e.g. "dwconv-vs-conv"
  std::string advice;  ///< the claim tested, with its seed section, e.g. "Depthwise conv cuts FLOPs by C but ..."
  bool plot = false;   ///< ExperimentResult::plot
  std::function<std::vector<ArmSpec>(const ExperimentContext&)> arms;
  /// Fills extra columns and cells, metrics, comparisons, verdict and explanation from result.arms.
  std::function<void(const ExperimentContext&, ExperimentResult&)> analyze;
};

/// Every experiment, in issue order (the explicit registry in experiment.cpp; definitions in experiment_*.cpp).
const std::vector<Experiment>& experiments();
/// Throws std::invalid_argument "unknown experiment 'x' (available: flops-vs-latency, ...)".
const Experiment& find_experiment(const std::string& name);

/// Runs the arms: grouped by thread count (in first-appearance order), each group instantiated after
/// bind_threads(threads, true), then warm-up and measured rounds interleaved across the group's arms (round r starts
/// at arm r mod k), re-binding before a run whenever the arm's binding differs from the last one applied. Threads
/// are left pinned at ctx.threads. Throws std::invalid_argument on a bad RunConfig or context, KernelError/GraphError
/// from compilation, std::runtime_error when a focus node runs in no step.
std::vector<ArmResult> run_arms(const std::vector<ArmSpec>& arms, const ExperimentContext& ctx);

/// arms -> run_arms -> analyze, timed.
ExperimentResult run_experiment(const Experiment& experiment, const ExperimentContext& ctx);

}  // namespace rs
