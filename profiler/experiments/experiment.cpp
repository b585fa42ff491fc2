// The experiment runner: instantiate arms per thread count, interleave their repetitions, summarize each arm.
#include "profiler/experiments/experiment.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "graph/passes.h"
#include "profiler/experiments/experiment_defs.h"
#include "profiler/roofline/roofline.h"
#include "runtime/measure.h"
#include "runtime/topology.h"

namespace rs {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Clock = std::chrono::steady_clock;

/// An arm ready to run: its executor or callable, the step it times, and its result so far.
struct Prepared {
  const ArmSpec* spec = nullptr;
  std::size_t index = 0;  ///< position in the caller's arm list
  std::unique_ptr<Executor> exec;
  int focus = -1;         ///< step timed alone, or -1 for the whole run
  std::function<void()> call;
  std::vector<double> steps;  ///< scratch for per-step times
  double measured_s = 0;      ///< sum of recorded samples
  ArmResult result;
};

int find_focus_step(const Executor& exec, const ArmSpec& spec) {
  const auto& steps = exec.steps();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& fused = steps[i].fused;
    if (steps[i].name == spec.focus_node || std::find(fused.begin(), fused.end(), spec.focus_node) != fused.end())
      return static_cast<int>(i);
  }
  throw std::runtime_error(fmt::format("experiment arm '{}': no executed step runs node '{}' (graph '{}')", spec.name,
                                       spec.focus_node, exec.graph().name));
}

/// Cost, predictions, implementation and kind of what a graph arm times (its focus step or every step).
void describe_graph_arm(Prepared& p, const Roofs& roofs) {
  const auto& steps = p.exec->steps();
  std::vector<std::size_t> timed(steps.size());
  std::iota(timed.begin(), timed.end(), 0);
  if (p.focus >= 0) timed = {static_cast<std::size_t>(p.focus)};
  ArmResult& r = p.result;
  r.ops = static_cast<int>(timed.size());
  const ExecStep* heaviest = &steps[timed.front()];
  for (std::size_t i : timed) {
    const OpCost& c = steps[i].cost;
    r.reorders += steps[i].kind == OpKind::Reorder;
    r.cost += c;
    r.t_roof_theoretical_s += roofline_time_s(c.flops, c.bytes, roofs.peak_theoretical_gflops_per_s,
                                              roofs.dram_theoretical_gb_per_s);
    r.t_roof_measured_s +=
        roofline_time_s(c.flops, c.bytes, roofs.peak_measured_gflops_per_s, roofs.dram_measured_gb_per_s);
    if (c.flops > heaviest->cost.flops) heaviest = &steps[i];
  }
  r.kind = heaviest->kind;
  r.impl = heaviest->impl;
}

void prepare(Prepared& p, const Roofs& roofs) {
  const ArmSpec& s = *p.spec;
  ArmResult& r = p.result;
  r.name = s.name;
  r.detail = s.detail;
  r.threads = roofs.threads;
  r.bound = s.bind;
  if (!s.is_graph()) {
    p.call = s.make_callable();
    r.cost = s.cost;
    r.kind = s.kind;
    r.impl = s.impl;
    r.t_roof_theoretical_s = roofline_time_s(s.cost.flops, s.cost.bytes, roofs.peak_theoretical_gflops_per_s,
                                             roofs.dram_theoretical_gb_per_s);
    r.t_roof_measured_s =
        roofline_time_s(s.cost.flops, s.cost.bytes, roofs.peak_measured_gflops_per_s, roofs.dram_measured_gb_per_s);
    return;
  }
  Graph g = s.graph;
  optimize(g, s.fuse);
  p.exec = std::make_unique<Executor>(std::move(g), s.exec);
  for (std::size_t i = 0; i < p.exec->graph().inputs.size(); ++i) {
    const Dims& dims = p.exec->graph().value(p.exec->graph().inputs[i]).desc.dims;
    p.exec->set_input(i, experiment_set::random_tensor(dims, 1000 + i));
  }
  if (!s.focus_node.empty()) p.focus = find_focus_step(*p.exec, s);
  describe_graph_arm(p, roofs);
}

