// The verdict logic of the graph-structure and runtime-option experiments (fusion-order, deep-vs-wide, memory-pool,
// thread-binding) on hand-made arm results: holds, does not hold and inconclusive (overlapping intervals), and
// explanations that show the numbers.
#include <fmt/format.h>

#include "test_analyze_util.h"

namespace rs {
namespace {

using namespace test_analyze;

constexpr std::int64_t MiB = 1 << 20;

/// Conv->BN->ReLU: 1 op + 2 reorders moving 3 MiB in `fused_ms`; Conv->ReLU->BN: 2 ops + 2 reorders moving 4 MiB in
/// 1.5 ms; the unfused reference (not judged) in 3 ms.
std::vector<ArmResult> fusion_arms(double fused_ms) {
  ArmResult fused = timed("conv-bn-relu", fused_ms * 1e-3, cost(100'000'000, 3 * MiB));
  fused.ops = 3;
  fused.reorders = 2;
  ArmResult kept = timed("conv-relu-bn", 1.5e-3, cost(101'000'000, 4 * MiB));
  kept.ops = 4;
  kept.reorders = 2;
  return {fused, kept, timed("conv-bn-relu unfused", 3e-3, cost(102'000'000, 5 * MiB))};
}

TEST(AnalyzeFusionOrder, JudgesTheFusableOrderAgainstTheOtherOne) {
  for (Verdict v : kOutcomes) {
    SCOPED_TRACE(verdict_name(v));
    const ExperimentResult r = analyzed("fusion-order", fusion_arms(pick(v, 1.0, 2.0, 1.5)));
    expect_all(r, v, 1);
    EXPECT_EQ(r.comparisons[0].a_label, "t(conv-bn-relu)");
    EXPECT_DOUBLE_EQ(metric(r, "bytes_saved"), 1.0 * MiB);
    EXPECT_NEAR(metric(r, "time_saved_s"), pick(v, 0.5e-3, -0.5e-3, 0.0), 1e-12);
    expect_mentions(r, {"runs as 1 op(s) (+2 reorders) moving 3 MiB in", "needs 2 ops moving 1 MiB more (33.3%)",
                        "takes 1.500 ms"});
    expect_mentions(r, {pick(v, "in 1.000 ms", "in 2.000 ms", "in 1.500 ms"),
                        pick(v, "(150.0% of the fused", "(75.0% of the fused", "(100.0% of the fused")});
  }
}

/// The three equal-FLOPs nets at 1 and 2 threads (Tiny base width 8): 1 thread 16 layers in deep1 ms, 4 in 1.5, 1 in
/// 1 ms; 2 threads deep2 ms, 1 ms, 0.6 ms. Executor shares 5% / 2% / 1% at 1 thread, 8% / 4% / 2% at 2.
std::vector<ArmResult> depth_arms(double deep1_ms, double deep2_ms, int threads) {
  struct Net { const char* name; double t1, t2, share1, share2; };
  const Net nets[] = {{"16 layers x c8", deep1_ms, deep2_ms, 0.05, 0.08}, {"4 layers x c16", 1.5, 1.0, 0.02, 0.04},
                      {"1 layer x c32", 1.0, 0.6, 0.01, 0.02}};
  std::vector<ArmResult> arms;
  for (int t = 1; t <= threads; ++t)
    for (const Net& n : nets) {
      ArmResult a = timed(fmt::format("{} @{}t", n.name, t), (t == 1 ? n.t1 : n.t2) * 1e-3);
      a.overhead_share.assign(7, t == 1 ? n.share1 : n.share2);
      arms.push_back(std::move(a));
    }
  return arms;
}

TEST(AnalyzeDeepVsWide, JudgesTheDeepNetAgainstTheWideOneAtEachThreadCount) {
  for (Verdict v : kOutcomes) {
    SCOPED_TRACE(verdict_name(v));
    const ExperimentResult r = analyzed(
        "deep-vs-wide", depth_arms(pick(v, 2.0, 0.5, 1.0), pick(v, 1.5, 0.3, 0.6), 2), context(machine(), 2));
    expect_all(r, v, 2);
    EXPECT_EQ(r.comparisons[1].a_label, "t(16 layers x c8 @2t)");
    EXPECT_NEAR(metric(r, "extra_time_per_layer_1t_us"), pick(v, 1e3 / 15, -0.5e3 / 15, 0.0), 1e-6);
    EXPECT_NEAR(metric(r, "speedup_4_layers"), 1.5, 1e-9);
    EXPECT_NEAR(cell(r, "1 layer x c32 @2t", "executor_overhead_share"), 0.02, 1e-12);
    expect_mentions(r, {"the executor's own share is only 5.0% vs 1.0% and 8.0% vs 2.0%", "for the 1-layer net",
                        "vs 1.5x (4 layers) vs 1.67x (1 layer)"});
    expect_mentions(r, {pick(v, "16-layer net takes 2.000 vs 1.000 ms at 1 thread (+66.7 us per extra layer), 1.500 "
                                "vs 0.600 ms at 2 threads (+60.0 us per extra layer)",
                             "16-layer net takes 0.500 vs 1.000 ms at 1 thread (-33.3 us per extra layer), 0.300 "
                             "vs 0.600 ms at 2 threads (-20.0 us per extra layer)",
                             "16-layer net takes 1.000 vs 1.000 ms at 1 thread (+0.0 us per extra layer), 0.600 "
                             "vs 0.600 ms at 2 threads (+0.0 us per extra layer)"),
                        pick(v, "threads: 1.33x (16 layers)", "threads: 1.67x (16 layers)", "threads: 1.67x (16")});
  }
}

TEST(AnalyzeDeepVsWide, OneThreadJudgesOneThreadCountWithoutSpeedUps) {
  const ExperimentResult r = analyzed("deep-vs-wide", depth_arms(2.0, 0, 1), context(machine(), 1));
  expect_all(r, Verdict::Holds, 1);
  expect_mentions(r, {"2.000 vs 1.000 ms at 1 thread (+66.7 us per extra layer) for the 1-layer net",
                      "only 5.0% vs 1.0%."});
}

/// Seven runs' OS counts, all equal.
std::vector<OsCounts> counts(double faults, double switches, double migrations) {
  return std::vector<OsCounts>(7, OsCounts{faults, switches, migrations});
}

TEST(AnalyzeMemoryPool, JudgesThePoolAgainstFreshPages) {
  for (Verdict v : kOutcomes) {
    SCOPED_TRACE(verdict_name(v));
    ArmResult pool = timed("pool", pick(v, 1.0, 2.0, 1.5) * 1e-3), fresh = timed("no pool", 1.5e-3);
    pool.counts = counts(10, 1, 0);
    fresh.counts = counts(2500, 3, 0.5);
    const ExperimentResult r = analyzed("memory-pool", {pool, fresh});
    expect_all(r, v, 1);
    EXPECT_EQ(r.comparisons[0].b_label, "t(no pool)");
    EXPECT_DOUBLE_EQ(cell(r, "no pool", "page_faults_per_run"), 2500);
    EXPECT_DOUBLE_EQ(cell(r, "no pool", "migrations_per_run"), 0.5);
    expect_mentions(r, {"The pool takes 10.0 page faults per run vs 2500.0 without it", "ms vs 1.500 ms"});
    expect_mentions(r, {pick(v, "and 1.000 ms vs", "and 2.000 ms vs", "and 1.500 ms vs"),
                        pick(v, "(66.7% of the no-pool time)", "(133.3% of the no-pool time)",
                             "(100.0% of the no-pool time)")});
  }
}

TEST(AnalyzeThreadBinding, JudgesPinnedAgainstUnpinnedThreads) {
  for (Verdict v : kOutcomes) {
    SCOPED_TRACE(verdict_name(v));
    // Pinned samples within +-2%, unpinned within +-10% (different CVs).
    ArmResult pinned = timed("pinned", pick(v, 1.0, 2.0, 1.5) * 1e-3, {}, std::nan(""), 0.02);
    ArmResult unpinned = timed("unpinned", 1.5e-3, {}, std::nan(""), 0.1);
    pinned.counts = counts(10, 1, 0);
    unpinned.counts = counts(10, 4, 2.5);
    const ExperimentResult r = analyzed("thread-binding", {pinned, unpinned});
    expect_all(r, v, 1);
    EXPECT_DOUBLE_EQ(cell(r, "unpinned", "cv"), unpinned.stats.cv);
    const std::string pinned_text = fmt::format("Pinned: {} ms (CV {:.1f}%, 0.00 migrations/run)",
                                                pick(v, "1.000", "2.000", "1.500"), 100 * pinned.stats.cv);
    const std::string unpinned_text =
        fmt::format("unpinned: 1.500 ms (CV {:.1f}%, 2.50 migrations/run)", 100 * unpinned.stats.cv);
    expect_mentions(r, {pinned_text.c_str(), unpinned_text.c_str()});
  }
}

}  // namespace
}  // namespace rs
