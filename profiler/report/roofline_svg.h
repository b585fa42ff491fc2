// The roofline plot of one profiled model (seed 001 §II.1, §III.1) as a self-contained SVG 1.1 document: log-log,
// x = arithmetic intensity (FLOP/byte), y = attained GFLOP/s. Roofs: measured and theoretical compute peaks,
// measured and theoretical DRAM bandwidth slopes, one slope per measured cache level, the measured ridge point.
// Every op that can sit on a log axis is a circle (see roofline_plottable); the others are counted in a note.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "profiler/roofline/roofline.h"

namespace rs {

struct SvgOptions {
  int width_px = 1000;   ///< whole drawing, legend (270 px on the right) included; >= 600
  int height_px = 620;   ///< >= 400
  int label_top = 8;     ///< the K ops with the largest median time get a text label (0 = none)
  std::string title;     ///< "" = "<model>: roofline at <threads> thread(s)"
  /// Non-empty (one entry per p.ops, e.g. "batch 2, 1 thread"): the ops are marker series, coloured and listed in
  /// the legend by series instead of op kind (a --batch/--threads sweep); size must equal p.ops.size().
  std::vector<std::string> series;
};

/// True when `op` has a point on the log-log plot: flops > 0, bytes > 0, a finite median time > 0 and a finite
/// attained rate > 0. Ops with 0 FLOPs (Reorder, Reshape, Transpose, Concat, Slice, Pad) or no time cannot sit on a
/// log axis: they are left out of the plot and counted in a note under the legend ("3 ops with 0 FLOPs not
/// plotted"), one line per reason.
bool roofline_plottable(const OpProfile& op);
/// Number of ops of `p` that roofline_svg draws (= its `circle.op` elements).
int roofline_plotted_count(const ModelProfile& p);

/// The SVG document (starts with the XML declaration, root <svg xmlns="http://www.w3.org/2000/svg">).
/// Each plotted op is `<circle class="op" data-op="I" data-name=".." data-kind=".." data-intensity=".."
/// data-gflops=".." data-time-s="..">` (I: its index in p.ops; time: median seconds) with a `<title>` tooltip (name,
/// label, AI, attained rate, time, FLOPs, bytes; each in its unit's one formatter, graph/units.h), filled with
/// its op kind's colour (legend). Its radius is proportional to sqrt(its share of the summed median op time), so its
/// area is proportional to the share (clamped to 2.5 px .. 36 px). The K slowest ops get a name label. Roofs:
/// measured peak (solid), theoretical peak (dashed), DRAM slopes (measured solid, theoretical dashed) and one dashed
/// slope per cache level, each y = beta x up to its compute roof; the measured ridge point is a diamond. A roof that
/// is 0 (unknown) is not drawn and the legend says so. Axis ranges span the data and all knees in whole decades
/// (at least 3) with decade labels in their units ("10 FLOP/B", "100 GFLOP/s") and minor ticks.
/// Throws std::invalid_argument when the options are out of range.
std::string roofline_svg(const ModelProfile& p, const SvgOptions& o = {});

/// Escapes & < > " ' for XML/HTML text and attribute values.
std::string xml_escape(std::string_view s);

}  // namespace rs
