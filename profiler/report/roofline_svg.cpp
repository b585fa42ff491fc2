#include "profiler/report/roofline_svg.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "graph/op_registry.h"
#include "profiler/report/report.h"

namespace rs {

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

bool roofline_plottable(const OpProfile& op) {
  const double t = op.t_actual_s.median;
  return op.cost.flops > 0 && op.cost.bytes > 0 && std::isfinite(t) && t > 0 &&
         std::isfinite(op.attained_gflops_per_s) && op.attained_gflops_per_s > 0;
}

int roofline_plotted_count(const ModelProfile& p) {
  return static_cast<int>(std::count_if(p.ops.begin(), p.ops.end(), roofline_plottable));
}

namespace {

using Out = std::string;

/// Stable colour per op kind (the op registry's), so one kind has the same colour in every report.
const char* kind_color(OpKind k) { return op_info(k).chart_colour; }

/// The series' names in order of first appearance (SvgOptions::series).
std::vector<std::string> series_names(const SvgOptions& o) {
  std::vector<std::string> names;
  for (const std::string& s : o.series)
    if (std::find(names.begin(), names.end(), s) == names.end()) names.push_back(s);
  return names;
}

/// Colour of series k: a 10-colour qualitative palette (matplotlib's tab10), cycling.
const char* series_color(std::size_t k) {
  static const char* const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  return palette[k % 10];
}

/// Fill of op i: its series' colour in a sweep chart (`names`: series_names(o)), else its kind's.
const char* op_color(const ModelProfile& p, std::size_t i, const SvgOptions& o, const std::vector<std::string>& names) {
  if (o.series.empty()) return kind_color(p.ops[i].kind);
  return series_color(static_cast<std::size_t>(std::find(names.begin(), names.end(), o.series[i]) - names.begin()));
}

bool known(double x) { return std::isfinite(x) && x > 0; }

/// A bandwidth roof: the slope y = gb_per_s * x, clipped at the compute roof `roof_gflops`.
struct Roof {
  std::string cls, level, legend, color, dash;
  double gb_per_s = 0;
  double roof_gflops = 0;  ///< the compute roof the slope stops at (0 = none known: runs to the top)
};

std::vector<Roof> bandwidth_roofs(const Roofs& r) {
  std::vector<Roof> out;
  static const std::array<const char*, 3> kCacheColors = {"#6a3d9a", "#1f78b4", "#33a02c"};
  for (std::size_t i = 0; i < r.caches.size(); ++i)
    if (known(r.caches[i].gb_per_s))
      out.push_back({"roof-bw-cache", r.caches[i].level,
                     fmt::format("{} (measured) {}", r.caches[i].level, format_bytes_per_s(r.caches[i].gb_per_s * 1e9)),
                     kCacheColors[i % kCacheColors.size()], "6,3", r.caches[i].gb_per_s,
                     r.peak_measured_gflops_per_s});
  if (known(r.dram_measured_gb_per_s))
    out.push_back({"roof-bw-measured", "DRAM",
                   fmt::format("DRAM (measured) {}", format_bytes_per_s(r.dram_measured_gb_per_s * 1e9)),
                   "#222222", "", r.dram_measured_gb_per_s, r.peak_measured_gflops_per_s});
  if (known(r.dram_theoretical_gb_per_s)) {
    const double roof = known(r.peak_theoretical_gflops_per_s) ? r.peak_theoretical_gflops_per_s
                                                                : r.peak_measured_gflops_per_s;
    out.push_back({"roof-bw-theoretical", "DRAM",
                   fmt::format("DRAM (theoretical) {}", format_bytes_per_s(r.dram_theoretical_gb_per_s * 1e9)),
                   "#888888", "8,4",
                   r.dram_theoretical_gb_per_s, roof});
  }
  return out;
}

/// Log-log plot area: decade exponents [x_lo, x_hi] x [y_lo, y_hi] mapped onto a pixel rectangle.
struct Plot {
  double left = 0, top = 0, right = 0, bottom = 0;
  int x_lo = -1, x_hi = 3, y_lo = 0, y_hi = 3;
  double px(double ai) const { return left + (std::log10(ai) - x_lo) / (x_hi - x_lo) * (right - left); }
  double py(double g) const { return bottom - (std::log10(g) - y_lo) / (y_hi - y_lo) * (bottom - top); }
  double x_min() const { return std::pow(10.0, x_lo); }
  double x_max() const { return std::pow(10.0, x_hi); }
  double y_min() const { return std::pow(10.0, y_lo); }
  double y_max() const { return std::pow(10.0, y_hi); }
};

struct Extent {
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  void add(double v) {
    if (!known(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
};

/// Whole decades around the extent with a margin; at least `min_decades` wide; `fallback` when empty.
std::pair<int, int> decades(const Extent& e, int min_decades, std::pair<int, int> fallback) {
  if (!(e.hi > 0)) return fallback;
  int lo = static_cast<int>(std::floor(std::log10(e.lo / 1.5)));
  int hi = static_cast<int>(std::ceil(std::log10(e.hi * 1.5)));
  while (hi - lo < min_decades) {  // widen alternately upwards and downwards
    ++hi;
    if (hi - lo < min_decades) --lo;
  }
  return {lo, hi};
}

Plot make_plot(const ModelProfile& p, const std::vector<Roof>& slopes, const SvgOptions& o) {
  Plot plot;
  plot.left = 100;  // room for "100 GFLOP/s"
  plot.top = 44;
  plot.right = o.width_px - 270;
  plot.bottom = o.height_px - 58;
  Extent x, y;
  for (const OpProfile& op : p.ops)
    if (roofline_plottable(op)) {
      x.add(op.cost.intensity());
      y.add(op.attained_gflops_per_s);
    }
  y.add(p.roofs.peak_measured_gflops_per_s);
  y.add(p.roofs.peak_theoretical_gflops_per_s);
  for (const Roof& s : slopes)
    if (known(s.roof_gflops)) x.add(s.roof_gflops / s.gb_per_s);  // every knee is inside the plot
  std::tie(plot.x_lo, plot.x_hi) = decades(x, 3, {-1, 3});
  std::tie(plot.y_lo, plot.y_hi) = decades(y, 3, {0, 3});
  return plot;
}

void draw_axes(Out& out, const Plot& pl) {
  emit(out, R"(<g class="axes" font-size="12" fill="#333">)" "\n");
  emit(out, R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="#fff" stroke="#333"/>)" "\n",
       pl.left, pl.top, pl.right - pl.left, pl.bottom - pl.top);
  for (int k = pl.x_lo; k <= pl.x_hi; ++k) {
    const double X = pl.px(std::pow(10.0, k));
    emit(out, R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#ddd"/>)"
              R"(<text x="{0:.1f}" y="{3:.1f}" text-anchor="middle">{4}</text>)" "\n",
         X, pl.top, pl.bottom, pl.bottom + 18, xml_escape(format_flop_per_byte(std::pow(10.0, k))));
    for (int m = 2; k < pl.x_hi && m <= 9; ++m) {
      const double Xm = pl.px(m * std::pow(10.0, k));
      emit(out, R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#333"/>)", Xm, pl.bottom,
           pl.bottom - 4);
    }
  }
  for (int k = pl.y_lo; k <= pl.y_hi; ++k) {
    const double Y = pl.py(std::pow(10.0, k));
    emit(out, R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" stroke="#ddd"/>)"
              R"(<text x="{3:.1f}" y="{4:.1f}" text-anchor="end">{5}</text>)" "\n",
         pl.left, Y, pl.right, pl.left - 6, Y + 4, xml_escape(format_flop_per_s(std::pow(10.0, k) * 1e9)));
    for (int m = 2; k < pl.y_hi && m <= 9; ++m)
      emit(out, R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" stroke="#333"/>)",
           pl.left, pl.py(m * std::pow(10.0, k)), pl.left + 4);
  }
  emit(out, R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="13">)"
            "Arithmetic intensity</text>\n",
       (pl.left + pl.right) / 2, pl.bottom + 40);
  const double yc = (pl.top + pl.bottom) / 2;
  emit(out, R"svg(<text x="22" y="{0:.1f}" transform="rotate(-90 22 {0:.1f})" text-anchor="middle" font-size="13">)svg"
            "Attained performance</text>\n</g>\n",
       yc);
}

/// A text or marker extent in pixels, for label placement.
struct Box {
  double x0, y0, x1, y1;
  bool overlaps(const Box& b) const { return x0 < b.x1 && b.x0 < x1 && y0 < b.y1 && b.y0 < y1; }
};

std::string dash_attr(const std::string& dash) {
  return dash.empty() ? std::string() : fmt::format(R"( stroke-dasharray="{}")", dash);
}

/// A slope y = beta * x from the left (or bottom) edge to its knee on the roof (or the plot's edge).
void draw_slope(Out& out, const Plot& pl, const Roof& s) {
  double x0 = pl.x_min(), y0 = s.gb_per_s * x0;
  if (y0 < pl.y_min()) x0 = pl.y_min() / s.gb_per_s, y0 = pl.y_min();
  const double top = known(s.roof_gflops) ? std::min(s.roof_gflops, pl.y_max()) : pl.y_max();
  double x1 = top / s.gb_per_s, y1 = top;
  if (x1 > pl.x_max()) x1 = pl.x_max(), y1 = s.gb_per_s * x1;
  if (!(x1 > x0)) return;  // entirely outside the plot
  emit(out, R"(<line class="{}" data-level="{}" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" )"
            R"(stroke-width="{}"{}/>)" "\n",
       s.cls, xml_escape(s.level), pl.px(x0), pl.py(y0), pl.px(x1), pl.py(y1), s.color,
       s.cls == "roof-bw-measured" ? 2.5 : 1.5, dash_attr(s.dash));
}

/// A flat compute roof from where the steepest slope meets it to the right edge.
void draw_compute_roof(Out& out, const Plot& pl, double gflops, double max_beta, const char* cls, const char* dash) {
  const double x0 = known(max_beta) ? std::max(pl.x_min(), gflops / max_beta) : pl.x_min();
  emit(out, R"(<line class="{}" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="2.5"{}/>)"
            "\n",
       cls, pl.px(x0), pl.py(gflops), pl.right, pl.py(gflops), *dash ? "#888888" : "#222222", dash_attr(dash));
}

/// Draws the roofs; returns the boxes of the text it wrote (obstacles for the op labels).
std::vector<Box> draw_roofs(Out& out, const Plot& pl, const Roofs& r, const std::vector<Roof>& slopes) {
  std::vector<Box> texts;
  emit(out, "<g class=\"roofs\" fill=\"none\">\n");
  for (const Roof& s : slopes) draw_slope(out, pl, s);
  double max_beta = 0, max_beta_theo = 0;
  for (const Roof& s : slopes) {
    double& m = s.cls == "roof-bw-theoretical" ? max_beta_theo : max_beta;
    m = std::max(m, s.gb_per_s);
  }
  if (known(r.peak_measured_gflops_per_s))
    draw_compute_roof(out, pl, r.peak_measured_gflops_per_s, max_beta, "roof-compute-measured", "");
  if (known(r.peak_theoretical_gflops_per_s))
    draw_compute_roof(out, pl, r.peak_theoretical_gflops_per_s, known(max_beta_theo) ? max_beta_theo : max_beta,
                      "roof-compute-theoretical", "8,4");
  const double ridge = r.ridge_measured_flop_per_byte();
  if (known(ridge) && known(r.peak_measured_gflops_per_s)) {
    const double X = pl.px(ridge), Y = pl.py(r.peak_measured_gflops_per_s);
    emit(out, R"(<path class="ridge" d="M{:.1f},{:.1f} l6,6 l-6,6 l-6,-6 z" fill="#222" stroke="#fff">)"
              R"(<title>measured ridge point: {}</title></path>)" "\n",
         X, Y - 6, xml_escape(format_flop_per_byte(ridge)));
    const std::string text = fmt::format("ridge {}", format_flop_per_byte(ridge));
    emit(out, R"(<text x="{:.1f}" y="{:.1f}" font-size="11" fill="#222">{}</text>)" "\n", X + 8, Y + 16,
         xml_escape(text));
    texts.push_back({X - 6, Y - 6, X + 8 + 6.6 * static_cast<double>(text.size()), Y + 18});
  }
  emit(out, "</g>\n");
  return texts;
}

std::string op_tooltip(const OpProfile& op) {
  return fmt::format("{} ({})\n{}\nAI {}, {}\nmedian {}, {}, {}", op.name, op_kind_name(op.kind), op.label,
                     format_flop_per_byte(op.cost.intensity()), format_flop_per_s(op.attained_gflops_per_s * 1e9),
                     format_seconds(op.t_actual_s.median), format_flops(static_cast<double>(op.cost.flops)),
                     format_bytes(static_cast<double>(op.cost.bytes)));
}

struct Point {
  std::size_t op = 0;
  double x = 0, y = 0, r = 0;
};

std::vector<Point> place_points(const Plot& pl, const ModelProfile& p) {
  double total = 0;
  for (const OpProfile& op : p.ops)
    if (known(op.t_actual_s.median)) total += op.t_actual_s.median;
  const double r_max = std::min(36.0, (pl.bottom - pl.top) / 14);
  std::vector<Point> pts;
  for (std::size_t i = 0; i < p.ops.size(); ++i) {
    const OpProfile& op = p.ops[i];
    if (!roofline_plottable(op)) continue;
    const double share = op.t_actual_s.median / total;
    pts.push_back({i, pl.px(op.cost.intensity()), pl.py(op.attained_gflops_per_s),
                   std::clamp(r_max * std::sqrt(share), 2.5, r_max)});
  }
  // Big circles first so small ones stay on top (and hoverable).
  std::stable_sort(pts.begin(), pts.end(), [](const Point& a, const Point& b) { return a.r > b.r; });
  return pts;
}

void draw_points(Out& out, const ModelProfile& p, const std::vector<Point>& pts, const SvgOptions& o) {
  emit(out, "<g class=\"ops\" stroke=\"#333\" stroke-width=\"0.8\" fill-opacity=\"0.7\">\n");
  const std::vector<std::string> names = series_names(o);  // once, not per point
  for (const Point& pt : pts) {
    const OpProfile& op = p.ops[pt.op];
    emit(out,
         R"(<circle class="op" data-op="{}" data-name="{}" data-kind="{}"{} data-intensity="{:.6g}" )"
         R"(data-gflops="{:.6g}" )"
         R"(data-time-s="{:.6g}" cx="{:.2f}" cy="{:.2f}" r="{:.2f}" fill="{}"><title>{}</title></circle>)" "\n",
         pt.op, xml_escape(op.name), op_kind_name(op.kind),
         o.series.empty() ? "" : fmt::format(" data-series=\"{}\"", xml_escape(o.series[pt.op])),
         op.cost.intensity(), op.attained_gflops_per_s, op.t_actual_s.median, pt.x, pt.y, pt.r, op_color(p, pt.op, o, names),
         xml_escape((o.series.empty() ? "" : o.series[pt.op] + ": ") + op_tooltip(op)));
  }
  emit(out, "</g>\n");
}

/// Where a label of w x h px may go around a circle: right, left, above, below, then the four diagonals, at a gap of
/// `extra` px beyond the circle.
std::array<Box, 8> label_candidates(const Point& pt, double w, double h, double extra) {
  const double g = pt.r + 3 + extra, d = pt.r * 0.71 + 2 + extra;  // gap; diagonal offset (outside the circle)
  return {Box{pt.x + g, pt.y - h / 2, pt.x + g + w, pt.y + h / 2},
          Box{pt.x - g - w, pt.y - h / 2, pt.x - g, pt.y + h / 2},
          Box{pt.x - w / 2, pt.y - g - h, pt.x + w / 2, pt.y - g},
          Box{pt.x - w / 2, pt.y + g, pt.x + w / 2, pt.y + g + h},
          Box{pt.x + d, pt.y - d - h, pt.x + d + w, pt.y - d},
          Box{pt.x + d, pt.y + d, pt.x + d + w, pt.y + d + h},
          Box{pt.x - d - w, pt.y - d - h, pt.x - d, pt.y - d},
          Box{pt.x - d - w, pt.y + d, pt.x - d, pt.y + d + h}};
}

/// The place for a label of w x h px around `pt`: inside the plot, overlapping the fewest texts in `placed` (weight
/// 4) and other circles (weight 1); nearer rings first, the first candidate on ties. Sets `far` when the place is
/// not on the nearest ring (the label then gets a leader line).
Box place_label(const Plot& pl, const Point& pt, const std::vector<Point>& pts, const std::vector<Box>& placed,
                double w, double h, bool& far) {
  constexpr std::array<double, 3> kRings = {0, 14, 28};  // px beyond the circle
  Box chosen = label_candidates(pt, w, h, 0)[0];
  int best = std::numeric_limits<int>::max();
  far = false;
  for (double ring : kRings)
    for (const Box& b : label_candidates(pt, w, h, ring)) {
      if (b.x0 < pl.left || b.x1 > pl.right || b.y0 < pl.top || b.y1 > pl.bottom) continue;
      int cost = 0;
      for (const Box& q : placed) cost += 4 * q.overlaps(b);
      for (const Point& o : pts)
        if (o.op != pt.op) cost += b.overlaps(Box{o.x - o.r, o.y - o.r, o.x + o.r, o.y + o.r});
      if (cost < best) best = cost, chosen = b, far = ring > 0;
    }
  return chosen;
}

/// Names of the `k` slowest plotted ops beside their circles (place_label; `placed`: texts already drawn).
void draw_labels(Out& out, const Plot& pl, const ModelProfile& p, const std::vector<Point>& pts, int k,
                 std::vector<Box> placed) {
  std::vector<Point> top = pts;
  std::stable_sort(top.begin(), top.end(), [&](const Point& a, const Point& b) {
    return p.ops[a.op].t_actual_s.median > p.ops[b.op].t_actual_s.median;
  });
  top.resize(std::min(top.size(), static_cast<std::size_t>(std::max(k, 0))));
  emit(out, "<g class=\"labels\" font-size=\"11\" fill=\"#111\">\n");
  for (const Point& pt : top) {
    std::string name = p.ops[pt.op].name;
    if (name.size() > 28) name = name.substr(0, 27) + "~";
    bool far = false;
    const Box b = place_label(pl, pt, pts, placed, 6.6 * static_cast<double>(name.size()), 12, far);
    placed.push_back(b);
    if (far) {  // from the circle's edge to the nearest point of the label's box
      const double tx = std::clamp(pt.x, b.x0, b.x1), ty = std::clamp(pt.y, b.y0, b.y1);
      const double len = std::hypot(tx - pt.x, ty - pt.y);
      emit(out, R"(<line class="leader" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#888" )"
                R"(stroke-width="0.7"/>)" "\n",
           pt.x + (tx - pt.x) * pt.r / len, pt.y + (ty - pt.y) * pt.r / len, tx, ty);
    }
    emit(out, R"(<text class="op-label" x="{:.1f}" y="{:.1f}">{}</text>)" "\n", b.x0, b.y1 - 2, xml_escape(name));
  }
  emit(out, "</g>\n");
}

/// "3 ops with 0 FLOPs not plotted", one line per reason.
std::vector<std::string> unplotted_notes(const ModelProfile& p) {
  std::map<std::string, int> n;
  for (const OpProfile& op : p.ops) {
    if (roofline_plottable(op)) continue;
    ++n[op.cost.flops <= 0 ? "with 0 FLOPs" : op.cost.bytes <= 0 ? "with 0 bytes" : "without a measured time"];
  }
  std::vector<std::string> out;
  for (const auto& [why, count] : n)
    out.push_back(fmt::format("{} op{} {} not plotted", count, count == 1 ? "" : "s", why));
  return out;
}

class Legend {
 public:
  Legend(Out& out, double x, double y) : out_(out), x_(x), y_(y) {}
  void line(const std::string& text, const std::string& color, const std::string& dash, double width = 2) {
    emit(out_, R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="{}"{}/>)", x_,
         y_ - 4, x_ + 26, y_ - 4, color, width, dash_attr(dash));
    label(text);
  }
  void dot(const std::string& text, const std::string& color) {
    emit(out_, R"(<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="{}" fill-opacity="0.7" stroke="#333"/>)", x_ + 13,
         y_ - 4, color);
    label(text);
  }
  void note(const std::string& text, const char* cls = "note") {
    emit(out_, R"(<text class="{}" x="{:.1f}" y="{:.1f}" font-size="11">{}</text>)" "\n", cls, x_, y_,
         xml_escape(text));
    y_ += 17;
  }
 private:
  void label(const std::string& text) {
    emit(out_, R"(<text x="{:.1f}" y="{:.1f}">{}</text>)" "\n", x_ + 32, y_, xml_escape(text));
    y_ += 17;
  }
  Out& out_;
  double x_, y_;
};

/// The legend's marker entries: one per op kind (count of plotted ops), or one per series in a sweep chart.
void legend_markers(Legend& lg, const ModelProfile& p, const SvgOptions& o) {
  if (!o.series.empty()) {
    const std::vector<std::string> names = series_names(o);
    for (std::size_t k = 0; k < names.size(); ++k) lg.dot(names[k], series_color(k));
    return;
  }
  std::map<OpKind, int> kinds;
  for (const OpProfile& op : p.ops)
    if (roofline_plottable(op)) ++kinds[op.kind];
  for (const auto& [kind, n] : kinds) lg.dot(fmt::format("{} ({})", op_kind_name(kind), n), kind_color(kind));
}

void draw_legend(Out& out, const Plot& pl, const ModelProfile& p, const std::vector<Roof>& slopes,
                 const SvgOptions& o) {
  const Roofs& r = p.roofs;
  emit(out, "<g class=\"legend\" font-size=\"12\" fill=\"#222\">\n");
  Legend lg(out, pl.right + 18, pl.top + 8);
  if (known(r.peak_measured_gflops_per_s))
    lg.line(fmt::format("peak (measured) {}", format_flop_per_s(r.peak_measured_gflops_per_s * 1e9)), "#222222", "",
            2.5);
  else
    lg.note("peak (measured): unknown, not drawn");
  if (known(r.peak_theoretical_gflops_per_s))
    lg.line(fmt::format("peak (theoretical) {}", format_flop_per_s(r.peak_theoretical_gflops_per_s * 1e9)), "#888888",
            "8,4", 2.5);
  else
    lg.note("peak (theoretical): unknown, not drawn");
  for (const Roof& s : slopes) lg.line(s.legend, s.color, s.dash, s.cls == "roof-bw-measured" ? 2.5 : 1.5);
  if (!known(r.dram_measured_gb_per_s)) lg.note("DRAM (measured): unknown, not drawn");
  if (!known(r.dram_theoretical_gb_per_s)) lg.note("DRAM (theoretical): unknown, not drawn");
  lg.note(fmt::format("{} thread{}; ops: area ~ share of time", p.threads, p.threads == 1 ? "" : "s"));
  legend_markers(lg, p, o);
  for (const std::string& n : unplotted_notes(p)) lg.note(n, "note unplotted");
  emit(out, "</g>\n");
}

}  // namespace

