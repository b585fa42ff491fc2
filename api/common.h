// What the API's commands (and the CLI over them) share: loading a model, applying --threads, checking counts,
// writing files, the progress bar.
#pragma once
#include <string>

#include "graph/graph.h"
#include "profiler/machine/calibrate.h"
#include "profiler/report/report.h"
#include "roofscope/api.h"
#include "runtime/topology.h"

namespace rs::api {

/// Builds the zoo model, or imports the ONNX file or bytes (rs::import_onnx), as written (shapes inferred). Throws
/// std::invalid_argument with a message naming the bad value, rs::OnnxError for a bad ONNX model. shapes_only: a zoo
/// model's constants hold their distributions' means, nothing drawn (ModelOptions::shapes_only; for predict).
Graph load_model(const roofscope::ModelSource& source, bool shapes_only = false);
/// load_model() for commands that run the model: also checks, before anything is allocated, that it fits the
/// memory budget (graph/cost.h check_memory_budget, runtime/topology.h memory_budget_bytes).
Graph load_model_to_run(const roofscope::ModelSource& source);

/// Throws std::invalid_argument "--threads must be between 1 and N (the physical cores of this machine), got n"
/// unless 1 <= n <= N.
void check_threads(int n);
/// Applies the binding of `threads` (0: every physical core; else check_threads()).
BindingReport apply_threads(const roofscope::Threads& threads);

/// Throws std::invalid_argument (require_at_least()) unless --iters >= 1 and --warmup >= 0.
void check_measure_args(const roofscope::Measure& measure);

/// "--name must be >= lo (got x)" unless x >= lo.
void require_at_least(const char* flag, long long x, long long lo);

/// Writes `text` (the `what`, e.g. "the HTML report") to `path` with write_file_atomically() (graph/files.h: whole
/// or not at all, never over a device, FIFO or directory, no folder created), then says so on stderr: "roofscope:
/// wrote PATH (<what>)". Every file a command writes goes through it. Throws std::runtime_error "<what> not
/// written: cannot write 'path': reason".
void write_file(const std::string& path, const std::string& text, const char* what);

/// Throws std::invalid_argument unless `csv_totals` (--totals) comes with the csv format: no flag is silently
/// ignored.
void check_totals(bool csv_totals, Format format);

/// The terminal table view of --columns / --wide (width: $COLUMNS). Throws std::invalid_argument naming the
/// valid keys when a key is not one of `valid` (checked before the work).
TableView table_view(const roofscope::Columns& columns, const std::vector<Column>& valid);

/// load_or_calibrate() for profile and experiment, saying on stderr what it does even when stderr is not a
/// terminal: "roofscope: no machine profile for this CPU yet: calibrating (quick, a few seconds) into PATH" before
/// a first-use calibration.
MachineProfile machine_profile_for(const rs::CalibrateOptions& options);

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(std::string label);
  ~Progress();
  void update(int done, int total);

 private:
  std::string label_;
  bool enabled_;
  int last_percent_ = -1;
};

}  // namespace rs::api
