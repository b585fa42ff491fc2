// What the CPU says about itself: identity and ISA (CPUID), FMA units per core (a table by microarchitecture) and
// clock frequency (cpufreq sysfs, brand string or /proc/cpuinfo). These feed the theoretical roofs (machine_theory.h);
// every figure carries the source it came from. x86-64 only.
#pragma once
#include <string>

namespace rs {

/// ISA extensions usable by this process (CPUID feature bit AND the OS saves the registers, per XGETBV).
struct IsaFlags {
  bool sse4_2 = false;
  bool avx = false;
  bool avx2 = false;
  bool fma = false;
  bool avx512f = false;
  bool amx_tile = false;  ///< AMX tiles (Sapphire Rapids+); reported only, never used for FP32 peaks
  /// Widest SIMD width in bits with FP32 FMA or mul+add: 512 (avx512f), 256 (avx2+fma), else 128 (SSE).
  int simd_bits() const;
  /// "avx512f", "avx2_fma" or "sse2": the name of the ISA behind simd_bits().
  std::string best_isa_name() const;
  /// "SSE4.2 AVX AVX2 FMA AVX-512F" (those present).
  std::string describe() const;
};

/// CPU identity as CPUID reports it (family/model are the displayed values: base + extended fields).
struct CpuIdentity {
  std::string vendor;      ///< "GenuineIntel", "AuthenticAMD", ...
  std::string model_name;  ///< brand string, trimmed ("AMD EPYC 7763 64-Core Processor"); VMs may shorten it
  int family = 0;
  int model = 0;
  int stepping = 0;
  IsaFlags isa;
};

/// Reads CPUID on the calling CPU (falls back to /proc/cpuinfo for the model name when the brand string is empty).
CpuIdentity read_cpu_identity();

/// FP32 FMA resources of one physical core, from a table by microarchitecture (sources in cpu_info.cpp).
struct CoreFpUnits {
  std::string microarchitecture;  ///< "Zen 3", "Skylake-SP (2 FMA SKU)", or "unknown"
  int fma_units = 2;              ///< FMA pipes per core
  int fma_width_bits = 256;       ///< datapath width of each FMA pipe
  bool assumed = false;           ///< true when the microarchitecture is not in the table (fallback assumption)
  std::string source;             ///< the document the row comes from, or the assumption made
  /// FP32 FLOP per cycle per core when running `isa_bits`-wide code: units x min(isa, width)/32 lanes x 2.
  int fp32_flops_per_cycle(int isa_bits) const;
};

/// Looks `cpu` up in the microarchitecture table; unknown CPUs get a stated assumption (2 FMA units at the widest
/// ISA width, an upper bound for current x86 cores).
CoreFpUnits core_fp_units(const CpuIdentity& cpu);

/// Clock frequencies in GHz (0 when unknown) and where they came from.
struct CpuFrequency {
  double max_ghz = 0;        ///< maximum (turbo) clock, from cpufreq cpuinfo_max_freq
  double base_ghz = 0;       ///< base (nominal) clock: cpufreq base_frequency, brand string "@ x.xxGHz" or cpu MHz
  std::string max_source;    ///< e.g. "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"; empty when unknown
  std::string base_source;
  /// The clock used for theoretical peaks: max when known, else base.
  double peak_ghz() const { return max_ghz > 0 ? max_ghz : base_ghz; }
  /// True when peak_ghz() is the turbo maximum (false: nominal clock, so measured peaks may exceed it).
  bool peak_is_turbo_max() const { return max_ghz > 0; }
  std::string peak_source() const { return max_ghz > 0 ? max_source : base_source; }
};

/// Reads frequencies from `cpufreq_dir` (sysfs, kHz files), the brand string and `proc_cpuinfo` ("cpu MHz"), in that
/// order of preference. Paths are parameters so tests can feed fixed files.
CpuFrequency read_cpu_frequency(const std::string& model_name,
                                const std::string& cpufreq_dir = "/sys/devices/system/cpu/cpu0/cpufreq",
                                const std::string& proc_cpuinfo = "/proc/cpuinfo");

/// "3.00" from a brand string "... CPU @ 3.00GHz" in GHz; 0 when absent.
double ghz_from_brand(const std::string& model_name);

}  // namespace rs