std::string roofline_svg(const ModelProfile& p, const SvgOptions& o) {
  if (o.width_px < 600 || o.height_px < 400)
    throw std::invalid_argument(fmt::format("roofline_svg: size {}x{} px is too small (need >= 600x400: the legend "
                                            "takes 270 px)", o.width_px, o.height_px));
  if (!o.series.empty() && o.series.size() != p.ops.size())
    throw std::invalid_argument(fmt::format("roofline_svg: {} series names for {} ops", o.series.size(), p.ops.size()));
  const std::vector<Roof> slopes = bandwidth_roofs(p.roofs);
  const Plot pl = make_plot(p, slopes, o);
  const std::string title = o.title.empty() ? fmt::format("{}: roofline at {} thread{}", p.model, p.threads,
                                                          p.threads == 1 ? "" : "s")
                                            : o.title;
  Out out;
  emit(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  emit(out, R"(<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="roofline" width="{0}" height="{1}" )"
            R"(viewBox="0 0 {0} {1}" font-family="DejaVu Sans, Arial, sans-serif">)" "\n",
       o.width_px, o.height_px);
  emit(out, "<title>{}</title>\n<desc>x: arithmetic intensity (FLOP/byte), y: attained GFLOP/s, log-log. Lines are "
            "roofs (dashed: theoretical), circles are ops.</desc>\n",
       xml_escape(title));
  emit(out, R"(<rect width="100%" height="100%" fill="#fff"/>)" "\n");
  emit(out, R"(<text x="{:.1f}" y="26" font-size="16" font-weight="bold" fill="#111">{}</text>)" "\n", pl.left,
       xml_escape(title));
  draw_axes(out, pl);
  std::vector<Box> texts = draw_roofs(out, pl, p.roofs, slopes);
  const std::vector<Point> pts = place_points(pl, p);
  draw_points(out, p, pts, o);
  draw_labels(out, pl, p, pts, o.label_top, std::move(texts));
  draw_legend(out, pl, p, slopes, o);
  emit(out, "</svg>\n");
  return out;
}

}  // namespace rs
