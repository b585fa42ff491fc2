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
#include "profiler/machine/clock.h"
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

/// Adds the roofline times of one step (or callable) of cost `c` to the arm's sums (roofline.h predict()).
void add_roofs(ArmResult& r, const OpCost& c, const Roofs& roofs) {
  OpProfile op;
  op.cost = c;
  predict(op, roofs);
  r.t_roof_theoretical_s += op.t_roof_theoretical_s;
  r.t_roof_measured_s += op.t_roof_measured_s;
  r.t_roof_cache_s += op.t_roof_cache_s;
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
    add_roofs(r, c, roofs);
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
    add_roofs(r, s.cost, roofs);
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
      for (int h = 0; h < p.spec->hot_runs; ++h) run_once(p, os.get(), false);
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
  r.efficiency_cache = r.stats.median > 0 ? r.t_roof_cache_s / r.stats.median : kNaN;
}

/// Notes on arms faster than a roof: above the cache-aware roof the calibration is below what the machine reaches
/// now (the roof is wrong: "roof below attained"); above only the DRAM roof the working set is cache-resident.
void add_above_roof_notes(ExperimentResult& r) {
  std::string above, cached;
  auto add = [](std::string& list, const ArmResult& a, double efficiency) {
    list += fmt::format("{}{} ({:.1f}%)", list.empty() ? "" : ", ", a.name, 100 * efficiency);
  };
  for (const ArmResult& a : r.arms) {
    if (a.efficiency_cache > 1) add(above, a, a.efficiency_cache);
    else if (a.efficiency > 1) add(cached, a, a.efficiency);
  }
  if (!above.empty())
    r.notes.push_back(fmt::format("Roof below attained: recalibrate. {} ran faster than their cache-aware roof, so "
                                  "the cached calibration underestimates this machine now (taken under load?); their "
                                  "efficiencies are relative only. Rerun `roofscope calibrate` on a quiet machine.",
                                  above));
  if (!cached.empty())
    r.notes.push_back(fmt::format("Faster than the DRAM roof allows: {}: the working set stays in cache, where the "
                                  "bandwidth is higher (within the cache-aware roof).",
                                  cached));
}

/// Notes on the clock: moved more than 5% since calibration or during an arm group's runs.
void add_clock_notes(ExperimentResult& r, const MachineProfile& machine) {
  for (const ArmResult& a : r.arms) {
    const double calib = machine.effective_clock_ghz(a.threads);
    const double since = clock_change(calib, a.clock_start_ghz), during = clock_change(a.clock_start_ghz, a.clock_end_ghz);
    if (std::fabs(since) > 0.05)
      r.notes.push_back(fmt::format("The effective clock at {} thread(s) was {:.2f} GHz, {:.2f} GHz at calibration "
                                    "({:+.0f}%): the measured compute roofs are rescaled to it.",
                                    a.threads, a.clock_start_ghz, calib, since * 100));
    if (std::fabs(during) > 0.05)
      r.notes.push_back(fmt::format("The effective clock moved {:+.0f}% during the {}-thread runs ({:.2f} -> {:.2f} "
                                    "GHz): the comparison may reflect the clock; rerun on a quieter machine.",
                                    during * 100, a.threads, a.clock_start_ghz, a.clock_end_ghz));
    if (std::fabs(since) > 0.05 || std::fabs(during) > 0.05) return;  // one arm's notes say it for the group
  }
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
    const double clock_start_ghz = measure_clock(t).ghz;  // ~15 ms
    const Roofs roofs = roofs_for(*ctx.machine, t, clock_start_ghz);
    std::vector<Prepared> group;
    for (std::size_t i = 0; i < arms.size(); ++i)
      if ((arms[i].threads > 0 ? arms[i].threads : ctx.threads) == t) {
        group.emplace_back();
        group.back().spec = &arms[i];
        group.back().index = i;
        prepare(group.back(), roofs);
      }
    measure_group(group, t, ctx.run, progress);
    const double clock_end_ghz = measure_clock(t).ghz;
    for (Prepared& p : group) {
      summarize(p.result);
      p.result.clock_start_ghz = clock_start_ghz;
      p.result.clock_end_ghz = clock_end_ghz;
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
  add_above_roof_notes(r);
  add_clock_notes(r, *ctx.machine);
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

const std::vector<Experiment>& experiments() {
  static const std::vector<Experiment> all = {
      experiment_set::flops_vs_latency(),   experiment_set::dwconv_vs_conv(),    experiment_set::roofline_regimes(),
      experiment_set::fusion_order(),       experiment_set::channel_alignment(), experiment_set::kernel_shape(),
      experiment_set::deep_vs_wide(),       experiment_set::memory_pool(),       experiment_set::thread_binding(),
      experiment_set::transcendental_eltwise(), experiment_set::software_impl(), experiment_set::batch_size(),
      experiment_set::predict_latency(),
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
