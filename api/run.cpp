// roofscope::run (`roofscope run`): warm-up, measured runs, latency statistics, memory and (per_op) each op's time.
#include <algorithm>
#include <random>

#include <fmt/format.h>

#include "api/common.h"
#include "api/tensor_io.h"
#include "api/tuning.h"
#include "graph/passes.h"
#include "profiler/report/run_report.h"
#include "runtime/executor.h"
#include "runtime/measure.h"

namespace rs::api {

namespace {

HostTensor random_input(const Dims& dims, std::uint64_t seed) {
  std::mt19937_64 gen(seed ^ 0x5eedULL);
  std::normal_distribution<float> dist(0.f, 1.f);
  HostTensor t{dims, std::vector<float>(static_cast<std::size_t>(numel(dims)))};
  for (auto& x : t.data) x = dist(gen);
  return t;
}

/// Graph input 0: options.input, or seeded N(0, 1) noise of the model's dims.
HostTensor make_input(const roofscope::ModelSource& m, const roofscope::RunOptions& o, const Graph& g) {
  const Value& in = g.value(g.inputs.at(0));
  if (o.input.dims.empty()) return random_input(in.desc.dims, m.seed);
  const Dims dims(o.input.dims.begin(), o.input.dims.end());
  if (dims != in.desc.dims)
    throw std::invalid_argument(fmt::format("{} gives a {} tensor, the model's input '{}' is {} (see --input-shape, "
                                            "--batch, --size)", o.input_source, dims_str(dims), in.name,
                                            dims_str(in.desc.dims)));
  if (static_cast<std::int64_t>(o.input.data.size()) != numel(dims))
    throw std::invalid_argument(fmt::format("{} has {} values, its dims {} need {}", o.input_source,
                                            o.input.data.size(), dims_str(dims), numel(dims)));
  return HostTensor{dims, o.input.data};
}

/// topk (into r) on graph output 0 after the measured runs.
void add_topk(int k, const HostTensor& y, const Executor& exec, RunResult& r) {
  if (k <= 0) return;
  r.output_name = exec.graph().value(exec.graph().outputs.at(0)).name;
  for (const auto& row : top_k(y, k)) {
    r.topk.emplace_back();
    for (const TopEntry& e : row) r.topk.back().push_back({e.index, e.score, e.prob});
  }
}

RunResult run_result(const roofscope::ModelSource& model, const roofscope::RunOptions& a, const Executor& exec,
                     const BindingReport& bind, const PassReport& passes, Measurement m) {
  RunResult r;
  r.model = model.model;
  r.input_dims = exec.graph().value(exec.graph().inputs.at(0)).desc.dims;
  r.binding = bind;
  r.fused = !model.no_fuse;
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

}  // namespace

}  // namespace rs::api

namespace roofscope {

RunOutput run(const ModelSource& model, const RunOptions& a, const std::string& format) {
  using namespace rs;
  using namespace rs::api;
  const Format f = parse_format(format);
  check_measure_args(a.measure);
  require_at_least("--topk", a.topk, 0);
  const BindingReport bind = apply_threads(a.threads);  // before primitives are created
  Graph g = load_model_to_run(model);
  const HostTensor input = make_input(model, a, g);
  const PassReport passes = optimize(g, !model.no_fuse);
  ExecOptions eo;
  eo.pool = !a.no_pool;
  const TunePlan plan = plan_tuning(a.tune, g, model.model, bind.threads);
  const auto compiled = compile_with_tuning(plan, g, eo);
  Executor& exec = *compiled;
  exec.set_input(0, input);
  MeasureOptions mo;
  const Measure& m = a.measure;
  mo.plan = {m.warmup, m.iters, m.min_time_s, std::max(m.iters, kDefaultMaxIters)};
  mo.per_op = a.per_op;
  Progress progress("running " + model.model);
  mo.progress = [&](int done, int total) { progress.update(done, total); };
  RunResult r = run_result(model, a, exec, bind, passes, measure(exec, mo));
  HostTensor y = exec.output(0);
  add_topk(a.topk, y, exec, r);
  RunOutput out;
  out.report = RunReporter(r).render(f);
  out.output.dims.assign(y.dims.begin(), y.dims.end());
  out.output.data = std::move(y.data);
  return out;
}

}  // namespace roofscope
