// Topology and thread binding, the timing statistics, sweep sizes, and one tiny calibration smoke run that asserts
// only that every figure is finite and positive (no timing is asserted).
#include <gtest/gtest.h>
#include <omp.h>
#include <sched.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "profiler/machine/calibrate.h"
#include "profiler/machine/fma_peak.h"
#include "profiler/machine/stream_bw.h"
#include "runtime/topology.h"

namespace rs {
namespace {

TEST(Topology, IsConsistent) {
  const Topology& t = topology();
  EXPECT_GE(t.physical_cores, 1);
  EXPECT_GE(t.logical_cpus, t.physical_cores);
  EXPECT_GE(t.packages, 1);
  EXPECT_EQ(static_cast<int>(t.core_os_index.size()), t.physical_cores);
  for (size_t i = 1; i < t.caches.size(); ++i) EXPECT_GT(t.caches[i].level, t.caches[i - 1].level);
  for (const CacheLevel& c : t.caches) {
    EXPECT_GT(c.size_bytes, 0);
    EXPECT_GE(c.cores_sharing, 1);
  }
}

TEST(BindThreads, RejectsOutOfRange) {
  const int cores = topology().physical_cores;
  for (int bad : {0, -1, cores + 1}) {
    try {
      bind_threads(bad, true);
      FAIL() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), "threads must be between 1 and " + std::to_string(cores) + " (got " +
                                           std::to_string(bad) + ")");
    }
  }
}

class BindEachCount : public ::testing::TestWithParam<int> {};

