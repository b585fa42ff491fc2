// The visual outputs of `roofscope profile` on synthetic profiles (test_outputs_fixture.h): the roofline
// SVG parses as XML (xmllint, Debian libxml2-utils) and puts every plottable op on log-log scales consistent with its
// roofs; the HTML page holds the SVG and one row per op, flags n/a and negative values and fetches nothing (the
// Chrome trace: test_trace.cpp). Pixel tolerances: coordinates are printed with 2 decimals.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <unistd.h>

#include <fmt/format.h>

#include "profiler/report/html_report.h"
#include "profiler/report/profile_report.h"
#include "profiler/report/roofline_svg.h"
#include "tests/profiler/report/test_outputs_fixture.h"

namespace rs::test_outputs {
namespace {

namespace fs = std::filesystem;
using Attrs = std::map<std::string, std::string>;

/// Attribute maps of every <tag ...> whose class starts with `class_prefix`, in document order.
std::vector<Attrs> elements(const std::string& xml, const std::string& tag, const std::string& class_prefix) {
  static const std::regex attr(R"re(([\w:-]+)="([^"]*)")re");
  const std::regex element("<" + tag + R"re(\s([^>]*)>)re");
  std::vector<Attrs> out;
  for (std::sregex_iterator it(xml.begin(), xml.end(), element), end; it != end; ++it) {
    Attrs a;
    const std::string body = (*it)[1];
    for (std::sregex_iterator m(body.begin(), body.end(), attr); m != end; ++m) a[(*m)[1]] = (*m)[2];
    if (a["class"].rfind(class_prefix, 0) == 0) out.push_back(a);
  }
  return out;
}

double num(const Attrs& a, const std::string& key) { return std::stod(a.at(key)); }

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}

/// A file in a fresh directory removed with the fixture.
class TempFiles {
 public:
  TempFiles() : dir_(fs::temp_directory_path() / ("roofscope_test_outputs_" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
  }
  ~TempFiles() { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

 private:
  fs::path dir_;
};

/// Runs xmllint with `args` on `xml`; fails the test when xmllint is missing.
CommandResult xmllint(const std::string& args, const std::string& xml) {
  if (run_command("command -v xmllint").status != 0) {
    ADD_FAILURE() << "xmllint not found: run scripts/setup.sh --test-deps (Debian package libxml2-utils)";
    return {};
  }
  TempFiles tmp;
  return run_command("xmllint " + args + " " + tmp.write("plot.svg", xml) + " 2>&1");
}

/// Pixel = a + b * log10(value), fitted on the two points furthest apart.
struct LogScale {
  double a = 0, b = 0;
  double px(double v) const { return a + b * std::log10(v); }
  double value(double px) const { return std::pow(10.0, (px - a) / b); }
};

LogScale fit(std::vector<std::pair<double, double>> value_px) {
  std::sort(value_px.begin(), value_px.end());
  const auto& [v0, p0] = value_px.front();
  const auto& [v1, p1] = value_px.back();
  LogScale s;
  s.b = (p1 - p0) / (std::log10(v1) - std::log10(v0));
  s.a = p0 - s.b * std::log10(v0);
  return s;
}

const OpProfile& op_named(const ModelProfile& p, const std::string& escaped_name) {
  for (const OpProfile& op : p.ops)
    if (xml_escape(op.name) == escaped_name) return op;
  throw std::runtime_error("no op named " + escaped_name);
}

class Outputs : public ::testing::TestWithParam<Spec> {
 protected:
  ModelProfile p = make_profile(GetParam());
};

TEST_P(Outputs, SvgIsWellFormedXmlWithOneCirclePerPlottedOp) {
  const std::string svg = roofline_svg(p);
  const CommandResult lint = xmllint("--noout", svg);
  EXPECT_EQ(lint.status, 0) << lint.out;
  const CommandResult n = xmllint("--xpath \"count(//*[local-name()='circle'][@class='op'])\"", svg);
  ASSERT_EQ(n.status, 0) << n.out;
  EXPECT_EQ(std::stoi(n.out), expected_plotted(p));
  EXPECT_EQ(roofline_plotted_count(p), expected_plotted(p));
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find(R"(<svg xmlns="http://www.w3.org/2000/svg" version="1.1")"), std::string::npos);
}

TEST_P(Outputs, SvgPointsAndRoofsShareLogLogScales) {
  const std::string svg = roofline_svg(p);
  std::vector<std::pair<double, double>> xs, ys;
  const std::vector<Attrs> circles = elements(svg, "circle", "op");
  ASSERT_GE(circles.size(), 3u);
  for (const Attrs& c : circles) {
    const OpProfile& op = op_named(p, c.at("data-name"));
    xs.push_back({op.cost.intensity(), num(c, "cx")});
    ys.push_back({op.attained_gflops_per_s, num(c, "cy")});
  }
  const LogScale x = fit(xs), y = fit(ys);
  EXPECT_GT(x.b, 0);
  EXPECT_LT(y.b, 0);  // SVG y grows downwards
  for (std::size_t i = 0; i < xs.size(); ++i) {
    EXPECT_NEAR(x.px(xs[i].first), xs[i].second, 0.02) << circles[i].at("data-name");
    EXPECT_NEAR(y.px(ys[i].first), ys[i].second, 0.02) << circles[i].at("data-name");
  }
  const std::vector<Attrs> roof = elements(svg, "line", "roof-compute-measured");
  ASSERT_EQ(roof.size(), 1u);
  EXPECT_NEAR(num(roof[0], "y1"), y.px(p.roofs.peak_measured_gflops_per_s), 0.1);
  // Every slope is y = beta * x in data space and ends at or below its compute roof.
  std::map<std::string, double> beta = {{"roof-bw-measured", p.roofs.dram_measured_gb_per_s},
                                        {"roof-bw-theoretical", p.roofs.dram_theoretical_gb_per_s}};
  for (const CacheRoof& c : p.roofs.caches) beta["roof-bw-cache" + c.level] = c.gb_per_s;
  const std::vector<Attrs> slopes = elements(svg, "line", "roof-bw-");
  EXPECT_EQ(slopes.size(), p.roofs.caches.size() + 1 + (p.roofs.dram_theoretical_gb_per_s > 0));
  for (const Attrs& s : slopes) {
    const std::string id = s.at("class") + (s.at("class") == "roof-bw-cache" ? s.at("data-level") : "");
    for (const char* end : {"1", "2"}) {
      const double ai = x.value(num(s, std::string("x") + end)), g = y.value(num(s, std::string("y") + end));
      EXPECT_NEAR(std::log10(g / ai), std::log10(beta.at(id)), 2e-3) << id << " end " << end;
    }
    const double roof_top = std::max(p.roofs.peak_measured_gflops_per_s, p.roofs.peak_theoretical_gflops_per_s);
    EXPECT_LE(y.value(num(s, "y2")), roof_top * 1.002) << id;
  }
}

TEST_P(Outputs, SvgDrawsKnownRoofsOnlyAndSaysWhatIsMissing) {
  const std::string svg = roofline_svg(p);
  const bool theory = GetParam().theoretical_known;
  EXPECT_EQ(elements(svg, "line", "roof-compute-theoretical").size(), theory ? 1u : 0u);
  EXPECT_EQ(svg.find("peak (theoretical): unknown, not drawn") != std::string::npos, !theory);
  EXPECT_EQ(svg.find("DRAM (theoretical): unknown, not drawn") != std::string::npos, !theory);
  EXPECT_EQ(elements(svg, "path", "ridge").size(), 1u);
  EXPECT_NE(svg.find(">1 op with 0 FLOPs not plotted<"), std::string::npos);  // the reorder
  for (const CacheRoof& c : p.roofs.caches)
    EXPECT_NE(svg.find(xml_escape(fmt::format("{} (measured) {}", c.level, format_bytes_per_s(c.gb_per_s * 1e9)))),
              std::string::npos);
}

TEST_P(Outputs, SvgLabelsTheSlowestOpsAndSizesByTime) {
  SvgOptions o;
  o.label_top = 3;
  const std::string svg = roofline_svg(p, o);
  static const std::regex label(R"re(<text class="op-label"[^>]*>([^<]*)</text>)re");
  std::vector<std::string> labels;
  for (std::sregex_iterator m(svg.begin(), svg.end(), label), end; m != end; ++m) labels.push_back((*m)[1]);
  std::vector<std::pair<double, std::string>> by_time;
  for (const OpProfile& op : p.ops)
    if (roofline_plottable(op)) by_time.push_back({-op.t_actual_s.median, xml_escape(op.name)});
  std::sort(by_time.begin(), by_time.end());
  ASSERT_EQ(labels.size(), 3u);
  for (std::size_t i = 0; i < labels.size(); ++i) EXPECT_EQ(labels[i], by_time[i].second);
  std::vector<std::pair<double, double>> time_r;
  for (const Attrs& c : elements(svg, "circle", "op")) time_r.push_back({num(c, "data-time-s"), num(c, "r")});
  std::sort(time_r.begin(), time_r.end());
  for (std::size_t i = 1; i < time_r.size(); ++i) EXPECT_LE(time_r[i - 1].second, time_r[i].second + 1e-9);
  EXPECT_GT(time_r.back().second, time_r.front().second);
  // Area ~ time where the radius is not clamped (2.5 px .. 36 px): r^2 / t is one constant (r has 2 decimals: 1%).
  double area_per_s = 0;
  for (const auto& [t, r] : time_r) {
    if (r <= 2.5 || r >= 36) continue;
    if (area_per_s == 0) area_per_s = r * r / t;
    EXPECT_NEAR(r * r / t, area_per_s, 0.01 * area_per_s) << "r " << r << " t " << t;
  }
  EXPECT_GT(area_per_s, 0);
}

std::string between(const std::string& s, const std::string& open, const std::string& close) {
  const std::size_t a = s.find(open);
  const std::size_t b = a == std::string::npos ? a : s.find(close, a + open.size());
  return b == std::string::npos ? "" : s.substr(a + open.size(), b - a - open.size());
}

/// The per-op <table id="ops"> of a page (the diagnosis block above it has tables too).
std::string ops_table(const std::string& html) { return between(html, "<table id=\"ops\"", "</table>"); }

/// (attributes, text) of every <td> of every <tr class="op-row">.
std::vector<std::vector<std::pair<std::string, std::string>>> op_rows(const std::string& html) {
  static const std::regex row(R"re(<tr class="op-row"[^>]*>(.*?)</tr>)re"), cell(R"re(<td([^>]*)>([^<]*)</td>)re");
  const std::string body = between(ops_table(html), "<tbody>", "</tbody>");
  std::vector<std::vector<std::pair<std::string, std::string>>> rows;
  for (std::sregex_iterator r(body.begin(), body.end(), row), end; r != end; ++r) {
    const std::string cells = (*r)[1];
    rows.emplace_back();
    for (std::sregex_iterator c(cells.begin(), cells.end(), cell); c != end; ++c)
      rows.back().push_back({(*c)[1], (*c)[2]});
  }
  return rows;
}

TEST_P(Outputs, HtmlHasTheSvgTheSchemaColumnsAndOneRowPerOp) {
  const std::string html = html_report(p, MachineProfile{});
  EXPECT_EQ(count(html, "<svg "), 1u);
  EXPECT_EQ(count(html, "<circle class=\"op\""), static_cast<std::size_t>(expected_plotted(p)));
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  EXPECT_NE(html.find(fmt::format(R"(<body data-plotted-points="{}" data-ops="{}">)", expected_plotted(p), p.ops.size())),
            std::string::npos);
  const auto rows = op_rows(html);
  ASSERT_EQ(rows.size(), p.ops.size());
  std::vector<std::string> keys;
  static const std::regex key(R"re(<th class="\w+" data-key="(\w+)")re");
  const std::string head = between(ops_table(html), "<thead>", "</thead>");
  for (std::sregex_iterator k(head.begin(), head.end(), key), end; k != end; ++k) keys.push_back((*k)[1]);
  for (const char* k : {"name", "op", "impl", "macs", "flops", "bytes", "intensity_flop_per_byte", "bound",
                        "cache_level", "t_roof_theoretical_s", "t_roof_measured_s", "t_roof_cache_s",
                        "t_actual_median_s", "t_actual_p90_s", "t_actual_cv", "attained_flop_per_s",
                        "attained_byte_per_s", "efficiency", "efficiency_cache", "loss_hardware_s", "loss_os_s",
                        "loss_software_s", "page_faults", "context_switches", "migrations"})
    EXPECT_NE(std::find(keys.begin(), keys.end(), k), keys.end()) << k;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), keys.size());
    EXPECT_EQ(rows[i][0].second, xml_escape(p.ops[i].name));  // graph order
  }
  EXPECT_EQ(count(between(ops_table(html), "<tfoot>", "</tfoot>"), "<tr class=\"totals\">"), 1u);
}

TEST_P(Outputs, HtmlShowsNanAsNaAndFlagsEveryNegativeValue) {
  const std::string html = html_report(p, MachineProfile{});
  const auto rows = op_rows(html);
  const std::string head = between(ops_table(html), "<thead>", "</thead>");
  auto column = [&](const std::string& key) {
    return count(head.substr(0, head.find("data-key=\"" + key + "\"")), "<th ") - 1;
  };
  const std::size_t theo = column("t_roof_theoretical_s"), sw = column("loss_software_s");
  int negatives = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][theo].second == "n/a", !GetParam().theoretical_known) << p.ops[i].name;
    if (p.ops[i].name == kNegativeOp) {
      EXPECT_NE(rows[i][sw].first.find("negative"), std::string::npos);
      EXPECT_NE(rows[i][sw].second.find("(!)"), std::string::npos);
    }
    for (const auto& [attrs, text] : rows[i]) {
      const std::string v = between(attrs, "data-v=\"", "\"");
      const bool negative = attrs.find("class=\"num") != std::string::npos && !v.empty() && std::stod(v) < 0;
      negatives += negative;
      EXPECT_EQ(between(attrs, "class=\"", "\"").find("negative") != std::string::npos, negative) << attrs;
    }
  }
  EXPECT_GE(negatives, 1);
}

