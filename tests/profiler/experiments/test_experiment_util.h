// Shared by the experiment tests: a hand-made machine profile (made-up roofs, no calibration, no cache) and a
// context at the Tiny scale.
#pragma once
#include <algorithm>

#include "profiler/experiments/experiment.h"
#include "runtime/topology.h"

namespace rs::test_experiment {

/// Roofs of a made-up machine with this machine's core count: pi = 50 GFLOP/s per thread (theoretical 64),
/// DRAM 10 + 5 x threads GB/s (theoretical 25.6), L1/L2/L3 figures for the cache-aware views.
inline MachineProfile machine() {
  MachineProfile m;
  const int cores = topology().physical_cores;
  m.cpu.physical_cores = m.cpu.logical_cpus = cores;
  m.cpu.caches = {{1, 32768, 1}, {2, 524288, 1}, {3, 16777216, cores}};
  m.theoretical.dram.gb_per_s = 25.6;
  m.theoretical.frequency_ghz = 2.0;  // x 32 FLOP/cycle = 64 GFLOP/s per core
  m.theoretical.fp32_flops_per_cycle_per_core = 32;
  for (int t = 1; t <= cores; ++t) {
    m.theoretical.peak_gflops_per_s.push_back(64.0 * t);
    m.measured.peaks.push_back({t, "avx2_fma", {50.0 * t, 0.01, 3}, ""});
    m.measured.bandwidth.push_back({"DRAM", t, 1 << 26, 1 << 27, true, {{"triad", {10.0 + 5 * t, 0.02, 3}}}});
    m.measured.bandwidth.push_back({"L2", t, 1 << 16, 1 << 18, true, {{"triad", {100.0 * t, 0.02, 3}}}});
  }
  return m;
}

/// Tiny scale, all cores (at most 2, so the suite behaves the same on bigger machines).
inline ExperimentContext tiny_context(const MachineProfile& m) {
  ExperimentContext ctx;
  ctx.machine = &m;
  ctx.threads = std::min(2, topology().physical_cores);
  ctx.scale = Scale::Tiny;
  ctx.run = RunConfig::for_scale(Scale::Tiny);
  return ctx;
}

}  // namespace rs::test_experiment
