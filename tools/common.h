// Options shared by the subcommands: which model, how to build it, threads, output format, progress.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "graph/graph.h"
#include "graph/passes.h"
#include "profiler/report/report.h"
#include "runtime/topology.h"

namespace rs::cli {

struct ModelArgs {
  std::string model;        ///< zoo name, or a path ending in .onnx
  int batch = 1;
  int size = 224;
  std::uint64_t seed = 0;
  bool no_fuse = false;
  /// --input-shape (ONNX only, repeatable): "1,3,224,224" for the first graph input, "name=1,3,H,W" for a named one
  std::vector<std::string> input_shape;
  bool batch_given = false;               ///< --batch / --size were on the command line (ONNX: override the
  bool size_given = false;                ///< model's dims; zoo: always used)
};
/// Splits "name=value" into {name, value}; a text without '=' (or starting with '/' or '.': a path) is {"", text}.
std::pair<std::string, std::string> split_named(const std::string& text);
/// Adds MODEL (positional), --batch, --size, --seed, --input-shape and (if with_fuse) --no-fuse.
void add_model_options(CLI::App* app, ModelArgs& args, bool with_fuse);
/// Builds the zoo model, or imports the .onnx file (rs::import_onnx), as written (shapes inferred). Throws
/// std::invalid_argument with a message naming the bad value, rs::OnnxError for a bad ONNX file.
Graph load_model(const ModelArgs& args);
/// load_model() for commands that run the model: also checks, before anything is allocated, that it fits the
/// memory budget (graph/cost.h check_memory_budget, runtime/topology.h memory_budget_bytes).
Graph load_model_to_run(const ModelArgs& args);

struct ThreadArgs {
  int threads = 0;  ///< set to all physical cores by add_thread_options()
  bool no_bind = false;
};
void add_thread_options(CLI::App* app, ThreadArgs& args);
/// Validates --threads against the machine and applies the binding. Throws std::invalid_argument
/// "--threads must be between 1 and N (got n)".
BindingReport apply_threads(const ThreadArgs& args);

/// How many runs to measure (run, profile).
struct MeasureArgs {
  int iters = 0;          ///< measured runs (each command sets its default)
  int warmup = 5;         ///< warm-up runs before measuring
  double min_time_s = 0;  ///< keep measuring until the measured runs add up to this many seconds
};
/// Adds --iters (described by `iters_help`, e.g. "Measured runs"), --warmup and --min-time.
void add_measure_options(CLI::App* app, MeasureArgs& args, const char* iters_help);
/// Throws std::invalid_argument (require_at_least()) unless --iters >= 1 and --warmup >= 0.
void check_measure_args(const MeasureArgs& args);

/// Adds --format with the given choices (subset of table|csv|json|md) and default.
void add_format_option(CLI::App* app, std::string& format, const std::string& choices, const std::string& fallback);

/// Writes `text` (the `what`, e.g. "the HTML report") to `path` with write_file_atomically() (profiler/files.h: whole
/// or not at all, never over a device, FIFO or directory, no folder created). Throws std::runtime_error
/// "<what> not written: cannot write 'path': reason".
void write_file(const std::string& path, const std::string& text, const char* what);

/// A CLI11 check for a finite number >= lo (or > lo when `strict`): "must be a finite number > 0 (got nan)".
CLI::Validator finite_at_least(double lo, bool strict);

/// "--name must be >= lo (got x)" unless x >= lo.
void require_at_least(const char* flag, long long x, long long lo);

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

}  // namespace rs::cli
