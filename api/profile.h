// One measured profile (the work of `roofscope profile`), for profile() and the --batch/--threads sweeps.
#pragma once
#include "profiler/machine/machine_profile.h"
#include "profiler/roofline/roofline.h"
#include "roofscope/api.h"

namespace rs::api {

struct Profiled {
  MachineProfile machine;  ///< the profile the roofs came from (cached, or calibrated quick on first use)
  ModelProfile profile;
};
/// Applies the threads, loads (or calibrates) the machine profile, loads and optimizes the model, picks kernels as
/// run does and measures every op (shields on, and off unless no_ab). Throws std::invalid_argument for a bad option
/// (no_bind, iters), what load_model and the measurement throw otherwise. Output files are not written here.
Profiled profile_once(const roofscope::ModelSource& model, const roofscope::ProfileOptions& options);

}  // namespace rs::api
