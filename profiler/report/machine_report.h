// Human-readable view of a machine profile: theoretical vs measured roofs side by side with their ratio (the hardware
// loss of seed 001 §III.1), ridge points and warnings.
#pragma once
#include <string>

#include "profiler/machine/machine_profile.h"

namespace rs {

/// Multi-line table (ends with a newline). Ratios above 100% are flagged "(!)" and explained in the warnings;
/// figures derived from unknown inputs print "n/a".
std::string format_machine_table(const MachineProfile& profile);

}  // namespace rs
