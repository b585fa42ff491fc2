// Per-op timeline of `roofscope profile` in the Chrome trace event format (chrome://tracing, ui.perfetto.dev):
// one complete ("X") slice per op per measured run, so the run-to-run spread of every op can be seen.
#pragma once
#include <nlohmann/json.hpp>

#include "profiler/roofline/roofline.h"

namespace rs {

/// {"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {...}}. Event times are microseconds (the format's
/// unit). Run r starts at p.run_start_s[r] (relative to the first measured run) and its ops are laid end to end in
/// graph order with dur = p.step_s[op][r]; so the gaps between runs are the framework overhead and the harness.
/// Slices: name = op name, cat = op kind, pid 1, tid 1, args {run, flops, bytes, impl, label, intensity}; plus
/// process_name/thread_name metadata ("M") events. A profile without raw samples (step_s empty) gives the metadata
/// only. Throws std::invalid_argument when step_s does not have one row per op and one column per run, or a step
/// or run start is not finite or is negative (the message names the op and run).
nlohmann::json chrome_trace(const ModelProfile& p);

}  // namespace rs
