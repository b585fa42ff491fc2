#include "profiler/report/profile_report.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "profiler/report/chrome_trace.h"
#include "profiler/report/diagnosis.h"
#include "profiler/report/html_report.h"

namespace rs {

const char* const kOsColumnDoc =
    "loss_os_s = page faults x price + context switches x price + migrations x price, at most t_actual: the events "
    "are counted per op in separate counting runs with the shields on (pool, pinned threads; perf_event_open "
    "software counters, getrusage fallback, n/a when neither works), the prices measured by calibrate. It lies inside "
    "t_actual, so hardware + OS + software = t_actual - t_roof_theoretical on every row. shields_saving_s is the A/B "
    "difference (shields off: --no-pool --no-bind, interleaved runs, minus shields on): what the pool and pinning "
    "save; it is not part of the split.";

ProfileSort parse_profile_sort(const std::string& name) {
  if (name == "time") return ProfileSort::Time;
  if (name == "loss") return ProfileSort::Loss;
  if (name == "efficiency") return ProfileSort::Efficiency;
  if (name == "flops") return ProfileSort::Flops;
  throw std::invalid_argument("unknown sort '" + name + "' (use time, loss, efficiency or flops)");
}

namespace {

/// One column of the schema: key (unit in the name, SI base units), how to read it from a row, and how the terminal
/// shows it (Column::compact: in the default terminal set).
struct Field {
  Column col;
  std::function<Cell(const OpProfile&)> get;
};

Cell num(double x) { return x; }

Cell dims_cell(const Dims& d) { return d.empty() ? Cell{} : Cell(shape_text(d)); }

/// "[[1, 3, 224, 224], [1, 64, 1, 1]]": every source's dims (a ColumnKind::Shape cell, an array in JSON).
Cell shapes(const OpProfile& o) {
  std::vector<std::string> s;
  for (const auto& d : o.src_dims) s.push_back(shape_text(d));
  return Cell(fmt::format("[{}]", fmt::join(s, ", ")));
}

const std::vector<Field>& fields() {
  using K = ColumnKind;
  static const std::vector<Field> f = {
      {{"name", "name", K::Text, 0, true}, [](const OpProfile& o) { return Cell(o.name); }},
      {{"op", "op", K::Text, 0, true}, [](const OpProfile& o) { return Cell(o.label); }},
      {{"fused", "fused"}, [](const OpProfile& o) { return Cell(fmt::format("{}", fmt::join(o.fused, "+"))); }},
      {{"impl", "impl", K::Text, 0, true}, [](const OpProfile& o) { return Cell(o.impl); }},
      {{"choice", "choice"}, [](const OpProfile& o) { return Cell(o.choice.key); }},
      {{"choice_source", "chosen by"}, [](const OpProfile& o) { return Cell(o.choice.source); }},
      {{"tuned_time_s", "tuned", K::Seconds}, [](const OpProfile& o) { return num(o.choice.time_s); }},
      {{"runner_up", "runner-up"}, [](const OpProfile& o) { return Cell(o.choice.runner_up); }},
      {{"runner_up_time_s", "runner-up time", K::Seconds}, [](const OpProfile& o) { return num(o.choice.runner_up_time_s); }},
      {{"src_shapes", "src", K::Shape}, shapes},
      {{"weights_shape", "weights", K::Shape}, [](const OpProfile& o) { return dims_cell(o.weights_dims); }},
      {{"dst_shape", "dst", K::Shape}, [](const OpProfile& o) { return dims_cell(o.dst_dims); }},
      {{"macs", "MACs", K::Count}, [](const OpProfile& o) { return Cell(o.cost.macs); }},
      {{"flops", "FLOPs", K::Flops}, [](const OpProfile& o) { return Cell(o.cost.flops); }},
      {{"bytes", "bytes", K::Bytes}, [](const OpProfile& o) { return Cell(o.cost.bytes); }},
      {{"intensity_flop_per_byte", "AI", K::FlopPerByte}, [](const OpProfile& o) { return num(o.cost.intensity()); }},
      {{"bound", "bound"}, [](const OpProfile& o) { return Cell(o.bound); }},
      {{"cache_level", "level", K::Text, 0, true}, [](const OpProfile& o) { return Cell(o.cache_level); }},
      {{"t_roof_theoretical_s", "roof theo", K::Seconds}, [](const OpProfile& o) { return num(o.t_roof_theoretical_s); }},
      {{"t_roof_effective_s", "roof eff", K::Seconds}, [](const OpProfile& o) { return num(o.t_roof_effective_s); }},
      {{"t_roof_measured_s", "roof meas", K::Seconds}, [](const OpProfile& o) { return num(o.t_roof_measured_s); }},
      {{"t_roof_cache_s", "roof cache", K::Seconds, 3, true}, [](const OpProfile& o) { return num(o.t_roof_cache_s); }},
      {{"t_actual_median_s", "actual", K::Seconds, 3, true}, [](const OpProfile& o) { return num(o.t_actual_s.median); }},
      {{"t_actual_p90_s", "p90", K::Seconds}, [](const OpProfile& o) { return num(o.t_actual_s.p90); }},
      {{"t_actual_cv", "CV", K::Real}, [](const OpProfile& o) { return num(o.t_actual_s.cv); }},
      {{"t_shields_off_median_s", "shields off", K::Seconds}, [](const OpProfile& o) { return num(o.t_shields_off_median_s); }},
      {{"attained_flop_per_s", "attained", K::FlopPerS}, [](const OpProfile& o) { return num(o.attained_gflops_per_s * 1e9); }},
      {{"attained_byte_per_s", "bandwidth", K::BytesPerS}, [](const OpProfile& o) { return num(o.attained_gb_per_s * 1e9); }},
      {{"efficiency", "eff", K::Real, 2}, [](const OpProfile& o) { return num(o.efficiency); }},
      {{"efficiency_cache", "eff cache", K::Real, 2, true}, [](const OpProfile& o) { return num(o.efficiency_cache); }},
      {{"loss_clock_s", "clock", K::Seconds}, [](const OpProfile& o) { return num(o.loss_clock_s); }},
      {{"loss_pipeline_s", "pipeline", K::Seconds}, [](const OpProfile& o) { return num(o.loss_pipeline_s); }},
      {{"loss_hardware_s", "hw", K::Seconds}, [](const OpProfile& o) { return num(o.loss_hardware_s); }},
      {{"loss_os_s", "os", K::Seconds}, [](const OpProfile& o) { return num(o.loss_os_s); }},
      {{"loss_software_s", "sw", K::Seconds, 3, true}, [](const OpProfile& o) { return num(o.loss_software_s); }},
      {{"loss_implementation_s", "impl loss", K::Seconds}, [](const OpProfile& o) { return num(o.loss_implementation_s); }},
      {{"loss_kernel_s", "kernel loss", K::Seconds}, [](const OpProfile& o) { return num(o.loss_kernel_s); }},
      {{"shields_saving_s", "shields save", K::Seconds}, [](const OpProfile& o) { return num(o.shields_saving_s); }},
      {{"flags", "flags"}, [](const OpProfile& o) { return Cell(fmt::format("{}", fmt::join(o.flags, "; "))); }},
      {{"page_faults", "faults", K::Real, 1}, [](const OpProfile& o) { return num(o.counts.page_faults); }},
      {{"context_switches", "ctx sw", K::Real, 2}, [](const OpProfile& o) { return num(o.counts.context_switches); }},
      {{"migrations", "migr", K::Real, 2}, [](const OpProfile& o) { return num(o.counts.migrations); }},
      {{"page_faults_shields_off", "faults off", K::Real, 1}, [](const OpProfile& o) { return num(o.counts_shields_off.page_faults); }},
      {{"context_switches_shields_off", "ctx sw off", K::Real, 2}, [](const OpProfile& o) { return num(o.counts_shields_off.context_switches); }},
      {{"migrations_shields_off", "migr off", K::Real, 2}, [](const OpProfile& o) { return num(o.counts_shields_off.migrations); }},
  };
  return f;
}

}  // namespace

std::vector<std::size_t> profile_order(const ModelProfile& p, ProfileSort sort, std::size_t top) {
  std::vector<std::size_t> idx(p.ops.size());
  std::iota(idx.begin(), idx.end(), 0);
  auto key = [&](std::size_t i) {
    const OpProfile& o = p.ops[i];
    switch (sort) {
      case ProfileSort::Time: return -o.t_actual_s.median;
      case ProfileSort::Loss: return -op_loss_s(o);
      case ProfileSort::Efficiency: return std::isnan(o.efficiency) ? std::numeric_limits<double>::infinity() : o.efficiency;
      case ProfileSort::Flops: return -static_cast<double>(o.cost.flops);
    }
    return 0.0;
  };
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  if (top > 0 && top < idx.size()) idx.resize(top);
  return idx;
}

std::vector<Column> profile_columns() {
  std::vector<Column> cols;
  for (const auto& f : fields()) cols.push_back(f.col);
  return cols;
}

Table profile_table(const ModelProfile& p, const std::vector<std::size_t>& order, bool full) {
  std::vector<const Field*> use;
  for (const auto& f : fields())
    if (full || f.col.compact) use.push_back(&f);
  std::vector<Column> cols;
  for (const Field* f : use) cols.push_back(f->col);
  Table t(cols);
  auto row = [&](const OpProfile& o) {
    std::vector<Cell> cells;
    for (const Field* f : use) cells.push_back(f->get(o));
    return cells;
  };
  for (std::size_t i : order) t.add_row(row(p.ops[i]));
  t.set_totals(row(profile_totals(p)));
  return t;
}

namespace {
nlohmann::json nan_null(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }
/// x when > 0, else NaN (0 = unknown in Roofs).
double positive(double x) { return x > 0 ? x : std::nan(""); }

nlohmann::json stats_json(const Stats& s) {
  return {{"n", s.n}, {"median_s", nan_null(s.median)}, {"p10_s", nan_null(s.p10)}, {"p90_s", nan_null(s.p90)},
          {"min_s", nan_null(s.min)}, {"cv", nan_null(s.cv)}};
}
nlohmann::json roofs_json(const ModelProfile& p) {
  nlohmann::json caches = nlohmann::json::array();
  for (const auto& c : p.roofs.caches)
    caches.push_back({{"level", c.level}, {"capacity_bytes", c.capacity_bytes}, {"gb_per_s", c.gb_per_s}});
  return {{"peak_theoretical_gflops_per_s", nan_null(positive(p.roofs.peak_theoretical_gflops_per_s))},
        {"peak_nominal_gflops_per_s", nan_null(positive(p.roofs.peak_nominal_gflops_per_s))},
        {"peak_effective_gflops_per_s", nan_null(positive(p.roofs.peak_effective_gflops_per_s))},
        {"peak_measured_gflops_per_s", nan_null(p.roofs.peak_measured_gflops_per_s)},
        {"peak_calibrated_gflops_per_s", nan_null(positive(p.roofs.peak_calibrated_gflops_per_s))},
        {"peak_source", p.roofs.peak_source},
        {"clock_nominal_ghz", nan_null(positive(p.roofs.clock_nominal_ghz))},
        {"clock_calibration_ghz", nan_null(positive(p.roofs.clock_calibration_ghz))},
        {"clock_implied_ghz", nan_null(positive(p.roofs.clock_implied_ghz))},
        {"clock_ceiling_ghz", nan_null(positive(p.roofs.clock_ceiling_ghz))},
        {"clock_now_ghz", nan_null(positive(p.roofs.clock_now_ghz))},
        {"clock_start_ghz", nan_null(positive(p.clock_start_ghz))},
        {"clock_end_ghz", nan_null(positive(p.clock_end_ghz))},
        {"os_prices",
         {{"page_fault_s", nan_null(positive(p.roofs.os_prices.page_fault_s))},
          {"context_switch_s", nan_null(positive(p.roofs.os_prices.context_switch_s))},
          {"migration_s", nan_null(positive(p.roofs.os_prices.migration_s))}}},
        {"dram_theoretical_gb_per_s", nan_null(positive(p.roofs.dram_theoretical_gb_per_s))},
        {"dram_measured_gb_per_s", nan_null(p.roofs.dram_measured_gb_per_s)},
        {"dram_calibration_gb_per_s", nan_null(p.roofs.dram_calibration_gb_per_s)},
        {"dram_now_gb_per_s", nan_null(positive(p.roofs.dram_now_gb_per_s))},
        {"ridge_measured_flop_per_byte", nan_null(p.roofs.ridge_measured_flop_per_byte())},
        {"ridge_theoretical_flop_per_byte", nan_null(p.roofs.ridge_theoretical_flop_per_byte())},
        {"caches", caches}};
}

}  // namespace

nlohmann::json profile_json(const ModelProfile& p, const std::vector<std::size_t>& order) {
  const nlohmann::json table = profile_table(p, order, true).to_json();
  return {
      {"schema", "roofscope.profile"},
      {"schema_version", 3},
      {"model", p.model},
      {"input_dims", p.input_dims},
      {"threads", p.threads},
      {"roofs", roofs_json(p)},
      {"machine_profile",
       {{"path", p.roofs.provenance.path},
        {"quick", p.roofs.provenance.quick},
        {"created_utc", p.roofs.provenance.created_utc},
        {"age_s", nan_null(p.roofs.provenance.age_s)}}},
      {"e2e", stats_json(p.e2e_s)},
      {"e2e_shields_off", stats_json(p.e2e_shields_off_s)},
      {"sum_op_median_s", p.sum_op_median_s},
      {"framework_overhead_s", nan_null(p.framework_overhead_s)},
      {"estimates",
       {{"flops_only_s", nan_null(p.estimate_flops_only_s)},
        {"roofline_dram_s", nan_null(p.estimate_roofline_s)},
        {"roofline_cache_s", nan_null(p.estimate_roofline_cache_s)},
        {"measured_s", p.e2e_s.median}}},
      {"memory",
       {{"arena_bytes", p.memory.arena_bytes},
        {"lower_bound_bytes", p.memory.lower_bound_bytes},
        {"naive_bytes", p.memory.naive_bytes},
        {"weights_bytes", p.memory.weights_bytes},
        {"io_bytes", p.memory.io_bytes}}},
      {"os_column", kOsColumnDoc},
      {"os_counter_source", p.os_counter_source},
      {"warnings", p.warnings},
      {"columns", table["columns"]},
      {"ops", table["rows"]},
      {"totals", table["totals"]},
      {"diagnosis", diagnosis_json(diagnose(p))},
  };
}

namespace {
std::string rate(double x, const char* unit) { return x > 0 && std::isfinite(x) ? fmt::format("{:.1f} {}", x, unit) : "n/a"; }
std::string ghz(double x) { return x > 0 && std::isfinite(x) ? fmt::format("{:.2f} GHz", x) : "n/a"; }
}  // namespace

std::string profile_summary(const ModelProfile& p, const MachineProfile& m) {
  const Roofs& r = p.roofs;
  const OpProfile t = profile_totals(p);
  std::string s;
  s += fmt::format("model      {}, input {}, {} thread(s)\n", p.model, dims_str(p.input_dims), p.threads);
  s += fmt::format("machine    {}; profile {}\n", m.cpu.identity.model_name, r.provenance.describe());
  s += fmt::format("clocks     nominal {}; at calibration {} measured, {} implied by the best probe; now {} -> {} "
                   "(start -> end of the runs); ceiling {}\n", ghz(r.clock_nominal_ghz), ghz(r.clock_calibration_ghz),
                   ghz(r.clock_implied_ghz), ghz(p.clock_start_ghz), ghz(p.clock_end_ghz), ghz(r.clock_ceiling_ghz));
  s += fmt::format("roofs      peak {} measured (now; {} calibrated, by {}) / {} theoretical (highest clock), {} at the "
                   "effective clock; DRAM {} measured / {} theoretical; ridge {} FLOP/B\n",
                   rate(r.peak_measured_gflops_per_s, "GFLOP/s"), rate(r.peak_calibrated_gflops_per_s, "GFLOP/s"),
                   r.peak_source.empty() ? "n/a" : r.peak_source, rate(r.peak_theoretical_gflops_per_s, "GFLOP/s"),
                   rate(r.peak_effective_gflops_per_s, "GFLOP/s"), rate(r.dram_measured_gb_per_s, "GB/s"),
                   rate(r.dram_theoretical_gb_per_s, "GB/s"),
                   std::isfinite(r.ridge_measured_flop_per_byte()) ? fmt::format("{:.1f}", r.ridge_measured_flop_per_byte()) : "n/a");
  for (const auto& c : r.caches)
    s += fmt::format("           {} {:.1f} GB/s for working sets up to {}\n", c.level, c.gb_per_s, format_bytes(double(c.capacity_bytes)));
  s += fmt::format("latency    end-to-end median {} (p90 {}, CV {:.1f}%); shields off {}; sum of op medians {}; "
                   "framework overhead {:.1f} us/run\n",
                   format_ms(p.e2e_s.median), format_ms(p.e2e_s.p90), p.e2e_s.cv * 100, format_ms(p.e2e_shields_off_s.median),
                   format_ms(p.sum_op_median_s), p.framework_overhead_s * 1e6);
  s += fmt::format("estimates  FLOPs only (FLOPs / peak) {}; roofline (DRAM) {}; roofline (cache-aware) {}; measured {}\n",
                   format_ms(p.estimate_flops_only_s), format_ms(p.estimate_roofline_s), format_ms(p.estimate_roofline_cache_s), format_ms(p.e2e_s.median));
  s += fmt::format("losses     sum over ops: hardware {} (clock {}, pipeline {}), OS {}, software {} (implementation "
                   "{}, kernel {}) of {} op time above {} theoretical roof; the shields save {}\n",
                   format_ms(t.loss_hardware_s), format_ms(t.loss_clock_s), format_ms(t.loss_pipeline_s),
                   format_ms(t.loss_os_s), format_ms(t.loss_software_s), format_ms(t.loss_implementation_s),
                   format_ms(t.loss_kernel_s), format_ms(t.t_actual_s.median), format_ms(t.t_roof_theoretical_s),
                   format_ms(t.shields_saving_s));
  s += fmt::format("memory     arena {} (lower bound {}), weights {}\n", format_bytes(double(p.memory.arena_bytes)),
                   format_bytes(double(p.memory.lower_bound_bytes)), format_bytes(double(p.memory.weights_bytes)));
  s += fmt::format("OS counts  {}\n", p.os_counter_source);
  for (const auto& w : p.warnings) s += "warning    " + w + "\n";
  return s;
}

ProfileReporter::ProfileReporter(const ModelProfile& p, const MachineProfile& machine, std::vector<std::size_t> order,
                                 SvgOptions svg)
    : p_(p), machine_(machine), order_(std::move(order)), svg_(std::move(svg)) {}

std::vector<Format> ProfileReporter::formats() const {
  return {Format::Table, Format::Csv, Format::Json, Format::Md, Format::Svg, Format::Html, Format::Trace};
}

std::string ProfileReporter::render(Format f) const {
  switch (f) {
    case Format::Table: {
      const auto width = static_cast<std::size_t>(view_.width > 0 ? view_.width : terminal_width());
      Table t = profile_table(p_, order_, true);
      t.set_view(view_);
      return wrap_lines(profile_summary(p_, machine_), width, 11) + "\n" + diagnosis_text(diagnose(p_), width) +
             "\n" + t.render(f);
    }
    case Format::Csv: {
      Table t = profile_table(p_, order_, true);
      t.set_csv_totals(csv_totals_);
      return t.render(f);
    }
    case Format::Md: return diagnosis_markdown(diagnose(p_)) + "\n## Per op\n\n" + profile_table(p_, order_, true).render(f);
    case Format::Json: return profile_json(p_, order_).dump(2) + "\n";
    case Format::Svg: return roofline_svg(p_, svg_);
    case Format::Html: return html_report(p_, machine_);
    case Format::Trace: return chrome_trace(p_).dump() + "\n";
  }
  unsupported("a profile", f);
}

}  // namespace rs
