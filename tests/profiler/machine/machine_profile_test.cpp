// Machine profile JSON: round trip, validation messages that name the bad field, the table view, and the cache
// (corrupt, truncated, foreign and valid files). Cache tests that must recalibrate use a tiny sweep (< 1 s).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "profiler/machine/calibrate.h"
#include "profiler/machine/cpu_info.h"
#include "runtime/topology.h"
#include "profiler/report/machine_report.h"

namespace rs {
namespace {

using nlohmann::json;

/// A complete profile of a made-up 2-core machine (no measurement involved).
MachineProfile fixture() {
  MachineProfile p;
  p.created_utc = "2024-05-01T12:00:00Z";
  p.cpu.identity = {"AuthenticAMD", "Test CPU 2-Core", 0x19, 0x01, 1, {}};
  p.cpu.identity.isa.avx2 = p.cpu.identity.isa.fma = p.cpu.identity.isa.avx = true;
  p.cpu.physical_cores = p.cpu.logical_cpus = 2;
  p.cpu.caches = {{1, 32768, 1}, {2, 524288, 1}, {3, 33554432, 2}};
  TheoreticalRoofs& t = p.theoretical;
  t.frequency_ghz = 2.5;
  t.frequency_source = "/proc/cpuinfo (cpu MHz)";
  t.fp_units = {"Zen 3", 2, 256, false, "AMD pub. 56665"};
  t.simd_isa = "avx2_fma";
  t.simd_bits = 256;
  t.fp32_flops_per_cycle_per_core = 32;
  t.peak_gflops_per_s = {80.0, 160.0};
  t.dram.source = "unknown: dmidecode not readable";
  MeasuredRoofs& m = p.measured;
  m.quick = true;
  m.repetitions = 3;
  m.stream_isa = "avx2";
  m.byte_counting = "STREAM";
  m.seconds = 2.5;
  m.peaks = {{1, "avx2_fma", {84.0, 0.02, 3}}, {2, "avx2_fma", {150.0, 0.05, 3}}, {1, "sse2", {20.0, 0.01, 3}}};
  LevelBandwidth l1{"L1", 1, 16384, 32768, true, {{"triad", {180.0, 0.03, 3}}, {"read", {200.0, 0.01, 3}}}};
  LevelBandwidth dram{"DRAM", 1, 67108864, 134217728, true, {{"triad", {18.0, 0.12, 3}}, {"read", {20.0, 0.02, 3}}}};
  LevelBandwidth dram2{"DRAM", 2, 67108864, 134217728, false, {{"triad", {25.0, 0.04, 3}}}};
  m.bandwidth = {l1, dram, dram2};
  m.sweeps = {{1, "triad", {16384, 32768}, {180.0, 170.0}, {0.03, 0.01}}};
  p.warnings = {"measured FP32 peak at 1 threads exceeds the theoretical"};
  return p;
}

TEST(MachineProfileJson, RoundTrip) {
  const MachineProfile p = fixture();
  const json j = p;
  EXPECT_EQ(j.at("schema"), kMachineProfileSchema);
  EXPECT_EQ(j.at("schema_version"), kMachineProfileSchemaVersion);
  EXPECT_TRUE(j.at("theoretical").at("dram").at("gb_per_s").is_null());  // unknown stays unknown
  const MachineProfile q = j.get<MachineProfile>();
  EXPECT_EQ(json(q), j);  // every field survives
  EXPECT_EQ(q.max_threads(), 2);
  EXPECT_DOUBLE_EQ(q.measured_peak_gflops_per_s(1), 84.0);  // best ISA
  EXPECT_DOUBLE_EQ(q.measured_bandwidth_gb_per_s("DRAM", 1), 20.0);  // roof = best kernel
  EXPECT_DOUBLE_EQ(q.measured_bandwidth_gb_per_s("DRAM", 1, "triad"), 18.0);
  EXPECT_DOUBLE_EQ(q.measured_ridge_flop_per_byte(1), 84.0 / 20.0);
  EXPECT_EQ(q.theoretical_ridge_flop_per_byte(1), 0.0);  // DRAM theory unknown -> n/a
  EXPECT_EQ(q.measured_bandwidth_gb_per_s("L2", 1), 0.0);
}

struct Corruption {
  const char* label;
  std::function<void(json&)> mutate;
  const char* expected_in_message;
};

class MachineProfileValidation : public ::testing::TestWithParam<Corruption> {};

TEST_P(MachineProfileValidation, NamesTheProblem) {
  json j = fixture();
  GetParam().mutate(j);
  try {
    (void)j.get<MachineProfile>();
    FAIL() << "accepted an invalid profile";
  } catch (const MachineProfileError& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam().expected_in_message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Corrupt, MachineProfileValidation,
    ::testing::Values(
        Corruption{"NotObject", [](json& j) { j = json::array(); }, "(root): expected a JSON object"},
        Corruption{"ForeignSchema", [](json& j) { j["schema"] = "something.else"; }, "schema: expected"},
        Corruption{"FutureVersion", [](json& j) { j["schema_version"] = 99; }, "schema_version"},
        Corruption{"MissingCpu", [](json& j) { j.erase("cpu"); }, "cpu: expected an object, got nothing"},
        Corruption{"CoresAsString", [](json& j) { j["cpu"]["physical_cores"] = "2"; }, "cpu.physical_cores"},
        Corruption{"NegativePeak", [](json& j) { j["measured"]["peaks"][1]["gflops_per_s"]["value"] = -3; },
                   "measured.peaks[1].gflops_per_s.value: expected a number > 0, got -3"},
        Corruption{"ImplausiblePeak", [](json& j) { j["measured"]["peaks"][0]["gflops_per_s"]["value"] = 1e30; },
                   "measured.peaks[0].gflops_per_s.value: 1e+30 GFLOP/s at 1 thread(s) is above what 32 FLOP/cycle"},
        Corruption{"ImplausibleBandwidth",
                   [](json& j) { j["measured"]["bandwidth"][0]["gb_per_s"]["read"]["value"] = 1e9; },
                   "measured.bandwidth[0] (L1 at 1 thread(s)): 1000000000 GB/s is above 256 B/cycle"},
        Corruption{"ThreadsBeyondCores", [](json& j) { j["measured"]["peaks"][0]["threads"] = 3; },
                   "measured.peaks[0].threads"},
        Corruption{"TheoryLength", [](json& j) { j["theoretical"]["peak_gflops_per_s"] = {80.0}; },
                   "one entry per thread count"},
        Corruption{"BadLevel", [](json& j) { j["measured"]["bandwidth"][0]["level"] = "L7"; }, "L1, L2, L3"},
        Corruption{"SweepLengths", [](json& j) { j["measured"]["sweeps"][0]["gb_per_s"] = {1.0}; },
                   "as many entries"},
        Corruption{"NanInSweep", [](json& j) { j["measured"]["sweeps"][0]["spread"][1] = "x"; },
                   "measured.sweeps[0].spread[1]"},
        Corruption{"NoPeaks", [](json& j) { j["measured"]["peaks"] = json::array(); }, "at least one measured peak"}),
    [](const ::testing::TestParamInfo<Corruption>& info) { return std::string(info.param.label); });

TEST(MachineTable, ShowsRatiosAndUnknowns) {
  const std::string table = format_machine_table(fixture());
  EXPECT_NE(table.find("105% (!)"), std::string::npos) << table;  // 84 measured vs 80 theoretical
  EXPECT_NE(table.find("94%"), std::string::npos) << table;       // 150 vs 160
  EXPECT_NE(table.find("n/a"), std::string::npos) << table;       // DRAM theory unknown
  EXPECT_NE(table.find("Warnings"), std::string::npos);
}

/// A scratch cache directory per test.
class CacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rs_cache_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    options_.cache_dir = dir_.string();
    options_.progress = false;
    options_.sweep_min_bytes = 16 * 1024;  // tiny sweep: the recalibration takes well under a second
    options_.sweep_max_bytes = 64 * 1024;
    options_.points_per_octave = 1;
    options_.repetitions = 1;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write_cache(const std::string& text) {
    std::filesystem::create_directories(dir_);
    std::ofstream(machine_cache_path(options_)) << text;
  }
  std::filesystem::path dir_;
  CalibrateOptions options_;
};

TEST_F(CacheTest, BadCacheFilesAreReportedAndReplaced) {
  json foreign = fixture();  // valid, but of another CPU
  const std::string valid_text = json(fixture()).dump();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"garbage", "not json at all"},
      {"truncated", valid_text.substr(0, valid_text.size() / 2)},
      {"foreign", foreign.dump()},
  };
  for (const auto& [label, text] : cases) {
    write_cache(text);
    std::ostringstream log;
    const MachineProfile p = load_or_calibrate(options_, log);
    const std::string line = log.str();
    EXPECT_NE(line.find("ignoring cached machine profile"), std::string::npos) << label << ": " << line;
    EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << label << ": one line expected";
    EXPECT_TRUE(p.measured.quick) << label;
    EXPECT_EQ(profile_mismatch(p, p.cpu.physical_cores), "") << label;
    // The replacement is now cached and used as is.
    std::ostringstream again;
    EXPECT_EQ(load_or_calibrate(options_, again).created_utc, p.created_utc) << label;
    EXPECT_EQ(again.str(), "") << label;
  }
}