TEST_P(BindEachCount, PinsThreadIToCoreI) {
  const int n = GetParam();
  if (n > topology().physical_cores) GTEST_SKIP() << "machine has fewer cores";
  const BindingReport r = bind_threads(n, true);
  ASSERT_EQ(r.threads, n);
  if (!r.bound) GTEST_SKIP() << "binding unavailable here: " << r.note;
  for (int i = 0; i < n; ++i) EXPECT_EQ(r.cpu_of_thread[static_cast<size_t>(i)], topology().core_os_index[i]);
  // The binding stays with the OpenMP team for later parallel regions of the same size.
  std::vector<int> cpus(static_cast<size_t>(n), -1);
#pragma omp parallel num_threads(n)
  cpus[static_cast<size_t>(omp_get_thread_num())] = sched_getcpu();
  for (int i = 0; i < n; ++i) EXPECT_EQ(cpus[static_cast<size_t>(i)], topology().core_os_index[i]);
  EXPECT_NE(r.describe().find("pinned"), std::string::npos);
  const BindingReport u = bind_threads(n, false);
  EXPECT_FALSE(u.bound);
  EXPECT_NE(u.describe().find("unbound"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Counts, BindEachCount, ::testing::Values(1, 2, 4));

TEST(RateStats, BestMedianSpread) {
  const RateStats s = summarize_rates({9.0, 10.0, 8.0, 10.0});
  EXPECT_DOUBLE_EQ(s.best, 10.0);
  EXPECT_DOUBLE_EQ(s.worst, 8.0);
  EXPECT_DOUBLE_EQ(s.median, 9.5);
  EXPECT_DOUBLE_EQ(s.spread, 0.2);
  EXPECT_TRUE(s.noisy());
  EXPECT_FALSE(summarize_rates({10.0, 9.5}).noisy());
  EXPECT_THROW(summarize_rates({}), std::invalid_argument);
}

TEST(SweepSizes, GeometricAndCovering) {
  const auto s = sweep_sizes(16 * 1024, 128 * 1024 * 1024, 3);
  EXPECT_EQ(s.front(), 16 * 1024);
  EXPECT_GE(s.back(), 128 * 1024 * 1024);
  EXPECT_EQ(s.size(), 3u * 13 + 1);  // 13 octaves, 3 points each, plus the end
  for (size_t i = 1; i < s.size(); ++i) {
    EXPECT_GT(s[i], s[i - 1]);
    EXPECT_EQ(s[i] % 64, 0);
  }
  EXPECT_THROW(sweep_sizes(16, 1024, 1), std::invalid_argument);
  EXPECT_THROW(sweep_sizes(1024, 512, 1), std::invalid_argument);
  EXPECT_THROW(sweep_sizes(1024, 2048, 0), std::invalid_argument);
}

TEST(StreamKernels, ByteCounting) {
  EXPECT_EQ(stream_arrays(StreamKernel::copy), 2);
  EXPECT_EQ(stream_arrays(StreamKernel::scale), 2);
  EXPECT_EQ(stream_arrays(StreamKernel::add), 3);
  EXPECT_EQ(stream_arrays(StreamKernel::triad), 3);
  EXPECT_EQ(stream_arrays(StreamKernel::read), 1);
  StreamBuffers buffers(64 * 1024, 1);
  EXPECT_THROW(buffers.measure(StreamKernel::triad, 1024 * 1024, 1, {}), std::invalid_argument);  // beyond arena
  EXPECT_THROW(buffers.measure(StreamKernel::triad, 64, 1, {}), std::invalid_argument);           // < 8 elements
}

TEST(FmaKernels, AvailableAndDeterministic) {
  const auto kernels = available_fma_kernels();
  ASSERT_FALSE(kernels.empty());
  EXPECT_EQ(kernels.back().isa, "sse2");
  for (const FmaKernel& k : kernels) {
    EXPECT_EQ(k.flops_per_iter, k.accumulators * (k.simd_bits / 32) * 2.0) << k.isa;
    // acc -> acc * m + c moves from its seed (0.5 + 0.01 k <= 0.66) towards c / (1 - m) = 0.1, so every lane stays
    // in (0, 1) and the sum of all lanes (16 x 16 with AVX-512, 12 x 8 with AVX2) is finite and below the lane count.
    const float r = k.run(100000, 0.5f);
    const float lanes = static_cast<float>(k.accumulators * (k.simd_bits / 32));
    EXPECT_TRUE(std::isfinite(r)) << k.isa;
    EXPECT_GT(r, 0.0f) << k.isa;
    EXPECT_LT(r, lanes) << k.isa;
  }
}

TEST(CalibrateSmoke, TinyRunGivesFinitePositiveFigures) {
  CalibrateOptions o;
  o.quick = true;
  o.progress = false;
  o.sweep_min_bytes = 16 * 1024;
  o.sweep_max_bytes = 256 * 1024;
  o.points_per_octave = 1;
  o.repetitions = 2;
  const MachineProfile p = calibrate(o);
  ASSERT_EQ(p.max_threads(), topology().physical_cores);
  for (const PeakMeasurement& m : p.measured.peaks) {
    EXPECT_TRUE(std::isfinite(m.gflops_per_s.value) && m.gflops_per_s.value > 0) << m.isa << " " << m.threads;
  }
  ASSERT_FALSE(p.measured.bandwidth.empty());
  for (const LevelBandwidth& l : p.measured.bandwidth) {
    EXPECT_EQ(l.gb_per_s.size(), kStreamKernels.size()) << l.level;
    for (const auto& [kernel, rate] : l.gb_per_s)
      EXPECT_TRUE(std::isfinite(rate.value) && rate.value > 0) << l.level << " " << kernel;
  }
  EXPECT_EQ(p.measured.sweeps.size(), kStreamKernels.size() * static_cast<size_t>(p.max_threads()));
  const MachineProfile back = nlohmann::json(p).get<MachineProfile>();  // what we measure, we can read back
  EXPECT_EQ(nlohmann::json(back), nlohmann::json(p));
  CalibrateOptions too_many = o;
  too_many.max_threads = topology().physical_cores + 1;
  EXPECT_THROW(calibrate(too_many), std::invalid_argument);
}

}  // namespace
}  // namespace rs
