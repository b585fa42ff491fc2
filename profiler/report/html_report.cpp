#include "profiler/report/html_report.h"

#include <cmath>
#include <iterator>
#include <numeric>

#include <fmt/format.h>

#include "profiler/report/diagnosis.h"
#include "profiler/report/machine_report.h"
#include "profiler/report/profile_report.h"
#include "profiler/report/roofline_svg.h"

namespace rs {

namespace {

using Out = std::string;

/// "1.234 s", "12.345 ms", "56.7 us": the unit in every cell, since per-op times span six decades.
std::string human_seconds(double s) {
  const double a = std::fabs(s);
  if (a >= 1) return fmt::format("{:.3f} s", s);
  if (a >= 1e-3) return fmt::format("{:.3f} ms", s * 1e3);
  return fmt::format("{:.1f} us", s * 1e6);
}

/// One <td>: data-v holds the exact value the sort uses ("" for n/a), the text the human form of the column kind.
void emit_cell(Out& out, const Column& col, const Cell& cell) {
  if (std::holds_alternative<std::monostate>(cell)) {
    emit(out, R"(<td data-v=""></td>)");
    return;
  }
  if (const auto* s = std::get_if<std::string>(&cell)) {
    emit(out, R"(<td data-v="{0}">{0}</td>)", xml_escape(*s));
    return;
  }
  const bool is_int = std::holds_alternative<std::int64_t>(cell);
  const double x = is_int ? static_cast<double>(std::get<std::int64_t>(cell))
                          : std::holds_alternative<double>(cell) ? std::get<double>(cell) : NAN;
  if (!std::isfinite(x)) {
    emit(out, R"(<td class="num na" data-v="">n/a</td>)");
    return;
  }
  const bool is_seconds = col.key.size() > 2 && col.key.compare(col.key.size() - 2, 2, "_s") == 0;
  const std::string text = col.kind == ColumnKind::Count   ? si_count(x)
                           : col.kind == ColumnKind::Bytes ? format_bytes(x)
                           : is_seconds                    ? human_seconds(x)
                                                           : fmt::format("{:.{}f}", x, col.precision);
  const std::string exact = is_int ? std::to_string(std::get<std::int64_t>(cell)) : fmt::format("{:.9g}", x);
  if (x < 0)
    emit(out, R"(<td class="num negative" data-v="{0}" title="negative: {0}">{1} (!)</td>)", exact, text);
  else
    emit(out, R"(<td class="num" data-v="{0}" title="{0}">{1}</td>)", exact, text);
}

/// The sortable per-op table; the totals row goes in <tfoot> so that sorting leaves it last.
void emit_ops_table(Out& out, const Table& t) {
  emit(out, "<div class=\"scroll\">\n<table id=\"ops\" class=\"sortable\">\n<thead><tr>");
  for (const Column& c : t.columns())
    emit(out, R"(<th class="{}" data-key="{}" title="{}">{}</th>)", c.kind == ColumnKind::Text ? "text" : "num",
         c.key, xml_escape(c.header), c.key);
  emit(out, "</tr></thead>\n<tbody>\n");
  auto row = [&](const char* cls, const std::vector<Cell>& cells) {
    emit(out, "<tr class=\"{}\">", cls);
    for (std::size_t i = 0; i < cells.size(); ++i) emit_cell(out, t.columns()[i], cells[i]);
    emit(out, "</tr>\n");
  };
  for (const auto& r : t.rows()) row("op-row", r);
  emit(out, "</tbody>\n<tfoot>\n");
  if (!t.totals().empty()) row("totals", t.totals());
  emit(out, "</tfoot>\n</table>\n</div>\n");
}

std::string rate(double v, const char* unit) {
  return v > 0 && std::isfinite(v) ? fmt::format("{:.4g} {}", v, unit) : "n/a";
}

void kv(Out& out, const std::string& key, const std::string& value) {
  emit(out, "<tr><th>{}</th><td>{}</td></tr>\n", xml_escape(key), xml_escape(value));
}

void emit_totals(Out& out, const ModelProfile& p) {
  const OpCost& c = p.total_cost;
  emit(out, "<h2>Model totals</h2>\n<table class=\"kv\" id=\"totals\">\n");
  kv(out, "end to end, median (shields on)",
     fmt::format("{} (p10 {}, p90 {}, CV {:.3f}, {} runs)", format_ms(p.e2e_s.median), format_ms(p.e2e_s.p10), format_ms(p.e2e_s.p90),
                 p.e2e_s.cv, p.e2e_s.n));
  kv(out, "end to end, median (shields off: no pool, no binding)",
     p.e2e_shields_off_s.n > 0 ? format_ms(p.e2e_shields_off_s.median) : "not run");
  kv(out, "sum of op medians", format_ms(p.sum_op_median_s));
  kv(out, "framework overhead (e2e - sum of ops, median over runs)", format_ms(p.framework_overhead_s));
  kv(out, "estimate: FLOPs / measured peak", format_ms(p.estimate_flops_only_s));
  kv(out, "estimate: roofline (measured roofs)", format_ms(p.estimate_roofline_s));
  kv(out, "estimate: roofline (cache-aware)", format_ms(p.estimate_roofline_cache_s));
  kv(out, "FLOPs / MACs / params", fmt::format("{} / {} / {}", si_count(static_cast<double>(c.flops)),
                                                si_count(static_cast<double>(c.macs)),
                                                si_count(static_cast<double>(c.params))));
  kv(out, "bytes moved (ideal model), intensity",
     fmt::format("{}, {:.2f} FLOP/byte", format_bytes(static_cast<double>(c.bytes)), c.intensity()));
  const MemoryReport& m = p.memory;
  kv(out, "memory: arena / lower bound / naive",
     fmt::format("{} / {} / {} ({} buffers)", format_bytes(static_cast<double>(m.arena_bytes)),
                 format_bytes(static_cast<double>(m.lower_bound_bytes)),
                 format_bytes(static_cast<double>(m.naive_bytes)), m.buffers));
  kv(out, "memory: weights / graph I/O", fmt::format("{} / {}", format_bytes(static_cast<double>(m.weights_bytes)),
                                                     format_bytes(static_cast<double>(m.io_bytes))));
  kv(out, "OS counters", p.os_counter_source);
  emit(out, "</table>\n");
}

void emit_list(Out& out, const char* cls, const std::vector<std::string>& items) {
  if (items.empty()) {
    emit(out, "<p class=\"{}\">none</p>\n", cls);
    return;
  }
  emit(out, "<ul class=\"{}\">\n", cls);
  for (const std::string& w : items) emit(out, "<li>{}</li>\n", xml_escape(w));
  emit(out, "</ul>\n");
}

void emit_machine(Out& out, const ModelProfile& p, const MachineProfile& m) {
  const Roofs& r = p.roofs;
  emit(out, "<h2>Machine</h2>\n<p>{} ({} cores, {} logical CPUs, {})</p>\n", xml_escape(m.cpu.identity.model_name),
       m.cpu.physical_cores, m.cpu.logical_cpus, xml_escape(m.theoretical.simd_isa));
  emit(out, "<table class=\"kv\" id=\"roofs\">\n<tr><th>roof at {} thread(s)</th><th>theoretical</th>"
            "<th>measured</th><th>measured / theoretical</th></tr>\n", r.threads);
  // measured / theoretical is the hardware loss of a roof (seed 001 §III.1); a ridge point has no such meaning.
  auto row = [&](const std::string& what, double theo, double meas, const char* unit, bool ratio = true) {
    const bool both = ratio && theo > 0 && meas > 0;
    emit(out, "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n", xml_escape(what), rate(theo, unit),
         rate(meas, unit), both ? fmt::format("{:.0f}%{}", 100 * meas / theo, meas > theo ? " (!)" : "") : "n/a");
  };
  row("peak FP32", r.peak_theoretical_gflops_per_s, r.peak_measured_gflops_per_s, "GFLOP/s");
  row("DRAM bandwidth", r.dram_theoretical_gb_per_s, r.dram_measured_gb_per_s, "GB/s");
  for (const CacheRoof& c : r.caches)
    row(fmt::format("{} bandwidth (holds {})", c.level, format_bytes(static_cast<double>(c.capacity_bytes))), 0,
        c.gb_per_s, "GB/s");
  row("ridge point", r.ridge_theoretical_flop_per_byte(), r.ridge_measured_flop_per_byte(), "FLOP/byte", false);
  emit(out, "</table>\n<details><summary>full machine profile</summary>\n<pre>{}</pre>\n</details>\n",
       xml_escape(format_machine_table(m)));
}

constexpr const char* kStyle = R"(<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 1.5em; color: #111; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; }
div.scroll { max-height: 85vh; overflow: auto; border: 1px solid #ccc; }
#ops td { white-space: nowrap; }
#ops th { background: #eee; cursor: pointer; position: sticky; top: 0; white-space: nowrap; }
#ops th[aria-sort=ascending]::after { content: " \25B2"; } #ops th[aria-sort=descending]::after { content: " \25BC"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } td.na { color: #999; }
td.negative { background: #fde0dc; color: #b00020; font-weight: bold; }
tfoot td { font-weight: bold; border-top: 2px solid #333; }
table.kv th { text-align: left; background: #f6f6f6; font-weight: normal; }
ul.warnings li { color: #8a4b00; } .plot svg { max-width: 100%; height: auto; }
</style>
)";

// Sorts #ops by a clicked header (numbers by data-v, n/a last); counts the plotted points that were laid out.
constexpr const char* kScript = R"(<script>
(function () {
  var table = document.getElementById('ops');
  var heads = table.tHead.rows[0].cells;
  function sortBy(col) {
    var th = heads[col], asc = th.getAttribute('aria-sort') !== 'ascending', num = th.className === 'num';
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute('aria-sort');
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');
      if (x === '' || y === '') return (x === '') - (y === '');
      var d = num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      return asc ? d : -d;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(heads, function (th, i) { th.addEventListener('click', function () { sortBy(i); }); });
  var n = 0;
  document.querySelectorAll('svg.roofline circle.op').forEach(function (c) {
    var b = c.getBoundingClientRect();
    if (b.width > 0 && b.height > 0) n++;
  });
  document.body.setAttribute('data-rendered-points', String(n));
})();
</script>
)";

}  // namespace

std::string html_report(const ModelProfile& p, const MachineProfile& m) {
  const std::string svg = roofline_svg(p);
  const std::string title = fmt::format("roofscope profile: {}", p.model);
  Out out;
  emit(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n{}</head>\n",
       xml_escape(title), kStyle);
  emit(out, "<body data-plotted-points=\"{}\">\n<h1>{}</h1>\n<p>input {}, {} thread{}</p>\n",
       roofline_plotted_count(p), xml_escape(title), dims_str(p.input_dims), p.threads, p.threads == 1 ? "" : "s");
  out += diagnosis_html(p);
  emit(out, "<div class=\"plot\">\n{}</div>\n", svg.substr(svg.find("<svg")));  // inline: drop the XML declaration
  emit_totals(out, p);
  emit(out, "<h2>Warnings</h2>\n");
  emit_list(out, "warnings", p.warnings);
  emit(out, "<h2>Per op</h2>\n<p>Click a header to sort (hover a cell for its exact value in the unit of the column "
            "key). OS counts are per run; n/a: unknown; (!): negative, e.g. a loss below zero: the op ran faster "
            "than the figure it is compared with.</p>\n");
  std::vector<std::size_t> graph_order(p.ops.size());
  std::iota(graph_order.begin(), graph_order.end(), 0);
  emit_ops_table(out, profile_table(p, graph_order, true));
  emit_machine(out, p, m);
  if (!m.warnings.empty()) {
    emit(out, "<h3>Machine profile warnings</h3>\n");
    emit_list(out, "warnings", m.warnings);
  }
  emit(out, "{}</body>\n</html>\n", kScript);
  return out;
}

}  // namespace rs
