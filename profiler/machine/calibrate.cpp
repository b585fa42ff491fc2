// Calibration: theoretical roofs from the machine's description, measured roofs from the micro-benchmarks, and the
// warnings that tie them together; see calibrate.h. Cache handling and the command live in calibrate_cache.cpp.
#include "profiler/machine/calibrate.h"
#include "graph/units.h"

#include <fmt/format.h>
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <ctime>
#include <limits>

#include "profiler/machine/clock.h"
#include "profiler/machine/fma_peak.h"
#include "profiler/machine/microbench_plateau.h"
#include "profiler/machine/onednn_probe.h"
#include "profiler/machine/os_prices.h"
#include "profiler/machine/stream_bw.h"

namespace rs {
namespace {

constexpr double kNoisy = 0.10;  // repetitions disagreeing by more than this are reported (issue 3)
constexpr std::int64_t kMiB = 1 << 20;

std::string threads_label(int t) { return fmt::format("{} thread{}", t, t == 1 ? "" : "s"); }

CpuDescription describe_cpu() {
  CpuDescription cpu;
  static_cast<Topology&>(cpu) = topology();
  cpu.identity = read_cpu_identity();
  return cpu;
}

TheoreticalRoofs theory_for(const CpuDescription& cpu, double mem_bw_gb_per_s) {
  TheoreticalRoofs t;
  const CpuFrequency freq = read_cpu_frequency(cpu.identity.model_name);
  t.frequency_ghz = freq.peak_ghz();
  t.frequency_source = freq.peak_ghz() > 0 ? freq.peak_source() : "unknown (no cpufreq, brand string or cpu MHz)";
  t.frequency_is_turbo_max = freq.peak_is_turbo_max();
  t.fp_units = core_fp_units(cpu.identity);
  t.simd_isa = cpu.identity.isa.best_isa_name();
  t.simd_bits = cpu.identity.isa.simd_bits();
  t.fp32_flops_per_cycle_per_core = t.fp_units.fp32_flops_per_cycle(t.simd_bits);
  for (int threads = 1; threads <= cpu.physical_cores; ++threads)
    t.peak_gflops_per_s.push_back(
        theoretical_peak_gflops_per_s(threads, t.frequency_ghz, t.fp32_flops_per_cycle_per_core));
  t.dram = read_dram_theory(mem_bw_gb_per_s);
  return t;
}

/// What to measure and how hard.
struct Plan {
  int threads = 1;
  std::int64_t matmul_n = 2048;  ///< the matmul probe's size (quick: 1024, 2.1 GFLOP a run)
  RepeatPolicy fma, bandwidth;
  std::vector<std::int64_t> sizes;
};

std::int64_t default_sweep_max(const CpuDescription& cpu, int threads, bool quick) {
  const auto windows = level_windows(cpu.caches, threads);
  const std::int64_t llc = windows.size() > 1 ? windows[windows.size() - 2].upper_bytes : 0;
  // Full runs go to 8x rather than the minimum 4x: a VM may hide part of the cache (e.g. vCPUs on two CCDs, each
  // with its own L3), which stretches the L3-to-DRAM transition.
  std::int64_t max_bytes = std::max<std::int64_t>((quick ? 4 : 8) * llc, 64 * kMiB);
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0) max_bytes = std::min<std::int64_t>(max_bytes, static_cast<std::int64_t>(pages) * page / 4);
  return max_bytes;
}

Plan make_plan(const CalibrateOptions& o, const CpuDescription& cpu) {
  Plan p;
  p.threads = o.max_threads > 0 ? o.max_threads : cpu.physical_cores;
  if (p.threads > cpu.physical_cores) {
    throw std::invalid_argument(fmt::format("threads must be between 1 and {} (got {})", cpu.physical_cores,
                                            p.threads));
  }
  const int reps = o.repetitions > 0 ? o.repetitions : o.quick ? 3 : 5;
  p.fma = {reps, o.quick ? 0.005 : 0.02, 3 * reps, 0};
  p.matmul_n = o.quick ? 1024 : 2048;
  // Short repetitions, many of them: on a shared machine a 0.5 ms run is more likely to fit between two
  // preemptions than a long one, and the best run is the figure.
  p.bandwidth = {reps, 0.0005, o.quick ? 4 * reps : 12 * reps, o.quick ? 0.002 : 0.025};
  const std::int64_t lo = o.sweep_min_bytes > 0 ? o.sweep_min_bytes : 16 * 1024;
  const std::int64_t hi = o.sweep_max_bytes > 0 ? o.sweep_max_bytes : default_sweep_max(cpu, p.threads, o.quick);
  p.sizes = sweep_sizes(lo, std::max(lo, hi), o.points_per_octave > 0 ? o.points_per_octave : o.quick ? 2 : 3);
  return p;
}

/// "[#########.........]  45% bandwidth 2T 8 MiB" on stderr, redrawn in place; only when stderr is a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(bool wanted) : on_(wanted && isatty(STDERR_FILENO)) {}
  ~ProgressBar() {
    if (on_) fmt::print(stderr, "\r{:79}\r", "");
  }
  void operator()(double fraction, const std::string& what) const {
    if (!on_) return;
    const int width = 30, filled = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * width);
    fmt::print(stderr, "\rcalibrating [{}{}] {:3.0f}% {:<30}", std::string(static_cast<size_t>(filled), '#'),
               std::string(static_cast<size_t>(width - filled), '.'), 100 * fraction, what);
    std::fflush(stderr);
  }

 private:
  bool on_;
};

