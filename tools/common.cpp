#include "tools/common.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "runtime/topology.h"

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

/// --input-shape "1,3,224,224" (the first input) or "name=1,3,H,W".
roofscope::InputShape parse_input_shape(const std::string& text) {
  const auto [name, dims] = split_named(text);
  const Dims d = parse_dims(dims, text);
  return {name, {d.begin(), d.end()}};
}

}  // namespace

void add_model_options(CLI::App* app, ModelArgs& a, bool with_fuse, std::vector<int>* batches) {
  app->add_option("model", a.model, "Zoo model name (see `roofscope models`) or path to an .onnx file")->required();
  const char* batch_help = "Batch size N of the input [N, 3, size, size] (ONNX: overrides dim 0)";
  CLI::Option* batch = batches ? app->add_option("--batch", *batches, std::string(batch_help) +
                                                 "; a list (1,2,4,8) sweeps: one row per configuration")
                                     ->delimiter(',')
                               : app->add_option("--batch", a.batch, batch_help);
  batch->each([&a](const std::string&) { a.batch_given = true; });
  if (!batches) batch->capture_default_str();
  app->add_option("--size", a.size, "Input height = width in pixels (ONNX: overrides H and W)")
      ->capture_default_str()
      ->each([&a](const std::string&) { a.size_given = true; });
  const auto add_shapes = [&a](const std::vector<std::string>& texts) {
    for (const std::string& text : texts) a.input_shapes.push_back(parse_input_shape(text));
  };
  app->add_option_function<std::vector<std::string>>("--input-shape", add_shapes,
                                                     "ONNX models: dims of the first input, e.g. 1,3,224,224, or of a "
                                                     "named one, e.g. image=1,3,480,640 (repeatable; fixes dynamic "
                                                     "dims)");
  app->add_option("--seed", a.seed, "Seed of the random weights and input")->capture_default_str();
  if (with_fuse)
    app->add_flag("--no-fuse", a.no_fuse,
                  "Keep the graph as written: no BatchNorm folding, no eltwise/Add post-op fusion");
}

void add_thread_options(CLI::App* app, ThreadArgs& a, std::vector<int>* threads) {
  a.threads = topology().physical_cores;
  const std::string help = fmt::format("OpenMP threads, each pinned to its own physical core (default: every "
                                       "physical core, {} here)", a.threads);
  if (threads)
    app->add_option("--threads", *threads, help + "; a list (1,2) sweeps: one row per configuration")->delimiter(',');
  else
    app->add_option("--threads", a.threads, help);
  app->add_flag("--no-bind", a.no_bind, "Do not pin threads; leave placement to the OS scheduler");
}

bool resolve_sweep(SweepArgs& sweep, ModelArgs& model, ThreadArgs& threads) {
  if (sweep.batches.empty()) sweep.batches = {model.batch};
  if (sweep.threads.empty()) sweep.threads = {threads.threads};
  model.batch = sweep.batches.front();
  threads.threads = sweep.threads.front();
  return sweep.batches.size() > 1 || sweep.threads.size() > 1;
}

void add_measure_options(CLI::App* app, MeasureArgs& args, const char* iters_help) {
  app->add_option("--iters", args.iters, iters_help)->capture_default_str();
  app->add_option("--warmup", args.warmup, "Warm-up runs before measuring")->capture_default_str();
  app->add_option("--min-time", args.min_time_s, "Keep measuring until the measured runs add up to this many seconds")
      ->check(finite_at_least(0, false));
}

void add_format_option(CLI::App* app, std::string& format, const std::string& choices, const std::string& fallback) {
  format = fallback;
  app->add_option("--format", format, "Output format: " + choices)->capture_default_str()->check([choices](const std::string& v) {
    std::string padded = "|" + choices + "|";
    return padded.find("|" + v + "|") == std::string::npos ? "must be one of " + choices : std::string();
  });
}

void add_columns_options(CLI::App* app, roofscope::Columns& columns) {
  auto* keys = app->add_option("--columns", columns.keys,
                               "Terminal table: these columns, by their CSV key, comma-separated (default: a compact "
                               "set that fits $COLUMNS, 100 when unset)")
                   ->delimiter(',');
  app->add_flag("--wide", columns.wide, "Terminal table: every column, names in full")->excludes(keys);
}

std::string examples(const std::string& text, const std::vector<std::string>& lines) {
  std::string s = text.empty() ? "Examples:\n" : text + "\n\nExamples:\n";
  for (const std::string& l : lines) s += "  " + l + "\n";
  return s;
}

void add_tune_option(CLI::App* app, TuneArgs& args) {
  app->add_option("--tune", args.mode,
                  "Kernel selection: 'cached' times every oneDNN implementation (and each way to run a residual Add) "
                  "per op on first use and reuses the choices from the tuning cache after; 'full' re-times them; "
                  "'off' takes oneDNN's first choice")
      ->check(CLI::IsMember({"off", "cached", "full"}))
      ->capture_default_str();
}

}  // namespace rs::cli
