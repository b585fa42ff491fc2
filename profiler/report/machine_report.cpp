// Table view of a machine profile; see machine_report.h.
#include "profiler/report/machine_report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>

#include "graph/units.h"

namespace rs {
namespace {

std::string num(double v, int decimals = 1) { return v > 0 ? fmt::format("{:.{}f}", v, decimals) : "n/a"; }

std::string ratio(double measured, double theory) {
  if (!(measured > 0) || !(theory > 0)) return "n/a";
  const double r = measured / theory;
  return fmt::format("{:.0f}%{}", 100 * r, r > 1 ? " (!)" : "");
}

std::string caches_line(const CpuDescription& cpu) {
  std::string s;
  for (const CacheLevel& c : cpu.caches) {
    if (!s.empty()) s += " | ";
    s += fmt::format("L{}{} {} ", c.level, c.level == 1 ? "d" : "", format_bytes(static_cast<double>(c.size_bytes)));
    s += c.cores_sharing == 1 ? "per core" : fmt::format("shared by {} cores", c.cores_sharing);
  }
  return s.empty() ? "unknown (hwloc reports none)" : s;
}

void header(std::string& out, const MachineProfile& p) {
  const CpuDescription& c = p.cpu;
  const TheoreticalRoofs& t = p.theoretical;
  auto line = [&out](const char* key, const std::string& value) { fmt::format_to(std::back_inserter(out), "{:<9}{}\n", key, value); };
  fmt::format_to(std::back_inserter(out), "roofscope machine profile (schema {}, {}, {} calibration in {:.1f} s)\n",
                 p.schema_version, p.created_utc, p.measured.quick ? "quick" : "full", p.measured.seconds);
  line("CPU", fmt::format("{} ({} family 0x{:x} model 0x{:x} stepping {}; {})", c.identity.model_name,
                          c.identity.vendor, c.identity.family, c.identity.model, c.identity.stepping,
                          t.fp_units.microarchitecture));
  line("Cores", fmt::format("{} physical, {} logical (SMT {}), {} package(s)", c.physical_cores, c.logical_cpus,
                            c.smt_per_core(), c.packages));
  line("Caches", caches_line(c));
  line("ISA", c.identity.isa.describe());
  line("Clock", t.frequency_ghz > 0 ? fmt::format("{:.3f} GHz from {} ({})", t.frequency_ghz, t.frequency_source,
                                                  t.frequency_is_turbo_max ? "turbo maximum"
                                                                           : "nominal; turbo maximum unknown")
                                    : t.frequency_source);
  line("FMA", fmt::format("{} x {}-bit per core{} -> {} FP32 FLOP/cycle/core with {} [{}]", t.fp_units.fma_units,
                          t.fp_units.fma_width_bits, t.fp_units.assumed ? " (assumed)" : "",
                          t.fp32_flops_per_cycle_per_core, t.simd_isa, t.fp_units.source));
  line("DRAM", t.dram.known() ? fmt::format("{:.1f} GB/s theoretical ({})", t.dram.gb_per_s, t.dram.source)
                              : t.dram.source);
}

/// The best figure at `threads` among the probes `isa` selects (FMA loops, or one oneDNN probe); 0 when none.
double best_probe(const MachineProfile& p, int threads, bool fma_loops, const char* isa = "") {
  double best = 0;
  for (const PeakMeasurement& m : p.measured.peaks)
    if (m.threads == threads && (fma_loops ? m.is_fma_loop() : m.isa == isa)) best = std::max(best, m.gflops_per_s.value);
  return best;
}

void compute_table(std::string& out, const MachineProfile& p) {
  auto o = std::back_inserter(out);
  fmt::format_to(o, "\nCompute roof pi, FP32 (GFLOP/s; each probe the best of >= {} repetitions; the roof is the "
                 "highest probe; the effective clock measured right after the FMA loop)\n", p.measured.repetitions);
  fmt::format_to(o, "{:>7}  {:>9}  {:>9}  {:>9}  {:>8}  {:>8}  {:>8}  {:>8}  {:<15}  {:>9}  {:>6}\n", "threads",
                 "theo nom", "clock GHz", "theo eff", "FMA loop", "matmul", "conv3x3", "roof", "set by", "roof/eff",
                 "spread");
  for (int t = 1; t <= p.max_threads(); ++t) {
    const PeakMeasurement* best = p.peak_source(t);
    if (best == nullptr) continue;
    const double ghz = p.effective_clock_ghz(t);
    // At the effective clock; at the nominal one when calibration measured no clock.
    const double theo_eff = ghz > 0 ? p.theoretical_peak_at_gflops_per_s(t, ghz) : p.theoretical_peak_gflops_per_s(t);
    fmt::format_to(o, "{:>7}  {:>9}  {:>9}  {:>9}  {:>8}  {:>8}  {:>8}  {:>8.1f}  {:<15}  {:>9}  {:>5.1f}%\n", t,
                   num(p.theoretical_peak_gflops_per_s(t)), num(ghz, 2), num(theo_eff), num(best_probe(p, t, true)),
                   num(best_probe(p, t, false, "onednn_matmul")), num(best_probe(p, t, false, "onednn_conv3x3")),
                   best->gflops_per_s.value, best->isa, ratio(best->gflops_per_s.value, theo_eff),
                   100 * best->gflops_per_s.spread);
  }
  for (const PeakMeasurement& m : p.measured.peaks)
    if (!m.detail.empty() && m.threads == p.max_threads()) fmt::format_to(o, "  {}: {}\n", m.isa, m.detail);
  const OsEventPrices& os = p.measured.os_prices;
  fmt::format_to(o, "OS prices: page fault {} us, context switch {} us, migration {} us\n", num(os.page_fault_s * 1e6, 2),
                 num(os.context_switch_s * 1e6, 2), num(os.migration_s * 1e6, 1));
}

void memory_table(std::string& out, const MachineProfile& p) {
  auto o = std::back_inserter(out);
  const char* kernels[] = {"copy", "scale", "add", "triad", "read"};
  fmt::format_to(o, "\nMemory roofs beta (GB/s, median of the plateau; roof = best kernel)\n  bytes: {}\n",
                 p.measured.byte_counting);
  fmt::format_to(o, "{:<5} {:>7}  {:<19}", "level", "threads", "working set");
  for (const char* k : kernels) fmt::format_to(o, " {:>7}", k);
  fmt::format_to(o, " {:>7}  {:>11}  {:>11}  {:>6}\n", "roof", "theoretical", "meas/theory", "spread");
  for (const LevelBandwidth& l : p.measured.bandwidth) {
    const std::string range = fmt::format("{}-{}{}", format_bytes(static_cast<double>(l.first_bytes)),
                                          format_bytes(static_cast<double>(l.last_bytes)), l.detected ? "" : " ?");
    fmt::format_to(o, "{:<5} {:>7}  {:<19}", l.level, l.threads, range);
    double spread = 0;
    for (const char* k : kernels) {
      const auto it = l.gb_per_s.find(k);
      fmt::format_to(o, " {:>7}", it == l.gb_per_s.end() ? "-" : num(it->second.value));
      if (it != l.gb_per_s.end()) spread = std::max(spread, it->second.spread);
    }
    const double theory = l.level == "DRAM" ? p.theoretical.dram.gb_per_s : 0;
    fmt::format_to(o, " {:>7}  {:>11}  {:>11}  {:>5.1f}%\n", num(l.roof_gb_per_s()),
                   l.level == "DRAM" ? num(theory) : "-", l.level == "DRAM" ? ratio(l.roof_gb_per_s(), theory) : "-",
                   100 * spread);
  }
}

void ridge_table(std::string& out, const MachineProfile& p) {
  auto o = std::back_inserter(out);
  std::vector<std::string> levels;
  for (const LevelBandwidth& l : p.measured.bandwidth)
    if (std::find(levels.begin(), levels.end(), l.level) == levels.end()) levels.push_back(l.level);
  fmt::format_to(o, "\nRidge points pi/beta (FLOP/byte; ops below it are memory-bound)\n{:>7}  {:>16}", "threads",
                 "theoretical DRAM");
  for (const std::string& l : levels) fmt::format_to(o, "  {:>9}", "meas " + l);
  out += '\n';
  for (int t = 1; t <= p.max_threads(); ++t) {
    fmt::format_to(o, "{:>7}  {:>16}", t, num(p.theoretical_ridge_flop_per_byte(t), 2));
    for (const std::string& l : levels) fmt::format_to(o, "  {:>9}", num(p.measured_ridge_flop_per_byte(t, l), 2));
    out += '\n';
  }
}

}  // namespace

std::string format_machine_table(const MachineProfile& profile) {
  std::string out;
  header(out, profile);
  compute_table(out, profile);
  memory_table(out, profile);
  ridge_table(out, profile);
  if (!profile.warnings.empty()) {
    out += "\nWarnings\n";
    for (const std::string& w : profile.warnings) out += "  - " + w + "\n";
  }
  return out;
}

std::vector<Format> MachineReporter::formats() const { return {Format::Table, Format::Json}; }

std::string MachineReporter::render(Format f) const {
  if (f == Format::Table) return format_machine_table(profile_);
  if (f == Format::Json) return nlohmann::json(profile_).dump(2) + "\n";
  unsupported("a machine profile", f);
}

}  // namespace rs
