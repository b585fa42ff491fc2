// Table view of a machine profile; see machine_report.h.
#include "profiler/report/machine_report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "graph/units.h"
#include "profiler/report/report.h"

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

/// x when > 0, else NaN ("n/a" in a table).
double known(double x) { return x > 0 ? x : std::nan(""); }

Table compute_rows(const MachineProfile& p) {
  using K = ColumnKind;
  Table t({{"threads", "threads", K::Count, 0, true}, {"theo_nominal", "theo nom", K::Real, 1, false},
           {"clock_ghz", "clock GHz", K::Real, 2, false}, {"theo_effective", "theo eff", K::Real, 1, true},
           {"fma_loop", "FMA loop", K::Real, 1, true}, {"matmul", "matmul", K::Real, 1, true},
           {"conv3x3", "conv3x3", K::Real, 1, true}, {"roof", "roof", K::Real, 1, true},
           {"set_by", "set by", K::Text, 0, true}, {"roof_per_eff", "roof/eff", K::Text, 0, true},
           {"spread_percent", "spread %", K::Real, 1, false}});
  for (int th = 1; th <= p.max_threads(); ++th) {
    const PeakMeasurement* best = p.peak_source(th);
    if (best == nullptr) continue;
    const double ghz = p.effective_clock_ghz(th);
    // At the effective clock; at the nominal one when calibration measured no clock.
    const double theo_eff = ghz > 0 ? p.theoretical_peak_at_gflops_per_s(th, ghz) : p.theoretical_peak_gflops_per_s(th);
    t.add_row({std::int64_t{th}, known(p.theoretical_peak_gflops_per_s(th)), known(ghz), known(theo_eff),
               known(best_probe(p, th, true)), known(best_probe(p, th, false, "onednn_matmul")),
               known(best_probe(p, th, false, "onednn_conv3x3")), best->gflops_per_s.value, best->isa,
               ratio(best->gflops_per_s.value, theo_eff), 100 * best->gflops_per_s.spread});
  }
  return t;
}

void compute_table(std::string& out, const MachineProfile& p, const TableView& view, std::size_t width) {
  auto o = std::back_inserter(out);
  out += wrap_lines(fmt::format("\nCompute roof pi, FP32 (GFLOP/s; each probe the best of >= {} repetitions; the roof "
                                "is the highest probe; the effective clock measured right after the FMA loop)\n",
                                p.measured.repetitions), width, 2);
  Table t = compute_rows(p);
  t.set_view(view);
  out += t.render(Format::Table);
  for (const PeakMeasurement& m : p.measured.peaks)
    if (!m.detail.empty() && m.threads == p.max_threads())
      out += wrap_lines(fmt::format("  {}: {}\n", m.isa, m.detail), width, 4);
  const OsEventPrices& os = p.measured.os_prices;
  fmt::format_to(o, "OS prices: page fault {} us, context switch {} us, migration {} us\n", num(os.page_fault_s * 1e6, 2),
                 num(os.context_switch_s * 1e6, 2), num(os.migration_s * 1e6, 1));
}

Table memory_rows(const MachineProfile& p) {
  using K = ColumnKind;
  const char* kernels[] = {"copy", "scale", "add", "triad", "read"};
  std::vector<Column> cols = {{"level", "level", K::Text, 0, true}, {"threads", "threads", K::Count, 0, true},
                              {"working_set", "working set", K::Text, 0, true}};
  for (const char* k : kernels) cols.push_back({k, k, K::Real, 1, std::string(k) == "triad" || std::string(k) == "read"});
  cols.insert(cols.end(), {{"roof", "roof", K::Real, 1, true}, {"theoretical", "theory", K::Real, 1, true},
                           {"meas_per_theory", "meas/theo", K::Text, 0, true},
                           {"spread_percent", "spread %", K::Real, 1, false}});
  Table t(cols);
  for (const LevelBandwidth& l : p.measured.bandwidth) {
    std::vector<Cell> row = {l.level, std::int64_t{l.threads},
                             fmt::format("{}-{}{}", format_bytes(static_cast<double>(l.first_bytes)),
                                         format_bytes(static_cast<double>(l.last_bytes)), l.detected ? "" : " ?")};
    double spread = 0;
    for (const char* k : kernels) {
      const auto it = l.gb_per_s.find(k);
      row.push_back(it == l.gb_per_s.end() ? Cell{} : Cell{known(it->second.value)});
      if (it != l.gb_per_s.end()) spread = std::max(spread, it->second.spread);
    }
    const bool dram = l.level == "DRAM";
    const double theory = dram ? p.theoretical.dram.gb_per_s : 0;
    row.insert(row.end(), {known(l.roof_gb_per_s()), dram ? Cell{known(theory)} : Cell{std::string("-")},
                           dram ? ratio(l.roof_gb_per_s(), theory) : "-", 100 * spread});
    t.add_row(std::move(row));
  }
  return t;
}

void memory_table(std::string& out, const MachineProfile& p, const TableView& view, std::size_t width) {
  out += wrap_lines(fmt::format("\nMemory roofs beta (GB/s, median of the plateau; roof = best kernel)\n  bytes: {}\n",
                                p.measured.byte_counting), width, 4);
  Table t = memory_rows(p);
  t.set_view(view);
  out += t.render(Format::Table);
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

std::string format_machine_table(const MachineProfile& profile, const TableView& view) {
  const auto width = static_cast<std::size_t>(view.width > 0 ? view.width : terminal_width());
  std::string head;
  header(head, profile);
  std::string out = wrap_lines(head, width, 9);
  compute_table(out, profile, view, width);
  memory_table(out, profile, view, width);
  ridge_table(out, profile);
  if (!profile.warnings.empty()) {
    out += "\nWarnings\n";
    for (const std::string& w : profile.warnings) out += wrap_lines("  - " + w + "\n", width, 4);
  }
  return out;
}

std::vector<Format> MachineReporter::formats() const { return {Format::Table, Format::Json}; }

std::string MachineReporter::render(Format f) const {
  if (f == Format::Table) return format_machine_table(profile_, view_);
  if (f == Format::Json) return nlohmann::json(profile_).dump(2) + "\n";
  unsupported("a machine profile", f);
}

}  // namespace rs
