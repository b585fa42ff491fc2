// The runner and every experiment end to end at the Tiny scale with a hand-made machine profile (no calibration,
// no cache): results are well formed and finite, reporters render them. No verdict direction and no timing is
// asserted (the machine is noisy); the runner's interleaving is checked with callables that log their order.
#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "profiler/experiments/experiment_defs.h"
#include "profiler/experiments/experiment_report.h"
#include "profiler/report/roofline_svg.h"
#include "test_experiment_util.h"
#include "tests/profiler/report/test_outputs_fixture.h"

namespace rs {
namespace {

const MachineProfile& machine() {
  static const MachineProfile m = test_experiment::machine();
  return m;
}

/// A callable arm that appends `id` to `log` on each run and costs 1 MFLOP / 1 MB.
ArmSpec logging_arm(int id, std::vector<int>* log) {
  ArmSpec a;
  a.name = "arm" + std::to_string(id);
  a.cost.flops = 1'000'000;
  a.cost.bytes = 1'000'000;
  a.impl = "test";
  a.make_callable = [id, log] { return std::function<void()>([id, log] { log->push_back(id); }); };
  return a;
}

TEST(RunArms, InterleavesRoundsAndRotatesTheStartingArm) {
  std::vector<int> log;
  ExperimentContext ctx = test_experiment::tiny_context(machine());
  ctx.run = {1, 2, 0, 2};  // 1 warm-up round + 2 measured rounds
  const std::vector<ArmSpec> arms = {logging_arm(0, &log), logging_arm(1, &log), logging_arm(2, &log)};
  const auto results = run_arms(arms, ctx);
  EXPECT_EQ(log, (std::vector<int>{0, 1, 2, 1, 2, 0, 2, 0, 1}));
  ASSERT_EQ(results.size(), 3u);
  for (const ArmResult& r : results) {
    EXPECT_EQ(r.time_s.size(), 2u) << r.name;  // warm-up discarded
    EXPECT_EQ(r.ops, 1);
    // Predictions from the hand-made roofs: max(1e6 / (50e9 x threads), 1e6 / ((10 + 5 x threads) x 1e9)) measured
    // (no clock measured at calibration: no rescale); theoretical at the ceiling clock (nominal 2 GHz or the clock
    // measured now, x 32 FLOP/cycle), with the 1 MB working set in the L2 (100 GB/s per thread, measured).
    const double t = ctx.threads;
    EXPECT_GT(r.clock_start_ghz, 0);
    EXPECT_DOUBLE_EQ(r.t_roof_measured_s, std::max(1e6 / (50e9 * t), 1e6 / ((10 + 5 * t) * 1e9)));
    const double ceiling_ghz = std::max(2.0, r.clock_start_ghz);
    EXPECT_NEAR(r.t_roof_theoretical_s, std::max(1e6 / (32e9 * t * ceiling_ghz), 1e6 / (100e9 * t)), 1e-15);
  }
}

TEST(RunArms, HotRunsPrecedeEachTimedRunOfTheirArmOnly) {
  std::vector<int> log;
  ExperimentContext ctx = test_experiment::tiny_context(machine());
  ctx.run = {0, 2, 0, 2};  // 2 measured rounds
  std::vector<ArmSpec> arms = {logging_arm(0, &log), logging_arm(1, &log)};
  arms[1].hot_runs = 2;
  const auto results = run_arms(arms, ctx);
  EXPECT_EQ(log, (std::vector<int>{0, 1, 1, 1, 1, 1, 1, 0}));
  EXPECT_EQ(results[0].time_s.size(), 2u);
  EXPECT_EQ(results[1].time_s.size(), 2u);  // the hot runs are not recorded
}

TEST(RunArms, MinTimeAddsRoundsUpToTheCap) {
  std::vector<int> log;
  ExperimentContext ctx = test_experiment::tiny_context(machine());
  ctx.run = {0, 3, 1e9, 7};  // an unreachable time floor: stop at max_reps
  const auto results = run_arms({logging_arm(0, &log), logging_arm(1, &log)}, ctx);
  EXPECT_EQ(results[0].time_s.size(), 7u);
  EXPECT_EQ(results[1].time_s.size(), 7u);
  EXPECT_EQ(log.size(), 14u);
}

TEST(RunArms, RejectsBadContextsAndUnknownFocusNodes) {
  std::vector<int> log;
  ExperimentContext ctx = test_experiment::tiny_context(machine());
  ExperimentContext no_machine = ctx;
  no_machine.machine = nullptr;
  EXPECT_THROW(run_arms({logging_arm(0, &log)}, no_machine), std::invalid_argument);
  ExperimentContext no_reps = ctx;
  no_reps.run.reps = 0;
  EXPECT_THROW(run_arms({logging_arm(0, &log)}, no_reps), std::invalid_argument);
  ExperimentContext bad_threads = ctx;
  bad_threads.threads = topology().physical_cores + 1;
  EXPECT_THROW(run_arms({logging_arm(0, &log)}, bad_threads), std::invalid_argument);
  ArmSpec ghost = experiment_set::graph_arm("ghost", "", experiment_set::eltwise_graph("g", {1, 4, 8, 8}, {}),
                                             "no_such_node");
  try {
    run_arms({ghost}, ctx);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("'no_such_node'"), std::string::npos) << e.what();
  }
}

TEST(RunArms, GraphArmTimesItsFocusStepAndCountsIt) {
  ExperimentContext ctx = test_experiment::tiny_context(machine());
  const experiment_set::ConvShape s{1, 8, 8, 8, 8, 3, 1, 1, 1, 1};
  ArmSpec whole = experiment_set::graph_arm("whole", "", experiment_set::conv_graph("c", s));
  whole.per_op = true;
  const ArmSpec focus = experiment_set::graph_arm("focus", "", experiment_set::conv_graph("c", s), "conv");
  const auto r = run_arms({whole, focus}, ctx);
  EXPECT_EQ(r[1].ops, 1);
  EXPECT_EQ(r[1].cost.flops, 2 * 8 * 8 * 9 * 64);  // the conv alone
  EXPECT_EQ(r[0].cost.flops, r[1].cost.flops);     // reorders add bytes, no FLOPs
  EXPECT_EQ(r[0].ops, 1 + r[0].reorders);
  EXPECT_GE(r[0].cost.bytes, r[1].cost.bytes);
  ASSERT_EQ(r[0].overhead_share.size(), r[0].time_s.size());
  for (double share : r[0].overhead_share) EXPECT_TRUE(std::isfinite(share) && share < 1);
}

void expect_well_formed(const ExperimentResult& r) {
  ASSERT_FALSE(r.arms.empty());
  for (const ArmResult& a : r.arms) {
    SCOPED_TRACE(a.name);
    EXPECT_GE(static_cast<int>(a.time_s.size()), RunConfig::for_scale(Scale::Tiny).reps);
    EXPECT_TRUE(std::isfinite(a.stats.median) && a.stats.median > 0);
    EXPECT_TRUE(a.ci.interval.valid());
    EXPECT_LE(a.ci.interval.lo, a.stats.median);
    EXPECT_GE(a.ci.interval.hi, a.stats.median);
    EXPECT_GT(a.cost.bytes, 0);
    EXPECT_TRUE(std::isfinite(a.t_roof_measured_s) && a.t_roof_measured_s > 0);
    EXPECT_TRUE(std::isfinite(a.t_roof_theoretical_s) && a.t_roof_theoretical_s > 0);
    EXPECT_TRUE(std::isfinite(a.efficiency) && a.efficiency > 0);
    EXPECT_EQ(a.extra.size(), r.extra_columns.size());
  }
  for (const Metric& m : r.metrics) EXPECT_FALSE(m.key.empty());
  for (const Comparison& c : r.comparisons) {
    EXPECT_TRUE(c.a.valid()) << c.text();
    EXPECT_TRUE(c.b.valid()) << c.text();
  }
  EXPECT_TRUE(r.verdict == Verdict::Holds || r.verdict == Verdict::DoesNotHold || r.verdict == Verdict::Inconclusive);
  EXPECT_FALSE(r.explanation.empty());
  EXPECT_EQ(r.explanation.find("nan"), std::string::npos) << r.explanation;
}

void expect_renders(const ExperimentResult& r) {
  const std::string md = render_experiment(r, Format::Md);
  EXPECT_NE(md.find("**Verdict: " + std::string(verdict_name(r.verdict)) + ".**"), std::string::npos);
  EXPECT_NE(render_experiment(r, Format::Table).find("verdict: "), std::string::npos);
  TableView view;
  view.width = 100;  // the terminal's default width (issue 16): the arm table fits it
  Table arms = experiment_table(r);
  arms.set_view(view);
  EXPECT_LE(test_outputs::widest_line(arms.render(Format::Table)), 100u) << arms.render(Format::Table);
  const std::string csv = render_experiment(r, Format::Csv);
  EXPECT_EQ(csv.rfind("experiment,verdict,arm,", 0), 0u) << csv;  // the header first: plain CSV, no '#' lines
  EXPECT_EQ(csv.find('#'), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n" + r.name + "," + verdict_name(r.verdict) + ","), std::string::npos) << csv;
  const auto j = nlohmann::json::parse(render_experiment(r, Format::Json));
  EXPECT_EQ(j.at("name"), r.name);
  EXPECT_EQ(j.at("verdict"), verdict_name(r.verdict));
  EXPECT_EQ(j.at("arms").at("rows").size(), r.arms.size());
  const ModelProfile p = arms_profile(r, roofs_for(machine(), r.threads));
  int with_flops = 0;
  for (const ArmResult& a : r.arms) with_flops += a.cost.flops > 0;
  EXPECT_EQ(roofline_plotted_count(p), with_flops);
  EXPECT_NE(roofline_svg(p).find("<svg"), std::string::npos);
}

class EveryExperiment : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryExperiment, RunsAtTinyScaleWellFormed) {
  const ExperimentContext ctx = test_experiment::tiny_context(machine());
  const ExperimentResult r = run_experiment(find_experiment(GetParam()), ctx);
  EXPECT_EQ(r.name, GetParam());
  EXPECT_EQ(r.scale, Scale::Tiny);
  expect_well_formed(r);
  expect_renders(r);
}

std::vector<std::string> experiment_names() {
  std::vector<std::string> names;
  for (const Experiment& e : experiments()) names.push_back(e.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(All, EveryExperiment, ::testing::ValuesIn(experiment_names()), [](const auto& info) {
  std::string n = info.param;
  for (char& c : n)
    if (c == '-') c = '_';
  return n;
});

TEST(ExperimentReport, MarkdownReportHasOneSummaryRowAndSectionPerExperiment) {
  ExperimentContext ctx = test_experiment::tiny_context(machine());
  std::vector<ExperimentResult> results = {run_experiment(find_experiment("dwconv-vs-conv"), ctx),
                                           run_experiment(find_experiment("fusion-order"), ctx)};
  ReportHeader h;
  h.command = "roofscope experiment all --tiny";
  h.machine = "test machine";
  h.roofs = roofs_for(machine(), ctx.threads);
  h.plots = {"x-dwconv-vs-conv.svg", ""};
  const std::string md = markdown_report(results, h);
  EXPECT_NE(md.find("## Does the advice hold here?"), std::string::npos);
  EXPECT_NE(md.find("| 1 | dwconv-vs-conv |"), std::string::npos);
  EXPECT_NE(md.find("| 2 | fusion-order |"), std::string::npos);
  EXPECT_NE(md.find("### dwconv-vs-conv"), std::string::npos);
  EXPECT_NE(md.find("](x-dwconv-vs-conv.svg)"), std::string::npos);
  const auto j = nlohmann::json::parse(render_experiments(results, Format::Json));
  EXPECT_EQ(j.at("experiments").size(), 2u);
}

}  // namespace
}  // namespace rs
