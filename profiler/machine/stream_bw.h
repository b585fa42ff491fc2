// Measured memory bandwidth: the four STREAM kernels (McCalpin, https://www.cs.virginia.edu/stream/) plus a
// read-only sum, on FP64 arrays, vectorized for the widest ISA at run time (function-level target attributes).
//
// Bytes are counted the STREAM way: every array element read or written counts 8 bytes once (copy/scale 16 B,
// add/triad 24 B, read 8 B per element); the extra read of a written line (write-allocate) is NOT counted, so on
// write-allocate caches copy/scale/add/triad report less than the traffic the memory really carries.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "profiler/machine/microbench.h"

namespace rs {

enum class StreamKernel { copy, scale, add, triad, read };
inline constexpr std::array<StreamKernel, 5> kStreamKernels = {StreamKernel::copy, StreamKernel::scale,
                                                               StreamKernel::add, StreamKernel::triad,
                                                               StreamKernel::read};

/// "copy", "scale", "add", "triad", "read".
const char* stream_kernel_name(StreamKernel kernel);
/// Arrays the kernel touches (copy 2, scale 2, add 3, triad 3, read 1); bytes per element = 8 x arrays.
int stream_arrays(StreamKernel kernel);

/// Working-set sizes in bytes from min_bytes to at least max_bytes, `points_per_octave` per doubling (geometric,
/// rounded to 64 B). Throws std::invalid_argument on min_bytes < 64, max < min or points_per_octave < 1.
std::vector<std::int64_t> sweep_sizes(std::int64_t min_bytes, std::int64_t max_bytes, int points_per_octave);

/// One 4 KiB-aligned arena big enough for the largest working set, first-touched by `threads` bound threads.
/// Arrays of a kernel are laid out one after another (staggered by 1 KiB to avoid 4K aliasing), so the footprint of
/// a measurement is its working set. Not copyable; not thread-safe (measure from one thread).
class StreamBuffers {
 public:
  /// Throws std::bad_alloc when the arena cannot be allocated.
  StreamBuffers(std::int64_t max_working_set_bytes, int threads);
  ~StreamBuffers();
  StreamBuffers(const StreamBuffers&) = delete;
  StreamBuffers& operator=(const StreamBuffers&) = delete;

  /// Bandwidth in GB/s (1e9 B/s, STREAM byte counting) of `kernel` on a working set of `working_set_bytes` (all its
  /// arrays together, split evenly over `threads` already-bound OpenMP threads). Throws std::invalid_argument when
  /// the working set exceeds the arena or is too small to give each thread 8 elements per array.
  RateStats measure(StreamKernel kernel, std::int64_t working_set_bytes, int threads, const RepeatPolicy& policy);

  /// ISA of the kernels in use: "avx512f", "avx2" or "sse2".
  const std::string& isa() const { return isa_; }

 private:
  struct Free {
    void operator()(double* p) const;
  };
  std::unique_ptr<double, Free> arena_;
  std::int64_t arena_bytes_ = 0;
  std::string isa_;
  using RunFn = double (*)(StreamKernel, double*, double*, double*, std::size_t, std::size_t, long);
  RunFn run_ = nullptr;
  std::vector<double> sinks_;  ///< one cache line per thread for the read kernel's sums
};

/// DRAM bandwidth now, GB/s (STREAM byte counting): the best of the read and triad kernels (3 repetitions each) on
/// `working_set_bytes` (pass at least the DRAM plateau's first size, so no cache holds it), split over `threads`
/// already-bound OpenMP threads. ~0.1 s for 100 MB at 25 GB/s, first touch included. The host's memory bandwidth
/// moves with its other tenants; profile measures this before and after its runs (issue 10). Returns 0 when the
/// arena cannot be allocated or the size is too small for the threads.
double measure_dram_now_gb_per_s(std::int64_t working_set_bytes, int threads);

}  // namespace rs
