// `roofscope run MODEL`: warm-up, measured runs, latency statistics, memory figures and (--per-op) each op's time.
#include <chrono>
#include <random>

#include <fmt/format.h>

#include "runtime/executor.h"
#include "runtime/measure.h"
#include "runtime/stats.h"
#include "tools/cli.h"
#include "tools/common.h"
#include "tools/tensor_io.h"
#include "tools/tuning.h"

namespace rs::cli {

namespace {

struct RunArgs {
  ModelArgs model;
  ThreadArgs threads;
  int iters = 50;
  int warmup = 5;
  bool per_op = false;
  bool no_pool = false;
  TuneArgs tune;
  std::string format;
  std::string input;   ///< --input: .npy file for graph input 0
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

/// Graph input 0: --input (npy), --image (ImageNet preprocessing) or seeded N(0, 1) noise of the model's dims.
HostTensor make_input(const RunArgs& a, const Graph& g) {
  const Value& in = g.value(g.inputs.at(0));
  if (a.input.empty() && a.image.empty()) return random_input(in.desc.dims, a.model.seed);
  const std::string& file = a.input.empty() ? a.image : a.input;
  HostTensor t = a.input.empty() ? load_imagenet_image(a.image) : read_npy(a.input);
  if (t.dims != in.desc.dims)
    throw std::invalid_argument(fmt::format("{} gives a {} tensor, the model's input '{}' is {} (see --input-shape, "
                                            "--batch, --size)", file, dims_str(t.dims), in.name, dims_str(in.desc.dims)));
  return t;
}

/// --output and --topk on graph output 0 after the measured runs.
void report_output(const RunArgs& a, const Executor& exec, nlohmann::json* j) {
  if (a.output.empty() && a.topk <= 0) return;
  const HostTensor y = exec.output(0);
  if (!a.output.empty()) write_npy(a.output, y);
  if (a.topk <= 0) return;
  const auto top = top_k(y, a.topk);
  for (std::size_t r = 0; r < top.size(); ++r) {
    if (j) {
      for (const auto& e : top[r]) (*j)["topk"][r].push_back({{"class", e.index}, {"score", e.score}, {"prob", e.prob}});
      continue;
    }
    fmt::print("\ntop-{} of output '{}', image {}:\n  rank  class      score  softmax\n", top[r].size(),
               exec.graph().value(exec.graph().outputs.at(0)).name, r);
    for (std::size_t i = 0; i < top[r].size(); ++i)
      fmt::print("  {:4d}  {:5d}  {:9.4f}  {:7.4f}\n", i + 1, top[r][i].index, top[r][i].score, top[r][i].prob);
  }
}

Table per_op_table(const Executor& exec, const Measurement& m, double e2e_median_s) {
  Table t({{"index", "#", ColumnKind::Count},
           {"name", "name"},
           {"op", "op"},
           {"impl", "impl"},
           {"runner_up", "runner-up (tuned ms)"},
           {"layout", "dst layout"},
           {"output_shape", "output shape"},
           {"time_median_ms", "median ms", ColumnKind::Real, 3},
           {"time_p90_ms", "p90 ms", ColumnKind::Real, 3},
           {"time_cv", "CV", ColumnKind::Real, 3},
           {"share_percent", "%", ColumnKind::Real, 1},
           {"gflops_per_s", "GFLOP/s", ColumnKind::Real, 1}});
  double sum_ms = 0;
  for (std::size_t i = 0; i < exec.steps().size(); ++i) {
    const ExecStep& s = exec.steps()[i];
    const Stats st = compute_stats(m.step_s[i]);
    sum_ms += st.median * 1e3;
    const std::string runner_up =
        s.choice.runner_up.empty() ? "" : fmt::format("{} ({:.3f})", s.choice.runner_up, s.choice.runner_up_time_s * 1e3);
    t.add_row({static_cast<std::int64_t>(i), s.name, s.label, s.impl, runner_up, s.dst_layout, dims_str(s.dst_dims),
               st.median * 1e3, st.p90 * 1e3, st.cv, 100.0 * st.median / e2e_median_s,
               st.median > 0 ? static_cast<double>(s.cost.flops) / st.median * 1e-9 : 0.0});
  }
  t.set_totals({std::monostate(), std::string("sum of op medians"), std::string(), std::string(), std::string(), std::string(),
                std::string(), sum_ms, std::monostate(), std::monostate(), 100.0 * sum_ms * 1e-3 / e2e_median_s,
                std::monostate()});
  return t;
}

nlohmann::json memory_json(const MemoryReport& mem) {
  return {{"arena_bytes", mem.arena_bytes},     {"lower_bound_bytes", mem.lower_bound_bytes},
          {"naive_bytes", mem.naive_bytes},     {"io_bytes", mem.io_bytes},
          {"weights_bytes", mem.weights_bytes}, {"planned_buffers", mem.buffers}};
}

void print_summary(const RunArgs& a, const Executor& exec, const BindingReport& bind, const PassReport& passes,
                   const Stats& lat) {
  const auto& mem = exec.memory();
  const int reorders = static_cast<int>(std::count_if(exec.steps().begin(), exec.steps().end(),
                                                      [](const ExecStep& s) { return s.kind == OpKind::Reorder; }));
  const auto& in = exec.graph().value(exec.graph().inputs.at(0)).desc.dims;
  fmt::print("model       {}, input {}\n", a.model.model, dims_str(in));
  fmt::print("threads     {}\n", bind.describe());
  fmt::print("graph       {} ops{} + {} reorder(s) = {} steps\n", exec.steps().size() - static_cast<std::size_t>(reorders),
             a.model.no_fuse ? " (as written, --no-fuse)"
                             : fmt::format(" ({} BatchNorm folded, {} SiLU fused, {} post-ops fused)", passes.bn_folded,
                                           passes.silu_fused, passes.post_ops_fused),
             reorders, exec.steps().size());
  fmt::print("latency     median {:.3f} ms, p90 {:.3f} ms, min {:.3f} ms, CV {:.1f}% ({} runs after {} warm-up{})\n",
             lat.median * 1e3, lat.p90 * 1e3, lat.min * 1e3, lat.cv * 100, a.iters, a.warmup,
             a.per_op ? ", per-op timestamps on" : "");
  fmt::print("throughput  {:.1f} images/s\n", static_cast<double>(in.at(0)) / lat.median);
  if (exec.options().pool)
    fmt::print("memory      arena {} (liveness lower bound {}, naive sum of tensors {}), weights {}, inputs+outputs {}\n",
               format_bytes(mem.arena_bytes), format_bytes(mem.lower_bound_bytes), format_bytes(mem.naive_bytes),
               format_bytes(mem.weights_bytes), format_bytes(mem.io_bytes));
  else
    fmt::print("memory      no pool: {} allocated and freed per run (liveness lower bound {}), weights {}\n",
               format_bytes(mem.naive_bytes), format_bytes(mem.lower_bound_bytes), format_bytes(mem.weights_bytes));
}

void run_run(const RunArgs& a) {
  require_at_least("--iters", a.iters, 1);
  require_at_least("--warmup", a.warmup, 0);
  require_at_least("--topk", a.topk, 0);
  const BindingReport bind = apply_threads(a.threads);  // before primitives are created
  Graph g = load_model(a.model);
  const HostTensor input = make_input(a, g);
  const PassReport passes = optimize(g, !a.model.no_fuse);
  ExecOptions eo;
  eo.pool = !a.no_pool;
  const TunePlan plan = plan_tuning(a.tune, g, a.model.model, bind.threads);
  const auto compiled = compile_with_tuning(plan, g, eo);
  Executor& exec = *compiled;
  exec.set_input(0, input);
  MeasureOptions mo;
  mo.warmup = a.warmup;
  mo.iters = a.iters;
  mo.per_op = a.per_op;
  Progress progress("running " + a.model.model);
  mo.progress = [&](int done, int total) { progress.update(done, total); };
  const Measurement m = measure(exec, mo);
  const Stats lat = compute_stats(m.e2e_s);
  const Stats overhead = compute_stats(m.overhead_s);
  if (a.format == "json") {
    nlohmann::json j = {{"model", a.model.model},
                        {"input_dims", exec.graph().value(exec.graph().inputs.at(0)).desc.dims},
                        {"threads", bind.threads},
                        {"bound", bind.bound},
                        {"cpu_of_thread", bind.cpu_of_thread},
                        {"fused", !a.model.no_fuse},
                        {"bn_folded", passes.bn_folded},
                        {"post_ops_fused", passes.post_ops_fused},
                        {"silu_fused", passes.silu_fused},
                        {"tune", a.tune.mode},
                        {"pool", eo.pool},
                        {"iters", a.iters},
                        {"warmup", a.warmup},
                        {"latency_median_ms", lat.median * 1e3},
                        {"latency_p90_ms", lat.p90 * 1e3},
                        {"latency_min_ms", lat.min * 1e3},
                        {"latency_cv", lat.cv},
                        {"latency_runs_s", m.e2e_s},
                        {"throughput_images_per_s", static_cast<double>(input.dims.at(0)) / lat.median},
                        {"memory", memory_json(exec.memory())}};
    if (a.per_op) {
      j["ops"] = per_op_table(exec, m, lat.median).to_json()["rows"];
      j["executor_overhead_median_us"] = overhead.median * 1e6;
    }
    report_output(a, exec, &j);
    fmt::print("{}\n", j.dump(2));
    return;
  }
  print_summary(a, exec, bind, passes, lat);
  if (a.per_op) {
    fmt::print("\n{}", per_op_table(exec, m, lat.median).render(Format::Table));
    fmt::print("\nexecutor overhead (end-to-end - sum of op times): median {:.1f} us per run, {:.3f} us per step\n",
               overhead.median * 1e6, overhead.median * 1e6 / static_cast<double>(exec.steps().size()));
  }
  report_output(a, exec, nullptr);
}

}  // namespace

void add_run_command(CLI::App& root) {
  static RunArgs args;
  auto* app = root.add_subcommand("run", "Run a model through oneDNN: latency, throughput, memory, per-op times");
  add_model_options(app, args.model, true);
  add_thread_options(app, args.threads);
  add_tune_option(app, args.tune);
  app->add_option("--iters", args.iters, "Measured runs")->capture_default_str();
  app->add_option("--warmup", args.warmup, "Warm-up runs before measuring")->capture_default_str();
  app->add_flag("--per-op", args.per_op, "Time every op (a timestamp after each primitive) and print the table");
  app->add_flag("--no-pool", args.no_pool,
                "Allocate every intermediate tensor per run instead of the planned, pre-faulted arena");
  add_format_option(app, args.format, "table|json", "table");
  auto* input = app->add_option("--input", args.input, "Graph input 0 from a float32 C-order .npy file "
                                                       "(default: seeded N(0, 1) noise)");
  app->add_option("--image", args.image, "Graph input 0 from a PNG/JPEG with ImageNet preprocessing (shorter side "
                                         "256, centre crop 224, mean/std normalization)")
      ->excludes(input);
  app->add_option("--output", args.output, "Write graph output 0 (after the last run) to this .npy file");
  app->add_option("--topk", args.topk, "Print the K highest-scoring classes of output 0 with softmax probabilities");
  app->callback([] { run_run(args); });
}

}  // namespace rs::cli
