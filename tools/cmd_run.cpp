// `roofscope run MODEL`: warm-up, measured runs, latency statistics, memory figures and (--per-op) each op's time.
#include <fmt/format.h>

#include "api/tensor_io.h"
#include "tools/cli.h"
#include "tools/common.h"

namespace rs::cli {

namespace {

struct RunArgs {
  ModelArgs model;
  roofscope::RunOptions options;
  SweepArgs sweep;
  std::string format;
  std::vector<std::string> input;  ///< --input (repeatable): "x.npy" for graph input 0, "name=x.npy" for a named one
  std::string image;   ///< --image: PNG/JPEG, ImageNet preprocessing
  std::string output;  ///< --output: .npy file for graph output 0
};

/// A tensor per --input (npy, "name=x.npy" or input 0) or --image (ImageNet preprocessing, input 0).
std::vector<roofscope::Input> given_inputs(const RunArgs& a) {
  std::vector<roofscope::Input> inputs;
  if (!a.image.empty()) {
    const HostTensor t = api::load_imagenet_image(a.image);
    inputs.push_back({"", {{t.dims.begin(), t.dims.end()}, t.data}, a.image});
  }
  for (const std::string& option : a.input) {
    const auto [name, file] = split_named(option);
    HostTensor t = api::read_npy(file);
    inputs.push_back({name, {{t.dims.begin(), t.dims.end()}, std::move(t.data)}, name.empty() ? file : option});
  }
  return inputs;
}

void run_run(RunArgs& a) {
  const bool sweeping = resolve_sweep(a.sweep, a.model, a.options.threads);
  if (sweeping && (!a.output.empty() || a.options.per_op || a.options.topk > 0))
    throw std::invalid_argument("--output, --per-op and --topk show one run; a --batch/--threads sweep prints one "
                                "row per configuration (drop them, or give one --batch and one --threads)");
  a.options.inputs = given_inputs(a);
  if (sweeping) {
    fmt::print("{}", roofscope::run_sweep(a.model, a.options, a.sweep, a.format));
    return;
  }
  check_threads(a.options.threads.threads);
  const roofscope::RunOutput out = roofscope::run(a.model, a.options, a.format);
  if (!a.output.empty()) api::write_npy(a.output, HostTensor{{out.output.dims.begin(), out.output.dims.end()},
                                                             out.output.data});
  fmt::print("{}", out.report);
}

}  // namespace

void add_run_command(CLI::App& root) {
  static RunArgs args;
  roofscope::RunOptions& o = args.options;
  auto* app = root.add_subcommand("run", "Run a model through oneDNN: latency, throughput, memory, per-op times");
  add_model_options(app, args.model, true, &args.sweep.batches);
  add_thread_options(app, o.threads, &args.sweep.threads);
  add_tune_option(app, o.tune);
  add_measure_options(app, o.measure, "Measured runs");
  app->add_flag("--per-op", o.per_op, "Time every op (a timestamp after each primitive) and print the table");
  app->add_flag("--no-pool", o.no_pool,
                "Allocate every intermediate tensor per run instead of the planned, pre-faulted arena");
  add_format_option(app, args.format, "table|json", "table");
  add_columns_options(app, o.columns);
  app->footer(examples("", {"roofscope run resnet18 --iters 100",
                            "roofscope run mobilenet_v2 --per-op --columns name,impl,time_median_s,share_percent"}));
  auto* input = app->add_option("--input", args.input, "Graph input 0 from a float32 C-order .npy file, or a "
                                                       "named one: name=x.npy (repeatable; default: seeded N(0, 1) "
                                                       "noise)");
  app->add_option("--image", args.image, "Graph input 0 from a PNG/JPEG with ImageNet preprocessing (shorter side "
                                         "256, centre crop 224, mean/std normalization)")
      ->excludes(input);
  app->add_option("--output", args.output, "Write graph output 0 (after the last run) to this .npy file");
  app->add_option("--topk", o.topk, "Print the K highest-scoring classes of output 0 with softmax probabilities");
  app->callback([] { run_run(args); });
}

}  // namespace rs::cli
