// The one reporter front: every document renders what its writer functions give, in the formats it lists, and
// names them when asked for another; machine-readable forms carry seconds (or name their unit in every key).
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "profiler/report/chrome_trace.h"
#include "profiler/report/html_report.h"
#include "profiler/report/machine_report.h"
#include "profiler/report/profile_report.h"
#include "profiler/report/roofline_svg.h"
#include "profiler/report/run_report.h"
#include "tests/profiler/report/test_outputs_fixture.h"

namespace rs {
namespace {

std::string message_of(const Reporter& r, Format f) {
  try {
    r.render(f);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

/// Every key of `j` (objects nested in objects and arrays), for the unit check.
void keys(const nlohmann::json& j, std::vector<std::string>& out) {
  if (j.is_object())
    for (const auto& [k, v] : j.items()) {
      out.push_back(k);
      keys(v, out);
    }
  if (j.is_array())
    for (const auto& v : j) keys(v, out);
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

TEST(Reporter, FormatNamesRoundTrip) {
  for (Format f : {Format::Table, Format::Csv, Format::Json, Format::Md, Format::Svg, Format::Html, Format::Trace})
    EXPECT_EQ(parse_format(format_name(f)), f);
  EXPECT_THROW(parse_format("xml"), std::invalid_argument);
}

TEST(Reporter, ProfileRendersWhatItsWritersGive) {
  const ModelProfile p = test_outputs::make_profile({"plain"});
  const MachineProfile m;
  const std::vector<std::size_t> order = profile_order(p, ProfileSort::Time, 0);
  const ProfileReporter r(p, m, order);
  EXPECT_EQ(r.formats().size(), 7u);
  const std::string table = r.render(Format::Table);
  EXPECT_EQ(table.rfind(wrap_lines(profile_summary(p, m), static_cast<std::size_t>(terminal_width()), 11), 0), 0u);
  EXPECT_NE(table.find(profile_table(p, order, false).render(Format::Table)), std::string::npos) << table;
  EXPECT_EQ(r.render(Format::Csv), profile_table(p, order, true).render(Format::Csv));
  EXPECT_NE(r.render(Format::Md).find(profile_table(p, order, true).render(Format::Md)), std::string::npos);
  EXPECT_EQ(r.render(Format::Json), profile_json(p, order).dump(2) + "\n");
  EXPECT_EQ(r.render(Format::Svg), roofline_svg(p));
  EXPECT_EQ(r.render(Format::Html), html_report(p, m));
  EXPECT_EQ(r.render(Format::Trace), chrome_trace(p).dump() + "\n");
  std::vector<std::string> all;
  keys(nlohmann::json::parse(r.render(Format::Json)), all);
  for (const std::string& k : all) EXPECT_FALSE(ends_with(k, "_ms") || ends_with(k, "_us")) << k;
}

TEST(Reporter, UnsupportedFormatsNameTheSupportedOnes) {
  const Table t(std::vector<Column>{{"a", "a"}});
  EXPECT_EQ(message_of(t, Format::Svg), "a table cannot be rendered as svg (supported: table, csv, json, md)");
  const MachineProfile m;
  EXPECT_EQ(message_of(MachineReporter(m), Format::Csv),
            "a machine profile cannot be rendered as csv (supported: table, json)");
  const RunResult run;
  EXPECT_EQ(message_of(RunReporter(run), Format::Html), "a run cannot be rendered as html (supported: table, json)");
}

TEST(Reporter, SecondsColumnsAreSecondsInCsvAndJsonWithTheirUnitInTables) {
  Table t({{"name", "name"}, {"time_median_s", "median", ColumnKind::Seconds, 3}});
  t.add_row({std::string("x"), 0.0012345});
  EXPECT_EQ(t.render(Format::Csv), "name,time_median_s\nx,0.0012345\n");
  EXPECT_DOUBLE_EQ(t.to_json()["rows"][0]["time_median_s"].get<double>(), 0.0012345);
  EXPECT_NE(t.render(Format::Table).find("1.23 ms"), std::string::npos) << t.render(Format::Table);
  EXPECT_NE(t.render(Format::Md).find("1.23 ms"), std::string::npos);
}

TEST(Reporter, ProfileJsonHasShapeArraysAndRatesInBaseUnits) {
  ModelProfile p = test_outputs::make_profile({"plain"});
  p.ops[0].src_dims = {{1, 3, 224, 224}};
  p.ops[0].dst_dims = {1, 64, 112, 112};
  const nlohmann::json j = profile_json(p, profile_order(p, ProfileSort::Time, 0));
  EXPECT_EQ(j["schema_version"], 3);
  const nlohmann::json* conv1 = nullptr;
  for (const auto& op : j["ops"])
    if (op["name"] == "conv1") conv1 = &op;
  ASSERT_NE(conv1, nullptr);
  EXPECT_EQ((*conv1)["dst_shape"], nlohmann::json::array({1, 64, 112, 112}));
  EXPECT_EQ((*conv1)["src_shapes"], nlohmann::json::parse("[[1, 3, 224, 224]]"));
  EXPECT_TRUE((*conv1)["weights_shape"].is_null());
  EXPECT_NEAR((*conv1)["attained_flop_per_s"].get<double>(), p.ops[0].attained_gflops_per_s * 1e9, 1);
}

RunResult two_step_run() {
  RunResult r;
  r.model = "m";
  r.input_dims = {2, 3, 8, 8};
  r.warmup = 1;
  r.per_op = true;
  r.steps.resize(2);
  r.steps[0].name = "conv";
  r.steps[0].kind = OpKind::Conv;
  r.steps[0].cost.flops = 1000000;
  r.steps[0].choice.runner_up = "gemm";
  r.steps[0].choice.runner_up_time_s = 0.004;
  r.steps[1].name = "reorder:x";
  r.e2e_s = {0.003, 0.002, 0.004};
  r.step_s = {{0.001, 0.001, 0.002}, {0.0005, 0.0005, 0.0005}};
  r.overhead_s = {0.0015, 0.0005, 0.0015};
  r.topk = {{{7, 2.5f, 0.75f}}};
  r.output_name = "logits";
  return r;
}

TEST(Reporter, RunJsonIsInSeconds) {
  const RunResult r = two_step_run();
  const auto j = nlohmann::json::parse(RunReporter(r).render(Format::Json));
  EXPECT_DOUBLE_EQ(j.at("latency_median_s").get<double>(), 0.003);
  EXPECT_DOUBLE_EQ(j.at("latency_min_s").get<double>(), 0.002);
  EXPECT_EQ(j.at("latency_runs_s").size(), 3u);
  EXPECT_EQ(j.at("iters").get<int>(), 3);
  EXPECT_DOUBLE_EQ(j.at("executor_overhead_median_s").get<double>(), 0.0015);
  EXPECT_DOUBLE_EQ(j.at("throughput_images_per_s").get<double>(), 2 / 0.003);
  ASSERT_EQ(j.at("ops").size(), 2u);
  EXPECT_DOUBLE_EQ(j["ops"][0].at("time_median_s").get<double>(), 0.001);
  EXPECT_EQ(j["ops"][0].at("runner_up"), "gemm");
  EXPECT_DOUBLE_EQ(j["ops"][0].at("runner_up_time_s").get<double>(), 0.004);
  EXPECT_TRUE(j["ops"][1].at("runner_up_time_s").is_null());
  EXPECT_EQ(j["topk"][0][0].at("class"), 7);
  std::vector<std::string> all;
  keys(j, all);
  for (const std::string& k : all) EXPECT_FALSE(ends_with(k, "_ms") || ends_with(k, "_us")) << k;
}

TEST(Reporter, RunTableShowsUnits) {
  const RunResult run = two_step_run();
  RunReporter r(run);
  TableView wide;
  wide.width = 200;
  r.set_view(wide);
  const std::string text = r.render(Format::Table);
  EXPECT_NE(text.find("latency     median 3.000 ms, p90 3.800 ms, min 2.000 ms"), std::string::npos) << text;
  EXPECT_NE(text.find("(3 runs after 1 warm-up, per-op timestamps on)"), std::string::npos) << text;
  EXPECT_NE(text.find("1 GFLOP/s"), std::string::npos) << text;  // 1e6 FLOP in 1 ms
  EXPECT_NE(text.find("sum of op medians"), std::string::npos) << text;
  EXPECT_NE(text.find("median 1.50 ms per run"), std::string::npos) << text;
  EXPECT_NE(text.find("top-1 of output 'logits', image 0:"), std::string::npos) << text;
}

}  // namespace
}  // namespace rs
