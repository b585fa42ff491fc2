// `roofscope run MODEL`: warm-up, measured runs, latency statistics, memory figures and (--per-op) each op's time.
#include <algorithm>
#include <random>

#include <fmt/format.h>

#include "runtime/executor.h"
#include "runtime/measure.h"
#include "profiler/report/run_report.h"
#include "tools/cli.h"
#include "tools/common.h"
#include "tools/tensor_io.h"
#include "tools/tuning.h"

namespace rs::cli {

namespace {

struct RunArgs {
  ModelArgs model;
  ThreadArgs threads;
  MeasureArgs measure{50};
  bool per_op = false;
  bool no_pool = false;
  TuneArgs tune;
  std::string format;
  std::vector<std::string> input;  ///< --input (repeatable): "x.npy" for graph input 0, "name=x.npy" for a named one
  std::string image;   ///< --image: PNG/JPEG, ImageNet preprocessing
  std::string output;  ///< --output: .npy file for graph output 0
  int topk = 0;        ///< --topk: print the K best classes of output 0
};

HostTensor random_input(const Dims& dims, std::uint64_t seed) {
  std::mt19937_64 gen(seed ^ 0x5eedULL);
  std::normal_distribution<float> dist(0.f, 1.f);
  HostTensor t{dims, std::vector<float>(static_cast<std::size_t>(numel(dims)))};
  for (auto& x : t.data) x = dist(gen);
  return t;
}

/// The graph input --input names ("name=x.npy"; unnamed: input 0). Throws std::invalid_argument if none has it.
std::size_t input_index(const Graph& g, const std::string& name, const std::string& option) {
  if (name.empty()) return 0;
  for (std::size_t i = 0; i < g.inputs.size(); ++i)
    if (g.value(g.inputs[i]).name == name) return i;
  std::string names;
  for (int id : g.inputs) names += (names.empty() ? "" : ", ") + g.value(id).name;
  throw std::invalid_argument(fmt::format("--input '{}': the model has no graph input '{}' (its inputs: {})", option,
                                          name, names));
}

/// One tensor per graph input: from --input (npy, by name or input 0), --image (ImageNet preprocessing, input 0) or
/// seeded N(0, 1) noise of the model's dims (seed + input index).
std::vector<HostTensor> make_inputs(const RunArgs& a, const Graph& g) {
  std::vector<HostTensor> t(g.inputs.size());
  std::vector<std::string> source(g.inputs.size());
  if (!a.image.empty()) {
    t[0] = load_imagenet_image(a.image);
    source[0] = a.image;
  }
  for (const std::string& option : a.input) {
    const auto [name, file] = split_named(option);
    const std::size_t i = input_index(g, name, option);
    if (!source[i].empty())
      throw std::invalid_argument(fmt::format("graph input '{}' is given twice ({} and {})", g.value(g.inputs[i]).name,
                                              source[i], file));
    t[i] = read_npy(file);
    source[i] = file;
  }
  for (std::size_t i = 0; i < g.inputs.size(); ++i) {
    const Value& in = g.value(g.inputs[i]);
    if (source[i].empty()) t[i] = random_input(in.desc.dims, a.model.seed + i);  // only inputs no file gives
    if (!source[i].empty() && t[i].dims != in.desc.dims)
      throw std::invalid_argument(fmt::format("{} gives a {} tensor, the model's input '{}' is {} (see --input-shape, "
                                              "--batch, --size)", source[i], dims_str(t[i].dims), in.name,
                                              dims_str(in.desc.dims)));
  }
  return t;
}

/// --output (written) and --topk (into r) on graph output 0 after the measured runs.
void report_output(const RunArgs& a, const Executor& exec, RunResult& r) {
  if (a.output.empty() && a.topk <= 0) return;
  const HostTensor y = exec.output(0);
  if (!a.output.empty()) write_npy(a.output, y);
  if (a.topk <= 0) return;
  r.output_name = exec.graph().value(exec.graph().outputs.at(0)).name;
  for (const auto& row : top_k(y, a.topk)) {
    r.topk.emplace_back();
    for (const TopEntry& e : row) r.topk.back().push_back({e.index, e.score, e.prob});
  }
}

RunResult run_result(const RunArgs& a, const Executor& exec, const BindingReport& bind, const PassReport& passes,
                     Measurement m) {
  RunResult r;
  r.model = a.model.model;
  r.input_dims = exec.graph().value(exec.graph().inputs.at(0)).desc.dims;
  r.binding = bind;
  r.fused = !a.model.no_fuse;
  r.passes = passes;
  r.tune = a.tune.mode;
  r.pool = exec.options().pool;
  r.warmup = a.measure.warmup;
  r.min_time_s = a.measure.min_time_s;
  r.per_op = a.per_op;
  r.steps = exec.steps();
  r.memory = exec.memory();
  r.e2e_s = std::move(m.e2e_s);
  r.step_s = std::move(m.step_s);
  r.overhead_s = std::move(m.overhead_s);
  return r;
}

void run_run(const RunArgs& a) {
  check_measure_args(a.measure);
  require_at_least("--topk", a.topk, 0);
  const BindingReport bind = apply_threads(a.threads);  // before primitives are created
  Graph g = load_model_to_run(a.model);
  const std::vector<HostTensor> inputs = make_inputs(a, g);
  const PassReport passes = optimize(g, !a.model.no_fuse);
  ExecOptions eo;
  eo.pool = !a.no_pool;
  const TunePlan plan = plan_tuning(a.tune, g, a.model.model, bind.threads);
  const auto compiled = compile_with_tuning(plan, g, eo);
  Executor& exec = *compiled;
  for (std::size_t i = 0; i < inputs.size(); ++i) exec.set_input(i, inputs[i]);
  MeasureOptions mo;
  const MeasureArgs& m = a.measure;
  mo.plan = {m.warmup, m.iters, m.min_time_s, std::max(m.iters, kDefaultMaxIters)};
  mo.per_op = a.per_op;
  Progress progress("running " + a.model.model);
  mo.progress = [&](int done, int total) { progress.update(done, total); };
  RunResult r = run_result(a, exec, bind, passes, measure(exec, mo));
  report_output(a, exec, r);
  fmt::print("{}", RunReporter(r).render(parse_format(a.format)));
}

}  // namespace

void add_run_command(CLI::App& root) {
  static RunArgs args;
  auto* app = root.add_subcommand("run", "Run a model through oneDNN: latency, throughput, memory, per-op times");
  add_model_options(app, args.model, true);
  add_thread_options(app, args.threads);
  add_tune_option(app, args.tune);
  add_measure_options(app, args.measure, "Measured runs");
  app->add_flag("--per-op", args.per_op, "Time every op (a timestamp after each primitive) and print the table");
  app->add_flag("--no-pool", args.no_pool,
                "Allocate every intermediate tensor per run instead of the planned, pre-faulted arena");
  add_format_option(app, args.format, "table|json", "table");
  auto* input = app->add_option("--input", args.input, "Graph input 0 from a float32 C-order .npy file, or a "
                                                       "named one: name=x.npy (repeatable; default: seeded N(0, 1) "
                                                       "noise)");
  app->add_option("--image", args.image, "Graph input 0 from a PNG/JPEG with ImageNet preprocessing (shorter side "
                                         "256, centre crop 224, mean/std normalization)")
      ->excludes(input);
  app->add_option("--output", args.output, "Write graph output 0 (after the last run) to this .npy file");
  app->add_option("--topk", args.topk, "Print the K highest-scoring classes of output 0 with softmax probabilities");
  app->callback([] { run_run(args); });
}

}  // namespace rs::cli