/// FMA peaks, the effective clock right after them, the oneDNN probes, and the bandwidth sweep at `threads`
/// pinned threads.
void measure_at(int threads, const Plan& plan, StreamBuffers& buffers, MeasuredRoofs& m,
                const std::function<void(const std::string&)>& tick) {
  for (const FmaKernel& k : available_fma_kernels()) {
    const RateStats s = measure_fma_peak(k, threads, plan.fma);
    // The clock right after the widest ISA's loop (the first), while the core still runs at that load's clock.
    if (m.clocks.empty() || m.clocks.back().threads != threads) m.clocks.push_back({threads, measure_clock(threads).ghz});
    m.peaks.push_back({threads, k.isa, {s.best, s.spread, s.repetitions}, ""});
    tick(fmt::format("FMA {} {}T", k.isa, threads));
  }
  for (const ProbeResult& p : {probe_matmul(plan.matmul_n, plan.fma), probe_conv3x3(256, 28, plan.fma)}) {
    m.peaks.push_back({threads, p.probe, {p.gflops_per_s.best, p.gflops_per_s.spread, p.gflops_per_s.repetitions},
                       p.detail + ", " + p.impl});
    tick(fmt::format("{} {}T", p.probe, threads));
  }
  const size_t first = m.sweeps.size();
  for (StreamKernel k : kStreamKernels) m.sweeps.push_back({threads, stream_kernel_name(k), {}, {}, {}});
  for (std::int64_t ws : plan.sizes) {
    for (size_t i = 0; i < kStreamKernels.size(); ++i) {
      const RateStats s = buffers.measure(kStreamKernels[i], ws, threads, plan.bandwidth);
      SweepSeries& series = m.sweeps[first + i];
      series.working_set_bytes.push_back(ws);
      series.gb_per_s.push_back(s.best);
      series.spread.push_back(s.spread);
    }
    tick(fmt::format("bandwidth {}T {}", threads, format_bytes(static_cast<double>(ws))));
  }
}

/// Largest spread among the series' points in [first, last] bytes.
double spread_within(const SweepSeries& s, std::int64_t first, std::int64_t last) {
  double worst = 0;
  for (size_t i = 0; i < s.working_set_bytes.size(); ++i)
    if (s.working_set_bytes[i] >= first && s.working_set_bytes[i] <= last) worst = std::max(worst, s.spread[i]);
  return worst;
}

/// Per memory level and thread count: each kernel's plateau (microbench_plateau.h).
std::vector<LevelBandwidth> levels_from_sweeps(const std::vector<SweepSeries>& sweeps,
                                               const std::vector<CacheLevel>& caches, int max_threads, int reps) {
  std::vector<LevelBandwidth> levels;
  for (int t = 1; t <= max_threads; ++t) {
    const auto windows = level_windows(caches, t);
    const size_t first = levels.size();
    for (const MemoryLevelWindow& w : windows) levels.push_back({w.level, t, 0, 0, true, {}});
    for (const SweepSeries& s : sweeps) {
      if (s.threads != t) continue;
      std::vector<SweepPoint> curve;
      for (size_t i = 0; i < s.gb_per_s.size(); ++i) curve.push_back({s.working_set_bytes[i], s.gb_per_s[i]});
      for (const Plateau& p : detect_plateaus(curve, windows)) {
        auto it = std::find_if(levels.begin() + static_cast<long>(first), levels.end(),
                               [&p](const LevelBandwidth& l) { return l.level == p.level; });
        it->gb_per_s[s.kernel] = {p.gb_per_s, spread_within(s, p.first_bytes, p.last_bytes), reps};
        it->detected = it->detected && p.detected;
        if (s.kernel == "triad" || it->first_bytes == 0) {
          it->first_bytes = p.first_bytes;
          it->last_bytes = p.last_bytes;
        }
      }
    }
  }
  levels.erase(std::remove_if(levels.begin(), levels.end(), [](const LevelBandwidth& l) { return l.gb_per_s.empty(); }),
               levels.end());
  return levels;
}

