// Compute-roof probes on oneDNN's own kernels: a large f32 matmul and a 3x3 convolution, timed at one thread count
// with the implementation oneDNN picks first. A roof must be a bound no kernel beats; hand-written FMA loops can
// fall short of what oneDNN's JIT kernels attain, so the measured peak is the maximum over both (issue 10).
#pragma once
#include <cstdint>
#include <string>

#include "profiler/machine/microbench.h"

namespace rs {

/// What one probe measured.
struct ProbeResult {
  std::string probe;   ///< "onednn_matmul" | "onednn_conv3x3"
  std::string detail;  ///< problem, e.g. "2048x2048x2048" or "[1, 256, 28, 28] -> 256, 3x3 pad 1"
  std::string impl;    ///< oneDNN implementation, e.g. "brg:avx512_core"
  RateStats gflops_per_s;
};

/// f32 matmul [n, n] x [n, n] (2 n^3 FLOP per run) on the current OpenMP thread count (bind_threads first: oneDNN
/// fixes its parallelization at primitive creation). Best of policy.repetitions runs after one warm-up run.
/// Throws std::invalid_argument when n < 16, std::runtime_error naming oneDNN's error when it cannot be created.
ProbeResult probe_matmul(std::int64_t n, const RepeatPolicy& policy);

/// f32 3x3 convolution, stride 1, pad 1, [1, c, hw, hw] -> [1, c, hw, hw], layouts oneDNN picks (format any), forward
/// inference; 2 x c x c x 9 x hw x hw FLOP per run. Same timing and errors as probe_matmul (c, hw >= 4).
ProbeResult probe_conv3x3(std::int64_t c, std::int64_t hw, const RepeatPolicy& policy);

}  // namespace rs
