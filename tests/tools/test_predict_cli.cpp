// `roofscope predict` end to end in a temporary cache folder: a quick --train (it quick-calibrates first), then
// predict in every format, the uncovered and corrupt-cache paths, and --evaluate over the rows it wrote.
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/run_command.h"

namespace {

/// One temporary cache folder for the whole test (one process: ctest runs each TEST in its own).
struct Cache {
  std::string dir =
      (std::filesystem::temp_directory_path() / ("rs-predict-cli-" + std::to_string(::getpid()))).string();
  Cache() { std::filesystem::create_directories(dir); }
  ~Cache() { std::filesystem::remove_all(dir); }
  rs::test::CommandResult run(const std::string& args, bool with_stderr = true) const {
    return rs::test::run_command("XDG_CACHE_HOME=" + dir + " " + ROOFSCOPE_EXE + " " + args +
                                 (with_stderr ? " 2>&1" : " 2>/dev/null"));
  }
  std::string latency_file() const {
    for (const auto& e : std::filesystem::directory_iterator(dir + "/roofscope"))
      if (e.path().filename().string().rfind("latency-", 0) == 0) return e.path().string();
    return "";
  }
};

void predicts_per_op_and_total(const Cache& c) {
  const auto r = c.run("predict resnet18 --threads 1 --size 64 --format json", false);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["summary"]["predicted_latency_s"].get<double>(), 0);
  EXPECT_GT(j["summary"]["predict_time_s"].get<double>(), 0);
  ASSERT_FALSE(j["rows"].empty());
  double sum = 0;
  for (const auto& row : j["rows"]) {
    EXPECT_GT(row["t_predicted_s"].get<double>(), 0);
    sum += row["t_predicted_s"].get<double>();
  }
  EXPECT_NEAR(sum, j["summary"]["op_sum_s"].get<double>(), 1e-9);
  EXPECT_NEAR(sum * j["summary"]["e2e_scale"].get<double>() + j["summary"]["e2e_overhead_s"].get<double>(),
              j["summary"]["predicted_latency_s"].get<double>(), 1e-9);
  EXPECT_GT(j["summary"]["clock_ghz"].get<double>(), 0.3);  // measured now
  EXPECT_TRUE(j["summary"]["clock_measured"].get<bool>());
  const auto table = c.run("predict resnet18 --threads 1 --size 64");
  EXPECT_NE(table.out.find("predicted in"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("GHz (the effective clock measured now)"), std::string::npos) << table.out;
  const auto at = nlohmann::json::parse(c.run("predict resnet18 --threads 1 --size 64 --clock-ghz 2.5 --format json",
                                              false).out);
  EXPECT_EQ(at["summary"]["clock_ghz"].get<double>(), 2.5);
  EXPECT_FALSE(at["summary"]["clock_measured"].get<bool>());
  EXPECT_EQ(c.run("predict resnet18 --threads 1 --size 64 --format csv", false).out.rfind("name,op,covered", 0), 0u);
}

/// The quick set (resnet18, mobilenet_v2, ResNet/MobileNet-v2 variants) has no standalone Mul: mobilenet_v3_small's
/// squeeze-excitation Mul is uncovered, predicted as its roofline floor, never 0.
void reports_uncovered_ops(const Cache& c) {
  const auto r = c.run("predict mobilenet_v3_small --threads 1 --size 64 --format json", false);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  int uncovered = 0;
  for (const auto& row : j["rows"]) {
    EXPECT_GT(row["t_predicted_s"].get<double>(), 0);
    if (row["covered"] != "yes") {
      ++uncovered;
      EXPECT_DOUBLE_EQ(row["t_predicted_s"].get<double>(), std::max(1e-7, row["t_roof_cache_s"].get<double>()));
    }
  }
  EXPECT_EQ(uncovered, j["summary"]["uncovered_ops"].get<int>());
  EXPECT_GT(uncovered, 0);
}

void corrupt_cache_is_one_clear_error(const Cache& c) {
  auto r = c.run("predict resnet18 --threads 1 --predictor nope");
  EXPECT_EQ(r.status, 1) << r.out;
  r = c.run("predict");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("roofscope: error: predict needs a MODEL"), std::string::npos) << r.out;
  const std::string f = c.latency_file();
  std::ifstream in(f);
  const std::string saved((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(f) << saved.substr(0, saved.size() / 2);
  r = c.run("predict resnet18 --threads 1");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("roofscope: error: latency model"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("run `roofscope predict --train`"), std::string::npos) << r.out;
}

TEST(PredictCli, QuickTrainThenPredictEvaluateAndACorruptCache) {
  const Cache c;
  const auto t = c.run("predict --train --quick --threads 1 --passes 2 --refine 2 --rows-out " + c.dir + "/rows.json");
  ASSERT_EQ(t.status, 0) << t.out;
  EXPECT_NE(t.out.find("roofscope: train [1/"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("pass 2/2"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("roofscope: refine: "), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("medians of 2 pass(es), 2 refinement variants"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find(" min ("), std::string::npos) << t.out;
  ASSERT_FALSE(c.latency_file().empty());
  predicts_per_op_and_total(c);
  reports_uncovered_ops(c);
  const auto e = c.run("predict --evaluate " + c.dir + "/rows.json --folds 2 --format csv", false);
  ASSERT_EQ(e.status, 0) << e.out;
  for (const char* p : {"flops,", "roofline,", "roofline-eff,", "xgboost,"}) EXPECT_NE(e.out.find(p), std::string::npos);
  corrupt_cache_is_one_clear_error(c);
  for (const auto& [flags, says] : std::vector<std::pair<std::string, std::string>>{
           {"--variants 5", "--variants needs --train"},
           {"resnet18 --folds 2", "--folds needs --evaluate"},
           {"--train --from-rows " + c.dir + "/rows.json --passes 2", "--passes does nothing with --from-rows"}}) {
    const auto r = c.run("predict " + flags);
    EXPECT_EQ(r.status, 1) << flags;
    EXPECT_NE(r.out.find(says), std::string::npos) << flags << ": " << r.out;
  }
}

}  // namespace
