// The roofline model of one profiled model: the roofs at one thread count, per-op predictions (theoretical,
// measured and cache-aware roofs), what each op took, and where the difference goes: hardware, OS, software (seed
// 001 §III). Plain data, free of oneDNN types: the reporters read it. Measuring it is profiler/roofline/profile.h.
#pragma once
#include <string>
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

/// The roofs one prediction uses, at one thread count. 0 = unknown (then every figure derived from it is NaN).
struct Roofs {
  int threads = 1;
  double peak_theoretical_gflops_per_s = 0;  ///< cores x GHz x FLOP/cycle (machine profile)
  double peak_measured_gflops_per_s = 0;     ///< FMA micro-benchmark
  double dram_theoretical_gb_per_s = 0;      ///< channels x MT/s x 8 B, or --mem-bw-gbs
  double dram_measured_gb_per_s = 0;         ///< STREAM-style, DRAM plateau
  std::vector<CacheRoof> caches;             ///< ascending level, measured only
  /// pi / beta with measured DRAM bandwidth, FLOP/byte (NaN when unknown).
  double ridge_measured_flop_per_byte() const;
  double ridge_theoretical_flop_per_byte() const;
};

/// Reads the roofs for `threads` out of a machine profile (missing figures stay 0).
Roofs roofs_for(const MachineProfile& machine, int threads);

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
  double t_roof_theoretical_s = 0;   ///< max(FLOPs / pi_theo, bytes / beta_theo); NaN when a roof is unknown
  double t_roof_measured_s = 0;      ///< measured pi (threads used) and measured DRAM beta
  double t_roof_cache_s = 0;         ///< measured pi and beta of cache_level
  Stats t_actual_s;                  ///< over the measured runs (shields on: pool + pinned threads)
  double t_shields_off_median_s = 0; ///< median with --no-pool --no-bind (A/B arm); NaN when not run
  double attained_gflops_per_s = 0;  ///< flops / t_actual median
  double attained_gb_per_s = 0;      ///< bytes / t_actual median
  double efficiency = 0;             ///< t_roof_measured / t_actual median
  double efficiency_cache = 0;       ///< t_roof_cache / t_actual median
  // Loss split, seconds; hardware + os + software = t_actual median - t_roof_theoretical. Negative values are kept.
  double loss_hardware_s = 0;        ///< t_roof_measured - t_roof_theoretical
  double loss_os_s = 0;              ///< t_shields_off median - t_actual median (A/B difference of medians)
  double loss_software_s = 0;        ///< t_actual - t_roof_measured - loss_os
  OsCounts counts;                   ///< per run (mean over measured runs), shields on
  OsCounts counts_shields_off;       ///< per run, shields off
};

/// Fills the prediction columns of `op` (bound, cache_level, t_roof_*) from its cost and the roofs.
void predict(OpProfile& op, const Roofs& roofs);
/// Fills attained rates, efficiencies and the loss split from t_actual_s, t_shields_off_median_s and predictions.
void attribute(OpProfile& op);

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
  std::vector<std::string> warnings; ///< noise (CV > 5%), negative losses, measured roof above theoretical...
  /// Raw samples for traces: step_s[op][run], run_start_s[run] from the first measured run, seconds.
  std::vector<std::vector<double>> step_s;
  std::vector<double> run_start_s;
};

/// Totals row: sums of the time and loss columns over ops (NaN-propagating), cost sums.
OpProfile profile_totals(const ModelProfile& profile);

}  // namespace rs
