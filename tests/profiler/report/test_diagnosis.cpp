// The diagnosis block on a hand-built profile with a known pattern: four convs on the gemm fallback, one on brgconv,
// two reorders, one memory-bound add far below its cache roof, a noisy end-to-end time. No measurement.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "profiler/machine/machine_profile.h"
#include "profiler/report/diagnosis.h"
#include "profiler/report/profile_report.h"
#include "profiler/report/report.h"
#include "tests/profiler/report/test_outputs_fixture.h"

namespace rs {
namespace {

OpProfile op(const char* name, OpKind kind, const char* impl, double t_s, double roof_s) {
  OpProfile o;
  o.name = name;
  o.kind = kind;
  o.label = op_kind_name(kind);
  o.impl = impl;
  o.t_actual_s.median = t_s;
  o.t_actual_s.n = 30;
  o.t_roof_theoretical_s = roof_s;
  o.t_roof_measured_s = roof_s;
  o.t_roof_cache_s = roof_s;
  o.bound = "compute";
  o.cache_level = "L3";
  o.efficiency_cache = roof_s / t_s;
  o.loss_os_s = 0;
  return o;
}

/// 20 ms of op time: 13 ms on gemm:jit convs (10 ms above their roofs), 4 ms brgconv, 2 ms of reorders, 1 ms of a
/// memory-bound add at a quarter of its L2 roof; end-to-end CV 5% of 21 ms (1.05 ms "concerned").
ModelProfile pattern() {
  ModelProfile p;
  p.model = "pattern";
  p.input_dims = {1, 3, 224, 224};
  p.ops = {op("features.1.conv.0", OpKind::Conv, "gemm:jit", 6e-3, 1e-3),
           op("features.0.conv", OpKind::Conv, "brgconv:avx512_core", 4e-3, 3e-3),
           op("features.2.conv.1", OpKind::Conv, "gemm:jit", 4e-3, 1e-3),
           op("features.3.conv.0", OpKind::Conv, "gemm:jit", 2e-3, 0.5e-3),
           op("features.4.conv.0", OpKind::Conv, "gemm:jit", 1e-3, 0.5e-3),
           op("reorder.a", OpKind::Reorder, "simple:any", 1e-3, 0.5e-3),
           op("reorder.<b>", OpKind::Reorder, "simple:any", 1e-3, 0.5e-3),
           op("features.5.add", OpKind::Binary, "jit:uni", 1e-3, 0.25e-3)};
  p.ops.back().bound = "memory";
  p.ops.back().cache_level = "L2";
  p.e2e_s.median = 21e-3;
  p.e2e_s.cv = 0.05;
  p.e2e_s.n = 30;
  return p;
}

TEST(Diagnosis, FindsTheFallbackKernelsFirst) {
  const Diagnosis d = diagnose(pattern());
  EXPECT_NEAR(d.op_time_s, 20e-3, 1e-12);
  ASSERT_EQ(d.findings.size(), 4u);
  EXPECT_EQ(d.findings[0].kind, "fallback");
  EXPECT_EQ(d.findings[0].text,
            "4 ops run on fallback kernels (gemm:jit x4): 65.0% of op time (13 ms), 10 ms above their roofs: "
            "features.1.conv.0, features.2.conv.1, features.3.conv.0 and 1 more");
  EXPECT_EQ(d.findings[0].ops.size(), 4u);
  EXPECT_NEAR(d.findings[0].time_s, 13e-3, 1e-12);
}

TEST(Diagnosis, RanksReordersNoiseAndMemoryBoundByTheTimeTheyConcern) {
  const Diagnosis d = diagnose(pattern());
  ASSERT_EQ(d.findings.size(), 4u);
  EXPECT_EQ(d.findings[1].text,
            "2 reorders (layout conversions between kernels) take 10.0% of op time (2 ms): reorder.a, reorder.<b>");
  EXPECT_EQ(d.findings[2].kind, "noise");  // 5% of 21 ms = 1.05 ms > the add's 1 ms
  EXPECT_NE(d.findings[2].text.find("CV 5.0% over 30 runs"), std::string::npos) << d.findings[2].text;
  EXPECT_EQ(d.findings[3].text,
            "1 memory-bound op runs below half of the cache-level roof (L2 x1): 5.0% of op time (1 ms), 750 µs "
            "above that roof: features.5.add");
  EXPECT_EQ(d.reorders, 2);
  EXPECT_NEAR(d.reorder_share, 0.1, 1e-12);
}

TEST(Diagnosis, GroupsByKindAndImplementation) {
  const Diagnosis d = diagnose(pattern());
  ASSERT_EQ(d.by_kind.size(), 3u);
  EXPECT_EQ(d.by_kind[0].key, "Conv");
  EXPECT_EQ(d.by_kind[0].ops, 5);
  EXPECT_NEAR(d.by_kind[0].share, 0.85, 1e-12);
  EXPECT_NEAR(d.by_kind[0].loss_s, 11e-3, 1e-12);  // 10 ms on gemm + 1 ms on brgconv
  ASSERT_EQ(d.by_impl.size(), 4u);
  EXPECT_EQ(d.by_impl[0].key, "gemm:jit");
  EXPECT_EQ(d.by_impl[0].ops, 4);
  EXPECT_EQ(d.by_impl[1].key, "brgconv:avx512_core");
  EXPECT_EQ(d.by_impl[2].key, "simple:any");
}

TEST(Diagnosis, ManyGroupsEndInOther) {
  ModelProfile p;
  for (int i = 0; i < 10; ++i) p.ops.push_back(op("x", OpKind::Conv, ("impl" + std::to_string(i)).c_str(), (i + 1) * 1e-3, 0));
  const Diagnosis d = diagnose(p);
  ASSERT_EQ(d.by_impl.size(), kMaxGroups);
  EXPECT_EQ(d.by_impl.back().key, "other");
  EXPECT_EQ(d.by_impl.back().ops, 5);
  EXPECT_NEAR(d.by_impl.back().time_s, 15e-3, 1e-12);  // 1 + 2 + 3 + 4 + 5 ms
}

TEST(Diagnosis, TextShowsTheTopThreeWithinTheWidth) {
  const std::string text = diagnosis_text(diagnose(pattern()), 80);
  EXPECT_EQ(text.rfind("diagnosis  1. 4 ops run on fallback kernels (gemm:jit x4): 65.0% of op time", 0), 0u) << text;
  EXPECT_NE(text.find("           2. 2 reorders"), std::string::npos) << text;
  EXPECT_NE(text.find("           3. the end-to-end time is noisy"), std::string::npos) << text;
  EXPECT_EQ(text.find("memory-bound op runs"), std::string::npos) << text;  // the 4th is not shown
  EXPECT_NE(text.find("reorders   2 reorder(s) take 2 ms (10.0% of op time 20 ms)"), std::string::npos) << text;
  EXPECT_LE(test_outputs::widest_line(text), 80u) << text;
}

TEST(Diagnosis, MarkdownJsonAndHtml) {
  const ModelProfile p = pattern();
  const std::string md = diagnosis_markdown(diagnose(p));
  EXPECT_EQ(md.rfind("## Diagnosis\n\n1. 4 ops run on fallback kernels", 0), 0u) << md;
  EXPECT_NE(md.find("| gemm:jit            |   4 | 13 ms |    65.0 |  10 ms |"), std::string::npos) << md;
  const nlohmann::json j = diagnosis_json(diagnose(p));
  ASSERT_EQ(j["findings"].size(), 4u);
  EXPECT_EQ(j["findings"][0]["kind"], "fallback");
  EXPECT_EQ(j["findings"][3]["ops"][0], "features.5.add");
  EXPECT_EQ(j["reorders"]["count"], 2);
  EXPECT_EQ(j["by_impl"][0]["key"], "gemm:jit");
  const std::string html = diagnosis_html(p);
  EXPECT_EQ(html.rfind("<section id=\"diagnosis\">", 0), 0u);
  EXPECT_NE(html.find("reorder.&lt;b&gt;"), std::string::npos) << html;
  EXPECT_EQ(html.find("reorder.<b>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<table"), std::string::npos) << html;  // the groups live in the page's group-by view
}

TEST(Diagnosis, IsInEveryProfileFormat) {
  const ModelProfile p = pattern();
  const MachineProfile m;
  const ProfileReporter r(p, m, profile_order(p, ProfileSort::Time, 0));
  EXPECT_NE(r.render(Format::Table).find("diagnosis  1. 4 ops run on fallback kernels"), std::string::npos);
  EXPECT_NE(r.render(Format::Md).find("## Diagnosis"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(r.render(Format::Json))["diagnosis"]["findings"][0]["kind"], "fallback");
  EXPECT_NE(r.render(Format::Html).find("<section id=\"diagnosis\">"), std::string::npos);
}

TEST(Diagnosis, FallbackKernels) {
  EXPECT_TRUE(is_fallback_kernel(op("c", OpKind::Conv, "gemm:jit", 1, 1)));
  EXPECT_TRUE(is_fallback_kernel(op("p", OpKind::MaxPool, "ref:any", 1, 1)));
  EXPECT_FALSE(is_fallback_kernel(op("fc", OpKind::FullyConnected, "gemm:jit", 1, 1)));  // gemm is an FC's own
  EXPECT_FALSE(is_fallback_kernel(op("c", OpKind::Conv, "brgconv:avx512_core", 1, 1)));
}

}  // namespace
}  // namespace rs
