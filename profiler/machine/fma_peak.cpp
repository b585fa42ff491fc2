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

// The chains, written once over an ISA: `Isa` names the vector type `V`, the chain count and four operations
// (set1, mul_add, add, store), each compiled for its ISA with a function-level target attribute. The template has no
// target of its own, so it is only ever inlined (the `flatten` callers below), where the vector ABI is the caller's:
// GCC's note that passing a wide vector "changes the ABI" concerns a call that never happens.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
template <class Isa>
inline float chains(long iters, float seed) {
  using V = typename Isa::V;
  constexpr int N = Isa::kChains;
  V m = Isa::set1(kMul), c = Isa::set1(kAdd);
  __asm__("" : "+v"(m), "+v"(c));  // "v": any register of the ISA (zmm0-31 with AVX-512, else xmm/ymm0-15)
  V acc[N];
#pragma GCC unroll 16
  for (int k = 0; k < N; ++k) acc[k] = Isa::set1(seed + 0.01f * static_cast<float>(k));
  for (long i = 0; i < iters; ++i) {
#pragma GCC unroll 16
    for (int k = 0; k < N; ++k) acc[k] = Isa::mul_add(acc[k], m, c);
  }
#pragma GCC unroll 16
  for (int k = 1; k < N; ++k) acc[0] = Isa::add(acc[0], acc[k]);
  alignas(sizeof(V)) float lanes[sizeof(V) / sizeof(float)];
  Isa::store(lanes, acc[0]);
  float sum = 0;
  for (float v : lanes) sum += v;
  return sum;
}
#pragma GCC diagnostic pop

#define RS_AVX512 __attribute__((target("avx512f")))
struct Avx512 {
  using V = __m512;
  static constexpr int kChains = 16;
  RS_AVX512 static V set1(float x) { return _mm512_set1_ps(x); }
  RS_AVX512 static V mul_add(V a, V m, V c) { return _mm512_fmadd_ps(a, m, c); }
  RS_AVX512 static V add(V a, V b) { return _mm512_add_ps(a, b); }
  RS_AVX512 static void store(float* p, V a) { _mm512_store_ps(p, a); }
};
#undef RS_AVX512

#define RS_AVX2 __attribute__((target("avx2,fma")))
struct Avx2Fma {
  using V = __m256;
  static constexpr int kChains = 12;
  RS_AVX2 static V set1(float x) { return _mm256_set1_ps(x); }
  RS_AVX2 static V mul_add(V a, V m, V c) { return _mm256_fmadd_ps(a, m, c); }
  RS_AVX2 static V add(V a, V b) { return _mm256_add_ps(a, b); }
  RS_AVX2 static void store(float* p, V a) { _mm256_store_ps(p, a); }
};
#undef RS_AVX2

/// SSE2 fallback for CPUs without FMA: a separate multiply and add (2 FLOP per lane, like one FMA).
struct Sse2 {
  using V = __m128;
  static constexpr int kChains = 12;
  static V set1(float x) { return _mm_set1_ps(x); }
  static V mul_add(V a, V m, V c) { return _mm_add_ps(_mm_mul_ps(a, m), c); }
  static V add(V a, V b) { return _mm_add_ps(a, b); }
  static void store(float* p, V a) { _mm_store_ps(p, a); }
};

__attribute__((target("avx512f"), flatten)) float fma_avx512(long iters, float seed) {
  return chains<Avx512>(iters, seed);
}
__attribute__((target("avx2,fma"), flatten)) float fma_avx2(long iters, float seed) {
  return chains<Avx2Fma>(iters, seed);
}
__attribute__((flatten)) float mul_add_sse2(long iters, float seed) { return chains<Sse2>(iters, seed); }

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
  if (__builtin_cpu_supports("avx512f")) kernels.push_back(make("avx512f", 512, Avx512::kChains, fma_avx512));
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    kernels.push_back(make("avx2_fma", 256, Avx2Fma::kChains, fma_avx2));
  kernels.push_back(make("sse2", 128, Sse2::kChains, mul_add_sse2));
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
