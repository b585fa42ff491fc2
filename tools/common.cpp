#include "tools/common.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "graph/cost.h"
#include "graph/onnx/import.h"
#include "models/zoo.h"
#include "graph/files.h"

namespace rs::cli {

CLI::Validator finite_at_least(double lo, bool strict) {
  return CLI::Validator(
      [lo, strict](std::string& text) -> std::string {
        char* end = nullptr;
        const double x = std::strtod(text.c_str(), &end);
        const bool ok = end != text.c_str() && *end == '\0' && std::isfinite(x) && (strict ? x > lo : x >= lo);
        return ok ? std::string() : fmt::format("must be a finite number {} {} (got {})", strict ? ">" : ">=", lo, text);
      },
      fmt::format("FLOAT {} {}", strict ? ">" : ">=", lo));
}

void require_at_least(const char* flag, long long x, long long lo) {
  if (x < lo) throw std::invalid_argument(fmt::format("{} must be >= {} (got {})", flag, lo, x));
}

void add_model_options(CLI::App* app, ModelArgs& a, bool with_fuse) {
  app->add_option("model", a.model, "Zoo model name (see `roofscope models`) or path to an .onnx file")->required();
  app->add_option("--batch", a.batch, "Batch size N of the input [N, 3, size, size] (ONNX: overrides dim 0)")
      ->capture_default_str()
      ->each([&a](const std::string&) { a.batch_given = true; });
  app->add_option("--size", a.size, "Input height = width in pixels (ONNX: overrides H and W)")
      ->capture_default_str()
      ->each([&a](const std::string&) { a.size_given = true; });
  app->add_option("--input-shape", a.input_shape,
                  "ONNX models: dims of the first input, e.g. 1,3,224,224, or of a named one, e.g. "
                  "image=1,3,480,640 (repeatable; fixes dynamic dims)");
  app->add_option("--seed", a.seed, "Seed of the random weights and input")->capture_default_str();
  if (with_fuse)
    app->add_flag("--no-fuse", a.no_fuse,
                  "Keep the graph as written: no BatchNorm folding, no eltwise/Add post-op fusion");
}

Graph load_model_to_run(const ModelArgs& a) {
  Graph g = load_model(a);
  std::string source;
  const std::int64_t budget = memory_budget_bytes(&source);
  check_memory_budget(g, budget, source);
  return g;
}

std::pair<std::string, std::string> split_named(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || text[0] == '/' || text[0] == '.') return {"", text};
  return {text.substr(0, eq), text.substr(eq + 1)};
}

namespace {

/// "1,3,224,224" as dims; throws std::invalid_argument naming the option value otherwise.
Dims parse_dims(const std::string& text, const std::string& whole) {
  Dims dims;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto comma = std::min(text.find(',', pos), text.size());
    const std::string part = text.substr(pos, comma - pos);
    std::size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (part.empty() || used != part.size())
      throw std::invalid_argument(fmt::format("--input-shape '{}': '{}' is not an integer dim", whole, part));
    dims.push_back(v);
    pos = comma + 1;
  }
  return dims;
}

}  // namespace

Graph load_model(const ModelArgs& a) {
  require_at_least("--batch", a.batch, 1);
  require_at_least("--size", a.size, 1);
  if (is_onnx_path(a.model)) {
    OnnxOptions o;
    for (const std::string& text : a.input_shape) {
      const auto [name, dims] = split_named(text);
      if (name.empty() && !o.input_shape.empty())
        throw std::invalid_argument("--input-shape without a name is given twice (name the inputs: name=1,3,H,W)");
      if (name.empty()) o.input_shape = parse_dims(dims, text);
      else o.named_shapes.emplace_back(name, parse_dims(dims, text));
    }
    if (a.batch_given) o.batch = a.batch;
    if (a.size_given) o.size = a.size;
    return import_onnx(a.model, o);
  }
  if (!a.input_shape.empty())
    throw std::invalid_argument("--input-shape applies to .onnx models; zoo models take --batch and --size");
  ModelOptions o;
  o.batch = a.batch;
  o.size = a.size;
  o.seed = a.seed;
  return build_model(a.model, o);
}

void add_thread_options(CLI::App* app, ThreadArgs& a) {
  a.threads = topology().physical_cores;
  app->add_option("--threads", a.threads, "OpenMP threads, each pinned to its own physical core (default: all cores)")
      ->capture_default_str();
  app->add_flag("--no-bind", a.no_bind, "Do not pin threads; leave placement to the OS scheduler");
}

BindingReport apply_threads(const ThreadArgs& a) {
  const int cores = topology().physical_cores;
  const int n = a.threads;
  if (n < 1 || n > cores)
    throw std::invalid_argument(fmt::format("--threads must be between 1 and {} (the physical cores of this machine), got {}", cores, n));
  return bind_threads(n, !a.no_bind);
}

void add_measure_options(CLI::App* app, MeasureArgs& args, const char* iters_help) {
  app->add_option("--iters", args.iters, iters_help)->capture_default_str();
  app->add_option("--warmup", args.warmup, "Warm-up runs before measuring")->capture_default_str();
  app->add_option("--min-time", args.min_time_s, "Keep measuring until the measured runs add up to this many seconds")
      ->check(finite_at_least(0, false));
}

void check_measure_args(const MeasureArgs& args) {
  require_at_least("--iters", args.iters, 1);
  require_at_least("--warmup", args.warmup, 0);
}

void add_format_option(CLI::App* app, std::string& format, const std::string& choices, const std::string& fallback) {
  format = fallback;
  app->add_option("--format", format, "Output format: " + choices)->capture_default_str()->check([choices](const std::string& v) {
    std::string padded = "|" + choices + "|";
    return padded.find("|" + v + "|") == std::string::npos ? "must be one of " + choices : std::string();
  });
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

void write_file(const std::string& path, const std::string& text, const char* what) {
  try {
    write_file_atomically(path, text);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(fmt::format("{} not written: {}", what, e.what()));
  }
}

}  // namespace rs::cli
