// The machine profile: the two roofline numbers of seed 001 (peak FLOP/s pi and bandwidth beta) per thread count and
// memory level, both theoretical (with the source of every input) and measured (best of repetitions, with spread).
// Serialized as versioned JSON; from_json validates everything and says what is wrong and where.
#pragma once
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "profiler/machine/cpu_info.h"
#include "profiler/machine/machine_theory.h"
#include "runtime/topology.h"

namespace rs {

inline constexpr const char* kMachineProfileSchema = "roofscope.machine_profile";
inline constexpr int kMachineProfileSchemaVersion = 2;  ///< 2: oneDNN probes, clocks, OS prices

/// A measured rate: the best repetition, and how far the worst one was below it.
struct MeasuredRate {
  double value = 0;     ///< GFLOP/s or GB/s (1e9 units per second), best repetition
  double spread = 0;    ///< (best - worst) / best over the repetitions
  int repetitions = 0;
};

/// The one CPU description: hwloc's topology (cores, packages, caches) plus what CPUID and /proc/cpuinfo say.
struct CpuDescription : Topology {
  CpuIdentity identity;
  int smt_per_core() const { return physical_cores > 0 ? logical_cpus / physical_cores : 1; }
};

struct TheoreticalRoofs {
  double frequency_ghz = 0;            ///< clock used for the peak (0 = unknown)
  std::string frequency_source;        ///< file or field it came from
  bool frequency_is_turbo_max = false; ///< false: nominal clock, measured peaks may exceed the theoretical one
  CoreFpUnits fp_units;                ///< FMA units per core and the table row's source
  std::string simd_isa;                ///< widest ISA: "avx512f", "avx2_fma", "sse2"
  int simd_bits = 128;
  int fp32_flops_per_cycle_per_core = 0;
  std::vector<double> peak_gflops_per_s;  ///< [threads - 1]: threads x GHz x FLOP/cycle (0 when the clock is unknown)
  DramTheory dram;                        ///< channels x MT/s x 8 B, or unknown
};

/// A compute-peak probe at one thread count: an FMA loop of one ISA, or a large oneDNN matmul / 3x3 conv.
struct PeakMeasurement {
  int threads = 1;
  std::string isa;             ///< FMA loops: "avx512f", "avx2_fma", "sse2"; oneDNN probes: "onednn_matmul",
                               ///< "onednn_conv3x3"
  MeasuredRate gflops_per_s;
  std::string detail;          ///< oneDNN probes: problem and implementation, e.g. "2048x2048x2048, brg:avx512_core"
  bool is_fma_loop() const { return isa.rfind("onednn_", 0) != 0; }
};

/// The effective core clock at one thread count, measured right after that thread count's FMA probe
/// (profiler/machine/clock.h).
struct ClockMeasurement {
  int threads = 1;
  double ghz = 0;
};

/// What the OS charges per event (profiler/machine/os_prices.h), seconds; 0 = not measured.
struct OsEventPrices {
  double page_fault_s = 0;
  double context_switch_s = 0;
  double migration_s = 0;
  std::string method;
};

/// Bandwidth of one memory level at one thread count, per STREAM kernel.
struct LevelBandwidth {
  std::string level;  ///< "L1", "L2", "L3", "DRAM"
  int threads = 1;
  std::int64_t first_bytes = 0;  ///< working-set range of the triad plateau used
  std::int64_t last_bytes = 0;
  bool detected = false;         ///< a plateau of >= 2 points was found for every kernel
  std::map<std::string, MeasuredRate> gb_per_s;  ///< by kernel: copy, scale, add, triad, read
  /// The level's roof: the best kernel (a roof is an upper bound; the seed quotes the best read bandwidth).
  double roof_gb_per_s() const;
};

/// The raw sweep of one kernel at one thread count.
struct SweepSeries {
  int threads = 1;
  std::string kernel;
  std::vector<std::int64_t> working_set_bytes;
  std::vector<double> gb_per_s;
  std::vector<double> spread;
};

struct MeasuredRoofs {
  bool quick = false;
  int repetitions = 0;            ///< timed repetitions per figure (after warm-up)
  std::string stream_isa;         ///< ISA of the bandwidth kernels
  std::string byte_counting;      ///< how bytes are counted (STREAM convention)
  double seconds = 0;             ///< wall time of the calibration
  std::vector<PeakMeasurement> peaks;      ///< every FMA ISA and oneDNN probe x thread count
  std::vector<ClockMeasurement> clocks;    ///< effective clock per thread count
  OsEventPrices os_prices;
  std::vector<LevelBandwidth> bandwidth;   ///< every detected level x thread count
  std::vector<SweepSeries> sweeps;         ///< every kernel x thread count
};

struct MachineProfile {
  int schema_version = kMachineProfileSchemaVersion;
  std::string created_utc;  ///< ISO 8601, e.g. "2024-05-01T12:00:00Z"
  CpuDescription cpu;
  TheoreticalRoofs theoretical;
  MeasuredRoofs measured;
  std::vector<std::string> warnings;  ///< noisy figures, measured above theoretical, unknown inputs
  std::string loaded_from;  ///< the file it was read from or saved to ("" = measured now, not saved); not serialized

  /// Highest thread count with a measured peak (0 when none).
  int max_threads() const;
  /// 0 when `threads` is out of range or the clock is unknown.
  double theoretical_peak_gflops_per_s(int threads) const;
  /// The compute roof at `threads`: the best of the FMA loops and the oneDNN probes; 0 when not measured.
  double measured_peak_gflops_per_s(int threads) const;
  /// The probe that set measured_peak_gflops_per_s(threads), or nullptr.
  const PeakMeasurement* peak_source(int threads) const;
  /// Effective clock measured at `threads` during calibration; 0 when not measured.
  double effective_clock_ghz(int threads) const;
  /// threads x ghz x FP32 FLOP/cycle/core: the theoretical peak at another clock (0 when unknown).
  double theoretical_peak_at_gflops_per_s(int threads, double ghz) const;
  /// The level's entry at `threads`, or nullptr.
  const LevelBandwidth* bandwidth(const std::string& level, int threads) const;
  /// Measured bandwidth of `level` at `threads` for `kernel` ("" = the level's roof); 0 when not measured.
  double measured_bandwidth_gb_per_s(const std::string& level, int threads, const std::string& kernel = "") const;
  /// Ridge point pi / beta in FLOP/byte from measured figures; 0 when either is missing.
  double measured_ridge_flop_per_byte(int threads, const std::string& level = "DRAM") const;
  /// Ridge point from theoretical figures; 0 when the clock or the DRAM bandwidth is unknown.
  double theoretical_ridge_flop_per_byte(int threads) const;
};

/// A profile that is malformed, of another schema/version, or inconsistent. what() names the JSON path and the
/// expectation, e.g. "machine profile: measured.peaks[1].gflops_per_s.value: expected a number > 0, got -3".
class MachineProfileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Writes the profile plus derived ridge points ("ridge_points"; recomputed, not read back).
void to_json(nlohmann::json& j, const MachineProfile& profile);
/// Reads and validates; throws MachineProfileError.
void from_json(const nlohmann::json& j, MachineProfile& profile);

}  // namespace rs