void warn_compute(MachineProfile& p) {
  const TheoreticalRoofs& t = p.theoretical;
  if (t.fp_units.assumed) p.warnings.push_back("FMA units per core: " + t.fp_units.source);
  for (const PeakMeasurement& m : p.measured.peaks)
    if (m.gflops_per_s.spread > kNoisy)
      p.warnings.push_back(fmt::format("{} at {}: repetitions disagree by {:.0f}% (noisy machine)", m.isa,
                                       threads_label(m.threads), 100 * m.gflops_per_s.spread));
  for (int threads = 1; threads <= p.max_threads(); ++threads) {
    const double measured = p.measured_peak_gflops_per_s(threads), ghz = p.effective_clock_ghz(threads);
    const double at_clock = p.theoretical_peak_at_gflops_per_s(threads, ghz);
    if (ghz > 0 && t.frequency_ghz > 0 && std::abs(ghz / t.frequency_ghz - 1) > 0.05)
      p.warnings.push_back(fmt::format("effective clock at {} {:.3f} GHz vs {:.3f} GHz {} ({}): theoretical peaks are "
                                       "given at both", threads_label(threads), ghz, t.frequency_ghz,
                                       t.frequency_is_turbo_max ? "turbo maximum" : "nominal", t.frequency_source));
    if (at_clock > 0 && measured > 1.02 * at_clock)
      p.warnings.push_back(fmt::format(
          "measured FP32 peak at {} ({:.1f} GFLOP/s, {}) exceeds the theoretical {:.1f} GFLOP/s at the effective "
          "clock {:.3f} GHz by {:.0f}%: the FMA-unit table row ({}) is likely wrong for this CPU", threads_label(threads),
          measured, p.peak_source(threads)->isa, at_clock, ghz, 100 * (measured / at_clock - 1), t.fp_units.source));
  }
}

void warn_memory(MachineProfile& p) {
  const TheoreticalRoofs& t = p.theoretical;
  if (!t.dram.known()) p.warnings.push_back("theoretical DRAM bandwidth " + t.dram.source);
  for (const LevelBandwidth& l : p.measured.bandwidth) {
    if (!l.detected)
      p.warnings.push_back(fmt::format("{} at {}: no plateau of >= 2 points for every kernel; the figure "
                                       "rests on single points", l.level, threads_label(l.threads)));
    if (l.level == "DRAM" && t.dram.known() && l.roof_gb_per_s() > t.dram.gb_per_s)
      p.warnings.push_back(fmt::format("measured DRAM bandwidth at {} ({:.1f} GB/s) exceeds the theoretical "
                                       "{:.1f} GB/s ({})", threads_label(l.threads), l.roof_gb_per_s(), t.dram.gb_per_s,
                                       t.dram.source));
  }
  int noisy = 0, total = 0;
  double worst = 0;
  std::string where;
  for (const SweepSeries& s : p.measured.sweeps) {
    for (size_t i = 0; i < s.spread.size(); ++i, ++total) {
      if (s.spread[i] > kNoisy) ++noisy;
      if (s.spread[i] > worst) {
        worst = s.spread[i];
        where = fmt::format("{} {}T {}", s.kernel, s.threads, format_bytes(static_cast<double>(s.working_set_bytes[i])));
      }
    }
  }
  if (noisy > 0)
    p.warnings.push_back(fmt::format("bandwidth: {} of {} sweep points had repetitions disagreeing by more than 10% "
                                     "(worst {:.0f}% at {})", noisy, total, 100 * worst, where));
}

}  // namespace

MachineProfile calibrate(const CalibrateOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  MachineProfile p;
  p.created_utc = utc_now_iso8601();
  p.cpu = describe_cpu();
  p.theoretical = theory_for(p.cpu, options.mem_bw_gb_per_s);
  const Plan plan = make_plan(options, p.cpu);
  const int restore_threads = std::clamp(omp_get_max_threads(), 1, p.cpu.physical_cores);

  MeasuredRoofs& m = p.measured;
  m.quick = options.quick;
  m.repetitions = plan.fma.repetitions;
  m.byte_counting = "STREAM: 8 B per FP64 element read or written (copy/scale 16 B, add/triad 24 B, read 8 B per "
                    "element); write-allocate traffic not counted; working set = all arrays of the kernel";
  const ProgressBar bar(options.progress);
  const double steps = plan.threads * (available_fma_kernels().size() + 2 + plan.sizes.size()) + 1;
  double done = 0;
  const auto tick = [&](const std::string& what) { bar(++done / steps, what); };
  {
    // Ascending thread counts, each with its own arena first-touched by its own team: pages sit where that team
    // runs (NUMA), and no larger team exists yet while fewer threads are measured.
    for (int threads = 1; threads <= plan.threads; ++threads) {
      const BindingReport binding = bind_threads(threads, true);
      if (!binding.note.empty()) p.warnings.push_back("thread binding: " + binding.note);
      StreamBuffers buffers(plan.sizes.back(), threads);
      m.stream_isa = buffers.isa();
      measure_at(threads, plan, buffers, m, tick);
    }
  }
  bind_threads(restore_threads, false);
  const OsPrices prices = measure_os_prices(options.quick ? 3 : 5);
  m.os_prices = {prices.page_fault_s, prices.context_switch_s, prices.migration_s, prices.method};
  tick("OS prices");
  m.bandwidth = levels_from_sweeps(m.sweeps, p.cpu.caches, plan.threads, plan.bandwidth.repetitions);
  warn_compute(p);
  warn_memory(p);
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return p;
}

}  // namespace rs
