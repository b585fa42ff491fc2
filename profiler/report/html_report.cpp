#include "profiler/report/html_report.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include <fmt/format.h>

#include "profiler/report/diagnosis.h"
#include "profiler/report/html_script.h"
#include "profiler/report/machine_report.h"
#include "profiler/report/profile_report.h"
#include "profiler/report/roofline_svg.h"

namespace rs {

namespace {

using Out = std::string;

/// One <td>: data-v holds the exact value (round-trips) the sort uses ("" for n/a), the text the column kind's human form
/// (format_value: the unit in every cell).
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
  const std::string text = xml_escape(format_value(col.kind, x, col.precision));
  const std::string exact = is_int ? std::to_string(std::get<std::int64_t>(cell)) : fmt::format("{}", x);  // shortest exact
  if (x < 0)
    emit(out, R"(<td class="num negative" data-v="{0}" title="negative: {0}">{1} (!)</td>)", exact, text);
  else
    emit(out, R"(<td class="num" data-v="{0}" title="{0}">{1}</td>)", exact, text);
}

/// Attributes of body row i after its class (e.g. ` id="op-3" data-op="3"`), "" for none.
using RowAttrs = std::function<std::string(std::size_t)>;

/// A sortable table; the totals row goes in <tfoot> so that sorting leaves it last. `table_attrs` follow the tag
/// (e.g. ` id="ops" class="sortable"`); body rows are <tr class="`row_class`"{row_attrs(i)}>.
void emit_table(Out& out, const Table& t, const std::string& table_attrs, const char* row_class,
                const RowAttrs& row_attrs) {
  emit(out, "<table{}>\n<thead><tr>", table_attrs);
  for (const Column& c : t.columns())
    emit(out, R"(<th class="{}" data-key="{}" title="{}">{}</th>)", c.kind == ColumnKind::Text ? "text" : "num",
         c.key, xml_escape(c.header), c.key);
  emit(out, "</tr></thead>\n<tbody>\n");
  auto row = [&](const std::string& open, const std::vector<Cell>& cells) {
    emit(out, "{}", open);
    for (std::size_t i = 0; i < cells.size(); ++i) emit_cell(out, t.columns()[i], cells[i]);
    emit(out, "</tr>\n");
  };
  for (std::size_t r = 0; r < t.rows().size(); ++r)
    row(fmt::format("<tr class=\"{}\"{}>", row_class, row_attrs(r)), t.rows()[r]);
  emit(out, "</tbody>\n<tfoot>\n");
  if (!t.totals().empty()) row("<tr class=\"totals\">", t.totals());
  emit(out, "</tfoot>\n</table>\n");
}

/// The filter box and the column chooser (a checkbox per column of `t`, the compact ones checked; all of them when
/// none is compact).
void emit_controls(Out& out, const Table& t) {
  emit(out, "<div id=\"controls\">\n<label>filter <input id=\"filter\" type=\"search\" placeholder=\"regular "
            "expression or text over name, kind, impl\"></label> <span id=\"filter-count\"></span>\n"
            "<details id=\"columns\"><summary>columns: <span id=\"columns-count\"></span></summary>\n"
            "<button type=\"button\" id=\"columns-default\">compact</button> "
            "<button type=\"button\" id=\"columns-all\">all</button><br>\n");
  const bool any = std::any_of(t.columns().begin(), t.columns().end(), [](const Column& c) { return c.compact; });
  for (std::size_t i = 0; i < t.columns().size(); ++i) {
    const Column& c = t.columns()[i];
    emit(out, "<label title=\"{}\"><input type=\"checkbox\" data-col=\"{}\"{}> {}</label>\n", xml_escape(c.header), i,
         c.compact || !any ? " checked data-default" : "", c.key);
  }
  emit(out, "</details>\n</div>\n<style id=\"hidden-columns\"></style>\n");
}

/// The per-op table: profile_table(p, graph order, full), row i = op i (id "op-i", data-op, name, kind, impl).
void emit_ops(Out& out, const ModelProfile& p) {
  std::vector<std::size_t> graph_order(p.ops.size());
  std::iota(graph_order.begin(), graph_order.end(), 0);
  const Table t = profile_table(p, graph_order, true);
  emit_controls(out, t);
  emit(out, "<div class=\"scroll\" id=\"ops-scroll\">\n");
  emit_table(out, t, R"( id="ops" class="sortable")", "op-row", [&](std::size_t i) {
    const OpProfile& op = p.ops[i];
    return fmt::format(R"( id="op-{0}" data-op="{0}" data-name="{1}" data-kind="{2}" data-impl="{3}")", i,
                       xml_escape(op.name), op_kind_name(op.kind), xml_escape(op.impl));
  });
  emit(out, "</div>\n");
}

/// The group-by table of `by` ("kind" or "impl"): the diagnosis' groups (largest time first, past kMaxGroups the rest
/// as "other"), each row's data-group the value the filter matches exactly ("" for "other": no one filter shows it).
void emit_groups(Out& out, const std::vector<OpGroup>& groups, const char* by, const std::string& header) {
  Table t({{by, header},
           {"ops", "ops", ColumnKind::Count},
           {"time_s", "summed median time", ColumnKind::Seconds},
           {"share_percent", "share of the summed op time, %", ColumnKind::Real, 1},
           {"loss_s", "summed time above the best known roof (op_loss_s)", ColumnKind::Seconds}});
  for (const OpGroup& g : groups) t.add_row({g.key, std::int64_t{g.ops}, g.time_s, 100 * g.share, g.loss_s});
  const bool other = groups.size() == kMaxGroups && groups.back().key == "other";
  const std::string attrs = fmt::format(R"( id="groupby-{0}" class="sortable groupby" data-by="{0}")", by);
  emit_table(out, t, attrs, "group-row", [&](std::size_t r) {
    const bool is_other = other && r + 1 == groups.size();
    return fmt::format(R"( data-group="{}" data-ops="{}")", is_other ? "" : xml_escape(groups[r].key), groups[r].ops);
  });
}

void emit_group_by(Out& out, const ModelProfile& p) {
  const Diagnosis d = diagnose(p);
  emit(out, "<h2>Grouped</h2>\n<p>group by <label><input type=\"radio\" name=\"groupby\" value=\"kind\" checked> op "
            "kind</label> <label><input type=\"radio\" name=\"groupby\" value=\"impl\"> implementation</label>; click "
            "a group to filter the per-op table to it; click a header to sort.</p>\n");
  emit_groups(out, d.by_kind, "kind", "op kind");
  emit_groups(out, d.by_impl, "impl", "implementation");
}

std::string rate(double v, std::string (*format)(double), double scale) {
  return v > 0 && std::isfinite(v) ? format(v * scale) : "n/a";
}

void kv(Out& out, const std::string& key, const std::string& value) {
  emit(out, "<tr><th>{}</th><td>{}</td></tr>\n", xml_escape(key), xml_escape(value));
}

void emit_totals(Out& out, const ModelProfile& p) {
  const OpCost& c = p.total_cost;
  emit(out, "<h2>Model totals</h2>\n<table class=\"kv\" id=\"totals\">\n");
  kv(out, "end to end, median (shields on)",
     fmt::format("{} (p10 {}, p90 {}, CV {:.3f}, {} runs)", format_seconds(p.e2e_s.median),
                 format_seconds(p.e2e_s.p10), format_seconds(p.e2e_s.p90), p.e2e_s.cv, p.e2e_s.n));
  kv(out, "end to end, median (shields off: no pool, no binding)",
     p.e2e_shields_off_s.n > 0 ? format_seconds(p.e2e_shields_off_s.median) : "not run");
  kv(out, "sum of op medians", format_seconds(p.sum_op_median_s));
  kv(out, "framework overhead (e2e - sum of ops, median over runs)", format_seconds(p.framework_overhead_s));
  kv(out, "estimate: FLOPs / measured peak", format_seconds(p.estimate_flops_only_s));
  kv(out, "estimate: roofline (measured roofs)", format_seconds(p.estimate_roofline_s));
  kv(out, "estimate: roofline (cache-aware)", format_seconds(p.estimate_roofline_cache_s));
  kv(out, "FLOPs / MACs / params", fmt::format("{} / {} / {}", format_flops(static_cast<double>(c.flops)),
                                                si_count(static_cast<double>(c.macs)),
                                                si_count(static_cast<double>(c.params))));
  kv(out, "bytes moved (ideal model), intensity",
     fmt::format("{}, {}", format_bytes(static_cast<double>(c.bytes)), format_flop_per_byte(c.intensity())));
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
  auto row = [&](const std::string& what, double theo, double meas, std::string (*format)(double), double scale,
                 bool ratio = true) {
    const bool both = ratio && theo > 0 && meas > 0;
    emit(out, "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n", xml_escape(what),
         xml_escape(rate(theo, format, scale)), xml_escape(rate(meas, format, scale)),
         both ? fmt::format("{:.0f}%{}", 100 * meas / theo, meas > theo ? " (!)" : "") : "n/a");
  };
  row("peak FP32", r.peak_theoretical_gflops_per_s, r.peak_measured_gflops_per_s, format_flop_per_s, 1e9);
  row("DRAM bandwidth", r.dram_theoretical_gb_per_s, r.dram_measured_gb_per_s, format_bytes_per_s, 1e9);
  for (const CacheRoof& c : r.caches)
    row(fmt::format("{} bandwidth (holds {})", c.level, format_bytes(static_cast<double>(c.capacity_bytes))), 0,
        c.gb_per_s, format_bytes_per_s, 1e9);
  row("ridge point", r.ridge_theoretical_flop_per_byte(), r.ridge_measured_flop_per_byte(), format_flop_per_byte, 1,
      false);
  emit(out, "</table>\n<details><summary>full machine profile</summary>\n<pre>{}</pre>\n</details>\n",
       xml_escape(format_machine_table(m)));
}

void emit_header(Out& out, const ModelProfile& p, const std::string& title) {
  emit(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n{}</head>\n",
       xml_escape(title), kHtmlReportStyle);
  emit(out, "<body data-plotted-points=\"{}\" data-ops=\"{}\">\n<h1>{}</h1>\n<p>input {}, {} thread{}</p>\n",
       roofline_plotted_count(p), p.ops.size(), xml_escape(title), dims_str(p.input_dims), p.threads,
       p.threads == 1 ? "" : "s");
}

}  // namespace

