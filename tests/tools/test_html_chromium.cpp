// The HTML report in a real browser: headless Chromium loads the page from a file (no network), runs its script and
// dumps the DOM. The script's count of laid-out circle.op elements must equal the plotted ops, a click on a header
// must sort the table, and the page's own #selftest (filter, dot -> row, row -> dot, column toggle, group-by) must
// pass with the counts this test expects. Chromium is a test dependency (scripts/setup.sh --test-deps); without it
// these tests are skipped and say so. About 2 s per page.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "profiler/report/diagnosis.h"
#include "profiler/report/html_report.h"
#include "profiler/report/profile_report.h"
#include "profiler/report/roofline_svg.h"
#include "tests/profiler/report/test_outputs_fixture.h"

namespace rs::test_outputs {
namespace {

namespace fs = std::filesystem;

constexpr const char* kChromium = "/usr/bin/chromium";

/// Appended to the page by the test only: clicks the median-time header twice (ascending, then descending) and
/// records the first row's name, so the DOM dump shows whether the page's sort works.
constexpr const char* kClickSort = R"(<script>
var th = document.querySelector('#ops th[data-key="t_actual_median_s"]');
th.click(); th.click();
document.body.setAttribute('data-test-first-row', document.querySelector('#ops tbody tr td').textContent);
</script>
)";

struct Rendered {
  int status = -1;
  std::string dom, log;
};

/// Loads `html` from a fresh directory in headless Chromium (fresh profile, no network services) and dumps the DOM;
/// `fragment` (e.g. "#selftest") is appended to the file URL.
Rendered render(const std::string& html, const std::string& tag, const std::string& fragment = "") {
  const fs::path dir = fs::temp_directory_path() / fmt::format("roofscope_chromium_{}_{}", ::getpid(), tag);
  fs::remove_all(dir);
  fs::create_directories(dir / "profile");
  std::ofstream(dir / "report.html") << html;
  const std::string cmd = fmt::format(
      "timeout 60 {} --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync --user-data-dir={} --dump-dom "
      "'file://{}{}' 2>{}",
      kChromium, (dir / "profile").string(), (dir / "report.html").string(), fragment, (dir / "stderr.txt").string());
  const CommandResult r = run_command(cmd);
  Rendered out{r.status, r.out, ""};
  std::ifstream log(dir / "stderr.txt");
  out.log.assign(std::istreambuf_iterator<char>(log), {});
  fs::remove_all(dir);
  return out;
}

std::string body_attribute(const std::string& dom, const std::string& name) {
  const std::regex re("<body[^>]*\\s" + name + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(dom, m, re) ? m[1].str() : "(missing)";
}

class HtmlInChromium : public ::testing::TestWithParam<Spec> {
 protected:
  void SetUp() override {
    if (!fs::exists(kChromium))
      GTEST_SKIP() << kChromium << " not found: run scripts/setup.sh --test-deps (installs Debian's chromium; CI does)";
  }
};

TEST_P(HtmlInChromium, RendersEveryPlottedOpAndSorts) {
  const ModelProfile p = make_profile(GetParam());
  MachineProfile m;
  m.cpu.identity.model_name = "Synthetic CPU";
  const Rendered r = render(html_report(p, m) + kClickSort, GetParam().name);
  ASSERT_EQ(r.status, 0) << "chromium failed; its stderr:\n" << r.log;
  const int plotted = expected_plotted(p);
  ASSERT_GT(plotted, 0);
  EXPECT_EQ(body_attribute(r.dom, "data-rendered-points"), std::to_string(plotted)) << r.log;
  std::size_t circles = 0;
  for (std::size_t at = r.dom.find("<circle class=\"op\""); at != std::string::npos;
       at = r.dom.find("<circle class=\"op\"", at + 1))
    ++circles;
  EXPECT_EQ(circles, static_cast<std::size_t>(plotted));
  const auto slowest = std::max_element(p.ops.begin(), p.ops.end(), [](const OpProfile& a, const OpProfile& b) {
    return a.t_actual_s.median < b.t_actual_s.median;
  });
  EXPECT_EQ(body_attribute(r.dom, "data-test-first-row"), xml_escape(slowest->name));
}

/// Attribute maps of the <li data-check=...> items of the page's #selftest list, by check name.
std::map<std::string, std::map<std::string, std::string>> selftest_checks(const std::string& dom) {
  static const std::regex item(R"re(<li ([^>]*data-check="[^"]*"[^>]*)>([^<]*)</li>)re");
  static const std::regex attr(R"re(([\w-]+)="([^"]*)")re");
  std::map<std::string, std::map<std::string, std::string>> out;
  for (std::sregex_iterator it(dom.begin(), dom.end(), item), end; it != end; ++it) {
    std::map<std::string, std::string> a;
    const std::string attrs = (*it)[1];
    for (std::sregex_iterator m(attrs.begin(), attrs.end(), attr); m != end; ++m) a[(*m)[1]] = (*m)[2];
    a["text"] = (*it)[2];
    out[a["data-check"]] = a;
  }
  return out;
}

TEST_P(HtmlInChromium, SelftestFiltersLinksTogglesAndGroups) {
  const ModelProfile p = make_profile(GetParam());
  const Rendered r = render(html_report(p, MachineProfile{}), std::string(GetParam().name) + "_selftest", "#selftest");
  ASSERT_EQ(r.status, 0) << "chromium failed; its stderr:\n" << r.log;
  EXPECT_EQ(body_attribute(r.dom, "data-selftest"), "passed") << r.log;
  const auto checks = selftest_checks(r.dom);
  for (const char* name : {"counts", "compact-default", "filter", "filter-cleared", "dot-to-row", "row-to-dot",
                           "column-toggle", "group-by", "group-filter"}) {
    ASSERT_EQ(checks.count(name), 1u) << name << " missing from the selftest";
    EXPECT_EQ(checks.at(name).at("data-pass"), "1") << checks.at(name).at("text");
  }
  // The page's counts against this side's: rows = ops, dots = plotted ops, the filter's kind.
  EXPECT_EQ(checks.at("counts").at("data-rows"), std::to_string(p.ops.size()));
  EXPECT_EQ(checks.at("counts").at("data-dots"), std::to_string(expected_plotted(p)));
  const std::string kind = checks.at("filter").at("data-kind");
  std::size_t of_kind = 0, dots_of_kind = 0;
  for (const OpProfile& op : p.ops) {
    const bool match = op_kind_name(op.kind) == kind;
    of_kind += match;
    dots_of_kind += match && roofline_plottable(op);
  }
  EXPECT_EQ(checks.at("filter").at("data-rows-shown"), std::to_string(of_kind));
  EXPECT_EQ(checks.at("filter").at("data-dots-shown"), std::to_string(dots_of_kind));
  EXPECT_EQ(checks.at("group-by").at("data-groups"), std::to_string(diagnose(p).by_impl.size()));
  std::vector<std::size_t> order(p.ops.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const std::vector<Column> cols = profile_table(p, order, true).columns();
  const auto compact = std::count_if(cols.begin(), cols.end(), [](const Column& c) { return c.compact; });
  EXPECT_EQ(checks.at("compact-default").at("data-columns-shown"),
            std::to_string(compact > 0 ? compact : static_cast<long>(cols.size())));
}

INSTANTIATE_TEST_SUITE_P(Profiles, HtmlInChromium,
                         ::testing::Values(Spec{"full"}, Spec{"no_caches_many_ops", true, false, 60, 4}),
                         [](const ::testing::TestParamInfo<Spec>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace rs::test_outputs
