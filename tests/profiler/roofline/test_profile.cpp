// The profiler core: predictions computed exactly from the formulas, the loss split adding up, OS counts that see
// page faults without the pool, and the CSV/JSON schema.
#include <algorithm>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "graph/passes.h"
#include "graph/shape.h"
#include "profiler/machine/stream_bw.h"
#include "profiler/roofline/profile.h"
#include "profiler/report/profile_report.h"
#include "runtime/topology.h"

namespace rs {
namespace {

constexpr double kNaNCount = std::numeric_limits<double>::quiet_NaN();

Roofs test_roofs() {
  Roofs r;
  r.threads = 2;
  r.peak_theoretical_gflops_per_s = 200;
  r.peak_effective_gflops_per_s = 180;
  r.peak_measured_gflops_per_s = 150;
  r.os_prices = {2e-6, 3e-6, 30e-6};
  r.dram_theoretical_gb_per_s = 40;
  r.dram_measured_gb_per_s = 20;
  r.caches = {{"L1", 64 * 1024, 400}, {"L2", 1024 * 1024, 200}, {"L3", 16 * 1024 * 1024, 80}};
  return r;
}

OpProfile op_with(std::int64_t flops, std::int64_t bytes) {
  OpProfile op;
  op.name = "op";
  op.cost.flops = flops;
  op.cost.bytes = bytes;
  return op;
}

TEST(Profile, ComputeBoundPrediction) {
  // AI = 1e9 / 1e6 = 1000 FLOP/B >> ridge 150/20 = 7.5: compute-bound, time = FLOPs / peak.
  OpProfile op = op_with(1'000'000'000, 1'000'000);
  predict(op, test_roofs());
  EXPECT_EQ(op.bound, "compute");
  EXPECT_EQ(op.cache_level, "L2");  // 1e6 B fits the 1 MiB L2, not the 64 KiB L1
  EXPECT_DOUBLE_EQ(op.t_roof_theoretical_s, 1e9 / 200e9);
  EXPECT_DOUBLE_EQ(op.t_roof_measured_s, 1e9 / 150e9);
  EXPECT_DOUBLE_EQ(op.t_roof_cache_s, 1e9 / 150e9);
}

TEST(Profile, MemoryBoundPredictionAndCacheLevel) {
  // Eltwise-like: AI = 0.25; 8 MiB working set lives in L3 (16 MiB), so the cache-aware roof uses 80 GB/s.
  const std::int64_t bytes = 8 * 1024 * 1024;
  OpProfile op = op_with(bytes / 4, bytes);
  predict(op, test_roofs());
  EXPECT_EQ(op.bound, "memory");
  EXPECT_EQ(op.cache_level, "L3");
  // No theory of cache bandwidth: the theoretical roof of a cache-resident op uses the level's measured one.
  EXPECT_DOUBLE_EQ(op.t_roof_theoretical_s, double(bytes) / 80e9);
  EXPECT_DOUBLE_EQ(op.t_roof_measured_s, double(bytes) / 20e9);
  EXPECT_DOUBLE_EQ(op.t_roof_cache_s, double(bytes) / 80e9);
  OpProfile big = op_with(1, 64 * 1024 * 1024);
  predict(big, test_roofs());
  EXPECT_EQ(big.cache_level, "DRAM");
  EXPECT_DOUBLE_EQ(big.t_roof_cache_s, big.t_roof_measured_s);
  EXPECT_DOUBLE_EQ(big.t_roof_theoretical_s, 64.0 * 1024 * 1024 / 40e9);  // DRAM: the theoretical bandwidth
}

// A working set just past a level's capacity is still mostly held by it: its roof is the sweep measured at that
// size (the envelope: best kernel at that size or larger), not the next level's plateau median; never below it.
TEST(Profile, CacheRoofFollowsTheSweepAtTheWorkingSet) {
  Roofs r = test_roofs();
  r.sweep_envelope = {{512 * 1024, 210}, {1536 * 1024, 120}, {2048 * 1024, 130}, {4096 * 1024, 75}};
  EXPECT_DOUBLE_EQ(sweep_roof_gb_per_s(r, 1024), 210);               // below the first point: the first
  EXPECT_DOUBLE_EQ(sweep_roof_gb_per_s(r, 1600 * 1024), 120);        // the largest point <= the working set
  EXPECT_DOUBLE_EQ(sweep_roof_gb_per_s(r, std::int64_t{1} << 40), 75);
  r.sweep_envelope = {};
  EXPECT_EQ(sweep_roof_gb_per_s(r, 1024), 0);
  r.sweep_envelope = {{1536 * 1024, 120}, {8 * 1024 * 1024, 60}};
  const std::int64_t bytes = 1600 * 1024;  // past the 1 MiB L2: an L3 op, roofed at 120 GB/s, not 80
  OpProfile op = op_with(1, bytes);
  predict(op, r);
  EXPECT_EQ(op.cache_level, "L3");
  EXPECT_DOUBLE_EQ(op.t_roof_cache_s, double(bytes) / 120e9);
  OpProfile deep = op_with(1, 10 * 1024 * 1024);  // the sweep below the plateau median: the median stays
  predict(deep, r);
  EXPECT_DOUBLE_EQ(deep.t_roof_cache_s, 10.0 * 1024 * 1024 / 80e9);
}

// The host's DRAM bandwidth moves: a higher figure measured now raises the DRAM roof (a DRAM-resident op's
// t_roof_cache with it); a lower one or none leaves the calibrated roof.
TEST(Profile, DramBandwidthNowRaisesTheRoofNeverLowersIt) {
  Roofs r = test_roofs();
  r.dram_calibration_gb_per_s = r.dram_measured_gb_per_s;
  raise_dram_roof(r, 0);
  EXPECT_DOUBLE_EQ(r.dram_measured_gb_per_s, 20);
  EXPECT_EQ(r.dram_now_gb_per_s, 0);
  raise_dram_roof(r, 15);
  EXPECT_DOUBLE_EQ(r.dram_measured_gb_per_s, 20);
  EXPECT_DOUBLE_EQ(r.dram_now_gb_per_s, 15);
  raise_dram_roof(r, 25);
  EXPECT_DOUBLE_EQ(r.dram_measured_gb_per_s, 25);
  EXPECT_DOUBLE_EQ(r.dram_calibration_gb_per_s, 20);
  OpProfile big = op_with(1, 64 * 1024 * 1024);
  predict(big, r);
  EXPECT_EQ(big.cache_level, "DRAM");
  EXPECT_DOUBLE_EQ(big.t_roof_cache_s, 64.0 * 1024 * 1024 / 25e9);
}

// The probe itself: a positive rate for a working set beyond the caches, 0 (not a throw) when it cannot run.
TEST(Profile, DramNowProbeMeasuresOrSaysItCouldNot) {
  bind_threads(1, true);
  EXPECT_GT(measure_dram_now_gb_per_s(64 << 20, 1), 0);
  EXPECT_EQ(measure_dram_now_gb_per_s(16, 1), 0);  // too small to give the thread 8 elements
}

TEST(Profile, UnknownRoofGivesNaNNotZero) {
  Roofs r = test_roofs();
  r.peak_theoretical_gflops_per_s = r.peak_effective_gflops_per_s = 0;
  OpProfile op = op_with(1000, 1000);
  predict(op, r);
  EXPECT_TRUE(std::isnan(op.t_roof_theoretical_s));
  op.t_actual_s.median = 1e-6;
  attribute(op, r);
  EXPECT_TRUE(std::isnan(op.loss_hardware_s));
  EXPECT_FALSE(std::isnan(op.loss_software_s));
}

TEST(Profile, OsTimeIsCountsTimesPrices) {
  const OsEventPrices prices{2e-6, 3e-6, 30e-6};
  EXPECT_DOUBLE_EQ(os_time_s({10, 2, 1}, prices), 10 * 2e-6 + 2 * 3e-6 + 30e-6);
  EXPECT_TRUE(std::isnan(os_time_s({kNaNCount, 0, 0}, prices)));            // no counters
  EXPECT_TRUE(std::isnan(os_time_s({1, 0, 0}, OsEventPrices{})));           // no prices
  EXPECT_TRUE(std::isnan(os_time_s({1, 0, 1}, OsEventPrices{2e-6, 3e-6, 0})));  // a migration without a price
  EXPECT_DOUBLE_EQ(os_time_s({1, 0, 0}, OsEventPrices{2e-6, 0, 0}), 2e-6);  // unpriced events that did not happen
}

TEST(Profile, SplitAddsUpWithOsInsideTheMeasuredTime) {
  OpProfile op = op_with(3'000'000'000, 1'000'000);  // compute-bound, in L2
  predict(op, test_roofs());
  op.t_actual_s.median = 40e-3;
  op.t_shields_off_median_s = 45e-3;
  op.counts = {100, 10, 1};  // 0.2 + 0.03 + 0.03 ms
  attribute(op, test_roofs());
  EXPECT_NEAR(op.loss_clock_s, 3e9 / 180e9 - 3e9 / 200e9, 1e-15);
  EXPECT_NEAR(op.loss_pipeline_s, 3e9 / 150e9 - 3e9 / 180e9, 1e-15);
  EXPECT_NEAR(op.loss_hardware_s, op.loss_clock_s + op.loss_pipeline_s, 1e-15);
  EXPECT_NEAR(op.loss_os_s, 0.26e-3, 1e-15);
  EXPECT_NEAR(op.loss_hardware_s + op.loss_os_s + op.loss_software_s, op.t_actual_s.median - op.t_roof_theoretical_s,
              1e-15);
  EXPECT_NEAR(op.shields_saving_s, 5e-3, 1e-15);  // its own column, not in the split
  EXPECT_TRUE(op.flags.empty());
}

TEST(Profile, OsLossIsBoundedByTheOpTime) {
  OpProfile op = op_with(1000, 1000);
  predict(op, test_roofs());
  op.t_actual_s.median = 10e-6;
  op.counts = {1000, 0, 0};  // 2 ms of faults priced, in a 10 us op
  attribute(op, test_roofs());
  EXPECT_DOUBLE_EQ(op.loss_os_s, 10e-6);
  EXPECT_NEAR(op.loss_software_s, -op.t_roof_cache_s, 1e-15);  // what is left: the op took no time beyond its OS events
}

TEST(Profile, AboveRoofAndNegativeComponentsAreFlagged) {
  OpProfile op = op_with(3'000'000'000, 1'000'000);
  predict(op, test_roofs());
  op.t_actual_s.median = 0.9 * op.t_roof_cache_s;  // faster than any kernel can be: the roof is wrong
  op.counts = {0, 0, 0};
  attribute(op, test_roofs());
  EXPECT_GT(op.efficiency_cache, 1);
  EXPECT_NE(std::find(op.flags.begin(), op.flags.end(), "above roof"), op.flags.end());
  EXPECT_NE(std::find(op.flags.begin(), op.flags.end(), "negative software"), op.flags.end());
  OpProfile ok = op_with(3'000'000'000, 1'000'000);
  predict(ok, test_roofs());
  ok.t_actual_s.median = 0.99 * ok.t_roof_cache_s;  // within the 2% tolerance: software slightly negative, kept
  ok.counts = {0, 0, 0};
  attribute(ok, test_roofs());
  EXPECT_LT(ok.loss_software_s, 0);
  EXPECT_EQ(std::count(ok.flags.begin(), ok.flags.end(), "negative software"), 0);
}

TEST(Profile, SoftwareSplitsIntoImplementationAndKernel) {
  OpProfile op = op_with(3'000'000'000, 1'000'000);
  predict(op, test_roofs());
  op.t_actual_s.median = 40e-3;
  op.counts = {0, 0, 0};
  op.choice.source = "tuned";
  op.choice.time_s = 40e-3;
  op.choice.runner_up_time_s = 30e-3;  // a candidate 25% faster than the one chosen
  attribute(op, test_roofs());
  EXPECT_NEAR(op.loss_implementation_s, 10e-3, 1e-15);
  EXPECT_NEAR(op.loss_implementation_s + op.loss_kernel_s, op.loss_software_s, 1e-15);
  op.choice.source = "only";
  attribute(op, test_roofs());
  EXPECT_EQ(op.loss_implementation_s, 0);
  op.choice = StepChoice{};  // oneDNN's first choice, never tuned: unknown, and kernel takes all of software
  op.choice.source = "default";
  attribute(op, test_roofs());
  EXPECT_TRUE(std::isnan(op.loss_implementation_s));
  EXPECT_DOUBLE_EQ(op.loss_kernel_s, op.loss_software_s);
}

TEST(Profile, TotalsAreSumsAndAddUp) {
  ModelProfile p;
  p.roofs = test_roofs();
  for (int i = 1; i <= 3; ++i) {
    OpProfile op = op_with(i * 1'000'000'000LL, i * 4'000'000LL);
    predict(op, p.roofs);
    op.t_actual_s.median = i * 1e-2;
    op.t_shields_off_median_s = i * 1.1e-2;
    op.counts = {double(i), 0, 0};
    attribute(op, p.roofs);
    p.ops.push_back(op);
  }
  const OpProfile t = profile_totals(p);
  EXPECT_EQ(t.cost.flops, 6'000'000'000LL);
  EXPECT_NEAR(t.t_actual_s.median, 6e-2, 1e-15);
  EXPECT_NEAR(t.loss_hardware_s + t.loss_os_s + t.loss_software_s, t.t_actual_s.median - t.t_roof_theoretical_s, 1e-12);
  EXPECT_NEAR(t.loss_os_s, 6 * 2e-6, 1e-15);
  EXPECT_NEAR(t.shields_saving_s, 6e-3, 1e-15);
  double hw = 0, clock = 0;
  for (const auto& op : p.ops) {
    hw += op.loss_hardware_s;
    clock += op.loss_clock_s;
  }
  EXPECT_NEAR(t.loss_hardware_s, hw, 1e-15);
  EXPECT_NEAR(t.loss_clock_s, clock, 1e-15);
}

/// A machine with a theoretical 32 FLOP/cycle/core and one measured peak and clock at 2 threads.
MachineProfile clocked_machine(double nominal_ghz, double calib_ghz, double peak_gflops_per_s) {
  MachineProfile m;
  m.cpu.physical_cores = 2;
  m.theoretical.frequency_ghz = nominal_ghz;
  m.theoretical.fp32_flops_per_cycle_per_core = 32;
  m.theoretical.peak_gflops_per_s = {32 * nominal_ghz, 64 * nominal_ghz};
  PeakMeasurement pk;
  pk.threads = 2;
  pk.isa = "avx512";
  pk.gflops_per_s.value = peak_gflops_per_s;
  m.measured.peaks.push_back(pk);
  m.measured.clocks.push_back({2, calib_ghz});
  return m;
}

TEST(Profile, RoofsRescaleToTheClockNowAndTheCeilingIsTheHighestClock) {
  // 2 threads x 32 FLOP/cycle = 64 GFLOP/s per GHz. Calibrated 192 GFLOP/s at 3.0 GHz; now 2.4 GHz.
  const Roofs r = roofs_for(clocked_machine(2.0, 3.0, 192), 2, 2.4);
  EXPECT_DOUBLE_EQ(r.peak_calibrated_gflops_per_s, 192);
  EXPECT_NEAR(r.peak_measured_gflops_per_s, 192 * 2.4 / 3.0, 1e-9);
  EXPECT_NEAR(r.clock_ceiling_ghz, 3.0, 1e-12);
  EXPECT_NEAR(r.peak_theoretical_gflops_per_s, 64 * 3.0, 1e-9);
  EXPECT_NEAR(r.peak_effective_gflops_per_s, 64 * 2.4, 1e-9);
  EXPECT_NEAR(r.peak_nominal_gflops_per_s, 64 * 2.0, 1e-9);
  EXPECT_LE(r.peak_measured_gflops_per_s, r.peak_effective_gflops_per_s + 1e-9);  // pipeline loss >= 0
}

TEST(Profile, AProbeFasterThanTheClockMeasuredRaisesTheCalibrationClock) {
  // 236.8 GFLOP/s needs 3.7 GHz; the clock probe said 3.5: the roofs take 3.7, so the measured roof never exceeds
  // the theoretical one at the clock now.
  const Roofs r = roofs_for(clocked_machine(2.6, 3.5, 236.8), 2, 3.6);
  EXPECT_NEAR(r.clock_implied_ghz, 3.7, 1e-9);
  EXPECT_NEAR(r.clock_ceiling_ghz, 3.7, 1e-9);
  EXPECT_NEAR(r.peak_measured_gflops_per_s, 236.8 * 3.6 / 3.7, 1e-9);
  EXPECT_NEAR(r.peak_measured_gflops_per_s, r.peak_effective_gflops_per_s, 1e-9);
  const Roofs not_now = roofs_for(clocked_machine(2.6, 3.5, 236.8), 2);  // no clock measured now: no rescale
  EXPECT_DOUBLE_EQ(not_now.peak_measured_gflops_per_s, 236.8);
  MachineProfile no_clock = clocked_machine(2.6, 3.5, 236.8);
  no_clock.measured.clocks.clear();  // calibration without a clock: the implied one is only a lower bound
  EXPECT_DOUBLE_EQ(roofs_for(no_clock, 2, 1.0).peak_measured_gflops_per_s, 236.8);
}

/// A profile with no measured roofs: predictions are NaN, the measurement part is what is tested.
MachineProfile empty_machine() { return MachineProfile{}; }

Graph big_tensor_chain() {
  Graph g;
  int x = g.add_input("x", {1, 64, 128, 128});  // 4 MiB per tensor
  for (int i = 0; i < 4; ++i) x = g.add_node("relu" + std::to_string(i), OpKind::Eltwise, EltwiseAttrs{}, {x});
  g.mark_output(x);
  infer_shapes(g);
  return g;
}

TEST(Profile, NoPoolArmRecordsPageFaultsPoolDoesNot) {
  const int threads = topology().physical_cores;
  ProfileOptions o;
  o.warmup = 2;
  o.iters = 4;
  const ModelProfile p = profile_model("chain", big_tensor_chain(), empty_machine(), threads, o);
  ASSERT_EQ(p.ops.size(), 4u);
  if (p.os_counter_source.rfind("n/a", 0) == 0) GTEST_SKIP() << "no OS counters on this machine: " << p.os_counter_source;
  double on = 0, off = 0;
  for (const auto& op : p.ops) {
    on += op.counts.page_faults;
    off += op.counts_shields_off.page_faults;
  }
  // Without the pool each 4 MiB dst is fresh memory: ~1024 faults per op per run (4 KiB pages; fewer with THP).
  EXPECT_GT(off, 4.0) << "shields-off page faults per run";
  EXPECT_LT(on * 10, off) << "the pooled, pre-faulted arena should fault far less after warm-up";
  EXPECT_TRUE(std::isnan(p.ops[0].t_roof_measured_s));  // no roofs in an empty machine profile
  EXPECT_GT(p.e2e_s.median, 0);
  EXPECT_EQ(p.step_s.size(), 4u);
  EXPECT_EQ(p.run_start_s.size(), 4u);
}

TEST(Profile, CsvAndJsonSchema) {
  ProfileOptions o;
  o.warmup = 0;
  o.iters = 2;
  o.shields_off_arm = false;
  const ModelProfile p = profile_model("chain", big_tensor_chain(), empty_machine(), 1, o);
  const auto order = profile_order(p, ProfileSort::Time, 0);
  const std::string csv = profile_table(p, order, true).render(Format::Csv);
  const std::string header = csv.substr(0, csv.find('\n'));
  for (const char* key : {"name", "op", "impl", "macs", "flops", "bytes", "intensity_flop_per_byte", "bound",
                          "cache_level", "t_roof_theoretical_s", "t_roof_measured_s", "t_roof_cache_s",
                          "t_actual_median_s", "t_actual_p90_s", "t_actual_cv", "attained_flop_per_s",
                          "attained_byte_per_s", "efficiency", "efficiency_cache", "loss_hardware_s", "loss_os_s",
                          "loss_software_s", "page_faults", "context_switches", "migrations"})
    EXPECT_NE(header.find(key), std::string::npos) << key;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 4);  // header, ops: no totals row by default
  Table with_totals = profile_table(p, order, true);
  with_totals.set_csv_totals(true);
  const std::string csv_t = with_totals.render(Format::Csv);
  EXPECT_EQ(std::count(csv_t.begin(), csv_t.end(), '\n'), 1 + 4 + 1);  // header, ops, totals
  const nlohmann::json j = profile_json(p, order);
  EXPECT_EQ(j["schema"], "roofscope.profile");
  EXPECT_EQ(j["ops"].size(), 4u);
  EXPECT_TRUE(j["ops"][0]["t_roof_measured_s"].is_null());  // unknown roof -> null, never 0
  EXPECT_TRUE(j["ops"][0]["loss_os_s"].is_null());          // no A/B arm
  EXPECT_GT(j["e2e"]["median_s"].get<double>(), 0);
}

TEST(Profile, SortAndTop) {
  ModelProfile p;
  for (int i = 0; i < 5; ++i) {
    OpProfile op = op_with((5 - i) * 100, 10);
    op.t_actual_s.median = i * 1e-3;
    op.efficiency = i == 2 ? NAN : 1.0 / (i + 1);
    p.ops.push_back(op);
  }
  EXPECT_EQ(profile_order(p, ProfileSort::Time, 2), (std::vector<std::size_t>{4, 3}));
  EXPECT_EQ(profile_order(p, ProfileSort::Flops, 1), (std::vector<std::size_t>{0}));
  EXPECT_EQ(profile_order(p, ProfileSort::Efficiency, 0).back(), 2u);  // NaN last
  EXPECT_THROW(parse_profile_sort("speed"), std::invalid_argument);
}

}  // namespace
}  // namespace rs
