#include "tools/common.h"

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

void add_model_options(CLI::App* app, ModelArgs& a, bool with_fuse) {
  app->add_option("model", a.model, "Zoo model name (see `roofscope models`) or path to an .onnx file")->required();
  app->add_option("--batch", a.batch, "Batch size N of the input [N, 3, size, size] (ONNX: overrides dim 0)")
      ->capture_default_str()
      ->each([&a](const std::string&) { a.batch_given = true; });
  app->add_option("--size", a.size, "Input height = width in pixels (ONNX: overrides H and W)")
      ->capture_default_str()
      ->each([&a](const std::string&) { a.size_given = true; });
  app->add_option("--input-shape", a.input_shape,
                  "ONNX models: dims of the first input, e.g. 1,3,224,224 (fixes dynamic dims)")
      ->delimiter(',');
  app->add_option("--seed", a.seed, "Seed of the random weights and input")->capture_default_str();
  if (with_fuse)
    app->add_flag("--no-fuse", a.no_fuse,
                  "Keep the graph as written: no BatchNorm folding, no eltwise/Add post-op fusion");
}

void add_thread_options(CLI::App* app, ThreadArgs& a) {
  a.threads = topology().physical_cores;
  app->add_option("--threads", a.threads, "OpenMP threads, each pinned to its own physical core (default: all cores)")
      ->capture_default_str();
  app->add_flag("--no-bind", a.no_bind, "Do not pin threads; leave placement to the OS scheduler");
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

void add_tune_option(CLI::App* app, TuneArgs& args) {
  app->add_option("--tune", args.mode,
                  "Kernel selection: 'cached' times every oneDNN implementation (and each way to run a residual Add) "
                  "per op on first use and reuses the choices from the tuning cache after; 'full' re-times them; "
                  "'off' takes oneDNN's first choice")
      ->check(CLI::IsMember({"off", "cached", "full"}))
      ->capture_default_str();
}

}  // namespace rs::cli
