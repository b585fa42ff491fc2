// Measuring training rows in context, fitting every predictor, predicting a model's ops (issue 11).
#include "profiler/roofline/predict_train.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include "profiler/machine/clock.h"
#include "profiler/roofline/predict_features.h"
#include "runtime/executor.h"
#include "runtime/stats.h"

namespace rs {

RepeatPlan training_plan(bool quick) {
  RepeatPlan p;
  p.warmup = quick ? 1 : 3;
  p.iters = quick ? 3 : 10;
  p.min_time_s = quick ? 0.02 : 0.25;
  p.max_iters = 300;
  return p;
}

namespace {

/// A deterministic input in [-1, 1) (no zeros or denormals to take fast paths).
HostTensor pattern_input(const Dims& dims) {
  HostTensor t{dims, std::vector<float>(static_cast<std::size_t>(numel(dims)))};
  std::uint64_t s = 0x9e3779b97f4a7c15ULL;
  for (float& x : t.data) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    x = static_cast<float>(static_cast<double>(s >> 40) / static_cast<double>(1ULL << 23) - 1.0) + 1e-3f;
  }
  return t;
}

/// Per step median seconds -> per node seconds (node name -> time): an inserted step (a reorder or a residual copy,
/// named after no node) counts towards the next node step; trailing ones towards the last.
std::map<std::string, double> node_times(const std::vector<ExecStep>& steps,
                                         const std::vector<std::vector<double>>& step_s, const Graph& g) {
  std::map<std::string, double> t;
  std::set<std::string> nodes;
  for (int id : g.live_nodes()) nodes.insert(g.node(id).name);
  double pending = 0;
  std::string last;
  for (std::size_t s = 0; s < steps.size(); ++s) {
    const double m = median(step_s[s]);
    if (!nodes.count(steps[s].name)) {
      pending += m;
      continue;
    }
    t[steps[s].name] += m + pending;
    pending = 0;
    last = steps[s].name;
  }
  if (!last.empty()) t[last] += pending;
  return t;
}

}  // namespace

MeasuredModel measure_model(const std::string& name, const Graph& graph, const Roofs& roofs, const RepeatPlan& plan) {
  Executor exec(graph);
  for (std::size_t i = 0; i < graph.inputs.size(); ++i)
    exec.set_input(i, pattern_input(graph.value(graph.inputs[i]).desc.dims));
  MeasureOptions mo;
  mo.plan = plan;
  mo.per_op = true;
  const double clock_ghz = measure_clock(roofs.threads).ghz;  // ~30 ms
  const Measurement m = measure(exec, mo);
  const std::map<std::string, double> t = node_times(exec.steps(), m.step_s, exec.graph());
  MeasuredModel out;
  out.name = name;
  out.threads = roofs.threads;
  out.e2e_median_s = median(m.e2e_s);
  out.clock_ghz = clock_ghz;
  std::vector<OpFeatures> features = graph_features(graph, roofs);
  set_clock_feature(features, clock_ghz);
  for (OpFeatures& f : features) {
    const auto it = t.find(f.name);
    const double time_s = it == t.end() ? 0.0 : it->second;
    out.sum_op_median_s += time_s;
    out.ops.push_back({std::move(f), std::max(time_s, 1e-8)});
  }
  return out;
}

MeasuredModel median_over_passes(const std::vector<MeasuredModel>& passes) {
  if (passes.empty()) throw std::invalid_argument("median_over_passes: no pass");
  MeasuredModel out = passes.front();
  for (const MeasuredModel& p : passes)
    if (p.name != out.name || p.threads != out.threads || p.ops.size() != out.ops.size())
      throw std::invalid_argument("median_over_passes: passes of different models (" + p.name + ", " + out.name + ")");
  std::vector<double> e2e, clock;
  for (const MeasuredModel& p : passes) {
    e2e.push_back(p.e2e_median_s);
    clock.push_back(p.clock_ghz);
  }
  out.e2e_median_s = median(e2e);
  out.clock_ghz = median(clock);
  out.sum_op_median_s = 0;
  for (std::size_t i = 0; i < out.ops.size(); ++i) {
    std::vector<double> t;
    for (const MeasuredModel& p : passes) t.push_back(p.ops[i].time_s);
    out.ops[i].time_s = median(t);
    out.ops[i].f.x[kFeatClockGhz] = static_cast<float>(out.clock_ghz);
    out.sum_op_median_s += out.ops[i].time_s;
  }
  return out;
}

ThreadModel fit_thread_model(const std::vector<MeasuredModel>& models, int threads, const std::set<int>& skip,
                             int xgb_threads) {
  ThreadModel tm;
  tm.threads = threads;
  std::vector<const OpRow*> rows;
  std::vector<double> sums, e2e;
  for (std::size_t i = 0; i < models.size(); ++i) {
    if (skip.count(static_cast<int>(i)) || models[i].threads != threads) continue;
    for (const OpRow& r : models[i].ops) {
      rows.push_back(&r);
      tm.covered_kinds.insert(r.f.kind);
    }
    sums.push_back(models[i].sum_op_median_s);
    e2e.push_back(models[i].e2e_median_s);
    ++tm.models;
  }
  if (rows.empty()) throw PredictorError("no training rows at " + std::to_string(threads) + " thread(s)");
  tm.rows = static_cast<int>(rows.size());
  std::tie(tm.e2e_scale, tm.e2e_overhead_s) = fit_linear(sums, e2e);
  for (const std::string& name : predictor_names()) {
    auto p = name == "xgboost" ? make_xgboost_predictor(xgb_threads) : make_predictor(name);
    p->fit(rows);
    tm.predictors[name] = std::move(p);
  }
  return tm;
}

ModelPrediction predict_ops(const ThreadModel& model, const std::string& name, std::vector<OpFeatures> ops) {
  const auto it = model.predictors.find(name);
  if (it == model.predictors.end()) make_predictor(name);  // throws for an unknown name
  if (it == model.predictors.end()) throw std::invalid_argument("predictor '" + name + "' is not in the model");
  const std::vector<double> t = it->second->predict(ops);
  ModelPrediction out;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    OpPrediction p;
    p.covered = model.covered_kinds.count(ops[i].kind) > 0;
    const double floor_s = std::isfinite(ops[i].t_roof_s) ? std::max(1e-7, ops[i].t_roof_s) : 1e-7;
    p.time_s = p.covered ? t[i] : floor_s;
    out.uncovered += p.covered ? 0 : 1;
    out.op_sum_s += p.time_s;
    p.f = std::move(ops[i]);
    out.ops.push_back(std::move(p));
  }
  out.total_s = model.e2e_scale * out.op_sum_s + model.e2e_overhead_s;
  return out;
}

}  // namespace rs
