#include "api/common.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "graph/cost.h"
#include "graph/files.h"
#include "graph/onnx/import.h"
#include "models/zoo.h"

namespace rs::api {

void require_at_least(const char* flag, long long x, long long lo) {
  if (x < lo) throw std::invalid_argument(fmt::format("{} must be >= {} (got {})", flag, lo, x));
}

Graph load_model_to_run(const roofscope::ModelSource& a) {
  Graph g = load_model(a);
  std::string source;
  const std::int64_t budget = memory_budget_bytes(&source);
  check_memory_budget(g, budget, source);
  return g;
}

Graph load_model(const roofscope::ModelSource& a, bool shapes_only) {
  require_at_least("--batch", a.batch, 1);
  require_at_least("--size", a.size, 1);
  if (!a.onnx_bytes.empty() || is_onnx_path(a.model)) {
    OnnxOptions o;
    for (const roofscope::InputShape& shape : a.input_shapes) {
      const Dims dims(shape.dims.begin(), shape.dims.end());
      if (!shape.name.empty()) {
        o.named_shapes.emplace_back(shape.name, dims);
        continue;
      }
      if (!o.input_shape.empty())
        throw std::invalid_argument("--input-shape without a name is given twice (name the inputs: name=1,3,H,W)");
      o.input_shape = dims;
    }
    if (a.batch_given) o.batch = a.batch;
    if (a.size_given) o.size = a.size;
    return a.onnx_bytes.empty() ? import_onnx(a.model, o) : import_onnx_bytes(a.onnx_bytes, a.model, o);
  }
  if (!a.input_shapes.empty())
    throw std::invalid_argument("--input-shape applies to .onnx models; zoo models take --batch and --size");
  ModelOptions o;
  o.batch = a.batch;
  o.size = a.size;
  o.seed = a.seed;
  o.shapes_only = shapes_only;
  return build_model(a.model, o);
}

void check_threads(int n) {
  const int cores = topology().physical_cores;
  if (n < 1 || n > cores)
    throw std::invalid_argument(fmt::format("--threads must be between 1 and {} (the physical cores of this machine), got {}", cores, n));
}

BindingReport apply_threads(const roofscope::Threads& a) {
  const int n = a.threads == 0 ? topology().physical_cores : a.threads;
  check_threads(n);
  return bind_threads(n, !a.no_bind);
}

void check_measure_args(const roofscope::Measure& args) {
  require_at_least("--iters", args.iters, 1);
  require_at_least("--warmup", args.warmup, 0);
}

void write_file(const std::string& path, const std::string& text, const char* what) {
  try {
    write_file_atomically(path, text);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(fmt::format("{} not written: {}", what, e.what()));
  }
  fmt::print(stderr, "roofscope: wrote {} ({})\n", path, what);
}

void check_totals(bool csv_totals, Format format) {
  if (csv_totals && format != Format::Csv)
    throw std::invalid_argument(fmt::format("--totals applies to --format csv (the {} output always shows the totals)",
                                            format_name(format)));
}

TableView table_view(const roofscope::Columns& columns, const std::vector<Column>& valid) {
  if (columns.wide && !columns.keys.empty()) throw std::invalid_argument("--columns and --wide exclude each other");
  check_column_keys(valid, columns.keys);
  TableView view;
  view.wide = columns.wide;
  view.columns = columns.keys;
  return view;
}

MachineProfile machine_profile_for(const rs::CalibrateOptions& options) {
  std::error_code ec;
  if (options.machine_file.empty() && !std::filesystem::exists(machine_cache_path(options), ec))
    fmt::print(stderr, "roofscope: no machine profile for this CPU yet: calibrating (quick, a few seconds) into {}\n",
               machine_cache_path(options));
  return load_or_calibrate(options, std::cerr);
}

Progress::Progress(std::string label) : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() {
  if (enabled_ && last_percent_ >= 0) fmt::print(stderr, "\r\033[K");
}

void Progress::update(int done, int total) {
  if (!enabled_ || total <= 0) return;
  const int pct = 100 * done / total;
  if (pct == last_percent_) return;
  last_percent_ = pct;
  const int width = 30, fill = width * done / total;
  fmt::print(stderr, "\r{} [{}{}] {:3d}% ({}/{})", label_, std::string(static_cast<std::size_t>(fill), '#'),
             std::string(static_cast<std::size_t>(width - fill), '.'), pct, done, total);
}

}  // namespace rs::api
