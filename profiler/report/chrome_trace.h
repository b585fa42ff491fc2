// Timeline of `roofscope profile` in the Chrome trace event format (ui.perfetto.dev, chrome://tracing): one process
// per measured arm (shields on; shields off when it ran), one complete ("X") slice per op per timed run, and counter
// ("C") tracks: OS events per op, per OpenMP thread where the counters are per thread, and memory (the planner's
// bytes live per step; the shields-off arm's fresh mappings).
#pragma once
#include <nlohmann/json.hpp>

#include "profiler/roofline/roofline.h"

namespace rs {

/// Process ids of the arms in the trace.
inline constexpr int kTracePidShieldsOn = 1;
inline constexpr int kTracePidShieldsOff = 2;
/// Thread id of the op slices in each process.
inline constexpr int kTraceTidOps = 1;

/// {"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {...}}. Event times are microseconds (the format's
/// unit) from the first measured run. Per arm (pid kTracePidShieldsOn: p.step_s, p.run_start_s; pid
/// kTracePidShieldsOff: p.trace.step_shields_off_s, run_start_shields_off_s, left out when empty):
/// - metadata ("M"): process_name, process_sort_index, thread_name of tid kTraceTidOps;
/// - slices ("X", tid kTraceTidOps): run r's ops laid end to end in graph order from its start, dur = step time;
///   name = op name, cat = op kind, args {arm, run, label, impl, src_shapes, weights_shape, dst_shape, flops, bytes,
///   intensity_flop_per_byte, t_roof_measured_s, efficiency (of the median), efficiency_run (t_roof_measured_s /
///   this run's time), attained_gflops_per_s (this run)}; NaN is null;
/// - counters ("C"), each set at an op's start and back to 0 at its run's end: "OS events" {page_faults,
///   context_switches, migrations} from p.trace.counts (counting run r drawn at timed run r; finite values only),
///   "OpenMP thread T" with the same args from p.trace.thread_counts (per-op means), "arena" {live_bytes} from
///   p.trace.live_bytes (shields on), "fresh mappings" {mapped_bytes} over each run (shields off).
/// A profile without raw samples gives the shields-on metadata only. otherData: model, threads, runs, arms,
/// os_counter_source, per_thread, notes. Throws std::invalid_argument when a sample array does not have one row per
/// op and one column per run (counts: per op and run; thread_counts: per thread and op; live_bytes: per op), or a
/// step or run start is not finite or is negative (the message names the array, op and run).
nlohmann::json chrome_trace(const ModelProfile& p);

}  // namespace rs
