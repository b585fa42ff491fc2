// STREAM kernels and sweep sizes; see stream_bw.h.
//
// The kernels are written once with GCC vector extensions (V = 2, 4 or 8 doubles) and instantiated inside functions
// compiled for SSE2, AVX2 and AVX-512F; the always_inline body takes the ISA of the function it is inlined into.
// "no-tree-loop-distribute-patterns" keeps GCC from turning the copy loop into a memcpy call (glibc's memcpy switches
// to non-temporal stores on large sizes, which would measure something else). An empty asm with a memory clobber
// between iterations keeps the compiler from merging or dropping repeated passes.
#include "profiler/machine/stream_bw.h"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <new>
#include <stdexcept>

namespace rs {
namespace {

typedef double v2d __attribute__((vector_size(16)));
typedef double v4d __attribute__((vector_size(32)));
typedef double v8d __attribute__((vector_size(64)));

constexpr double kScalar = 3.0;           // STREAM's scalar
constexpr std::int64_t kStagger = 1024;   // bytes between arrays beyond 4 KiB alignment
constexpr std::int64_t kPage = 4096;

std::int64_t round_up(std::int64_t v, std::int64_t to) { return (v + to - 1) / to * to; }

/// One pass of `kernel` over elements [0, n) of arrays s0, s1, s2 (each V-aligned), `iters` times.
/// copy s1 = s0; scale s1 = q s0; add s2 = s0 + s1; triad s2 = s0 + q s1; read: returns sum of s0.
template <class V>
inline __attribute__((always_inline)) double stream_body(StreamKernel kernel, double* s0, double* s1, double* s2,
                                                         std::size_t n, long iters) {
  constexpr std::size_t W = sizeof(V) / sizeof(double);
  const std::size_t nv = n / W;
  V* v0 = reinterpret_cast<V*>(s0);
  V* v1 = reinterpret_cast<V*>(s1);
  V* v2 = reinterpret_cast<V*>(s2);
  const V q = V{} + kScalar;
  double total = 0;
  for (long it = 0; it < iters; ++it) {
    switch (kernel) {
      case StreamKernel::copy:
#pragma GCC unroll 4
        for (std::size_t i = 0; i < nv; ++i) v1[i] = v0[i];
        break;
      case StreamKernel::scale:
#pragma GCC unroll 4
        for (std::size_t i = 0; i < nv; ++i) v1[i] = q * v0[i];
        break;
      case StreamKernel::add:
#pragma GCC unroll 4
        for (std::size_t i = 0; i < nv; ++i) v2[i] = v0[i] + v1[i];
        break;
      case StreamKernel::triad:
#pragma GCC unroll 4
        for (std::size_t i = 0; i < nv; ++i) v2[i] = v0[i] + q * v1[i];
        break;
      case StreamKernel::read: {
        // 8 chains: enough to cover the add latency (3-4 cycles) at 2 loads per cycle.
        V acc[8] = {};
        std::size_t i = 0;
        for (; i + 8 <= nv; i += 8) {
#pragma GCC unroll 8
          for (std::size_t k = 0; k < 8; ++k) acc[k] += v0[i + k];
        }
        for (; i < nv; ++i) acc[0] += v0[i];
        const V sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        for (std::size_t k = 0; k < W; ++k) total += sum[k];
        break;
      }
    }
    __asm__ volatile("" ::: "memory");
  }
  return total;
}

#define RS_STREAM_NO_MEMCPY optimize("no-tree-loop-distribute-patterns")

__attribute__((target("avx512f"), RS_STREAM_NO_MEMCPY)) double stream_avx512(StreamKernel k, double* s0, double* s1,
                                                                            double* s2, std::size_t lo,
                                                                            std::size_t hi, long iters) {
  return stream_body<v8d>(k, s0 + lo, s1 + lo, s2 + lo, hi - lo, iters);
}

__attribute__((target("avx2"), RS_STREAM_NO_MEMCPY)) double stream_avx2(StreamKernel k, double* s0, double* s1,
                                                                       double* s2, std::size_t lo, std::size_t hi,
                                                                       long iters) {
  return stream_body<v4d>(k, s0 + lo, s1 + lo, s2 + lo, hi - lo, iters);
}

__attribute__((RS_STREAM_NO_MEMCPY)) double stream_sse2(StreamKernel k, double* s0, double* s1, double* s2,
                                                        std::size_t lo, std::size_t hi, long iters) {
  return stream_body<v2d>(k, s0 + lo, s1 + lo, s2 + lo, hi - lo, iters);
}

#undef RS_STREAM_NO_MEMCPY

}  // namespace

const char* stream_kernel_name(StreamKernel kernel) {
  switch (kernel) {
    case StreamKernel::copy: return "copy";
    case StreamKernel::scale: return "scale";
    case StreamKernel::add: return "add";
    case StreamKernel::triad: return "triad";
    case StreamKernel::read: return "read";
  }
  return "?";
}

int stream_arrays(StreamKernel kernel) {
  switch (kernel) {
    case StreamKernel::copy:
    case StreamKernel::scale: return 2;
    case StreamKernel::add:
    case StreamKernel::triad: return 3;
    case StreamKernel::read: return 1;
  }
  return 1;
}

std::vector<std::int64_t> sweep_sizes(std::int64_t min_bytes, std::int64_t max_bytes, int points_per_octave) {
  if (min_bytes < 64 || max_bytes < min_bytes || points_per_octave < 1) {
    throw std::invalid_argument(fmt::format("sweep_sizes: expected 64 <= min <= max and points_per_octave >= 1 "
                                            "(got {}, {}, {})", min_bytes, max_bytes, points_per_octave));
  }
  std::vector<std::int64_t> sizes;
  for (int k = 0;; ++k) {
    const double v = static_cast<double>(min_bytes) * std::pow(2.0, static_cast<double>(k) / points_per_octave);
    const std::int64_t bytes = round_up(static_cast<std::int64_t>(std::llround(v)), 64);
    if (sizes.empty() || bytes > sizes.back()) sizes.push_back(bytes);
    if (bytes >= max_bytes) break;
  }
  return sizes;
}

void StreamBuffers::Free::operator()(double* p) const { std::free(p); }

StreamBuffers::StreamBuffers(std::int64_t max_working_set_bytes, int threads) {
  // A whole number of pages: aligned_alloc needs a size that is a multiple of the alignment (C11 7.22.3.1).
  arena_bytes_ = round_up(round_up(max_working_set_bytes, kPage) + 3 * (kPage + kStagger), kPage);
  void* p = std::aligned_alloc(kPage, static_cast<std::size_t>(arena_bytes_));
  if (p == nullptr) throw std::bad_alloc();
  arena_.reset(static_cast<double*>(p));
  double* data = arena_.get();
  const auto n = static_cast<long>(arena_bytes_ / 8);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (long i = 0; i < n; ++i) data[i] = 1.0 + 1e-9 * static_cast<double>(i);  // first touch; no two pages alike
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    isa_ = "avx512f";
    run_ = stream_avx512;
  } else if (__builtin_cpu_supports("avx2")) {
    isa_ = "avx2";
    run_ = stream_avx2;
  } else {
    isa_ = "sse2";
    run_ = stream_sse2;
  }
}

