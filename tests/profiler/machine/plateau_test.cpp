// Plateau detection on synthetic bandwidth curves: smooth steps at the cache capacities plus deterministic noise.
// Tolerance: each level's figure within 5% of the true plateau (noise is +-3%, transitions are excluded).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "profiler/machine/microbench_plateau.h"
#include "profiler/machine/stream_bw.h"

namespace rs {
namespace {

constexpr std::int64_t KiB = 1024, MiB = 1024 * 1024;

const std::vector<CacheLevel> kCaches = {{1, 32 * KiB, 1}, {2, 512 * KiB, 1}, {3, 32 * MiB, 2}};

TEST(LevelWindows, AggregatesPrivateAndSharedCaches) {
  const auto one = level_windows(kCaches, 1);
  ASSERT_EQ(one.size(), 4u);
  EXPECT_EQ(one[0].level, "L1");
  EXPECT_EQ(one[0].upper_bytes, 32 * KiB);
  EXPECT_EQ(one[2].upper_bytes, 32 * MiB);
  EXPECT_EQ(one[3].level, "DRAM");
  EXPECT_EQ(one[3].upper_bytes, std::numeric_limits<std::int64_t>::max());
  const auto two = level_windows(kCaches, 2);
  EXPECT_EQ(two[0].upper_bytes, 64 * KiB);    // private: 2 instances
  EXPECT_EQ(two[1].upper_bytes, 1 * MiB);
  EXPECT_EQ(two[2].upper_bytes, 32 * MiB);    // shared by 2 cores: one instance
  EXPECT_EQ(level_windows({}, 1).size(), 1u);  // no cache info: DRAM only
  EXPECT_THROW(level_windows(kCaches, 0), std::invalid_argument);
}

struct Curve {
  const char* label;
  int threads;
  std::vector<double> levels_gb_per_s;  // L1, L2, L3, DRAM plateaus
  double transition_octaves;            // width of each smooth step
  int points_per_octave;
};

/// Bandwidth at ws: a product of logistic steps in log2(ws) centred a bit below each capacity, times +-3% noise.
std::vector<SweepPoint> synthesize(const Curve& c, const std::vector<MemoryLevelWindow>& windows) {
  std::vector<SweepPoint> out;
  int i = 0;
  for (std::int64_t ws : sweep_sizes(16 * KiB, 256 * MiB, c.points_per_octave)) {
    const double x = std::log2(static_cast<double>(ws));
    double bw = c.levels_gb_per_s[0];
    for (size_t k = 0; k + 1 < c.levels_gb_per_s.size(); ++k) {
      const double centre = std::log2(static_cast<double>(windows[k].upper_bytes)) + 0.2;
      const double step = 1.0 / (1.0 + std::exp(-(x - centre) / (c.transition_octaves / 4)));
      bw *= std::pow(c.levels_gb_per_s[k + 1] / c.levels_gb_per_s[k], step);
    }
    const double noise = 0.03 * std::sin(1.7 * ++i);  // deterministic, in [-3%, 3%]
    out.push_back({ws, bw * (1 + noise)});
  }
  return out;
}

class Plateaus : public ::testing::TestWithParam<Curve> {};

TEST_P(Plateaus, FindsEveryLevel) {
  const Curve& c = GetParam();
  const auto windows = level_windows(kCaches, c.threads);
  const auto plateaus = detect_plateaus(synthesize(c, windows), windows);
  ASSERT_EQ(plateaus.size(), 4u);
  const char* names[] = {"L1", "L2", "L3", "DRAM"};
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(plateaus[k].level, names[k]);
    EXPECT_NEAR(plateaus[k].gb_per_s, c.levels_gb_per_s[k], 0.05 * c.levels_gb_per_s[k]) << names[k];
    EXPECT_GE(plateaus[k].first_bytes, windows[k].lower_bytes);
    EXPECT_LE(plateaus[k].last_bytes, windows[k].upper_bytes);
    EXPECT_LE(plateaus[k].flatness, 0.3);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Synthetic, Plateaus,
    ::testing::Values(Curve{"OneThreadSharp", 1, {200, 90, 45, 15}, 0.3, 3},
                      Curve{"OneThreadSmooth", 1, {200, 90, 45, 15}, 1.0, 3},
                      Curve{"TwoThreads", 2, {400, 180, 70, 20}, 0.5, 3},
                      Curve{"QuickSweep", 1, {200, 90, 45, 15}, 0.3, 1},
                      Curve{"EqualL2L3", 1, {200, 60, 60, 15}, 0.5, 3}),
    [](const ::testing::TestParamInfo<Curve>& info) { return std::string(info.param.label); });

TEST(Plateaus, EmptyAndPartialCurves) {
  const auto windows = level_windows(kCaches, 1);
  EXPECT_TRUE(detect_plateaus({}, windows).empty());
  // A sweep that stops inside L2 reports L1 and L2 only; non-positive points are dropped.
  const std::vector<SweepPoint> partial = {{16 * KiB, 100}, {24 * KiB, 101}, {64 * KiB, 50}, {128 * KiB, 49},
                                           {256 * KiB, -1}};
  const auto p = detect_plateaus(partial, windows);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].level, "L1");
  EXPECT_NEAR(p[0].gb_per_s, 100.5, 1e-9);
  EXPECT_TRUE(p[0].detected);
  EXPECT_EQ(p[1].points, 2);
}

TEST(Plateaus, DramIsTheTailEvenWhenAHiddenCacheStretchesTheTransition) {
  // A VM whose vCPUs sit on two L3s: 40-80 MiB still partly cached (35 GB/s, 5 points), true DRAM beyond (20 GB/s).
  const auto windows = level_windows(kCaches, 1);
  std::vector<SweepPoint> curve;
  for (std::int64_t mib : {40, 48, 56, 64, 80}) curve.push_back({mib * MiB, 35.0});
  for (std::int64_t mib : {128, 192, 256}) curve.push_back({mib * MiB, 20.0 + static_cast<double>(mib) / 256});
  const auto p = detect_plateaus(curve, windows);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].level, "DRAM");
  EXPECT_NEAR(p[0].gb_per_s, 20.75, 1e-9);  // median of 20.5, 20.75, 21
  EXPECT_EQ(p[0].first_bytes, 128 * MiB);
}

TEST(Plateaus, SinglePointIsNotDetected) {
  const auto windows = level_windows(kCaches, 1);
  const auto p = detect_plateaus({{16 * KiB, 100}, {64 * KiB, 50}, {96 * KiB, 50}}, windows);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_FALSE(p[0].detected);
  EXPECT_TRUE(p[1].detected);
}

}  // namespace
}  // namespace rs
