// The roofline model of one profiled model: the roofs at one thread count, per-op predictions (theoretical,
// measured and cache-aware roofs), what each op took, and where the difference goes: hardware, OS, software (seed
// 001 §III). Plain data, free of oneDNN types: the reporters read it. Measuring it is profiler/roofline/profile.h.
#pragma once
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "graph/cost.h"
#include "graph/graph.h"
#include "profiler/machine/machine_profile.h"
#include "runtime/os_counters.h"
#include "runtime/stats.h"
#include "runtime/step_report.h"

namespace rs {

/// Bandwidth of one cache level as a roof: usable when an op's working set fits `capacity_bytes`.
struct CacheRoof {
  std::string level;                ///< "L1", "L2", "L3"
  std::int64_t capacity_bytes = 0;  ///< what the threads in use can hold: per-core size x threads for private
                                    ///< caches, the shared size otherwise
  double gb_per_s = 0;              ///< measured, at the thread count in use
};

/// Where the roofs came from and the clock then and now (every report names them; issue 10).
struct RoofsProvenance {
  std::string path;          ///< machine profile file ("" = measured in this process and not saved)
  bool quick = false;        ///< a `calibrate --quick` profile
  std::string created_utc;   ///< when it was measured
  double age_s = 0;          ///< seconds since then (NaN when created_utc does not parse)
  /// "PATH (full, measured 2.1 h ago)" or "measured now (quick, not saved)".
  std::string describe() const;
};

/// The roofs one prediction uses, at one thread count. 0 = unknown (then every figure derived from it is NaN).
/// Compute roofs at three clocks: the ceiling (the split's baseline), the effective clock now, and measured.
struct Roofs {
  int threads = 1;
  double peak_theoretical_gflops_per_s = 0;  ///< the ceiling: threads x FLOP/cycle x clock_ceiling_ghz
  double peak_nominal_gflops_per_s = 0;      ///< at the clock the OS reports (nominal, or the turbo maximum)
  double peak_effective_gflops_per_s = 0;    ///< at clock_now_ghz (the calibration's clock when not measured now)
  double peak_measured_gflops_per_s = 0;     ///< best probe at calibration x clock_now / clock at calibration
  double peak_calibrated_gflops_per_s = 0;   ///< best probe as calibrated (FMA loops, oneDNN matmul and conv)
  std::string peak_source;                   ///< the probe that set it, e.g. "onednn_conv3x3 (..., brgconv:avx512_core)"
  double clock_nominal_ghz = 0;              ///< machine profile: /proc/cpuinfo or cpufreq
  double clock_calibration_ghz = 0;          ///< effective clock measured during calibration's FMA probe
  double clock_now_ghz = 0;                  ///< effective clock measured now, the roofs rescaled to it (profile: the
                                             ///< higher of the start and end of the runs; 0 = not measured)
  double clock_implied_ghz = 0;              ///< the clock the best probe needed at calibration: its GFLOP/s / (threads
                                             ///< x FLOP/cycle); the calibration clock is the higher of it and the
                                             ///< measured one (a probe cannot beat its clock)
  double clock_ceiling_ghz = 0;              ///< max of nominal, calibration (as above) and now: the highest known
  double dram_theoretical_gb_per_s = 0;      ///< channels x MT/s x 8 B, or --mem-bw-gbs
  double dram_measured_gb_per_s = 0;         ///< STREAM-style, DRAM plateau: the higher of calibration and now
  double dram_calibration_gb_per_s = 0;      ///< the machine profile's DRAM figure
  double dram_now_gb_per_s = 0;              ///< measured now (profile: the higher of the start and end of the runs;
                                             ///< 0 = not measured)
  std::vector<CacheRoof> caches;             ///< ascending level, measured only
  /// The bandwidth sweep at `threads`: (working set bytes, GB/s of the best STREAM kernel at that size or any larger
  /// one), ascending in bytes, so non-increasing in GB/s. Empty when the machine profile has no sweep.
  std::vector<std::pair<std::int64_t, double>> sweep_envelope;
  OsEventPrices os_prices;                   ///< seconds per page fault, context switch, migration (0 = unknown)
  RoofsProvenance provenance;
  /// pi / beta with measured DRAM bandwidth, FLOP/byte (NaN when unknown).
  double ridge_measured_flop_per_byte() const;
  double ridge_theoretical_flop_per_byte() const;
};

/// Reads the roofs for `threads` out of a machine profile (missing figures stay 0). clock_now_ghz > 0: the effective
/// clock measured now; the measured compute roof is rescaled to it (x clock_now / clock at calibration).
Roofs roofs_for(const MachineProfile& machine, int threads, double clock_now_ghz = 0);

/// The DRAM bandwidth measured now (GB/s; <= 0: not measured) raises the measured DRAM roof when it is higher than
/// calibration's: the host's memory bandwidth moves with its other tenants, and a roof is what no op beats (issue
/// 10). A lower figure now leaves the roof alone (contention now is a loss, not a lower roof). The theoretical DRAM
/// roof, when unknown, follows the measured one.
void raise_dram_roof(Roofs& roofs, double dram_now_gb_per_s);

/// The memory roof of a working set inside the caches, GB/s: the sweep envelope at the largest swept size <= bytes
/// (at the first one below it), so a working set just past a level's capacity, still mostly held by it, is not
/// held to the next level's plateau median (mobilenet_v2's 2.3 MB depthwise conv beat the L3 median by 3.5% with a
/// 2 MiB L2). 0 when the sweep is empty.
double sweep_roof_gb_per_s(const Roofs& roofs, std::int64_t bytes);

/// Roofline time: max(flops / (gflops_per_s * 1e9), bytes / (gb_per_s * 1e9)) in seconds (seed 001 §II.3).
/// NaN when either roof is unknown (<= 0).
double roofline_time_s(std::int64_t flops, std::int64_t bytes, double gflops_per_s, double gb_per_s);

/// One row: an op that ran (a fused op is one row naming its fused parts; inserted reorders are rows too).
struct OpProfile {
  std::string name, label, impl;
  StepChoice choice;  ///< the candidate chosen among oneDNN's (runtime/tuner.h), runner-up and their tuned times
  OpKind kind = OpKind::Reorder;
  std::vector<std::string> fused;
  std::vector<Dims> src_dims;
  Dims weights_dims, dst_dims;
  OpCost cost;                       ///< ideal model: macs, flops, params, bytes; cost.intensity() FLOP/byte
  std::string bound;                 ///< "compute" | "memory": AI vs the measured ridge point; "n/a" if unknown
  std::string cache_level;           ///< level whose capacity holds the working set (src + weights + dst), or "DRAM"
  // Roofline times, seconds (NaN when a roof is unknown). The memory side of the theoretical ones is the level's
  // theoretical bandwidth where one is known (DRAM), else its measured one (caches; DRAM without a theory).
  double t_roof_theoretical_s = 0;   ///< max(FLOPs / pi_ceiling, bytes / beta_level_theo): the split's baseline
  double t_roof_effective_s = 0;     ///< same at the effective clock's theoretical peak
  double t_roof_measured_s = 0;      ///< measured pi and measured DRAM beta (the classic roofline)
  double t_roof_cache_s = 0;         ///< measured pi and measured beta of cache_level: the roof no kernel beats
  Stats t_actual_s;                  ///< over the measured runs (shields on: pool + pinned threads)
  double t_shields_off_median_s = 0; ///< median with --no-pool --no-bind (A/B arm); NaN when not run
  double attained_gflops_per_s = 0;  ///< flops / t_actual median
  double attained_gb_per_s = 0;      ///< bytes / t_actual median
  double efficiency = 0;             ///< t_roof_measured / t_actual median (above 1 for cache-resident ops)
  double efficiency_cache = 0;       ///< t_roof_cache / t_actual median (above 1: the roof is wrong, flagged)
  // Loss split, seconds: clock + pipeline (= hardware) + os + software = t_actual median - t_roof_theoretical, on
  // every row. Negative values are kept and flagged.
  double loss_clock_s = 0;           ///< t_roof_effective - t_roof_theoretical: the clock below the ceiling
  double loss_pipeline_s = 0;        ///< t_roof_cache - t_roof_effective: what the best probe / STREAM kernel misses
  double loss_hardware_s = 0;        ///< clock + pipeline
  double loss_os_s = 0;              ///< counted events x measured prices (shields on), at most t_actual; NaN when
                                     ///< counters or prices are missing (then inside software)
  double loss_software_s = 0;        ///< t_actual - t_roof_cache - loss_os = implementation + kernel
  double loss_implementation_s = 0;  ///< chosen kernel vs the fastest candidate the tuner timed, scaled to t_actual
                                     ///< (0 when it is the fastest or the only one; NaN when not tuned)
  double loss_kernel_s = 0;          ///< best candidate vs the roof: software - implementation
  double shields_saving_s = 0;       ///< t_shields_off - t_actual (A/B difference of medians): what pool and
                                     ///< pinning save; not part of the split
  std::vector<std::string> flags;    ///< e.g. "above roof", "negative software": a figure to distrust, and why
  OsCounts counts;                   ///< per run (mean over measured runs), shields on
  OsCounts counts_shields_off;       ///< per run, shields off
};

/// A loss component below -kNegativeLossTolerance x t_actual is a measurement problem, flagged "negative <part>"
/// (issue 10: 2%).
constexpr double kNegativeLossTolerance = 0.02;

/// Fills the prediction columns of `op` (bound, cache_level, t_roof_*) from its cost and the roofs.
void predict(OpProfile& op, const Roofs& roofs);
/// Fills attained rates, efficiencies, the loss split and flags from t_actual_s, t_shields_off_median_s, counts,
/// choice, the predictions and roofs.os_prices.
void attribute(OpProfile& op, const Roofs& roofs);

/// OS time of `counts` events at `prices`: faults x price + switches x price + migrations x price, seconds; NaN
/// when a count is NaN or the page-fault price is unknown (a missing switch or migration price counts 0 only when
/// no such event was counted).
double os_time_s(const OsCounts& counts, const OsEventPrices& prices);

/// What the trace (profiler/report/chrome_trace.h) shows beyond the per-op statistics; empty parts are left out.
/// Arm 0 is shields on, arm 1 shields off. OS counts come from the counting runs (kept apart from the timed ones:
/// reading the counters between ops would inflate the times), counting run r following timed run r.
struct TraceSamples {
  std::vector<std::vector<double>> step_shields_off_s;  ///< [op][run], the shields-off arm's timed runs, seconds
  std::vector<double> run_start_shields_off_s;          ///< [run], seconds, same origin as ModelProfile::run_start_s
  std::array<std::vector<std::vector<OsCounts>>, 2> counts;  ///< [arm][op][run]: counting run r, over the threads
  /// [arm][thread][op]: per run (mean over the counting runs) on OpenMP thread `thread`; empty when the counters are
  /// not per thread (getrusage: whole process)
  std::array<std::vector<std::vector<OsCounts>>, 2> thread_counts;
  /// [op]: the planner's bytes live during step op (usage records, 64-byte aligned, in-place chains once); its max
  /// is MemoryReport::lower_bound_bytes
  std::vector<std::int64_t> live_bytes;
  /// Shields off (no pool): tensor bytes mapped afresh at each run's start and unmapped at its end (every planned
  /// buffer that is no in-place alias), 0 when not run
  std::int64_t fresh_mapped_bytes = 0;
};

struct ModelProfile {
  std::string model;
  Dims input_dims;
  int threads = 1;
  std::vector<OpProfile> ops;
  Roofs roofs;
  Stats e2e_s;                       ///< end-to-end, shields on (per-op timestamps on)
  Stats e2e_shields_off_s;
  double sum_op_median_s = 0;        ///< sum over ops of t_actual median
  double framework_overhead_s = 0;   ///< e2e median - sum of per-run op times, median over runs (seed 001 §IV)
  MemoryReport memory;
  OpCost total_cost;
  double estimate_flops_only_s = 0;  ///< total FLOPs / measured pi: what "fewer FLOPs = faster" predicts
  double estimate_roofline_s = 0;    ///< sum of t_roof_measured
  double estimate_roofline_cache_s = 0;  ///< sum of t_roof_cache
  std::string os_counter_source;     ///< "perf_event_open (per thread)", "getrusage (process)", or "n/a"
  double clock_start_ghz = 0;        ///< effective clock right before the runs (0 = not measured)
  double clock_end_ghz = 0;          ///< effective clock right after them
  std::vector<std::string> warnings; ///< noise (CV > 3%) with its likely cause, ops above their roof, negative
                                     ///< losses, clock changes since calibration or during the run
  /// Raw samples for traces: step_s[op][run], run_start_s[run] from the first measured run, seconds.
  std::vector<std::vector<double>> step_s;
  std::vector<double> run_start_s;
  TraceSamples trace;  ///< the rest of what the trace shows
};

/// Totals row: sums of the time and loss columns over ops (NaN-propagating), cost sums; flags counted.
OpProfile profile_totals(const ModelProfile& profile);

}  // namespace rs