StreamBuffers::~StreamBuffers() = default;

RateStats StreamBuffers::measure(StreamKernel kernel, std::int64_t working_set_bytes, int threads,
                                 const RepeatPolicy& policy) {
  const int arrays = stream_arrays(kernel);
  // Elements per array, a multiple of 8 (one 64-byte line) so every thread's chunk starts line-aligned.
  const std::int64_t n = working_set_bytes / (8 * arrays) / 8 * 8;
  const std::int64_t stride = round_up(n * 8, kPage) + kStagger;  // bytes between array starts
  if (n < 8 * threads || arrays * stride > arena_bytes_) {
    throw std::invalid_argument(fmt::format("stream {}: working set {} B does not fit {} threads and the {} B arena",
                                            stream_kernel_name(kernel), working_set_bytes, threads, arena_bytes_));
  }
  double* slot[3];
  for (int s = 0; s < 3; ++s) slot[s] = arena_.get() + (s < arrays ? s : 0) * stride / 8;
  const std::int64_t per_thread = n / threads / 8 * 8;
  sinks_.assign(static_cast<std::size_t>(threads) * 8, 0.0);
  const ThreadWork work = [&](int tid, long iters) {
    const auto lo = static_cast<std::size_t>(tid * per_thread);
    const auto hi = static_cast<std::size_t>(tid == threads - 1 ? n : (tid + 1) * per_thread);
    volatile double* sink = &sinks_[static_cast<std::size_t>(tid) * 8];
    *sink = run_(kernel, slot[0], slot[1], slot[2], lo, hi, iters);
  };
  return measure_rate(threads, policy, static_cast<double>(8 * arrays * n), work);
}

double measure_dram_now_gb_per_s(std::int64_t working_set_bytes, int threads) {
  try {
    StreamBuffers buffers(working_set_bytes, threads);
    const RepeatPolicy policy{3, 0.01, 3, 0};
    double best = 0;
    for (StreamKernel k : {StreamKernel::read, StreamKernel::triad})
      best = std::max(best, buffers.measure(k, working_set_bytes, threads, policy).best);
    return best;
  } catch (const std::bad_alloc&) {
    return 0;
  } catch (const std::invalid_argument&) {
    return 0;
  }
}

}  // namespace rs
