// The roofline model: roofs per thread count, per-op predictions and the loss split; see roofline.h.
#include "profiler/roofline/roofline.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "graph/units.h"

namespace rs {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double positive_or_nan(double x) { return x > 0 ? x : kNaN; }
}  // namespace

double Roofs::ridge_measured_flop_per_byte() const {
  return positive_or_nan(peak_measured_gflops_per_s) / positive_or_nan(dram_measured_gb_per_s);
}

double Roofs::ridge_theoretical_flop_per_byte() const {
  return positive_or_nan(peak_theoretical_gflops_per_s) / positive_or_nan(dram_theoretical_gb_per_s);
}

namespace {

/// Theoretical GFLOP/s per GHz at `threads` (threads x FLOP/cycle), from the FLOP/cycle figure or, when only the
/// peak at the nominal clock is known, from that peak; 0 when unknown.
double theoretical_gflops_per_ghz(const MachineProfile& m, int threads) {
  const double per_ghz = m.theoretical_peak_at_gflops_per_s(threads, 1.0);
  if (per_ghz > 0) return per_ghz;
  const double nominal = m.theoretical_peak_gflops_per_s(threads);
  return nominal > 0 && m.theoretical.frequency_ghz > 0 ? nominal / m.theoretical.frequency_ghz : 0;
}

/// Compute roofs at the ceiling, nominal, effective and measured clocks.
void compute_roofs(const MachineProfile& m, int threads, double clock_now_ghz, Roofs& r) {
  r.clock_nominal_ghz = m.theoretical.frequency_ghz;
  r.clock_calibration_ghz = m.effective_clock_ghz(threads);
  r.clock_now_ghz = clock_now_ghz;
  r.peak_calibrated_gflops_per_s = m.measured_peak_gflops_per_s(threads);
  // The best probe proves the clock ran at least at its FLOP/s / (FLOP per cycle) during calibration.
  const double gflops_per_ghz = theoretical_gflops_per_ghz(m, threads);
  r.clock_implied_ghz = gflops_per_ghz > 0 ? r.peak_calibrated_gflops_per_s / gflops_per_ghz : 0;
  const double then = std::max(r.clock_calibration_ghz, r.clock_implied_ghz);
  const double effective = clock_now_ghz > 0 ? clock_now_ghz : then;
  // Rescaled only when calibration measured its clock: the implied one alone is a lower bound (it would inflate).
  const bool rescale = clock_now_ghz > 0 && r.clock_calibration_ghz > 0;
  r.peak_measured_gflops_per_s = r.peak_calibrated_gflops_per_s * (rescale ? clock_now_ghz / then : 1);
  r.clock_ceiling_ghz = std::max({r.clock_nominal_ghz, then, clock_now_ghz});
  r.peak_nominal_gflops_per_s = m.theoretical_peak_gflops_per_s(threads);
  r.peak_effective_gflops_per_s = gflops_per_ghz * effective;
  r.peak_theoretical_gflops_per_s = gflops_per_ghz * r.clock_ceiling_ghz;
  if (const PeakMeasurement* p = m.peak_source(threads)) {
    std::string detail = p->detail;  // "", "2048x2048x2048, brg:avx512_core", "kept from the calibration of ..."
    if (detail.rfind(" (", 0) == 0 && detail.back() == ')') detail = detail.substr(2, detail.size() - 3);  // older
    const bool fma_loop = detail.empty() || detail.rfind("kept from", 0) == 0;                           // profiles
    r.peak_source = (fma_loop ? p->isa + " FMA loop" : p->isa) + (detail.empty() ? "" : " (" + detail + ")");
  }
}

/// Best kernel per swept size at `threads`, then the running maximum from the largest size down.
std::vector<std::pair<std::int64_t, double>> sweep_envelope(const std::vector<SweepSeries>& sweeps, int threads) {
  std::map<std::int64_t, double> best;
  for (const SweepSeries& s : sweeps)
    if (s.threads == threads)
      for (size_t i = 0; i < s.working_set_bytes.size() && i < s.gb_per_s.size(); ++i) {
        double& b = best[s.working_set_bytes[i]];
        if (std::isfinite(s.gb_per_s[i])) b = std::max(b, s.gb_per_s[i]);
      }
  std::vector<std::pair<std::int64_t, double>> out(best.begin(), best.end());
  for (size_t i = out.size(); i-- > 1;) out[i - 1].second = std::max(out[i - 1].second, out[i].second);
  return out;
}

}  // namespace

double sweep_roof_gb_per_s(const Roofs& r, std::int64_t bytes) {
  const auto& e = r.sweep_envelope;
  if (e.empty()) return 0;
  auto it = std::upper_bound(e.begin(), e.end(), bytes, [](std::int64_t b, const auto& p) { return b < p.first; });
  return it == e.begin() ? e.front().second : std::prev(it)->second;
}

