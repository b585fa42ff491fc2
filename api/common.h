// What the API's commands (and the CLI over them) share: loading a model, applying --threads, checking counts,
// writing files, the progress bar.
#pragma once
#include <string>

#include "graph/graph.h"
#include "roofscope/api.h"
#include "runtime/topology.h"

namespace rs::api {

/// Builds the zoo model, or imports the ONNX file or bytes (rs::import_onnx), as written (shapes inferred). Throws
/// std::invalid_argument with a message naming the bad value, rs::OnnxError for a bad ONNX model.
Graph load_model(const roofscope::ModelSource& source);
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
/// or not at all, never over a device, FIFO or directory, no folder created). Throws std::runtime_error
/// "<what> not written: cannot write 'path': reason".
void write_file(const std::string& path, const std::string& text, const char* what);

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