TEST_F(CacheTest, MachineFileErrorsAreNotSwallowed) {
  options_.machine_file = (dir_ / "missing.json").string();
  std::ostringstream log;
  EXPECT_THROW(load_or_calibrate(options_, log), MachineProfileError);
  std::filesystem::create_directories(dir_);
  save_machine_profile(fixture(), (dir_ / "given.json").string());
  options_.machine_file = (dir_ / "given.json").string();
  EXPECT_EQ(load_or_calibrate(options_, log).cpu.identity.model_name, "Test CPU 2-Core");  // a foreign file is OK
}

}  // namespace
}  // namespace rs

namespace rs {
namespace {

/// fixture() as if measured on this machine (its CPU model and core count), so the cache accepts it.
MachineProfile fixture_of_this_machine(bool quick, const std::string& created_utc) {
  MachineProfile p = fixture();
  p.cpu.identity.model_name = read_cpu_identity().model_name;
  p.measured.quick = quick;
  p.created_utc = created_utc;
  return p;
}

TEST_F(CacheTest, AQuickProfileNeverReplacesAFullOneUnlessAsked) {
  if (topology().physical_cores != 2) GTEST_SKIP() << "the fixture describes 2 cores";
  MachineProfile full = fixture_of_this_machine(false, "2026-01-01T00:00:00Z");
  EXPECT_EQ(update_machine_cache(full, options_, false), "machine profile cached: " + machine_cache_path(options_));
  EXPECT_EQ(full.loaded_from, machine_cache_path(options_));
  MachineProfile quick = fixture_of_this_machine(true, "2026-01-02T00:00:00Z");
  EXPECT_NE(update_machine_cache(quick, options_, false).find("kept the full profile"), std::string::npos);
  EXPECT_EQ(quick.loaded_from, "");
  const MachineProfile kept = load_machine_profile(machine_cache_path(options_));
  EXPECT_FALSE(kept.measured.quick);
  EXPECT_EQ(kept.loaded_from, machine_cache_path(options_));
  update_machine_cache(quick, options_, /*replace=*/true);
  EXPECT_TRUE(load_machine_profile(machine_cache_path(options_)).measured.quick);
  MachineProfile full_again = fixture_of_this_machine(false, "2026-01-03T00:00:00Z");  // full replaces quick
  update_machine_cache(full_again, options_, false);
  EXPECT_EQ(load_machine_profile(machine_cache_path(options_)).created_utc, "2026-01-03T00:00:00Z");
}

TEST(KeepHigherRoofs, RoofsOnlyRiseAndSayWhereTheyCameFrom) {
  MachineProfile cached = fixture_of_this_machine(false, "2026-01-01T00:00:00Z");
  MachineProfile fresh = fixture_of_this_machine(false, "2026-01-02T00:00:00Z");
  ASSERT_FALSE(fresh.measured.peaks.empty());
  ASSERT_FALSE(fresh.measured.bandwidth.empty());
  PeakMeasurement& slow = fresh.measured.peaks[0];  // a noisy moment: this run's first peak is low...
  slow.gflops_per_s.value = 0.5 * cached.measured.peaks[0].gflops_per_s.value;
  const double high_peak = cached.measured.peaks[0].gflops_per_s.value;
  auto& bw = fresh.measured.bandwidth[0].gb_per_s.begin()->second;  // ...and one bandwidth figure too
  const double high_bw = bw.value;
  bw.value = 0.7 * high_bw;
  fresh.measured.peaks.back().gflops_per_s.value *= 1.2;  // while another figure went up
  const double risen = fresh.measured.peaks.back().gflops_per_s.value;
  EXPECT_EQ(keep_higher_roofs(fresh, cached), 2);
  EXPECT_DOUBLE_EQ(fresh.measured.peaks[0].gflops_per_s.value, high_peak);
  EXPECT_NE(fresh.measured.peaks[0].detail.find("kept from the calibration of 2026-01-01T00:00:00Z"), std::string::npos);
  EXPECT_DOUBLE_EQ(bw.value, high_bw);
  EXPECT_DOUBLE_EQ(fresh.measured.peaks.back().gflops_per_s.value, risen);  // a higher fresh figure stays
  EXPECT_NE(fresh.warnings.back().find("2 roof figure(s) kept"), std::string::npos);
  EXPECT_EQ(keep_higher_roofs(fresh, cached), 0);  // nothing left to take
}

TEST_F(CacheTest, ACachedProfileLendsItsHigherRoofsUnlessReplaced) {
  if (topology().physical_cores != 2) GTEST_SKIP() << "the fixture describes 2 cores";
  MachineProfile first = fixture_of_this_machine(false, "2026-01-01T00:00:00Z");
  const double high = first.measured.peaks[0].gflops_per_s.value;
  update_machine_cache(first, options_, false);
  MachineProfile low = fixture_of_this_machine(false, "2026-01-02T00:00:00Z");
  low.measured.peaks[0].gflops_per_s.value = high / 2;
  MachineProfile low_too = low;
  update_machine_cache(low, options_, false);
  EXPECT_DOUBLE_EQ(load_machine_profile(machine_cache_path(options_)).measured.peaks[0].gflops_per_s.value, high);
  update_machine_cache(low_too, options_, /*replace=*/true);
  EXPECT_DOUBLE_EQ(load_machine_profile(machine_cache_path(options_)).measured.peaks[0].gflops_per_s.value, high / 2);
}

TEST_F(CacheTest, AProfileOfFewerThreadsIsNotCached) {
  MachineProfile one = fixture_of_this_machine(false, "2026-01-01T00:00:00Z");
  one.cpu.physical_cores = 3;  // the fixture measured 1..2 threads
  EXPECT_NE(update_machine_cache(one, options_, true).find("not cached"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(machine_cache_path(options_)));
}

}  // namespace
}  // namespace rs