Roofs roofs_for(const MachineProfile& m, int threads, double clock_now_ghz) {
  Roofs r;
  r.threads = threads;
  compute_roofs(m, threads, clock_now_ghz, r);
  r.dram_theoretical_gb_per_s = m.theoretical.dram.gb_per_s;
  r.dram_measured_gb_per_s = r.dram_calibration_gb_per_s = m.measured_bandwidth_gb_per_s("DRAM", threads);
  for (const auto& c : m.cpu.caches) {
    const std::string level = "L" + std::to_string(c.level);
    const double bw = m.measured_bandwidth_gb_per_s(level, threads);
    if (bw <= 0 || c.size_bytes <= 0) continue;
    // Private caches add up over the threads in use (one per core); a shared cache is one instance.
    const std::int64_t capacity = c.cores_sharing <= 1 ? c.size_bytes * threads : c.size_bytes;
    r.caches.push_back({level, capacity, bw});
  }
  r.sweep_envelope = sweep_envelope(m.measured.sweeps, threads);
  r.os_prices = m.measured.os_prices;
  r.provenance = {m.loaded_from, m.measured.quick, m.created_utc, seconds_since_iso8601(m.created_utc)};
  return r;
}

void raise_dram_roof(Roofs& r, double dram_now_gb_per_s) {
  if (!(dram_now_gb_per_s > 0)) return;
  r.dram_now_gb_per_s = dram_now_gb_per_s;
  r.dram_measured_gb_per_s = std::max(r.dram_measured_gb_per_s, dram_now_gb_per_s);
}

std::string RoofsProvenance::describe() const {
  const char* kind = quick ? "quick" : "full";
  if (path.empty()) return fmt::format("measured now ({}, not saved)", kind);
  return fmt::format("{} ({}, measured {} ago)", path, kind, format_age(age_s));
}

double roofline_time_s(std::int64_t flops, std::int64_t bytes, double gflops_per_s, double gb_per_s) {
  if (gflops_per_s <= 0 || gb_per_s <= 0) return kNaN;
  return std::max(static_cast<double>(flops) / (gflops_per_s * 1e9), static_cast<double>(bytes) / (gb_per_s * 1e9));
}

void predict(OpProfile& op, const Roofs& r) {
  const double ridge = r.ridge_measured_flop_per_byte();
  op.bound = std::isnan(ridge) ? "n/a" : op.cost.intensity() >= ridge ? "compute" : "memory";
  op.t_roof_measured_s =
      roofline_time_s(op.cost.flops, op.cost.bytes, r.peak_measured_gflops_per_s, r.dram_measured_gb_per_s);
  // Cache-aware roof: the smallest level whose capacity holds the working set (src + weights + dst = cost.bytes).
  op.cache_level = "DRAM";
  double beta = r.dram_measured_gb_per_s;
  double beta_theo = r.dram_theoretical_gb_per_s > 0 ? r.dram_theoretical_gb_per_s : r.dram_measured_gb_per_s;
  for (const auto& c : r.caches)
    if (op.cost.bytes <= c.capacity_bytes) {
      op.cache_level = c.level;
      // No theory of cache bandwidth: the measured one stands for it, at the op's working set (sweep_roof_gb_per_s).
      beta = beta_theo = std::max(c.gb_per_s, sweep_roof_gb_per_s(r, op.cost.bytes));
      break;
    }
  op.t_roof_cache_s = roofline_time_s(op.cost.flops, op.cost.bytes, r.peak_measured_gflops_per_s, beta);
  op.t_roof_theoretical_s = roofline_time_s(op.cost.flops, op.cost.bytes, r.peak_theoretical_gflops_per_s, beta_theo);
  op.t_roof_effective_s = roofline_time_s(op.cost.flops, op.cost.bytes, r.peak_effective_gflops_per_s, beta_theo);
}

double os_time_s(const OsCounts& n, const OsEventPrices& p) {
  if (std::isnan(n.page_faults) || std::isnan(n.context_switches) || std::isnan(n.migrations)) return kNaN;
  if (p.page_fault_s <= 0) return kNaN;
  if ((n.context_switches > 0 && p.context_switch_s <= 0) || (n.migrations > 0 && p.migration_s <= 0)) return kNaN;
  return n.page_faults * p.page_fault_s + n.context_switches * p.context_switch_s + n.migrations * p.migration_s;
}

