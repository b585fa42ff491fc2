// `roofscope profile --html`: one self-contained HTML page (no external URL, no network) to work in: the roofline
// plot (roofline_svg, inline) linked to a filterable, sortable per-op table with a column chooser, group-by views by
// op kind and implementation, the model totals, warnings and the machine profile.
#pragma once
#include <string>

#include "profiler/machine/machine_profile.h"
#include "profiler/roofline/roofline.h"

namespace rs {

/// The page, top to bottom: header (model, input, threads), the diagnosis block (diagnosis_html), the roofline plot
/// (roofline_svg inline), model totals, warnings, the per-op table with its controls, the group-by tables, the
/// machine profile; the script
/// (profiler/report/html_script.h) makes it interactive.
/// - Per-op table: profile_table(p, graph order, full) as <table id="ops" class="sortable">: the CSV schema's keys
///   as headers, one <tr class="op-row" id="op-I" data-op="I" data-name data-kind data-impl> per op I in graph
///   order, the totals row in <tfoot>. Each cell's text is format_value of its column kind (the unit in every cell),
///   data-v the exact value; NaN shows as "n/a"; a negative number (a loss below zero: the op ran faster than the
///   figure it is compared with) is a <td class="num negative"> flagged "(!)". Its dots are the SVG's circle.op
///   with the same data-op.
/// - Controls: #filter (regular expression or text over name, kind, impl), #columns (one checkbox per column, the
///   Column::compact ones checked, all when none is; the others start hidden).
/// - Group-by: table.groupby#groupby-kind and #groupby-impl (data-by "kind" | "impl"): the diagnosis' groups
///   (diagnose(p).by_kind, by_impl: ops, summed median time, share, summed op_loss_s; largest time first, past
///   kMaxGroups the rest as "other"), one <tr class="group-row" data-group data-ops> each; data-group is "" for
///   "other".
/// - <body data-plotted-points="roofline_plotted_count(p)" data-ops="p.ops.size()">; the script sets
///   data-rendered-points (the circle.op laid out with a non-empty box); the URL fragment #selftest runs the
///   interactions and reports into <ol id="selftest"> (kHtmlReportScript).
/// Throws what roofline_svg and profile_table throw.
std::string html_report(const ModelProfile& p, const MachineProfile& m);

}  // namespace rs