std::string html_report(const ModelProfile& p, const MachineProfile& m) {
  const std::string svg = roofline_svg(p);
  const std::string title = fmt::format("roofscope profile: {}", p.model);
  Out out;
  emit_header(out, p, title);
  out += diagnosis_html(p);  // what to look at first, right under the header
  emit(out, "<div class=\"plot\">\n{}</div>\n", svg.substr(svg.find("<svg")));  // inline: drop the XML declaration
  emit_totals(out, p);
  emit(out, "<h2>Warnings</h2>\n");
  emit_list(out, "warnings", p.warnings);
  emit(out, "<h2>Per op</h2>\n<p>Click a dot to jump to its row, a row to mark its dot; click a header to sort (hover "
            "a cell for its exact value in the unit of the column key). OS counts are per run; n/a: unknown; (!): "
            "negative, e.g. a loss below zero: the op ran faster than the figure it is compared with.</p>\n");
  emit_ops(out, p);
  emit_group_by(out, p);
  emit_machine(out, p, m);
  if (!m.warnings.empty()) {
    emit(out, "<h3>Machine profile warnings</h3>\n");
    emit_list(out, "warnings", m.warnings);
  }
  emit(out, "<ol id=\"selftest\" hidden></ol>\n{}</body>\n</html>\n", kHtmlReportScript);
  return out;
}

}  // namespace rs
