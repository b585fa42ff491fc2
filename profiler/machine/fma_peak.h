// Measured FP32 compute peak: chains of independent FMAs (like cpufp), one kernel per ISA compiled with
// function-level target attributes and picked at run time with __builtin_cpu_supports.
#pragma once
#include <string>
#include <vector>

#include "profiler/machine/microbench.h"

namespace rs {

/// One FMA kernel: `run(iters, seed)` performs iters x flops_per_iter FP32 FLOP on the calling thread and returns a
/// value derived from every accumulator (so the work cannot be deleted).
struct FmaKernel {
  std::string isa;        ///< "avx512f", "avx2_fma" or "sse2" (mul + add, for CPUs without FMA)
  int simd_bits = 128;
  int accumulators = 0;   ///< independent dependency chains: >= FMA latency x FMA pipes of current cores
  double flops_per_iter = 0;
  float (*run)(long iters, float seed) = nullptr;
};

/// The kernels this CPU can run, widest ISA first (sse2 is always present on x86-64).
std::vector<FmaKernel> available_fma_kernels();

/// Measured peak of `kernel` on `threads` already-bound OpenMP threads, in GFLOP/s.
RateStats measure_fma_peak(const FmaKernel& kernel, int threads, const RepeatPolicy& policy);

}  // namespace rs
