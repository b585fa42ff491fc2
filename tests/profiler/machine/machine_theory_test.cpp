// Theoretical roofs on fixed CPU descriptions: the peak formula (seed 001's examples), the FMA-unit table, frequency
// sources and dmidecode parsing. Exact arithmetic, so tolerances are 1e-9 relative.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "profiler/machine/cpu_info.h"
#include "profiler/machine/machine_theory.h"

namespace rs {
namespace {

CpuIdentity cpu(const char* vendor, const char* name, int family, int model, int simd_bits) {
  CpuIdentity c;
  c.vendor = vendor;
  c.model_name = name;
  c.family = family;
  c.model = model;
  c.isa.avx = c.isa.avx2 = c.isa.fma = simd_bits >= 256;
  c.isa.avx512f = simd_bits >= 512;
  return c;
}

CpuIdentity amx(CpuIdentity c) {
  c.isa.amx_tile = true;
  return c;
}

TEST(TheoreticalPeak, SeedExampleTenCores) {
  // Seed 001 §I: 10 cores x 3.0 GHz x 16 FLOP/cycle = 480 GFLOP/s.
  EXPECT_NEAR(theoretical_peak_gflops_per_s(10, 3.0, 16), 480.0, 1e-9);
}

struct TableCase {
  const char* label;
  CpuIdentity cpu;
  int cores;
  double ghz;
  int flops_per_cycle;     // expected FP32 FLOP/cycle/core at the widest ISA
  double peak_gflops;      // expected cores x ghz x flops_per_cycle
  bool assumed;
};

class FmaTable : public ::testing::TestWithParam<TableCase> {};

TEST_P(FmaTable, PeakFromTable) {
  const TableCase& c = GetParam();
  const CoreFpUnits units = core_fp_units(c.cpu);
  EXPECT_EQ(units.fp32_flops_per_cycle(c.cpu.isa.simd_bits()), c.flops_per_cycle) << units.microarchitecture;
  EXPECT_EQ(units.assumed, c.assumed) << units.source;
  EXPECT_FALSE(units.source.empty());
  const double peak = theoretical_peak_gflops_per_s(c.cores, c.ghz, c.flops_per_cycle);
  EXPECT_NEAR(peak, c.peak_gflops, 1e-9 * c.peak_gflops);
}

INSTANTIATE_TEST_SUITE_P(
    Cpus, FmaTable,
    ::testing::Values(
        // Seed 001 §III.1: i9-10980XE, 16 cores x 4.5 GHz x (16 lanes x 2 FMA x 2) = 4.608 TFLOP/s.
        TableCase{"i9_10980XE", cpu("GenuineIntel", "Intel(R) Core(TM) i9-10980XE CPU @ 3.00GHz", 6, 0x55, 512), 16,
                  4.5, 64, 4608.0, false},
        TableCase{"XeonGold6248", cpu("GenuineIntel", "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", 6, 0x55, 512), 20,
                  2.5, 64, 3200.0, false},
        TableCase{"XeonSilver4110", cpu("GenuineIntel", "Intel(R) Xeon(R) Silver 4110 CPU @ 2.10GHz", 6, 0x55, 512),
                  8, 2.1, 32, 537.6, false},
        TableCase{"SkylakeSpNoSku", cpu("GenuineIntel", "Intel Xeon Processor (Cascadelake)", 6, 0x55, 512), 4, 2.0,
                  64, 512.0, true},
        TableCase{"Haswell", cpu("GenuineIntel", "Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz", 6, 0x3c, 256), 4, 3.4, 32,
                  435.2, false},
        TableCase{"Zen3Milan", cpu("AuthenticAMD", "AMD EPYC 7763 64-Core Processor", 0x19, 0x01, 256), 2, 2.445, 32,
                  156.48, false},
        TableCase{"Zen1", cpu("AuthenticAMD", "AMD Ryzen 7 1700", 0x17, 0x01, 256), 8, 3.0, 16, 384.0, false},
        TableCase{"Zen4Avx512", cpu("AuthenticAMD", "AMD EPYC 9654", 0x19, 0x11, 512), 96, 2.4, 32, 7372.8, false},
        TableCase{"RocketLakeClient", cpu("GenuineIntel", "11th Gen Intel(R) Core(TM) i9-11900K", 6, 0xa7, 512), 8,
                  3.5, 32, 896.0, false},
        TableCase{"AmxOutranksClientModel", amx(cpu("GenuineIntel", "Intel(R) Xeon(R) Processor", 6, 0xa7, 512)), 2,
                  3.0, 64, 384.0, false},
        TableCase{"UnknownAvx2", cpu("HygonGenuine", "Hygon C86", 0x18, 0x01, 256), 4, 2.0, 32, 256.0, true}),
    [](const ::testing::TestParamInfo<TableCase>& info) { return std::string(info.param.label); });

TEST(TheoreticalPeak, RejectsBadInputs) {
  EXPECT_THROW(theoretical_peak_gflops_per_s(0, 3.0, 16), std::invalid_argument);
  EXPECT_THROW(theoretical_peak_gflops_per_s(1, -1.0, 16), std::invalid_argument);
  EXPECT_THROW(theoretical_peak_gflops_per_s(1, 3.0, 0), std::invalid_argument);
  EXPECT_EQ(theoretical_peak_gflops_per_s(4, 0.0, 16), 0.0);  // unknown clock -> unknown peak
}

TEST(Frequency, BrandString) {
  EXPECT_DOUBLE_EQ(ghz_from_brand("Intel(R) Core(TM) i9-10980XE CPU @ 3.00GHz"), 3.0);
  EXPECT_DOUBLE_EQ(ghz_from_brand("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50 GHz"), 2.5);
  EXPECT_EQ(ghz_from_brand("AMD EPYC 7763 64-Core Processor"), 0.0);
}

class FrequencyFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rs_freq_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "cpufreq");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& rel, const std::string& text) { std::ofstream(dir_ / rel) << text; }
  std::filesystem::path dir_;
};

