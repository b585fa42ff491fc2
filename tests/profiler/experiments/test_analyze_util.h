// Shared by the analyze tests: measured arms made by hand (no run), an experiment's analyze called on them through
// the registry, and checks on the verdict and the explanation.
#pragma once
#include <cmath>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "profiler/experiments/experiment.h"
#include "test_experiment_util.h"

namespace rs::test_analyze {

/// A measured arm without a run: seven samples spread evenly over median_s x [1 - spread, 1 + spread], summarized
/// as the runner does (compute_stats, median_ci, efficiency = roof_s / median). With seven samples the 95% CI of the
/// median is [min, max] (coverage 98.4%), so the interval is exactly median_s x [1 - spread, 1 + spread].
inline ArmResult timed(std::string name, double median_s, OpCost cost = {}, double roof_s = std::nan(""),
                       double spread = 0.05) {
  ArmResult a;
  a.name = std::move(name);
  a.cost = cost;
  a.t_roof_measured_s = roof_s;
  for (int i = -3; i <= 3; ++i) a.time_s.push_back(median_s * (1 + spread * i / 3.0));
  a.stats = compute_stats(a.time_s);
  a.ci = median_ci(a.time_s);
  a.efficiency = roof_s / a.stats.median;
  return a;
}

/// An arm at efficiency `eff` of a `roof_s` roofline time (median = roof_s / eff).
inline ArmResult at_efficiency(std::string name, double eff, double roof_s = 1e-3, OpCost cost = {}) {
  return timed(std::move(name), roof_s / eff, cost, roof_s);
}

/// An OpCost of `flops` FLOPs and `bytes` bytes.
inline OpCost cost(std::int64_t flops, std::int64_t bytes) {
  OpCost c;
  c.flops = flops;
  c.bytes = bytes;
  return c;
}

/// Tiny scale with `machine` at `threads` (the hand-made machine of test_experiment_util.h has, at 1 thread,
/// 50 GFLOP/s and 15 GB/s measured).
inline ExperimentContext context(const MachineProfile& machine, int threads = 1) {
  ExperimentContext ctx = test_experiment::tiny_context(machine);
  ctx.threads = threads;
  return ctx;
}

/// The hand-made machine of test_experiment_util.h, made once.
inline const MachineProfile& machine() {
  static const MachineProfile m = test_experiment::machine();
  return m;
}

/// The experiment `name`'s analyze (found in the registry) run on `arms`.
inline ExperimentResult analyzed(const std::string& name, std::vector<ArmResult> arms,
                                 const ExperimentContext& ctx = context(machine())) {
  ExperimentResult r;
  r.name = name;
  r.scale = ctx.scale;
  r.threads = ctx.threads;
  r.arms = std::move(arms);
  find_experiment(name).analyze(ctx, r);
  return r;
}

/// The value for the outcome a test builds: `holds` for Holds, `fails` for DoesNotHold, `overlaps` for Inconclusive
/// (intervals that overlap).
template <typename T>
T pick(Verdict v, T holds, T fails, T overlaps) {
  return v == Verdict::Holds ? holds : v == Verdict::DoesNotHold ? fails : overlaps;
}

/// The three outcomes every analyze test builds.
constexpr Verdict kOutcomes[] = {Verdict::Holds, Verdict::DoesNotHold, Verdict::Inconclusive};

/// Every text appears in the explanation.
inline void expect_mentions(const ExperimentResult& r, std::initializer_list<const char*> texts) {
  for (const char* t : texts)
    EXPECT_NE(r.explanation.find(t), std::string::npos) << "'" << t << "' not in: " << r.explanation;
}

/// Verdict and per-comparison verdicts all equal `v` (a combined verdict of several comparisons that agree).
inline void expect_all(const ExperimentResult& r, Verdict v, std::size_t comparisons) {
  EXPECT_EQ(r.verdict, v) << verdict_name(r.verdict) << ": " << r.explanation;
  ASSERT_EQ(r.comparisons.size(), comparisons);
  for (const Comparison& c : r.comparisons) EXPECT_EQ(c.verdict, v) << c.text();
}

/// The value of metric `key`; NaN (and a failure) when there is none.
inline double metric(const ExperimentResult& r, const std::string& key) {
  for (const Metric& m : r.metrics)
    if (m.key == key) return m.value;
  ADD_FAILURE() << "no metric " << key;
  return std::nan("");
}

/// The number in the extra cell `column` of arm `name` (NaN when absent or not a number).
inline double cell(const ExperimentResult& r, const std::string& name, const std::string& column) {
  for (std::size_t c = 0; c < r.extra_columns.size(); ++c)
    if (r.extra_columns[c].key == column)
      for (const ArmResult& a : r.arms)
        if (a.name == name && c < a.extra.size())
          if (const double* x = std::get_if<double>(&a.extra[c])) return *x;
  ADD_FAILURE() << "no number in column " << column << " of arm " << name;
  return std::nan("");
}

}  // namespace rs::test_analyze