/// One run of an arm; its sample is recorded when `record`.
void run_once(Prepared& p, OsCounters* os, bool record) {
  const ArmSpec& s = *p.spec;
  const OsCounts before = os && s.count_os ? os->read() : OsCounts{};
  double sample = 0, e2e = 0;
  if (p.call) {
    const auto t0 = Clock::now();
    p.call();
    e2e = sample = std::chrono::duration<double>(Clock::now() - t0).count();
  } else {
    const bool steps = p.focus >= 0 || s.per_op;
    e2e = p.exec->run(steps ? &p.steps : nullptr);
    sample = p.focus >= 0 ? p.steps[static_cast<std::size_t>(p.focus)] : e2e;
  }
  const OsCounts after = os && s.count_os ? os->read() : OsCounts{};
  if (!record) return;
  p.result.time_s.push_back(sample);
  p.measured_s += sample;
  if (s.per_op && !p.call)
    p.result.overhead_share.push_back((e2e - std::accumulate(p.steps.begin(), p.steps.end(), 0.0)) / e2e);
  if (s.count_os) p.result.counts.push_back(os ? after - before : OsCounts{kNaN, kNaN, kNaN});
}

/// Progress over all groups: runs done and the current estimate of the total.
struct ProgressState {
  const std::function<void(int, int)>* fn;
  int done = 0, total = 0;
  void tick() {
    ++done;
    if (*fn) (*fn)(done, total);
  }
};

/// Warm-up and measured rounds over one thread count's arms, interleaved and rotated; how many rounds is the shared
/// loop's decision (repeat(), rc.plan()).
void measure_group(std::vector<Prepared>& group, int threads, const RunConfig& rc, ProgressState& progress) {
  const bool any_os = std::any_of(group.begin(), group.end(), [](const Prepared& p) { return p.spec->count_os; });
  std::unique_ptr<OsCounters> os = any_os ? std::make_unique<OsCounters>() : nullptr;
  bool bound = true;
  const std::size_t k = group.size();
  std::size_t round = 0;
  double most = 0;  // measured seconds of the slowest-summing arm
  int planned = rc.warmup + rc.reps;
  auto one_round = [&](bool record) {
    for (std::size_t i = 0; i < k; ++i) {
      Prepared& p = group[(round + i) % k];
      if (p.spec->bind != bound) {
        bind_threads(threads, p.spec->bind);
        bound = p.spec->bind;
      }
      run_once(p, os.get(), record);
      progress.tick();
    }
    ++round;
    // The loop sums what a round returns: the growth of the largest arm total sums to that total.
    const double before = most;
    for (const Prepared& p : group) most = std::max(most, p.measured_s);
    return most - before;
  };
  repeat(rc.plan(), one_round, [&](int, int total) {
    progress.total += (total - planned) * static_cast<int>(k);
    planned = total;
  });
  if (!bound) bind_threads(threads, true);
}

void validate(const ExperimentContext& ctx) {
  if (ctx.machine == nullptr) throw std::invalid_argument("experiment: no machine profile given");
  const int cores = topology().physical_cores;
  if (ctx.threads < 1 || ctx.threads > cores)
    throw std::invalid_argument(fmt::format("--threads must be between 1 and {} (got {})", cores, ctx.threads));
  ctx.run.plan().validate({"--warmup", "--reps", "min_time_s", "max_reps"});
}

void summarize(ArmResult& r) {
  r.stats = compute_stats(r.time_s);
  r.ci = median_ci(r.time_s);
  r.efficiency = r.stats.median > 0 ? r.t_roof_measured_s / r.stats.median : kNaN;
}

/// Notes on arms faster than their measured roofline: an attained FLOP rate above the calibrated peak means the
/// calibration is below what the machine reaches now; otherwise the working set is cache-resident (the DRAM roof
/// does not bind).
void add_above_roof_notes(ExperimentResult& r, const MachineProfile& machine) {
  std::string compute, memory;
  double peak = 0;
  for (const ArmResult& a : r.arms) {
    if (!(a.efficiency > 1)) continue;
    const double pi = roofs_for(machine, a.threads).peak_measured_gflops_per_s;
    const bool above_peak = static_cast<double>(a.cost.flops) / a.stats.median * 1e-9 > pi;
    std::string& list = above_peak ? compute : memory;
    list += fmt::format("{}{} ({:.0f}%)", list.empty() ? "" : ", ", a.name, 100 * a.efficiency);
    if (above_peak) peak = pi;
  }
  if (!compute.empty())
    r.notes.push_back(fmt::format("FLOP rate above the calibrated peak ({:.1f} GFLOP/s): {}. The cached calibration "
                                  "underestimates this machine now (taken under load?), so efficiencies are relative "
                                  "only; rerun `roofscope calibrate` on a quiet machine.",
                                  peak, compute));
  if (!memory.empty())
    r.notes.push_back(fmt::format("Faster than the DRAM roof allows: {}: the working set stays in cache, where the "
                                  "bandwidth is higher.",
                                  memory));
}

}  // namespace

