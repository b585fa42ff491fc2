// `roofscope profile --html`: one self-contained HTML page (no external URL, no network) with the roofline plot
// (roofline_svg, inline), the model totals and warnings, a sortable per-op table and the machine profile.
#pragma once
#include <string>

#include "profiler/machine/machine_profile.h"
#include "profiler/roofline/roofline.h"

namespace rs {

/// The page. The per-op table is profile_table(p, graph order, full): the CSV schema's keys as headers, one
/// <tr class="op-row"> per op in graph order inside <table id="ops">, the totals row in <tfoot>. Clicking a header
/// sorts by that column (n/a last). NaN shows as "n/a"; a negative number (a loss below zero: the op ran faster than
/// the figure it is compared with) is a <td class="num negative"> flagged "(!)". <body data-plotted-points> holds
/// roofline_plotted_count(p); the page's script sets <body data-rendered-points="N">, N = the circle.op elements
/// laid out with a non-empty box (so a headless browser can check that the script ran and the points exist).
/// Throws what roofline_svg and profile_table throw.
std::string html_report(const ModelProfile& p, const MachineProfile& m);

}  // namespace rs
