// What `roofscope run` reports, as plain data (no oneDNN types), and its reporter: the terminal summary (latency,
// throughput, memory, per-op table, top-k) or one JSON document in seconds.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "graph/passes.h"
#include "profiler/report/report.h"
#include "runtime/step_report.h"
#include "runtime/topology.h"

namespace rs {

/// One entry of a top-K list of graph output 0.
struct RankedClass {
  std::int64_t index = 0;  ///< class index along the last axis
  float score = 0.f;       ///< the output value (e.g. a logit)
  float prob = 0.f;        ///< softmax over that row, in [0, 1]
};

/// A measured run of a compiled model.
struct RunResult {
  std::string model;
  Dims input_dims;                 ///< graph input 0
  BindingReport binding;
  bool fused = true;               ///< false: --no-fuse (graph as written)
  PassReport passes;
  std::string tune;                ///< --tune mode: off | cached | full
  bool pool = true;                ///< planned arena (false: --no-pool)
  int warmup = 0;                  ///< warm-up runs before the measured ones
  double min_time_s = 0;           ///< --min-time
  bool per_op = false;             ///< step_s and overhead_s recorded
  std::vector<ExecStep> steps;
  MemoryReport memory;
  std::vector<double> e2e_s;                ///< end-to-end seconds of each measured run
  std::vector<std::vector<double>> step_s;  ///< per_op: [step][run], seconds
  std::vector<double> overhead_s;           ///< per_op: e2e - sum of step times, per run, seconds
  std::string output_name;                  ///< graph output 0
  std::vector<std::vector<RankedClass>> topk;  ///< per image of output 0, best first; empty without --topk
};

/// Per-op table of a per_op run (the JSON rows; times in seconds, flop_per_s in FLOP/s), with a totals row (sum of
/// the op medians and their share of the end-to-end median). The terminal shows its compact columns (#, name, op,
/// impl, median, %, attained) unless the view asks for others.
Table run_op_table(const RunResult& r);
/// run_op_table's columns, for checking --columns before the work.
std::vector<Column> run_op_columns();

/// table: the summary lines, with per_op the op table and the executor overhead, then the top-k lists.
/// json: {"model", "input_dims", "threads", "bound", "cpu_of_thread", "fused", "bn_folded", "scale_folded", "post_ops_fused",
/// "silu_fused", "tune", "pool", "iters" (measured runs), "warmup", "min_time_s", "latency_median_s",
/// "latency_p90_s", "latency_min_s", "latency_cv", "latency_runs_s", "throughput_images_per_s", "memory": {..._bytes,
/// "planned_buffers"}, per_op: "ops": [rows of run_op_table], "executor_overhead_median_s"; --topk: "topk":
/// [[{"class", "score", "prob"}]]}. Holds a reference: `r` must outlive it.
class RunReporter : public Reporter {
 public:
  explicit RunReporter(const RunResult& r) : r_(r) {}
  std::vector<Format> formats() const override;
  std::string render(Format format) const override;
  /// The per-op table's columns and the width the table output fits (--columns, --wide, $COLUMNS).
  void set_view(TableView view) { view_ = std::move(view); }

 private:
  const RunResult& r_;
  TableView view_;
};

}  // namespace rs
