// The profiler's measurement: A/B runs (shields on / off), per-op counting runs, then the roofline model filled.
#include "profiler/roofline/profile.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "runtime/executor.h"
#include "runtime/measure.h"
#include "runtime/topology.h"

namespace rs {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Clock = std::chrono::steady_clock;
double positive_or_nan(double x) { return x > 0 ? x : kNaN; }
}  // namespace

namespace {

/// One measured arm: an executor plus per-step samples and per-step OS counts.
struct Arm {
  Executor exec;
  bool shields_on;
  std::vector<std::vector<double>> step_s;  // [step][run]
  std::vector<OsCounts> counts;             // [step], summed over runs
  std::vector<double> e2e_s, overhead_s;
  Arm(const Graph& g, bool on, const TuneOptions& tuning)
      : exec(g, ExecOptions{on, tuning}), shields_on(on), counts(exec.steps().size()) {
    step_s.resize(exec.steps().size());
  }

  /// A timed run: per-op timestamps only, nothing else between the ops.
  double timed_run(bool record, int threads) {
    bind_threads(threads, shields_on);
    std::vector<double> steps;
    const double e2e = exec.run(&steps);
    if (record) {
      double sum = 0;
      for (std::size_t i = 0; i < steps.size(); ++i) {
        step_s[i].push_back(steps[i]);
        sum += steps[i];
      }
      e2e_s.push_back(e2e);
      overhead_s.push_back(e2e - sum);
    }
    return e2e;
  }

  /// A counting run, kept apart from the timed ones: reading another thread's perf counter interrupts its CPU
  /// (an IPI, costly in a VM), which would inflate the times it sits between.
  void counting_run(OsCounters& os, bool record, int threads) {
    bind_threads(threads, shields_on);
    std::vector<double> steps;
    OsCounts last = os.read();
    std::vector<OsCounts> delta(exec.steps().size());
    exec.run(&steps, [&](std::size_t i) {
      const OsCounts now = os.read();
      delta[i] = now - last;
      last = now;
    });
    if (record)
      for (std::size_t i = 0; i < delta.size(); ++i) counts[i] += delta[i];
  }
};

OpProfile row_of(const ExecStep& s) {
  OpProfile op;
  op.name = s.name;
  op.label = s.label;
  op.impl = s.impl;
  op.choice = s.choice;
  op.kind = s.kind;
  op.fused = s.fused;
  op.src_dims = s.src_dims;
  op.weights_dims = s.weights_dims;
  op.dst_dims = s.dst_dims;
  op.cost = s.cost;
  return op;
}

OsCounts per_run(const OsCounts& total, std::size_t runs) {
  const double n = static_cast<double>(std::max<std::size_t>(runs, 1));
  return {total.page_faults / n, total.context_switches / n, total.migrations / n};
}

void add_warnings(ModelProfile& p) {
  if (p.e2e_s.cv > 0.05) {
    std::vector<const OpProfile*> noisy;
    for (const auto& op : p.ops) noisy.push_back(&op);
    std::sort(noisy.begin(), noisy.end(), [](auto* a, auto* b) { return a->t_actual_s.cv > b->t_actual_s.cv; });
    std::string names;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, noisy.size()); ++i)
      names += fmt::format("{}{} (CV {:.0f}%)", i ? ", " : "", noisy[i]->name, noisy[i]->t_actual_s.cv * 100);
    p.warnings.push_back(fmt::format("noisy measurement: end-to-end CV {:.1f}% > 5%; noisiest ops: {}. Close other "
                                     "programs or raise --iters/--min-time.", p.e2e_s.cv * 100, names));
  }
  if (p.roofs.peak_theoretical_gflops_per_s > 0 &&
      p.roofs.peak_measured_gflops_per_s > p.roofs.peak_theoretical_gflops_per_s)
    p.warnings.push_back(fmt::format(
        "measured peak {:.1f} GFLOP/s exceeds the theoretical {:.1f} GFLOP/s (the clock used for it is probably the "
        "nominal one, not the turbo clock): hardware losses come out negative",
        p.roofs.peak_measured_gflops_per_s, p.roofs.peak_theoretical_gflops_per_s));
  if (std::isnan(p.roofs.ridge_theoretical_flop_per_byte()))
    p.warnings.push_back("theoretical roofs incomplete (clock or DRAM bandwidth unknown; give --mem-bw-gbs): "
                         "t_roof_theoretical and the hardware loss are n/a");
  double os_sum = 0, t_sum = 0;
  for (const auto& op : p.ops) {
    os_sum += op.loss_os_s;
    t_sum += op.t_actual_s.median;
  }
  if (os_sum > 0.25 * t_sum)
    p.warnings.push_back(fmt::format(
        "the OS column ({:.3f} ms) is large against the op time ({:.3f} ms): it is what the shields save (shields-off "
        "minus shields-on), time the shielded run did not spend, so software = t_actual - t_roof - OS goes negative "
        "by about as much; read loss_os_s as the OS cost of running without a pool and pinning",
        os_sum * 1e3, t_sum * 1e3));
  int above_peak = 0;
  for (const auto& op : p.ops) above_peak += op.attained_gflops_per_s > 1.05 * p.roofs.peak_measured_gflops_per_s;
  if (p.roofs.peak_measured_gflops_per_s > 0 && above_peak > 0)
    p.warnings.push_back(fmt::format("{} op(s) attained more than the measured peak {:.1f} GFLOP/s: the machine profile "
                                     "was probably measured under load; rerun `roofscope calibrate`",
                                     above_peak, p.roofs.peak_measured_gflops_per_s));
  int below = 0;
  for (const auto& op : p.ops) below += op.t_actual_s.median < op.t_roof_measured_s;
  if (below > 0)
    p.warnings.push_back(fmt::format("{} op(s) ran faster than the DRAM roof allows (their working set is cache-"
                                     "resident): negative software loss, see t_roof_cache", below));
}

}  // namespace

