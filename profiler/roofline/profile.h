// `roofscope profile`: measures every op of a model (shields on, and off for the A/B column), and fills the
// roofline model of profiler/roofline/roofline.h from the measurements.
#pragma once
#include <functional>
#include <string>

#include "graph/graph.h"
#include "profiler/roofline/roofline.h"
#include "runtime/tuner.h"

namespace rs {

struct ProfileOptions {
  int warmup = 5;
  int iters = 30;             ///< measured runs per arm (at least)
  double min_time_s = 0;      ///< keep measuring until the shields-on arm has run this long (and >= iters)
  bool shields_off_arm = true;///< also run --no-pool --no-bind, interleaved run by run, for the OS column
  bool measure_dram_now = true;  ///< measure DRAM bandwidth before and after the runs (~0.1 s each) and raise the
                                 ///< measured DRAM roof to it when higher (raise_dram_roof)
  std::function<void(int, int)> progress;
  /// Kernel selection for the shields-on arm; the shields-off arm reuses its choices.
  TuneOptions tuning;
};

/// Profiles `graph` (optimized, shapes inferred) at the thread count already applied by bind_threads(threads, true).
/// Throws what Executor/measurement throw.
ModelProfile profile_model(const std::string& model_name, const Graph& graph, const MachineProfile& machine,
                           int threads, const ProfileOptions& options);


}  // namespace rs