const char* scale_name(Scale s) {
  switch (s) {
    case Scale::Tiny: return "tiny";
    case Scale::Quick: return "quick";
    case Scale::Full: return "full";
  }
  return "?";
}

RepeatPlan RunConfig::plan() const { return {warmup, reps, min_time_s, max_reps}; }

RunConfig RunConfig::for_scale(Scale s) {
  switch (s) {
    case Scale::Tiny: return {1, 6, 0, 6};
    case Scale::Quick: return {2, 15, 1.0, 201};
    case Scale::Full: return {5, 31, 3.0, 301};
  }
  return {};
}

std::vector<ArmResult> run_arms(const std::vector<ArmSpec>& arms, const ExperimentContext& ctx) {
  validate(ctx);
  std::vector<int> thread_counts;
  for (const ArmSpec& a : arms) {
    const int t = a.threads > 0 ? a.threads : ctx.threads;
    if (t > topology().physical_cores)
      throw std::invalid_argument(fmt::format("experiment arm '{}': {} threads > {} cores", a.name, t,
                                              topology().physical_cores));
    if (std::find(thread_counts.begin(), thread_counts.end(), t) == thread_counts.end()) thread_counts.push_back(t);
  }
  ProgressState progress{&ctx.progress, 0, (ctx.run.warmup + ctx.run.reps) * static_cast<int>(arms.size())};
  std::vector<ArmResult> results(arms.size());
  for (int t : thread_counts) {
    bind_threads(t, true);
    const Roofs roofs = roofs_for(*ctx.machine, t);
    std::vector<Prepared> group;
    for (std::size_t i = 0; i < arms.size(); ++i)
      if ((arms[i].threads > 0 ? arms[i].threads : ctx.threads) == t) {
        group.emplace_back();
        group.back().spec = &arms[i];
        group.back().index = i;
        prepare(group.back(), roofs);
      }
    measure_group(group, t, ctx.run, progress);
    for (Prepared& p : group) {
      summarize(p.result);
      results[p.index] = std::move(p.result);
    }
  }
  bind_threads(ctx.threads, true);
  return results;
}

ExperimentResult run_experiment(const Experiment& e, const ExperimentContext& ctx) {
  const auto t0 = Clock::now();
  ExperimentResult r;
  r.name = e.name;
  r.advice = e.advice;
  r.scale = ctx.scale;
  r.threads = ctx.threads;
  r.run = ctx.run;
  r.plot = e.plot;
  r.arms = run_arms(e.arms(ctx), ctx);
  e.analyze(ctx, r);
  add_above_roof_notes(r, *ctx.machine);
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

const std::vector<Experiment>& experiments() {
  static const std::vector<Experiment> all = {
      experiment_set::flops_vs_latency(),   experiment_set::dwconv_vs_conv(),    experiment_set::roofline_regimes(),
      experiment_set::fusion_order(),       experiment_set::channel_alignment(), experiment_set::kernel_shape(),
      experiment_set::deep_vs_wide(),       experiment_set::memory_pool(),       experiment_set::thread_binding(),
      experiment_set::transcendental_eltwise(), experiment_set::software_impl(), experiment_set::batch_size(),
  };
  return all;
}

const Experiment& find_experiment(const std::string& name) {
  for (const Experiment& e : experiments())
    if (e.name == name) return e;
  std::string names;
  for (const Experiment& e : experiments()) names += (names.empty() ? "" : ", ") + e.name;
  throw std::invalid_argument(fmt::format("unknown experiment '{}' (available: {})", name, names));
}

}  // namespace rs