TEST_P(Outputs, HtmlFetchesNothing) {
  const std::string html = html_report(p, MachineProfile{});
  for (const char* external : {"src=", "href=", "url(", "@import", "<link", "<iframe"})
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  // The only URL is the SVG namespace name, which is never fetched.
  EXPECT_EQ(count(html, "http"), count(html, "http://www.w3.org/2000/svg"));
  EXPECT_EQ(html.find(kOddName), std::string::npos);  // escaped everywhere
}

bool ends_with(const std::string& s, const std::string& end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

/// The unit a cell of `kind` ends with ("" for kinds without one: Real, Count, Text).
std::string unit_of_kind(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::Seconds: return "s";
    case ColumnKind::Bytes: return "B";
    case ColumnKind::Flops: return "FLOP";
    case ColumnKind::FlopPerS: return "FLOP/s";
    case ColumnKind::BytesPerS: return "B/s";
    case ColumnKind::FlopPerByte: return "FLOP/B";
    default: return "";
  }
}

TEST_P(Outputs, HtmlCellsAreTheirColumnsFormatWithItsUnit) {
  const std::string html = html_report(p, MachineProfile{});
  const auto rows = op_rows(html);
  std::vector<std::size_t> order(p.ops.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const Table t = profile_table(p, order, true);
  int checked = 0;
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t c = 0; c < t.columns().size(); ++c) {
      const Column& col = t.columns()[c];
      const std::string v = between(rows[i][c].first, "data-v=\"", "\"");
      if (col.kind == ColumnKind::Text || col.kind == ColumnKind::Shape || v.empty()) continue;
      std::string text = rows[i][c].second;
      if (ends_with(text, " (!)")) text.resize(text.size() - 4);  // a negative value's flag
      EXPECT_EQ(text, xml_escape(format_value(col.kind, std::stod(v), col.precision))) << col.key;
      EXPECT_TRUE(ends_with(text, unit_of_kind(col.kind))) << col.key << ": " << text;
      if (ends_with(col.key, "_per_s"))  // a rate is never shown as a time (issue 16: "10.205 s" for 10.2 GFLOP/s)
        for (const char* time : {" s", "ms", "µs", "ns"}) EXPECT_FALSE(ends_with(text, time)) << col.key << ": " << text;
      ++checked;
    }
  EXPECT_GT(checked, static_cast<int>(rows.size()) * 10);
}

