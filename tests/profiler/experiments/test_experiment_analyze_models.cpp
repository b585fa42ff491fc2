// The verdict logic of the whole-model, roofline and software experiments (flops-vs-latency, batch-size,
// roofline-regimes, software-impl) on hand-made arm results: each analyze must say holds, does not hold and
// inconclusive on arms built for each outcome, and its explanation must show the numbers it was decided on.
#include <fmt/format.h>

#include "test_analyze_util.h"

namespace rs {
namespace {

using namespace test_analyze;

/// mobilenet_v2 at 2 ms and 300 MFLOP; resnet18 (6x the FLOPs) and resnet50 (13.5x) at t18 / t50 ms. The claim
/// "t(mobilenet_v2) x FLOPs ratio > t(big)" holds below 12 ms / 27 ms. Roofline times rank 2, 1, 3 (rho 0.5 with
/// latency), FLOPs rank 1, 2, 3 (rho 1).
std::vector<ArmResult> zoo_arms(double t18_ms, double t50_ms) {
  return {timed("mobilenet_v2", 2e-3, cost(300'000'000, 40'000'000), 1e-3),
          timed("resnet18", t18_ms * 1e-3, cost(1'800'000'000, 50'000'000), 0.5e-3),
          timed("resnet50", t50_ms * 1e-3, cost(4'050'000'000, 100'000'000), 3e-3)};
}

TEST(AnalyzeFlopsVsLatency, JudgesTheSmallModelAgainstItsFlopsRatio) {
  for (Verdict v : kOutcomes) {
    SCOPED_TRACE(verdict_name(v));
    const ExperimentResult r =
        analyzed("flops-vs-latency", zoo_arms(pick(v, 4.0, 20.0, 12.0), pick(v, 8.0, 40.0, 27.0)));
    expect_all(r, v, 2);
    EXPECT_DOUBLE_EQ(metric(r, "flops_ratio_resnet18"), 6.0);
    EXPECT_NEAR(metric(r, "time_ratio_resnet50"), pick(v, 4.0, 20.0, 13.5), 1e-9);
    EXPECT_NEAR(metric(r, "spearman_latency_flops"), 1.0, 1e-12);
    EXPECT_NEAR(metric(r, "spearman_latency_roofline"), 0.5, 1e-12);
    EXPECT_NEAR(cell(r, "mobilenet_v2", "t_flops_only_s"), 0.3e9 / 50e9, 1e-12);  // FLOPs / 50 GFLOP/s
    expect_mentions(r, {"6x fewer FLOPs than resnet18", "13.5x fewer FLOPs than resnet50", "at rho = 1.00",
                        "prediction at rho = 0.50", "across 3 models"});
    expect_mentions(r, {pick(v, "runs 2x faster", "runs 10x faster", "runs 6x faster"),
                        pick(v, "runs 4x faster", "runs 20x faster", "runs 13.5x faster")});
  }
}

/// Both models: batch 1 at 50% of a 5 ms roof (AI 10), batch 2 at eff2 of a 9 ms roof (AI 15).
std::vector<ArmResult> batch_arms(double eff2) {
  std::vector<ArmResult> arms;
  for (const char* model : {"resnet18", "mobilenet_v2"}) {
    arms.push_back(at_efficiency(fmt::format("{} b1", model), 0.5, 5e-3, cost(1'000'000'000, 100'000'000)));
    arms.push_back(at_efficiency(fmt::format("{} b2", model), eff2, 9e-3, cost(3'000'000'000, 200'000'000)));
  }
  return arms;
}

TEST(AnalyzeBatchSize, JudgesEfficiencyOfTheLargestBatchAgainstBatchOne) {
  for (Verdict v : kOutcomes) {
    SCOPED_TRACE(verdict_name(v));
    const double eff2 = pick(v, 0.75, 0.3, 0.5);
    const ExperimentResult r = analyzed("batch-size", batch_arms(eff2));  // Tiny scale: batches 1 and 2
    expect_all(r, v, 2);
    EXPECT_NEAR(cell(r, "mobilenet_v2 b2", "time_per_image_s"), 9e-3 / eff2 / 2, 1e-12);
    expect_mentions(r, {"From batch 1 to 2", "resnet18: AI 10.0 -> 15.0 FLOP/B", "mobilenet_v2: AI 10.0 -> 15.0"});
    expect_mentions(r, {pick(v, "efficiency 50.0% -> 75.0%, 10.000 -> 6.000 ms/image",
                             "efficiency 50.0% -> 30.0%, 10.000 -> 15.000 ms/image",
                             "efficiency 50.0% -> 50.0%, 10.000 -> 9.000 ms/image")});
  }
}

/// Four ReLU arms of 1-4 M elements (AI 1/8, under the ridge 50 / 15 = 3.3 FLOP/B) and five convs of 1-5 GFLOP
/// (AI 20-71, bytes not in FLOPs order). `linear_*`: time = intercept + bytes / 10 GB/s (ReLU) or + FLOPs /
/// 40 GFLOP/s (conv), R^2 = 1; else the same times permuted (R^2 = 0.16 and 0.09).
std::vector<ArmResult> regime_arms(bool linear_memory, bool linear_compute) {
  std::vector<ArmResult> arms;
  const int mem_order[] = {4, 1, 3, 2}, comp_order[] = {3, 5, 1, 4, 2};
  const std::int64_t conv_bytes[] = {50'000'000, 100'000'000, 60'000'000, 150'000'000, 70'000'000};
  for (int i = 1; i <= 4; ++i) {
    const std::int64_t n = 1'000'000 * (linear_memory ? i : mem_order[i - 1]);
    ArmResult a = timed(fmt::format("relu {}M", i), 1e-6 + 8.0 * static_cast<double>(n) / 10e9,
                        cost(1'000'000 * i, 8'000'000 * i));
    a.kind = OpKind::Eltwise;
    arms.push_back(std::move(a));
  }
  for (int i = 1; i <= 5; ++i) {
    const double f = 1e9 * (linear_compute ? i : comp_order[i - 1]);
    arms.push_back(timed(fmt::format("conv {}G", i), 2e-6 + f / 40e9, cost(1'000'000'000LL * i, conv_bytes[i - 1])));
  }
  return arms;
}

TEST(AnalyzeRooflineRegimes, JudgesBothFitsByTheirR2) {
  for (Verdict v : kOutcomes) {
    SCOPED_TRACE(verdict_name(v));
    // Inconclusive: the memory regime fits, the compute one does not (mixed).
    const ExperimentResult r =
        analyzed("roofline-regimes", regime_arms(v != Verdict::DoesNotHold, v == Verdict::Holds));
    EXPECT_EQ(r.verdict, v) << r.explanation;
    EXPECT_TRUE(r.comparisons.empty());  // decided on R^2 thresholds, not intervals
    EXPECT_NEAR(metric(r, "r2_memory"), v == Verdict::DoesNotHold ? 0.16 : 1.0, 1e-9);
    EXPECT_NEAR(metric(r, "r2_compute"), v == Verdict::Holds ? 1.0 : 0.09, 1e-9);
    EXPECT_NEAR(metric(r, "ridge_calibrated_flop_per_byte"), 50.0 / 15.0, 1e-12);
    expect_mentions(r, {"over 4 memory-bound arms", "over 5 compute-bound arms", "vs 3.33 calibrated"});
    expect_mentions(r, {pick(v, "bytes with R^2 = 1.000", "bytes with R^2 = 0.160", "bytes with R^2 = 1.000"),
                        pick(v, "FLOPs with R^2 = 1.000", "FLOPs with R^2 = 0.090", "FLOPs with R^2 = 0.090")});
    if (v == Verdict::Holds) {
      EXPECT_NEAR(metric(r, "bandwidth_fit_gb_per_s"), 10.0, 1e-6);
      EXPECT_NEAR(metric(r, "peak_fit_gflops_per_s"), 40.0, 1e-6);
      expect_mentions(r, {"(10 GB/s)", "(40 GFLOP/s)", "the fitted ridge is 4 FLOP/B"});
    }
    if (v == Verdict::DoesNotHold) expect_mentions(r, {"(n/a GB/s)", "(n/a GFLOP/s)"});  // times fall: no rate
  }
}

TEST(AnalyzeRooflineRegimes, SplitsByKindWhenTheRidgeIsUnknown) {
  const MachineProfile uncalibrated;  // no measured roofs: ridge NaN, eltwise arms count as memory-bound
  const ExperimentResult r = analyzed("roofline-regimes", regime_arms(true, true), context(uncalibrated));
  EXPECT_EQ(r.verdict, Verdict::Holds) << r.explanation;
  expect_mentions(r, {"over 4 memory-bound arms", "over 5 compute-bound arms", "vs n/a calibrated"});
  EXPECT_EQ(std::get<std::string>(r.arms[0].extra.at(0)), "t ~ bytes");
  EXPECT_EQ(std::get<std::string>(r.arms[4].extra.at(0)), "t ~ FLOPs");
}

/// The three implementations (1 GFLOP each) at the given efficiencies of one 1 ms roof.
std::vector<ArmResult> software_arms(double dnnl, double eigen, double naive) {
  const OpCost c = cost(1'000'000'000, 10'000'000);
  return {at_efficiency("oneDNN", dnnl, 1e-3, c), at_efficiency("Eigen im2col+GEMM", eigen, 1e-3, c),
          at_efficiency("naive loops", naive, 1e-3, c)};
}

TEST(AnalyzeSoftwareImpl, JudgesEfficienciesInLibraryOrder) {
  for (Verdict v : kOutcomes) {
    SCOPED_TRACE(verdict_name(v));
    const ExperimentResult r = analyzed(
        "software-impl", software_arms(pick(v, 0.8, 0.02, 0.5), pick(v, 0.2, 0.2, 0.5), pick(v, 0.02, 0.8, 0.5)));
    expect_all(r, v, 2);
    EXPECT_NEAR(cell(r, "oneDNN", "time_per_flop_ps"), pick(v, 1.25, 50.0, 2.0), 1e-9);  // 1 ms / eff / 1 GFLOP
    expect_mentions(r, {"Against the same 1 ms roof"});
    expect_mentions(r, {pick(v, "oneDNN reaches 80.0%, Eigen im2col+GEMM 20.0% and naive loops 2.0%",
                             "oneDNN reaches 2.0%, Eigen im2col+GEMM 20.0% and naive loops 80.0%",
                             "oneDNN reaches 50.0%, Eigen im2col+GEMM 50.0% and naive loops 50.0%"),
                        pick(v, "oneDNN is 40x faster", "oneDNN is 0.025x faster", "oneDNN is 1x faster")});
  }
  const ExperimentResult mixed = analyzed("software-impl", software_arms(0.8, 0.2, 0.5));
  EXPECT_EQ(mixed.verdict, Verdict::Inconclusive);
  EXPECT_EQ(mixed.comparisons.at(0).verdict, Verdict::Holds);
  EXPECT_EQ(mixed.comparisons.at(1).verdict, Verdict::DoesNotHold);
}

}  // namespace
}  // namespace rs
