// `run|profile --batch 1,2 --threads 1,2`: one row per configuration, a chart with a marker series per
// configuration, and the flags a sweep cannot honour refused.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/run_command.h"

namespace {

using nlohmann::json;

rs::test::CommandResult roofscope(const std::string& args, const char* err = "2>/dev/null") {
  return rs::test::run_command(std::string(ROOFSCOPE_EXE) + " " + args + " " + err);
}

const std::string kSmall = "squeezenet1_1 --size 32 --iters 2 --warmup 0 --tune off";

TEST(Sweep, RunGivesOneRowPerConfigurationBatchMajor) {
  const rs::test::CommandResult r = roofscope("run " + kSmall + " --batch 1,3 --threads 1 --format json");
  ASSERT_EQ(r.status, 0) << r.out;
  const json j = json::parse(r.out);
  ASSERT_EQ(j["rows"].size(), 2u) << r.out;
  EXPECT_EQ(j["rows"][0]["batch"], 1);
  EXPECT_EQ(j["rows"][1]["batch"], 3);
  for (const json& row : j["rows"]) {
    EXPECT_EQ(row["threads"], 1);
    const double median_s = row["latency_median_s"].get<double>();
    ASSERT_GT(median_s, 0);
    EXPECT_NEAR(row["throughput_images_per_s"].get<double>(), row["batch"].get<double>() / median_s, 1e-6 / median_s);
  }
  EXPECT_GT(j["rows"][1]["arena_bytes"].get<double>(), j["rows"][0]["arena_bytes"].get<double>());  // 3 images
  EXPECT_TRUE(j.contains("provenance"));
}

TEST(Sweep, ProfileWritesOneChartWithASeriesPerConfiguration) {
  char dir[] = "/tmp/roofscope-sweep-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string svg = std::string(dir) + "/s.svg";
  const rs::test::CommandResult r =
      roofscope("profile " + kSmall + " --no-ab --batch 1,2 --threads 1 --format csv --plot " + svg);
  ASSERT_EQ(r.status, 0) << r.out;
  std::istringstream lines(r.out);
  std::string header, line;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("batch,threads,latency_median_s", 0), 0u) << header;
  int rows = 0;
  while (std::getline(lines, line)) ++rows;
  EXPECT_EQ(rows, 2) << r.out;
  std::ifstream in(svg);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("data-series=\"batch 1, 1 thread\""), std::string::npos);
  EXPECT_NE(text.find("data-series=\"batch 2, 1 thread\""), std::string::npos);
  EXPECT_EQ(rs::test::run_command("xmllint --noout " + svg + " 2>&1").status, 0);
  rs::test::run_command(std::string("rm -rf ") + dir);
}

TEST(Sweep, FlagsThatShowOneRunAreRefusedBeforeAnyWork) {
  for (const char* args : {"run squeezenet1_1 --batch 1,2 --per-op", "run squeezenet1_1 --threads 1,1 --topk 3",
                           "profile squeezenet1_1 --batch 1,2 --html /tmp/roofscope-never.html",
                           "run squeezenet1_1 --batch 1,0", "info squeezenet1_1 --batch 1,2"}) {
    const rs::test::CommandResult r = roofscope(args, "2>&1");
    EXPECT_EQ(r.status, 1) << args << ": " << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n') <= 2, true) << args << ": " << r.out;
  }
  EXPECT_NE(access("/tmp/roofscope-never.html", F_OK), 0);
}

}  // namespace
