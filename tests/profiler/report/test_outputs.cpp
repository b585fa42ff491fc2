// The visual and trace outputs of `roofscope profile` on synthetic profiles (test_outputs_fixture.h): the roofline
// SVG parses as XML (xmllint, Debian libxml2-utils) and puts every plottable op on log-log scales consistent with its
// roofs; the Chrome trace has one slice per op per run laid end to end; the HTML page holds the SVG and one row per
// op, flags n/a and negative values and fetches nothing. Pixel tolerances: coordinates are printed with 2 decimals.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <unistd.h>

#include <fmt/format.h>

#include "profiler/report/chrome_trace.h"
#include "profiler/report/html_report.h"
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
    EXPECT_NE(svg.find(fmt::format("{} (measured) {:.4g} GB/s", c.level, c.gb_per_s)), std::string::npos);
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

TEST_P(Outputs, TraceHasOneSlicePerOpPerRunLaidEndToEnd) {
  const nlohmann::json t = nlohmann::json::parse(chrome_trace(p).dump());  // survives serialization
  std::vector<nlohmann::json> slices;
  int metadata = 0;
  for (const auto& e : t.at("traceEvents")) {
    if (e.at("ph") == "X") slices.push_back(e);
    metadata += e.at("ph") == "M";
  }
  EXPECT_EQ(metadata, 2);  // process_name, thread_name
  const std::size_t n_ops = p.ops.size(), runs = p.run_start_s.size();
  ASSERT_EQ(slices.size(), n_ops * runs);
  for (std::size_t r = 0; r < runs; ++r) {
    double expected_ts = p.run_start_s[r] * 1e6;
    for (std::size_t i = 0; i < n_ops; ++i) {
      const nlohmann::json& s = slices[r * n_ops + i];
      ASSERT_EQ(s.at("name"), p.ops[i].name);
      EXPECT_EQ(s.at("args").at("run"), r);
      EXPECT_NEAR(s.at("ts").get<double>(), expected_ts, 1e-6);  // microseconds
      EXPECT_NEAR(s.at("dur").get<double>(), p.step_s[i][r] * 1e6, 1e-9);
      EXPECT_EQ(s.at("args").at("flops"), p.ops[i].cost.flops);
      EXPECT_EQ(s.at("args").at("bytes"), p.ops[i].cost.bytes);
      EXPECT_EQ(s.at("args").at("impl"), p.ops[i].impl);
      EXPECT_EQ(s.at("args").at("label"), p.ops[i].label);
      EXPECT_DOUBLE_EQ(s.at("args").at("intensity_flop_per_byte").get<double>(), p.ops[i].cost.intensity());
      expected_ts += p.step_s[i][r] * 1e6;
    }
  }
}

std::string between(const std::string& s, const std::string& open, const std::string& close) {
  const std::size_t a = s.find(open);
  const std::size_t b = a == std::string::npos ? a : s.find(close, a + open.size());
  return b == std::string::npos ? "" : s.substr(a + open.size(), b - a - open.size());
}

/// (attributes, text) of every <td> of every <tr class="op-row">.
std::vector<std::vector<std::pair<std::string, std::string>>> op_rows(const std::string& html) {
  static const std::regex row(R"re(<tr class="op-row">(.*?)</tr>)re"), cell(R"re(<td([^>]*)>([^<]*)</td>)re");
  const std::string body = between(html, "<tbody>", "</tbody>");
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
  EXPECT_NE(html.find(fmt::format(R"(<body data-plotted-points="{}">)", expected_plotted(p))), std::string::npos);
  const auto rows = op_rows(html);
  ASSERT_EQ(rows.size(), p.ops.size());
  std::vector<std::string> keys;
  static const std::regex key(R"re(<th class="\w+" data-key="(\w+)")re");
  const std::string head = between(html, "<thead>", "</thead>");
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
  EXPECT_EQ(count(between(html, "<tfoot>", "</tfoot>"), "<tr class=\"totals\">"), 1u);
}

TEST_P(Outputs, HtmlShowsNanAsNaAndFlagsEveryNegativeValue) {
  const std::string html = html_report(p, MachineProfile{});
  const auto rows = op_rows(html);
  const std::string head = between(html, "<thead>", "</thead>");
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

struct BadSamples {
  const char* what;
  void (*corrupt)(ModelProfile&);
  const char* message;
};

class ChromeTraceRejects : public ::testing::TestWithParam<BadSamples> {};

TEST_P(ChromeTraceRejects, NamingTheOpAndRun) {
  ModelProfile p = make_profile(Spec{"bad"});
  GetParam().corrupt(p);
  try {
    chrome_trace(p);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam().message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Samples, ChromeTraceRejects,
    ::testing::Values(
        BadSamples{"missing_row", [](ModelProfile& p) { p.step_s.pop_back(); }, "step_s has 7 rows for 8 ops"},
        BadSamples{"short_row", [](ModelProfile& p) { p.step_s[2].pop_back(); },
                   "step_s[2] (op 'maxpool') has 4 runs, run_start_s has 5"},
        BadSamples{"nan_step", [](ModelProfile& p) { p.step_s[0][3] = std::nan(""); },
                   "step_s[0][3] (op 'conv1') = nan: expected a finite time >= 0 s"},
        BadSamples{"negative_start", [](ModelProfile& p) { p.run_start_s[1] = -1; },
                   "run_start_s[1] = -1: expected a finite time >= 0"}),
    [](const ::testing::TestParamInfo<BadSamples>& info) { return std::string(info.param.what); });

TEST(ChromeTrace, WithoutSamplesHasMetadataOnly) {
  ModelProfile p = make_profile(Spec{"no_samples"});
  p.step_s.clear();
  p.run_start_s.clear();
  const nlohmann::json t = chrome_trace(p);
  ASSERT_EQ(t.at("traceEvents").size(), 2u);
  for (const auto& e : t.at("traceEvents")) EXPECT_EQ(e.at("ph"), "M");
}

}  // namespace
}  // namespace rs::test_outputs
