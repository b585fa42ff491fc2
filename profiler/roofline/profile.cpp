// The profiler's measurement: A/B runs (shields on / off), per-op counting runs, then the roofline model filled.
#include "profiler/roofline/profile.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "profiler/machine/clock.h"
#include "profiler/machine/stream_bw.h"
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

/// One reading of the OS counters: per OpenMP thread (perf_event_open; else empty) and their total.
struct Reading {
  std::vector<OsCounts> threads;
  OsCounts total;
  explicit Reading(const OsCounters& os) : threads(os.read_per_thread()) {
    if (!os.per_thread()) total = os.read();
    for (const OsCounts& t : threads) total += t;
  }
};

/// One measured arm: an executor plus per-step samples and per-step OS counts.
struct Arm {
  Executor exec;
  bool shields_on;
  std::vector<std::vector<double>> step_s;  // [step][run]
  std::vector<double> start_s;              // [run], from `origin`
  std::vector<OsCounts> counts;             // [step], summed over runs
  std::vector<std::vector<OsCounts>> counts_by_run;  // [step][run]
  std::vector<std::vector<OsCounts>> thread_counts;  // [thread][step], summed over runs (per-thread counters only)
  std::vector<double> e2e_s, overhead_s;
  Arm(const Graph& g, bool on, const TuneOptions& tuning)
      : exec(g, ExecOptions{on, tuning}), shields_on(on), counts(exec.steps().size()),
        counts_by_run(exec.steps().size()) {
    step_s.resize(exec.steps().size());
  }