TEST_P(Outputs, HtmlGroupsEveryOpByKindAndByImplementation) {
  const std::string html = html_report(p, MachineProfile{});
  for (const char* by : {"kind", "impl"}) {
    const std::string table = between(html, fmt::format(R"(<table id="groupby-{}")", by), "</table>");
    ASSERT_FALSE(table.empty()) << by;
    static const std::regex ops(R"re(<tr class="group-row" data-group="[^"]*" data-ops="(\d+)">)re");
    int sum = 0;
    for (std::sregex_iterator m(table.begin(), table.end(), ops), end; m != end; ++m) sum += std::stoi((*m)[1]);
    EXPECT_EQ(sum, static_cast<int>(p.ops.size())) << by;
  }
  EXPECT_NE(html.find(R"(<input id="filter")"), std::string::npos);
  EXPECT_EQ(count(html, R"(<input type="checkbox" data-col=")"), count(between(ops_table(html), "<thead>", "</thead>"), "<th "));
  std::vector<std::size_t> order(p.ops.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const std::vector<Column> cols = profile_table(p, order, true).columns();
  const auto compact = static_cast<std::size_t>(std::count_if(cols.begin(), cols.end(), [](const Column& c) { return c.compact; }));
  EXPECT_EQ(count(html, " checked data-default>"), compact > 0 ? compact : cols.size());  // all when none is compact
}

TEST_P(Outputs, SvgAxisLabelsLegendAndTooltipsCarryTheirUnit) {
  const std::string svg = roofline_svg(p);
  const std::string axes = between(svg, "<g class=\"axes\"", "</g>");
  static const std::regex label(R"re(<text [^>]*>([^<]*)</text>)re");
  int x_labels = 0, y_labels = 0;
  for (std::sregex_iterator m(axes.begin(), axes.end(), label), end; m != end; ++m) {
    const std::string text = (*m)[1];
    x_labels += ends_with(text, "FLOP/B");
    y_labels += ends_with(text, "FLOP/s");
  }
  EXPECT_GE(x_labels, 4);
  EXPECT_GE(y_labels, 4);
  EXPECT_NE(svg.find(xml_escape("peak (measured) " + format_flop_per_s(150e9))), std::string::npos);
  EXPECT_NE(svg.find(xml_escape("DRAM (measured) " + format_bytes_per_s(18e9))), std::string::npos);
  const OpProfile& conv = p.ops[0];
  EXPECT_NE(svg.find(xml_escape(fmt::format("median {}, {}", format_seconds(conv.t_actual_s.median),
                                            format_flops(static_cast<double>(conv.cost.flops))))),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Profiles, Outputs,
                         ::testing::Values(Spec{"full"}, Spec{"no_theory", false, true, 0, 3},
                                           Spec{"no_caches_many_ops", true, false, 60, 4}),
                         [](const ::testing::TestParamInfo<Spec>& info) { return std::string(info.param.name); });

TEST(RooflineSvg, EscapesNamesInAttributesAndTooltips) {
  const std::string svg = roofline_svg(make_profile(Spec{"odd"}));
  EXPECT_NE(svg.find(R"(data-name="odd&lt;&amp;&quot;&apos;&gt;name")"), std::string::npos);
  EXPECT_NE(svg.find("<title>odd&lt;&amp;&quot;&apos;&gt;name (Softmax)"), std::string::npos);
  EXPECT_EQ(svg.find(kOddName), std::string::npos);
}

TEST(RooflineSvg, RejectsATooSmallCanvas) {
  SvgOptions o;
  o.width_px = 100;
  EXPECT_THROW(roofline_svg(make_profile(Spec{"small"}), o), std::invalid_argument);
}

TEST(RooflineSvg, SeriesColourAndNameThePointsOfASweep) {
  const ModelProfile p = make_profile(Spec{"series"});
  SvgOptions o;
  for (std::size_t i = 0; i < p.ops.size(); ++i) o.series.push_back(i % 2 ? "batch 2" : "batch 1");
  const std::string svg = roofline_svg(p, o);
  EXPECT_EQ(xmllint("--noout", svg).status, 0);
  EXPECT_EQ(count(svg, "data-series=\"batch 1\"") + count(svg, "data-series=\"batch 2\""),
            static_cast<std::size_t>(roofline_plotted_count(p)));
  EXPECT_NE(svg.find("fill=\"#1f77b4\""), std::string::npos);  // series 0 and 1 of the palette
  EXPECT_NE(svg.find("fill=\"#ff7f0e\""), std::string::npos);
  EXPECT_NE(svg.find(">batch 2</text>"), std::string::npos);  // the legend lists series, not op kinds
  o.series.pop_back();
  EXPECT_THROW(roofline_svg(p, o), std::invalid_argument);
}

TEST(RooflineSvg, EmptyProfileStillGivesAPlot) {
  ModelProfile p;
  p.model = "empty";
  const std::string svg = roofline_svg(p);
  EXPECT_EQ(xmllint("--noout", svg).status, 0);
  EXPECT_EQ(count(svg, "<circle class=\"op\""), 0u);
  EXPECT_NE(svg.find("peak (measured): unknown, not drawn"), std::string::npos);
}

}  // namespace
}  // namespace rs::test_outputs
