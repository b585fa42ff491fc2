// FMA peak kernels; see fma_peak.h.
//
// Each kernel keeps N accumulators in registers and updates each with acc = acc * m + c per iteration, so there are
// N independent dependency chains. Peak needs N >= latency x pipes (Skylake/Zen 3: 4 cycles x 2 FMA pipes = 8;
// Haswell: 5 x 2 = 10), hence 12 chains for AVX2 (16 ymm registers: 12 + m + c) and 16 for AVX-512. m and c pass
// through an empty asm so the compiler cannot fold them, and the result of every chain is returned and stored to a
// volatile sink by the caller, so the loop cannot be deleted. The disassembly was checked once (objdump -d on
// fma_peak.cpp.o): the loop bodies are 12 vfmadd*ps ymm / 16 vfmadd*ps zmm / 12 mulps + 12 addps with no loads.
// acc converges to c / (1 - m) = 0.1: no overflow, no denormals.
#include "profiler/machine/fma_peak.h"

#if !defined(__x86_64__)
#error "the FMA kernels are x86-64 only"
#endif

#include <immintrin.h>
#include <omp.h>

#include <vector>

namespace rs {
namespace {

constexpr float kMul = 0.999999f;
constexpr float kAdd = 1e-7f;

__attribute__((target("avx512f"))) float fma_avx512(long iters, float seed) {
  constexpr int N = 16;
  __m512 m = _mm512_set1_ps(kMul), c = _mm512_set1_ps(kAdd);
  __asm__("" : "+v"(m), "+v"(c));
  __m512 acc[N];
#pragma GCC unroll 16
  for (int k = 0; k < N; ++k) acc[k] = _mm512_set1_ps(seed + 0.01f * static_cast<float>(k));
  for (long i = 0; i < iters; ++i) {
#pragma GCC unroll 16
    for (int k = 0; k < N; ++k) acc[k] = _mm512_fmadd_ps(acc[k], m, c);
  }
#pragma GCC unroll 16
  for (int k = 1; k < N; ++k) acc[0] = _mm512_add_ps(acc[0], acc[k]);
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, acc[0]);
  float sum = 0;
  for (float v : lanes) sum += v;
  return sum;
}

__attribute__((target("avx2,fma"))) float fma_avx2(long iters, float seed) {
  constexpr int N = 12;
  __m256 m = _mm256_set1_ps(kMul), c = _mm256_set1_ps(kAdd);
  __asm__("" : "+x"(m), "+x"(c));
  __m256 acc[N];
#pragma GCC unroll 16
  for (int k = 0; k < N; ++k) acc[k] = _mm256_set1_ps(seed + 0.01f * static_cast<float>(k));
  for (long i = 0; i < iters; ++i) {
#pragma GCC unroll 16
    for (int k = 0; k < N; ++k) acc[k] = _mm256_fmadd_ps(acc[k], m, c);
  }
#pragma GCC unroll 16
  for (int k = 1; k < N; ++k) acc[0] = _mm256_add_ps(acc[0], acc[k]);
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, acc[0]);
  float sum = 0;
  for (float v : lanes) sum += v;
  return sum;
}

/// SSE2 fallback for CPUs without FMA: a separate multiply and add (2 FLOP per lane, like one FMA).
float mul_add_sse2(long iters, float seed) {
  constexpr int N = 12;
  __m128 m = _mm_set1_ps(kMul), c = _mm_set1_ps(kAdd);
  __asm__("" : "+x"(m), "+x"(c));
  __m128 acc[N];
#pragma GCC unroll 16
  for (int k = 0; k < N; ++k) acc[k] = _mm_set1_ps(seed + 0.01f * static_cast<float>(k));
  for (long i = 0; i < iters; ++i) {
#pragma GCC unroll 16
    for (int k = 0; k < N; ++k) acc[k] = _mm_add_ps(_mm_mul_ps(acc[k], m), c);
  }
#pragma GCC unroll 16
  for (int k = 1; k < N; ++k) acc[0] = _mm_add_ps(acc[0], acc[k]);
  alignas(16) float lanes[4];
  _mm_store_ps(lanes, acc[0]);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

FmaKernel make(const char* isa, int bits, int accumulators, float (*run)(long, float)) {
  FmaKernel k;
  k.isa = isa;
  k.simd_bits = bits;
  k.accumulators = accumulators;
  k.flops_per_iter = accumulators * (bits / 32) * 2.0;
  k.run = run;
  return k;
}

}  // namespace

std::vector<FmaKernel> available_fma_kernels() {
  std::vector<FmaKernel> kernels;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) kernels.push_back(make("avx512f", 512, 16, fma_avx512));
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    kernels.push_back(make("avx2_fma", 256, 12, fma_avx2));
  kernels.push_back(make("sse2", 128, 12, mul_add_sse2));
  return kernels;
}

RateStats measure_fma_peak(const FmaKernel& kernel, int threads, const RepeatPolicy& policy) {
  std::vector<float> results(static_cast<size_t>(threads) * 16, 0.f);  // one cache line per thread
  const ThreadWork work = [&kernel, &results](int tid, long iters) {
    volatile float* sink = &results[static_cast<size_t>(tid) * 16];
    *sink = kernel.run(iters, 0.5f + 0.001f * static_cast<float>(tid));
  };
  return measure_rate(threads, policy, kernel.flops_per_iter * threads, work);
}

}  // namespace rs