TEST_F(FrequencyFiles, CpufreqMaxWins) {
  write("cpufreq/cpuinfo_max_freq", "4500000\n");
  write("cpufreq/base_frequency", "3000000\n");
  const CpuFrequency f = read_cpu_frequency("x", (dir_ / "cpufreq").string(), (dir_ / "cpuinfo").string());
  EXPECT_DOUBLE_EQ(f.peak_ghz(), 4.5);
  EXPECT_DOUBLE_EQ(f.base_ghz, 3.0);
  EXPECT_TRUE(f.peak_is_turbo_max());
  EXPECT_NE(f.peak_source().find("cpuinfo_max_freq"), std::string::npos);
}

TEST_F(FrequencyFiles, BrandThenCpuinfo) {
  write("cpuinfo", "processor\t: 0\ncpu MHz\t\t: 2445.426\n");
  const std::string cf = (dir_ / "cpufreq").string(), ci = (dir_ / "cpuinfo").string();
  const CpuFrequency brand = read_cpu_frequency("Foo CPU @ 3.10GHz", cf, ci);
  EXPECT_DOUBLE_EQ(brand.peak_ghz(), 3.1);
  EXPECT_FALSE(brand.peak_is_turbo_max());
  EXPECT_EQ(brand.peak_source(), "CPU brand string");
  const CpuFrequency mhz = read_cpu_frequency("AMD EPYC", cf, ci);
  EXPECT_NEAR(mhz.peak_ghz(), 2.445426, 1e-9);
  EXPECT_NE(mhz.peak_source().find("cpu MHz"), std::string::npos);
  const CpuFrequency none = read_cpu_frequency("AMD EPYC", cf, (dir_ / "missing").string());
  EXPECT_EQ(none.peak_ghz(), 0.0);
}

// dmidecode -t memory excerpts.
std::string dimm(const std::string& size, const std::string& speed, const std::string& bank,
                 const std::string& locator) {
  return "Handle 0x0040, DMI type 17, 92 bytes\nMemory Device\n\tSize: " + size + "\n\tLocator: " + locator +
         "\n\tBank Locator: " + bank + "\n\tSpeed: " + speed + "\n\tConfigured Memory Speed: " + speed + "\n\n";
}

TEST(Dmidecode, ServerChannelsFromBankLocator) {
  std::string text = "# dmidecode 3.4\n";
  for (int ch = 0; ch < 8; ++ch) {
    for (int slot = 0; slot < 2; ++slot) {  // 2 DIMMs per channel: 8 channels, not 16
      const std::string name = "P0_Node0_Channel" + std::to_string(ch) + "_Dimm" + std::to_string(slot);
      text += dimm("32 GB", "3200 MT/s", name, "DIMM_" + std::to_string(ch) + std::to_string(slot));
    }
  }
  text += dimm("No Module Installed", "Unknown", "P0_Node0_Channel9_Dimm0", "DIMM_90");
  const DramTheory t = parse_dmidecode_memory(text);
  EXPECT_EQ(t.channels, 8);
  EXPECT_EQ(t.mt_per_s, 3200);
  EXPECT_NEAR(t.gb_per_s, 204.8, 1e-9);  // 8 x 3200 MT/s x 8 B
}

TEST(Dmidecode, IntelDimmLettersAndSlowestSpeed) {
  const std::string text = dimm("16 GB", "2933 MT/s", "NODE 1", "CPU1_DIMM_A1") +
                           dimm("16 GB", "2666 MT/s", "NODE 1", "CPU1_DIMM_A2") +
                           dimm("16 GB", "2933 MT/s", "NODE 1", "CPU1_DIMM_B1");
  const DramTheory t = parse_dmidecode_memory(text);
  EXPECT_EQ(t.channels, 2);
  EXPECT_EQ(t.mt_per_s, 2666);
  EXPECT_NEAR(t.gb_per_s, 2 * 2666 * 8 / 1000.0, 1e-9);
}

TEST(Dmidecode, UnnamedChannelsAssumeOnePerDimm) {
  const std::string text = dimm("8192 MB", "4800 MT/s", "BANK 0", "Controller0-ChannelA") +
                           dimm("8192 MB", "4800 MT/s", "BANK 1", "SODIMM1");
  const DramTheory t = parse_dmidecode_memory(text);
  EXPECT_EQ(t.channels, 2);
  EXPECT_NE(t.source.find("assumed one DIMM per channel"), std::string::npos);
}

TEST(Dmidecode, UnknownWhenNothingUsable) {
  EXPECT_FALSE(parse_dmidecode_memory("").known());
  EXPECT_FALSE(parse_dmidecode_memory(dimm("8 GB", "Unknown", "Not Specified", "DIMM 0")).known());  // QEMU
}

TEST(Dmidecode, UserFigureWins) {
  const DramTheory t = read_dram_theory(96.0);
  EXPECT_DOUBLE_EQ(t.gb_per_s, 96.0);
  EXPECT_NE(t.source.find("--mem-bw-gbs"), std::string::npos);
}

}  // namespace
}  // namespace rs