ModelProfile profile_model(const std::string& model_name, const Graph& graph, const MachineProfile& machine,
                           int threads, const ProfileOptions& o) {
  RepeatPlan plan{o.warmup, o.iters, o.min_time_s, std::max(o.iters, kDefaultMaxIters)};
  plan.validate();
  bind_threads(threads, true);
  Arm on(graph, true, o.tuning);
  TuneOptions same;  // the shields-off arm runs the very kernels the shields-on arm chose
  same.cached = on.exec.choices();
  std::unique_ptr<Arm> off = o.shields_off_arm ? std::make_unique<Arm>(graph, false, same) : nullptr;
  OsCounters os;
  ModelProfile p;
  const auto t_start = Clock::now();
  repeat(
      plan,
      [&](bool record) {
        if (record) p.run_start_s.push_back(std::chrono::duration<double>(Clock::now() - t_start).count());
        // Arms interleaved run by run, so drift hits both; counting runs after the timed ones.
        const double e2e = on.timed_run(record, threads);
        if (off) off->timed_run(record, threads);
        on.counting_run(os, record, threads);
        if (off) off->counting_run(os, record, threads);
        return e2e;
      },
      o.progress);
  bind_threads(threads, true);
  if (!p.run_start_s.empty()) {
    const double t0 = p.run_start_s.front();
    for (double& t : p.run_start_s) t -= t0;
  }
  p.model = model_name;
  p.input_dims = graph.value(graph.inputs.at(0)).desc.dims;
  p.threads = threads;
  p.roofs = roofs_for(machine, threads);
  p.memory = on.exec.memory();
  p.os_counter_source = os.source();
  p.step_s = on.step_s;
  p.e2e_s = compute_stats(on.e2e_s);
  if (off) p.e2e_shields_off_s = compute_stats(off->e2e_s);
  p.framework_overhead_s = compute_stats(on.overhead_s).median;
  const std::size_t runs = on.e2e_s.size();
  for (std::size_t i = 0; i < on.exec.steps().size(); ++i) {
    OpProfile op = row_of(on.exec.steps()[i]);
    predict(op, p.roofs);
    op.t_actual_s = compute_stats(on.step_s[i]);
    op.t_shields_off_median_s = off ? compute_stats(off->step_s[i]).median : kNaN;
    op.counts = os.available() ? per_run(on.counts[i], runs) : OsCounts{kNaN, kNaN, kNaN};
    op.counts_shields_off = off && os.available() ? per_run(off->counts[i], runs) : OsCounts{kNaN, kNaN, kNaN};
    attribute(op);
    p.sum_op_median_s += op.t_actual_s.median;
    p.total_cost += op.cost;
    p.estimate_roofline_s += op.t_roof_measured_s;
    p.estimate_roofline_cache_s += op.t_roof_cache_s;
    p.ops.push_back(std::move(op));
  }
  p.estimate_flops_only_s = static_cast<double>(p.total_cost.flops) / (positive_or_nan(p.roofs.peak_measured_gflops_per_s) * 1e9);
  add_warnings(p);
  return p;
}

}  // namespace rs
