// The verdict logic of the single-op experiments (dwconv-vs-conv, channel-alignment, kernel-shape,
// transcendental-eltwise) on hand-made arm results: holds, does not hold and inconclusive (overlapping intervals),
// and explanations that show the numbers.
#include <fmt/format.h>

#include "test_analyze_util.h"

namespace rs {
namespace {

using namespace test_analyze;

/// Dense conv: 6.4 GFLOP (AI 20) in 1 ms against a 0.5 ms roof; depthwise: 64x fewer FLOPs (AI 0.5) in dw_ms
/// against a 0.02 ms roof. "t(dw) x 64 > t(conv)" holds for dw_ms > 1/64 ms.
std::vector<ArmResult> dw_arms(double dw_ms) {
  return {timed("conv", 1e-3, cost(6'400'000'000, 320'000'000), 0.5e-3),
          timed("dwconv", dw_ms * 1e-3, cost(100'000'000, 200'000'000), 0.02e-3)};
}

TEST(AnalyzeDwconvVsConv, JudgesTheDepthwiseTimeScaledByTheFlopsRatio) {
  for (Verdict v : kOutcomes) {
    SCOPED_TRACE(verdict_name(v));
    const ExperimentResult r = analyzed("dwconv-vs-conv", dw_arms(pick(v, 0.1, 0.01, 1.0 / 64)));
    expect_all(r, v, 1);
    EXPECT_DOUBLE_EQ(metric(r, "flops_ratio"), 64.0);
    EXPECT_NEAR(metric(r, "time_ratio"), pick(v, 10.0, 100.0, 64.0), 1e-9);
    expect_mentions(r, {"cuts FLOPs 64x", "AI falls from 20.0 to 0.50 FLOP/B", "vs 50.0% for the dense one"});
    expect_mentions(r, {pick(v, "the time only 10x", "the time only 100x", "the time only 64x"),
                        pick(v, "reaches 20.0% of", "reaches 200.0% of", "reaches 128.0% of")});
  }
}

/// Convs c = 30..64 (c^2 MFLOP each) at the given time per FLOP; c = 32 and c = 64 at p32 and p64 ps/FLOP, their
/// neighbours 31, 33 and 63 at 2 ps/FLOP.
std::vector<ArmResult> channel_arms(double p32, double p64) {
  const std::pair<int, double> ps[] = {{30, 1.5}, {31, 2}, {32, p32}, {33, 2}, {48, 1.5}, {63, 2}, {64, p64}};
  std::vector<ArmResult> arms;
  for (const auto& [c, p] : ps) {
    const std::int64_t flops = std::int64_t{c} * c * 1'000'000;
    arms.push_back(timed(fmt::format("c={}", c), p * 1e-12 * static_cast<double>(flops), cost(flops, flops / 4)));
  }
  return arms;
}

TEST(AnalyzeChannelAlignment, JudgesTimePerFlopOfAlignedChannelsAgainstTheirNeighbours) {
  for (Verdict v : kOutcomes) {
    SCOPED_TRACE(verdict_name(v));
    const double p = pick(v, 1.0, 3.0, 2.0);
    const ExperimentResult r = analyzed("channel-alignment", channel_arms(p, p));
    expect_all(r, v, 3);
    EXPECT_NEAR(cell(r, "c=48", "time_per_flop_ps"), 1.5, 1e-9);
    expect_mentions(r, {fmt::format("2.00 / {0:.2f} / 2.00 ps at c = 31 / 32 / 33 and 2.00 / {0:.2f} ps", p).c_str(),
                        pick(v, "multiples of 8 are cheaper per FLOP here", "multiples of 8 are not cheaper per FLOP",
                             "multiples of 8 are not measurably cheaper per FLOP")});
  }
  const ExperimentResult mixed = analyzed("channel-alignment", channel_arms(1.0, 3.0));
  EXPECT_EQ(mixed.verdict, Verdict::Inconclusive);
  EXPECT_EQ(mixed.comparisons.at(2).verdict, Verdict::DoesNotHold);  // 64 vs 63
  expect_mentions(mixed, {"not measurably cheaper"});
}

constexpr const char* kCommonShapes[] = {"3x3 s1", "3x3 s2", "1x1 s1", "1x1 s2"};
constexpr const char* kRareShapes[] = {"5x5 s1", "7x7 s1", "3x3 d2", "3x3 s3", "2x2 s2"};

/// The nine shapes at efficiencies common + 0.01 i and rare + 0.01 i (i = position in its list), all of a 1 ms roof.
std::vector<ArmResult> shape_arms(double common, double rare) {
  std::vector<ArmResult> arms;
  for (int i = 0; i < 4; ++i) arms.push_back(at_efficiency(kCommonShapes[i], common + 0.01 * i));
  for (int i = 0; i < 5; ++i) arms.push_back(at_efficiency(kRareShapes[i], rare + 0.01 * i));
  return arms;
}

/// "3x3 s1 81.0%, 3x3 s2 82.0%, ..." for the names at base + 0.01 i.
template <std::size_t N>
std::string efficiency_list(const char* const (&names)[N], double base) {
  std::string s;
  for (std::size_t i = 0; i < N; ++i)
    s += fmt::format("{}{} {:.1f}%", i ? ", " : "", names[i], 100 * (base + 0.01 * i));
  return s;
}

TEST(AnalyzeKernelShape, JudgesEfficiencyOfCommonShapesAgainstRareOnes) {
  for (Verdict v : kOutcomes) {
    SCOPED_TRACE(verdict_name(v));
    const double common = pick(v, 0.81, 0.41, 0.60), rare = pick(v, 0.41, 0.81, 0.60);
    const ExperimentResult r = analyzed("kernel-shape", shape_arms(common, rare));
    expect_all(r, v, 5);
    EXPECT_EQ(r.comparisons.at(0).a_label, "eff(3x3 s1)");
    EXPECT_EQ(r.comparisons.at(4).b_label, "eff(2x2 s2)");
    const std::string common_text = "common shapes: " + efficiency_list(kCommonShapes, common);
    const std::string rare_text = "others: " + efficiency_list(kRareShapes, rare);
    expect_mentions(r, {common_text.c_str(), rare_text.c_str()});
  }
}

/// Tiny scale: 16K (small) and 64K (large) elements, 1 FLOP and 8 bytes each. ReLU at 1 us / 4 us; at the small
/// size Sigmoid, Tanh, SiLU at the given multiples of ReLU's time, at the large one at 1.5 / 2 / 2.5x; HardSwish at
/// 1.5x and 1.2x.
std::vector<ArmResult> eltwise_arms(double sigmoid, double tanh, double silu) {
  const std::pair<const char*, double> small[] = {
      {"Relu", 1}, {"HardSwish", 1.5}, {"Sigmoid", sigmoid}, {"Tanh", tanh}, {"SiLU", silu}};
  const std::pair<const char*, double> large[] = {
      {"Relu", 1}, {"HardSwish", 1.2}, {"Sigmoid", 1.5}, {"Tanh", 2}, {"SiLU", 2.5}};
  std::vector<ArmResult> arms;
  for (const auto& [name, x] : small) arms.push_back(timed(fmt::format("{} 16K", name), x * 1e-6, cost(16384, 131072)));
  for (const auto& [name, x] : large) arms.push_back(timed(fmt::format("{} 64K", name), x * 4e-6, cost(65536, 524288)));
  return arms;
}

TEST(AnalyzeTranscendentalEltwise, JudgesReluAgainstEachTranscendentalAtTheSmallSize) {
  for (Verdict v : kOutcomes) {
    SCOPED_TRACE(verdict_name(v));
    // The large size is slower for every transcendental in all three cases: only the small one decides.
    const ExperimentResult r = analyzed("transcendental-eltwise", eltwise_arms(pick(v, 3.0, 0.5, 1.0),
                                                                               pick(v, 4.0, 0.6, 1.05),
                                                                               pick(v, 5.0, 0.7, 0.95)));
    expect_all(r, v, 3);
    EXPECT_EQ(r.comparisons.at(1).b_label, "t(Tanh 16K)");
    EXPECT_NEAR(cell(r, "Relu 16K", "time_per_element_ps"), 1e6 / 16384, 1e-9);
    expect_mentions(r, {pick(v, "take 3x / 4x / 5x ReLU's time at 16K elements (128 KiB moved)",
                             "take 0.5x / 0.6x / 0.7x ReLU's time at 16K elements (128 KiB moved)",
                             "take 1x / 1.05x / 0.95x ReLU's time at 16K elements (128 KiB moved)"),
                        "and 1.5x / 2x / 2.5x at 64K (512 KiB moved); HardSwish 1.5x and 1.2x."});
  }
}

}  // namespace
}  // namespace rs
