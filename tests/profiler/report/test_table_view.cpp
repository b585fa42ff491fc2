// Terminal tables that fit: the compact column set, --columns, --wide, $COLUMNS, names cut from the middle; units
// in every cell (format_value); and every command's terminal output within 100 (or $COLUMNS) display columns.
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "profiler/report/machine_report.h"
#include "profiler/report/profile_report.h"
#include "profiler/report/report.h"
#include "profiler/report/run_report.h"
#include "tests/profiler/report/test_outputs_fixture.h"

namespace rs {
namespace {

/// Sets $COLUMNS (nullptr: unsets it) for one scope.
class ColumnsEnv {
 public:
  explicit ColumnsEnv(const char* value) {
    if (const char* old = std::getenv("COLUMNS")) old_ = old;
    had_ = std::getenv("COLUMNS") != nullptr;
    value ? setenv("COLUMNS", value, 1) : unsetenv("COLUMNS");
  }
  ~ColumnsEnv() { had_ ? setenv("COLUMNS", old_.c_str(), 1) : unsetenv("COLUMNS"); }

 private:
  std::string old_;
  bool had_ = false;
};

using test_outputs::widest_line;

/// `render()` fits 100 display columns with $COLUMNS unset, and 80 with COLUMNS=80.
void expect_fits(const std::function<std::string()>& render) {
  {
    const ColumnsEnv env(nullptr);
    EXPECT_LE(widest_line(render()), 100u) << render();
  }
  const ColumnsEnv env("80");
  EXPECT_LE(widest_line(render()), 80u) << render();
}

const char* const kLongName = "/model/backbone/features.12/conv/conv.2/Conv_output_0_quantized_and_renamed_by_exporter";

Table sample() {
  Column name{"name", "name"};
  name.compact = true;
  Column t{"time_median_s", "median", ColumnKind::Seconds};
  t.compact = true;
  Table table({name, {"impl", "impl"}, t, {"rate_flop_per_s", "attained", ColumnKind::FlopPerS}});
  table.add_row({std::string(kLongName), std::string("brgconv:avx512_core"), 12.3e-6, 10.2e9});
  table.add_row({std::string("fc"), std::string("gemm:jit"), 450e-6, 1e9});
  return table;
}

TEST(TableView, FormatValueHasOneFormPerKind) {
  EXPECT_EQ(format_value(ColumnKind::Seconds, 12.3e-3, 3), "12.3 ms");
  EXPECT_EQ(format_value(ColumnKind::FlopPerS, 10.2e9, 1), "10.2 GFLOP/s");
  EXPECT_EQ(format_value(ColumnKind::BytesPerS, 24.7e9, 1), "24.7 GB/s");
  EXPECT_EQ(format_value(ColumnKind::Flops, 3.63e9, 0), "3.63 GFLOP");
  EXPECT_EQ(format_value(ColumnKind::FlopPerByte, 12.3, 0), "12.3 FLOP/B");
  EXPECT_EQ(format_value(ColumnKind::Bytes, 16384, 0), "16 KiB");
  EXPECT_EQ(format_value(ColumnKind::Count, 1.81e9, 0), "1.81G");
  EXPECT_EQ(format_value(ColumnKind::Real, 0.5, 2), "0.50");
  EXPECT_EQ(format_value(ColumnKind::Seconds, std::nan(""), 3), "n/a");
}

TEST(TableView, CompactByDefaultWideShowsAll) {
  const ColumnsEnv env(nullptr);
  Table t = sample();
  const std::string compact = t.render(Format::Table);
  EXPECT_EQ(compact.find("attained"), std::string::npos) << compact;
  EXPECT_NE(compact.find("12.3 µs"), std::string::npos) << compact;
  EXPECT_NE(compact.find(kLongName), std::string::npos) << compact;  // fits 100: not cut
  TableView wide;
  wide.wide = true;
  t.set_view(wide);
  EXPECT_NE(t.render(Format::Table).find("10.2 GFLOP/s"), std::string::npos);
  EXPECT_NE(t.render(Format::Md).find("attained |"), std::string::npos);  // Markdown: every column
}

TEST(TableView, NamesAreCutFromTheMiddleToFit) {
  Table t = sample();
  TableView narrow;
  narrow.width = 40;
  t.set_view(narrow);
  const std::string text = t.render(Format::Table);
  EXPECT_LE(widest_line(text), 40u) << text;
  EXPECT_NE(text.find("/model/backbone…"), std::string::npos) << text;  // the head and the tail stay
  EXPECT_NE(text.find("…"), std::string::npos) << text;
  EXPECT_NE(text.find("by_exporter"), std::string::npos) << text;
  EXPECT_NE(t.render(Format::Csv).find(kLongName), std::string::npos);  // full names in CSV and JSON
  EXPECT_EQ(t.to_json()["rows"][0]["name"], kLongName);
}

TEST(TableView, ColumnsPicksByKeyAndNamesTheValidOnes) {
  Table t = sample();
  TableView pick;
  pick.columns = {"rate_flop_per_s", "name"};
  t.set_view(pick);
  const std::string text = t.render(Format::Table);
  EXPECT_EQ(text.rfind("    attained  name", 0), 0u) << text;
  pick.columns = {"nope"};
  t.set_view(pick);
  try {
    t.render(Format::Table);
    ADD_FAILURE() << "no error for an unknown column";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "unknown column 'nope' (the columns: name, impl, time_median_s, rate_flop_per_s)");
  }
  EXPECT_THROW(check_column_keys(sample().columns(), {"name", "nope"}), std::invalid_argument);
}

TEST(TableView, MarkdownNamesUnitsNeverZeroes) {
  const std::string md = sample().render(Format::Md);
  EXPECT_EQ(md.find("0.000"), std::string::npos) << md;
  EXPECT_NE(md.find("12.3 µs"), std::string::npos) << md;
  EXPECT_NE(md.find("450 µs"), std::string::npos) << md;
}

TEST(TableView, TerminalWidthFollowsColumns) {
  {
    const ColumnsEnv env("80");
    EXPECT_EQ(terminal_width(), 80);
  }
  for (const char* bad : {"", "abc", "10", "100000", "80x"}) {
    const ColumnsEnv env(bad);
    EXPECT_EQ(terminal_width(), 100) << bad;
  }
  const ColumnsEnv env(nullptr);
  EXPECT_EQ(terminal_width(), 100);
}

TEST(TableView, TextHelpersCountCodePoints) {
  EXPECT_EQ(display_width("450 µs"), 6u);
  EXPECT_EQ(shorten_middle("features.1.conv.0", 9), "feat…nv.0");
  EXPECT_EQ(shorten_middle("short", 9), "short");
  EXPECT_EQ(display_width(shorten_middle("µµµµµµµµµµµµ", 5)), 5u);
  EXPECT_EQ(wrap_lines("label  one two three four\nshort\n", 17, 7), "label  one two\n       three four\nshort\n");
  EXPECT_EQ(wrap_lines("averyveryverylongword tail", 10, 2), "averyveryverylongword\n  tail");
}

/// Every terminal output within the width: the profile (summary, diagnosis, op table) with a long ONNX name.
TEST(TableView, ProfileFits100And80Columns) {
  ModelProfile p = test_outputs::make_profile({"many", true, true, 40});
  p.ops[3].name = kLongName;
  p.ops[3].impl = "brgconv_1x1_with_a_long_suffix:avx512_core_amx";
  const MachineProfile m;
  const ProfileReporter r(p, m, profile_order(p, ProfileSort::Time, 0));
  expect_fits([&] { return r.render(Format::Table); });
}

RunResult long_run() {
  RunResult r;
  r.model = "/models/exported/mobilenet_v2_opset17.onnx";
  r.input_dims = {1, 3, 224, 224};
  r.per_op = true;
  r.steps.resize(2);
  r.steps[0].name = kLongName;
  r.steps[0].label = "Conv 3x3/s2 +BN +ReLU6";
  r.steps[0].impl = "brgconv:avx512_core";
  r.steps[0].cost.flops = 1000000;
  r.steps[1].name = "reorder:x";
  r.e2e_s = {0.003, 0.002, 0.004};
  r.step_s = {{0.001, 0.001, 0.002}, {0.0005, 0.0005, 0.0005}};
  r.overhead_s = {0.0015, 0.0005, 0.0015};
  return r;
}

TEST(TableView, RunPerOpFits100And80Columns) {
  const RunResult run = long_run();
  const RunReporter r(run);
  expect_fits([&] { return r.render(Format::Table); });
}

MachineProfile two_core_machine() {
  MachineProfile p;
  p.created_utc = "2026-01-01T00:00:00Z";
  p.cpu.identity = {"GenuineIntel", "Intel(R) Xeon(R) Processor @ 2.10GHz with a long model name", 6, 0x55, 7, {}};
  p.cpu.physical_cores = p.cpu.logical_cpus = 2;
  p.cpu.caches = {{1, 49152, 1}, {2, 2097152, 1}, {3, 110100480, 2}};
  p.theoretical.frequency_ghz = 2.1;
  p.theoretical.frequency_source = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq (turbo maximum)";
  p.theoretical.fp_units = {"Sapphire Rapids", 2, 512, false, "Intel optimization manual, table 2-2"};
  p.theoretical.fp32_flops_per_cycle_per_core = 64;
  p.theoretical.peak_gflops_per_s = {134.4, 268.8};
  const char* detail = "3x3 conv 64->64 on 56x56, batch 2, brgconv:avx512_core, nhwc, best of 5 runs of 7";
  p.measured.peaks = {{1, "avx512_fma", {120.0, 0.02, 3}, ""}, {2, "avx512_fma", {230.0, 0.03, 3}, ""},
                      {2, "onednn_conv3x3", {210.0, 0.05, 3}, detail}};
  p.measured.bandwidth = {{"L1", 1, 16384, 49152, true, {{"triad", {180.0, 0.03, 3}}, {"read", {200.0, 0.01, 3}}}},
                          {"DRAM", 2, 268435456, 536870912, false, {{"triad", {25.0, 0.04, 3}}}}};
  p.warnings = {"the measured FP32 peak at 2 threads is 86% of the theoretical one at the turbo maximum: the clock "
                "under an AVX-512 load is lower than the turbo maximum the OS reports"};
  return p;
}

TEST(TableView, MachineTableFits100And80Columns) {
  const MachineProfile m = two_core_machine();
  expect_fits([&] { return format_machine_table(m); });
}

}  // namespace
}  // namespace rs