  /// A timed run: per-op timestamps only, nothing else between the ops. Its start is recorded from `origin`.
  double timed_run(bool record, int threads, Clock::time_point origin) {
    bind_threads(threads, shields_on);
    std::vector<double> steps;
    const auto start = Clock::now();
    const double e2e = exec.run(&steps);
    if (record) {
      double sum = 0;
      for (std::size_t i = 0; i < steps.size(); ++i) {
        step_s[i].push_back(steps[i]);
        sum += steps[i];
      }
      start_s.push_back(std::chrono::duration<double>(start - origin).count());
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
    Reading last(os);
    std::vector<Reading> now;
    now.reserve(exec.steps().size());
    exec.run(&steps, [&](std::size_t) { now.emplace_back(os); });
    if (!record) return;
    thread_counts.resize(last.threads.size(), std::vector<OsCounts>(exec.steps().size()));
    for (std::size_t i = 0; i < now.size(); ++i) {
      const Reading& before = i == 0 ? last : now[i - 1];
      counts[i] += now[i].total - before.total;
      counts_by_run[i].push_back(now[i].total - before.total);
      for (std::size_t t = 0; t < thread_counts.size() && t < now[i].threads.size(); ++t)
        thread_counts[t][i] += now[i].threads[t] - before.threads[t];
    }
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

/// Clocks differing by more than this are reported (issue 10: 5%).
constexpr double kClockTolerance = 0.05;
/// End-to-end CV above this gets a cause (issue 10: 3%).
constexpr double kNoisyCv = 0.03;

/// What the measurement saw that makes run times vary: OS events in the (shields-on) counting runs, the clock moving.
std::string noise_cause(const ModelProfile& p) {
  OsCounts n;
  for (const auto& op : p.ops) n += op.counts;
  std::vector<std::string> causes;
  if (n.migrations >= 0.5) causes.push_back(fmt::format("{:.1f} migrations per run", n.migrations));
  if (n.context_switches >= 1) causes.push_back(fmt::format("{:.1f} context switches per run", n.context_switches));
  const double moved = clock_change(p.clock_start_ghz, p.clock_end_ghz);
  if (std::fabs(moved) > 0.02)
    causes.push_back(fmt::format("the clock moved {:+.1f}% ({:.2f} -> {:.2f} GHz)", moved * 100, p.clock_start_ghz,
                                 p.clock_end_ghz));
  if (causes.empty())
    return "no migration, context switch or clock change was measured: another tenant of the host sharing the cores "
           "or the memory is the likely cause";
  std::string s = causes[0];
  for (std::size_t i = 1; i < causes.size(); ++i) s += ", " + causes[i];
  return s;
}

void warn_noise(ModelProfile& p) {
  if (!(p.e2e_s.cv > kNoisyCv)) return;
  std::vector<const OpProfile*> noisy;
  for (const auto& op : p.ops) noisy.push_back(&op);
  std::sort(noisy.begin(), noisy.end(), [](auto* a, auto* b) { return a->t_actual_s.cv > b->t_actual_s.cv; });
  std::string names;
  for (std::size_t i = 0; i < std::min<std::size_t>(3, noisy.size()); ++i)
    names += fmt::format("{}{} (CV {:.0f}%)", i ? ", " : "", noisy[i]->name, noisy[i]->t_actual_s.cv * 100);
  p.warnings.push_back(fmt::format("noisy measurement: end-to-end CV {:.1f}% > {:.0f}%; likely cause: {}; noisiest "
                                   "ops: {}. Close other programs or raise --iters/--min-time.",
                                   p.e2e_s.cv * 100, kNoisyCv * 100, noise_cause(p), names));
}

void warn_clocks(ModelProfile& p) {
  const Roofs& r = p.roofs;
  const double then = std::max(r.clock_calibration_ghz, r.clock_implied_ghz);  // as roofs_for() rescales
  const double since = clock_change(then, r.clock_now_ghz);
  if (std::fabs(since) > kClockTolerance)
    p.warnings.push_back(fmt::format("the effective clock is {:.2f} GHz now, {:.2f} GHz at calibration ({:+.0f}%): the "
                                     "measured compute roof is rescaled to now",
                                     r.clock_now_ghz, then, since * 100));
  const double during = clock_change(p.clock_start_ghz, p.clock_end_ghz);
  if (std::fabs(during) > kClockTolerance)
    p.warnings.push_back(fmt::format("the effective clock moved {:+.0f}% during the runs ({:.2f} -> {:.2f} GHz): the "
                                     "roofs use the higher; rerun on a quieter machine",
                                     during * 100, p.clock_start_ghz, p.clock_end_ghz));
}

/// "conv1 (above roof), layer2.0.conv2 (negative software)" for the first `most` ops with a flag; `count` all.
std::string flagged_ops(const ModelProfile& p, const std::string& flag, int& count, int most = 3) {
  std::string names;
  count = 0;
  for (const auto& op : p.ops)
    if (std::find(op.flags.begin(), op.flags.end(), flag) != op.flags.end() && count++ < most)
      names += fmt::format("{}{} ({:.1f}% of its {} roof)", count > 1 ? ", " : "", op.name, op.efficiency_cache * 100,
                           op.cache_level);
  return names;
}

void warn_flags(ModelProfile& p) {
  int above = 0;
  const std::string names = flagged_ops(p, "above roof", above);
  if (above > 0)
    p.warnings.push_back(fmt::format("{} op(s) attained more than their roof: {}. Roof below attained: recalibrate "
                                     "(`roofscope calibrate` on an idle machine)", above, names));
  int negative = 0;
  for (const auto& op : p.ops)
    for (const auto& f : op.flags) negative += f.rfind("negative ", 0) == 0;
  if (negative > 0)
    p.warnings.push_back(fmt::format("{} loss component(s) below -{:.0f}% of their op's time (flags column): a "
                                     "measurement problem, not a gain: the roof or the OS price is off for those ops",
                                     negative, kNegativeLossTolerance * 100));
}

/// DRAM bandwidth now at the calibrated DRAM plateau's first working set (0 when the profile has no DRAM level or
/// the option is off).
double dram_now(const MachineProfile& machine, int threads, bool enabled) {
  const LevelBandwidth* dram = enabled ? machine.bandwidth("DRAM", threads) : nullptr;
  return dram && dram->first_bytes > 0 ? measure_dram_now_gb_per_s(dram->first_bytes, threads) : 0;
}

void warn_dram(ModelProfile& p) {
  const Roofs& r = p.roofs;
  if (r.dram_now_gb_per_s > r.dram_calibration_gb_per_s * (1 + kClockTolerance) && r.dram_calibration_gb_per_s > 0)
    p.warnings.push_back(fmt::format("DRAM bandwidth is {:.1f} GB/s now, {:.1f} GB/s at calibration ({:+.0f}%): the "
                                     "host's memory bandwidth moved; the DRAM roof is the higher",
                                     r.dram_now_gb_per_s, r.dram_calibration_gb_per_s,
                                     (r.dram_now_gb_per_s / r.dram_calibration_gb_per_s - 1) * 100));
}

void add_warnings(ModelProfile& p) {
  warn_noise(p);
  warn_clocks(p);
  warn_dram(p);
  warn_flags(p);
  const Roofs& r = p.roofs;
  if (clock_change(r.clock_calibration_ghz, r.clock_implied_ghz) > kClockTolerance)
    p.warnings.push_back(fmt::format("the best probe ({}) needed {:.2f} GHz at calibration, above the {:.2f} GHz "
                                     "measured then: the roofs take the higher; the FLOP/cycle figure may be wrong or "
                                     "the clock moved during calibration", r.peak_source, r.clock_implied_ghz,
                                     r.clock_calibration_ghz));
  if (!(r.peak_theoretical_gflops_per_s > 0))
    p.warnings.push_back("theoretical compute roof unknown (no clock or FLOP/cycle figure): t_roof_theoretical and "
                         "the hardware loss are n/a");
  if (!(r.dram_theoretical_gb_per_s > 0))
    p.warnings.push_back("theoretical DRAM bandwidth unknown (dmidecode needs root; give calibrate --mem-bw-gbs): "
                         "the theoretical roofs use the measured DRAM bandwidth");
  if (r.provenance.quick)
    p.warnings.push_back("the machine profile is a quick calibration: `roofscope calibrate` measures a full one");
}

/// One row per executed step: predictions, measured times and counts of both arms, the split; sums into `p`.
void add_op_rows(ModelProfile& p, const Arm& on, const Arm* off, const OsCounters& os) {
  const std::size_t runs = on.e2e_s.size();
  for (std::size_t i = 0; i < on.exec.steps().size(); ++i) {
    OpProfile op = row_of(on.exec.steps()[i]);
    predict(op, p.roofs);
    op.t_actual_s = compute_stats(on.step_s[i]);
    op.t_shields_off_median_s = off ? compute_stats(off->step_s[i]).median : kNaN;
    op.counts = os.available() ? per_run(on.counts[i], runs) : OsCounts{kNaN, kNaN, kNaN};
    op.counts_shields_off = off && os.available() ? per_run(off->counts[i], runs) : OsCounts{kNaN, kNaN, kNaN};
    attribute(op, p.roofs);
    p.sum_op_median_s += op.t_actual_s.median;
    p.total_cost += op.cost;
    p.estimate_roofline_s += op.t_roof_measured_s;
    p.estimate_roofline_cache_s += op.t_roof_cache_s;
    p.ops.push_back(std::move(op));
  }
}

/// Bytes of the buffers the shields-off arm maps afresh at each run (planned ones that are no in-place alias).
std::int64_t fresh_mapped_bytes(const std::vector<UsageRecord>& records) {
  std::int64_t sum = 0;
  for (const UsageRecord& r : records) sum += r.alias_of < 0 ? r.bytes : 0;
  return sum;
}

/// counts / runs, element by element ([thread][step] sums over the counting runs -> per run).
std::vector<std::vector<OsCounts>> per_run(const std::vector<std::vector<OsCounts>>& sums, std::size_t runs) {
  std::vector<std::vector<OsCounts>> out = sums;
  for (auto& row : out)
    for (OsCounts& c : row) c = per_run(c, runs);
  return out;
}

/// The raw samples: step_s, run starts from the first measured run, and the trace's counts and memory timeline.
void fill_samples(ModelProfile& p, const Arm& on, const Arm* off, const OsCounters& os) {
  const double t0 = on.start_s.empty() ? 0 : on.start_s.front();
  auto from_t0 = [t0](std::vector<double> t) {
    for (double& x : t) x -= t0;
    return t;
  };
  p.step_s = on.step_s;
  p.run_start_s = from_t0(on.start_s);
  TraceSamples& t = p.trace;
  t.live_bytes = live_bytes_by_step(on.exec.usage_records());
  t.live_bytes.resize(on.exec.steps().size(), 0);  // steps after the last planned buffer's: none live
  const std::array<const Arm*, 2> arms = {&on, off};
  for (std::size_t a = 0; a < arms.size(); ++a) {
    if (!arms[a] || !os.available()) continue;
    t.counts[a] = arms[a]->counts_by_run;
    t.thread_counts[a] = per_run(arms[a]->thread_counts, arms[a]->e2e_s.size());
  }
  if (!off) return;
  t.step_shields_off_s = off->step_s;
  t.run_start_shields_off_s = from_t0(off->start_s);
  t.fresh_mapped_bytes = fresh_mapped_bytes(off->exec.usage_records());
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
  const double dram_start = dram_now(machine, threads, o.measure_dram_now);  // ~0.1 s
  p.clock_start_ghz = measure_clock(threads).ghz;  // ~15 ms
  const auto t_start = Clock::now();
  repeat(
      plan,
      [&](bool record) {
        // Arms interleaved run by run, so drift hits both; counting runs after the timed ones.
        const double e2e = on.timed_run(record, threads, t_start);
        if (off) off->timed_run(record, threads, t_start);
        on.counting_run(os, record, threads);
        if (off) off->counting_run(os, record, threads);
        return e2e;
      },
      o.progress);
  bind_threads(threads, true);
  p.clock_end_ghz = measure_clock(threads).ghz;
  const double dram_end = dram_now(machine, threads, o.measure_dram_now);
  p.model = model_name;
  p.input_dims = graph.value(graph.inputs.at(0)).desc.dims;
  p.threads = threads;
  p.roofs = roofs_for(machine, threads, std::max(p.clock_start_ghz, p.clock_end_ghz));
  raise_dram_roof(p.roofs, std::max(dram_start, dram_end));
  p.memory = on.exec.memory();
  p.os_counter_source = os.source();
  fill_samples(p, on, off.get(), os);
  p.e2e_s = compute_stats(on.e2e_s);
  if (off) p.e2e_shields_off_s = compute_stats(off->e2e_s);
  p.framework_overhead_s = compute_stats(on.overhead_s).median;
  add_op_rows(p, on, off.get(), os);
  p.estimate_flops_only_s = static_cast<double>(p.total_cost.flops) / (positive_or_nan(p.roofs.peak_measured_gflops_per_s) * 1e9);
  add_warnings(p);
  return p;
}

}  // namespace rs
