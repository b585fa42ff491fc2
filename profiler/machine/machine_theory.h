// Theoretical roofs from the machine's own description (seed 001 §I and §III.1): peak FP32 FLOP/s from cores, clock,
// SIMD lanes and FMA units; DRAM bandwidth from the memory devices dmidecode lists. Never invented: a figure whose
// inputs are missing is 0 ("unknown") and its source says why.
#pragma once
#include <cstdint>
#include <string>

namespace rs {

/// Peak FP32 FLOP/s in GFLOP/s = threads (one per physical core) x clock (GHz) x FLOP per cycle per core, where
/// FLOP/cycle = FMA units x SIMD lanes x 2 (one FMA = 2 FLOP). Seed 001: 10 cores x 3.0 GHz x 16 = 480 GFLOP/s.
/// Throws std::invalid_argument when threads < 1, ghz < 0 or flops_per_cycle < 1.
double theoretical_peak_gflops_per_s(int threads, double ghz, int flops_per_cycle_per_core);

/// Theoretical DRAM bandwidth = channels x MT/s x 8 bytes per transfer (a 64-bit channel).
struct DramTheory {
  double gb_per_s = 0;     ///< 0 when unknown
  int channels = 0;        ///< populated channels (0 when not from dmidecode)
  int mt_per_s = 0;        ///< slowest configured transfer rate over the populated devices
  std::string source;      ///< "dmidecode -t memory: 8 channels x 3200 MT/s x 8 B", "--mem-bw-gbs", or why unknown
  bool known() const { return gb_per_s > 0; }
};

/// Parses the text of `dmidecode -t memory`. Populated "Memory Device" blocks give the speed ("Configured Memory
/// Speed", else "Speed"); channels are counted from "Channel X"/"DIMM_<letter><slot>" in the locators when every
/// device names one, else one channel per populated device (stated in the source). Unknown when no populated device
/// has a speed.
DramTheory parse_dmidecode_memory(const std::string& text);

/// The DRAM figure for this machine: `user_gb_per_s` (--mem-bw-gbs) when > 0, else `dmidecode -t memory` when it runs
/// and parses, else unknown with the reason.
DramTheory read_dram_theory(double user_gb_per_s);

}  // namespace rs
