// The roofline model: roofs per thread count, per-op predictions and the loss split; see roofline.h.
#include "profiler/roofline/roofline.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

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

Roofs roofs_for(const MachineProfile& m, int threads) {
  Roofs r;
  r.threads = threads;
  r.peak_theoretical_gflops_per_s = m.theoretical_peak_gflops_per_s(threads);
  r.peak_measured_gflops_per_s = m.measured_peak_gflops_per_s(threads);
  r.dram_theoretical_gb_per_s = m.theoretical.dram.gb_per_s;
  r.dram_measured_gb_per_s = m.measured_bandwidth_gb_per_s("DRAM", threads);
  for (const auto& c : m.cpu.caches) {
    const std::string level = "L" + std::to_string(c.level);
    const double bw = m.measured_bandwidth_gb_per_s(level, threads);
    if (bw <= 0 || c.size_bytes <= 0) continue;
    // Private caches add up over the threads in use (one per core); a shared cache is one instance.
    const std::int64_t capacity = c.cores_sharing <= 1 ? c.size_bytes * threads : c.size_bytes;
    r.caches.push_back({level, capacity, bw});
  }
  return r;
}

double roofline_time_s(std::int64_t flops, std::int64_t bytes, double gflops_per_s, double gb_per_s) {
  if (gflops_per_s <= 0 || gb_per_s <= 0) return kNaN;
  return std::max(static_cast<double>(flops) / (gflops_per_s * 1e9), static_cast<double>(bytes) / (gb_per_s * 1e9));
}

void predict(OpProfile& op, const Roofs& r) {
  const double ridge = r.ridge_measured_flop_per_byte();
  op.bound = std::isnan(ridge) ? "n/a" : op.cost.intensity() >= ridge ? "compute" : "memory";
  op.t_roof_theoretical_s =
      roofline_time_s(op.cost.flops, op.cost.bytes, r.peak_theoretical_gflops_per_s, r.dram_theoretical_gb_per_s);
  op.t_roof_measured_s =
      roofline_time_s(op.cost.flops, op.cost.bytes, r.peak_measured_gflops_per_s, r.dram_measured_gb_per_s);
  // Cache-aware roof: the smallest level whose capacity holds the working set (src + weights + dst = cost.bytes).
  op.cache_level = "DRAM";
  double beta = r.dram_measured_gb_per_s;
  for (const auto& c : r.caches)
    if (op.cost.bytes <= c.capacity_bytes) {
      op.cache_level = c.level;
      beta = c.gb_per_s;
      break;
    }
  op.t_roof_cache_s = roofline_time_s(op.cost.flops, op.cost.bytes, r.peak_measured_gflops_per_s, beta);
}

void attribute(OpProfile& op) {
  const double t = op.t_actual_s.median;
  op.attained_gflops_per_s = t > 0 ? static_cast<double>(op.cost.flops) / t * 1e-9 : kNaN;
  op.attained_gb_per_s = t > 0 ? static_cast<double>(op.cost.bytes) / t * 1e-9 : kNaN;
  op.efficiency = t > 0 ? op.t_roof_measured_s / t : kNaN;
  op.efficiency_cache = t > 0 ? op.t_roof_cache_s / t : kNaN;
  op.loss_hardware_s = op.t_roof_measured_s - op.t_roof_theoretical_s;
  op.loss_os_s = op.t_shields_off_median_s - t;
  op.loss_software_s = t - op.t_roof_measured_s - op.loss_os_s;
}

OpProfile profile_totals(const ModelProfile& p) {
  OpProfile t;
  t.name = "total";
  t.label = fmt::format("{} ops", p.ops.size());
  t.t_actual_s.median = 0;
  t.t_actual_s.p90 = kNaN;
  t.t_actual_s.cv = kNaN;
  t.t_shields_off_median_s = 0;
  t.t_roof_theoretical_s = t.t_roof_measured_s = t.t_roof_cache_s = 0;
  for (const auto& op : p.ops) {
    t.cost += op.cost;
    t.t_roof_theoretical_s += op.t_roof_theoretical_s;
    t.t_roof_measured_s += op.t_roof_measured_s;
    t.t_roof_cache_s += op.t_roof_cache_s;
    t.t_actual_s.median += op.t_actual_s.median;
    t.t_shields_off_median_s += op.t_shields_off_median_s;
    t.counts += op.counts;
    t.counts_shields_off += op.counts_shields_off;
  }
  attribute(t);
  t.bound = t.cache_level = "";
  return t;
}

}  // namespace rs