namespace {

/// Chosen kernel vs the fastest candidate timed (runtime/tuner.h StepChoice), as a share of t.
double implementation_loss_s(const StepChoice& c, double t) {
  if (c.source == "only") return 0;
  if (!std::isfinite(c.time_s) || c.time_s <= 0) return kNaN;  // not tuned: nothing to compare with
  if (!std::isfinite(c.runner_up_time_s) || c.runner_up_time_s >= c.time_s) return 0;
  return (1 - c.runner_up_time_s / c.time_s) * t;
}

void add_flags(OpProfile& op) {
  const double t = op.t_actual_s.median;
  op.flags.clear();
  if (op.efficiency_cache > 1) op.flags.push_back("above roof");
  const std::pair<const char*, double> parts[] = {{"clock", op.loss_clock_s}, {"pipeline", op.loss_pipeline_s},
                                                  {"os", op.loss_os_s}, {"software", op.loss_software_s}};
  for (const auto& [name, v] : parts)
    if (v < -kNegativeLossTolerance * t) op.flags.push_back(std::string("negative ") + name);
}

}  // namespace

void attribute(OpProfile& op, const Roofs& roofs) {
  const double t = op.t_actual_s.median;
  op.attained_gflops_per_s = t > 0 ? static_cast<double>(op.cost.flops) / t * 1e-9 : kNaN;
  op.attained_gb_per_s = t > 0 ? static_cast<double>(op.cost.bytes) / t * 1e-9 : kNaN;
  op.efficiency = t > 0 ? op.t_roof_measured_s / t : kNaN;
  op.efficiency_cache = t > 0 ? op.t_roof_cache_s / t : kNaN;
  op.loss_clock_s = op.t_roof_effective_s - op.t_roof_theoretical_s;
  op.loss_pipeline_s = op.t_roof_cache_s - op.t_roof_effective_s;
  op.loss_hardware_s = op.loss_clock_s + op.loss_pipeline_s;
  op.loss_os_s = std::min(t, os_time_s(op.counts, roofs.os_prices));
  if (std::isnan(os_time_s(op.counts, roofs.os_prices))) op.loss_os_s = kNaN;
  op.loss_software_s = t - op.t_roof_cache_s - (std::isnan(op.loss_os_s) ? 0 : op.loss_os_s);
  op.loss_implementation_s = std::clamp(implementation_loss_s(op.choice, t), 0.0, std::max(0.0, op.loss_software_s));
  if (std::isnan(implementation_loss_s(op.choice, t))) op.loss_implementation_s = kNaN;
  op.loss_kernel_s = op.loss_software_s - (std::isnan(op.loss_implementation_s) ? 0 : op.loss_implementation_s);
  op.shields_saving_s = op.t_shields_off_median_s - t;
  add_flags(op);
}

OpProfile profile_totals(const ModelProfile& p) {
  OpProfile t;
  t.name = "total";
  t.label = fmt::format("{} ops", p.ops.size());
  t.t_actual_s.p90 = t.t_actual_s.cv = kNaN;
  double impl = 0;
  int flagged = 0;
  for (const auto& op : p.ops) {  // every time and loss column is the sum of its rows, so the split adds up here too
    t.cost += op.cost;
    t.t_roof_theoretical_s += op.t_roof_theoretical_s;
    t.t_roof_effective_s += op.t_roof_effective_s;
    t.t_roof_measured_s += op.t_roof_measured_s;
    t.t_roof_cache_s += op.t_roof_cache_s;
    t.t_actual_s.median += op.t_actual_s.median;
    t.t_shields_off_median_s += op.t_shields_off_median_s;
    t.loss_clock_s += op.loss_clock_s;
    t.loss_pipeline_s += op.loss_pipeline_s;
    t.loss_hardware_s += op.loss_hardware_s;
    t.loss_os_s += op.loss_os_s;
    t.loss_software_s += op.loss_software_s;
    impl += std::isnan(op.loss_implementation_s) ? 0 : op.loss_implementation_s;
    t.loss_kernel_s += op.loss_kernel_s;
    t.shields_saving_s += op.shields_saving_s;
    t.counts += op.counts;
    t.counts_shields_off += op.counts_shields_off;
    flagged += !op.flags.empty();
  }
  t.loss_implementation_s = impl;
  const double time = t.t_actual_s.median;
  t.attained_gflops_per_s = time > 0 ? static_cast<double>(t.cost.flops) / time * 1e-9 : kNaN;
  t.attained_gb_per_s = time > 0 ? static_cast<double>(t.cost.bytes) / time * 1e-9 : kNaN;
  t.efficiency = time > 0 ? t.t_roof_measured_s / time : kNaN;
  t.efficiency_cache = time > 0 ? t.t_roof_cache_s / time : kNaN;
  if (flagged > 0) t.flags.push_back(fmt::format("{} op(s) flagged", flagged));
  return t;
}

}  // namespace rs
