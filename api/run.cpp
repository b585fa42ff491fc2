// roofscope::run (`roofscope run`): warm-up, measured runs, latency statistics, memory and (per_op) each op's time.
#include <algorithm>
#include <random>

#include <fmt/format.h>

#include "api/common.h"
#include "api/provenance.h"
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

/// The graph input `name` ("": input 0). Throws std::invalid_argument naming `source` if the model has none.
std::size_t input_index(const Graph& g, const std::string& name, const std::string& source) {
  if (name.empty()) return 0;
  for (std::size_t i = 0; i < g.inputs.size(); ++i)
    if (g.value(g.inputs[i]).name == name) return i;
  std::string names;
  for (int id : g.inputs) names += (names.empty() ? "" : ", ") + g.value(id).name;
  throw std::invalid_argument(fmt::format("--input '{}': the model has no graph input '{}' (its inputs: {})", source,
                                          name, names));
}

/// `given` as a tensor for graph input `in`. Throws std::invalid_argument if its dims or value count do not fit.
HostTensor checked_input(const roofscope::Input& given, const Value& in) {
  const Dims dims(given.tensor.dims.begin(), given.tensor.dims.end());
  if (dims != in.desc.dims)
    throw std::invalid_argument(fmt::format("{} gives a {} tensor, the model's input '{}' is {} (see --input-shape, "
                                            "--batch, --size)", given.source, dims_str(dims), in.name,
                                            dims_str(in.desc.dims)));
  if (static_cast<std::int64_t>(given.tensor.data.size()) != numel(dims))
    throw std::invalid_argument(fmt::format("{} has {} values, its dims {} need {}", given.source,
                                            given.tensor.data.size(), dims_str(dims), numel(dims)));
  return HostTensor{dims, given.tensor.data};
}

/// One tensor per graph input: options.inputs (by name, "" = input 0), else seeded N(0, 1) noise of the model's
/// dims (seed + input index). Throws std::invalid_argument for an unknown name or an input given twice.
std::vector<HostTensor> make_inputs(const roofscope::ModelSource& m, const roofscope::RunOptions& o, const Graph& g) {
  std::vector<HostTensor> t(g.inputs.size());
  std::vector<std::string> source(g.inputs.size());
  for (const roofscope::Input& given : o.inputs) {
    const std::size_t i = input_index(g, given.name, given.source);
    if (!source[i].empty())
      throw std::invalid_argument(fmt::format("graph input '{}' is given twice ({} and {})", g.value(g.inputs[i]).name,
                                              source[i], given.source));
    t[i] = checked_input(given, g.value(g.inputs[i]));
    source[i] = given.source;
  }
  for (std::size_t i = 0; i < g.inputs.size(); ++i)
    if (source[i].empty()) t[i] = random_input(g.value(g.inputs[i]).desc.dims, m.seed + i);
  return t;
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
  const TableView view = table_view(a.columns, run_op_columns());
  if (!a.per_op && (a.columns.wide || !a.columns.keys.empty()))
    throw std::invalid_argument("--columns and --wide choose the columns of the per-op table: add --per-op");
  const BindingReport bind = apply_threads(a.threads);  // before primitives are created
  Graph g = load_model_to_run(model);
  const std::vector<HostTensor> inputs = make_inputs(model, a, g);
  const PassReport passes = optimize(g, !model.no_fuse);
  ExecOptions eo;
  eo.pool = !a.no_pool;
  const TunePlan plan = plan_tuning(a.tune, g, model.model, bind.threads);
  const auto compiled = compile_with_tuning(plan, g, eo);
  Executor& exec = *compiled;
  for (std::size_t i = 0; i < inputs.size(); ++i) exec.set_input(i, inputs[i]);
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
  RunReporter report(r);
  report.set_view(view);
  out.report = render_output(report, f, nullptr);
  out.output.dims.assign(y.dims.begin(), y.dims.end());
  out.output.data = std::move(y.data);
  return out;
}

}  // namespace roofscope
