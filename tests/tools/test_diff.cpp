// roofscope::diff and `roofscope diff`: synthetic profile/run JSON files with known deltas; the provenance every
// JSON output carries (api/provenance.h).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/provenance.h"
#include "roofscope/api.h"
#include "roofscope/version.h"
#include "tests/run_command.h"

namespace {

using nlohmann::json;

json op(const std::string& name, const std::string& kind, const std::string& impl, double time_s) {
  return {{"name", name}, {"op", kind}, {"impl", impl}, {"t_actual_median_s", time_s}};
}

json profile_doc(int threads, const std::string& hash, json ops, double median_s) {
  return {{"provenance", {{"version", "0.1.0"}, {"cpu", "X"}, {"machine_profile", {{"hash", hash}}}}},
          {"schema", "roofscope.profile"},
          {"model", "m"},
          {"input_dims", {1, 3, 8, 8}},
          {"threads", threads},
          {"e2e", {{"median_s", median_s}, {"p90_s", median_s}}},
          {"memory", {{"arena_bytes", 1024}}},
          {"ops", ops}};
}

class Diff : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  void SetUp() override {
    char tmpl[] = "/tmp/roofscope-diff-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { rs::test::run_command("rm -rf " + dir_); }
  std::string dir_;
};

TEST_F(Diff, MatchesOpsByNameWithDeltasAndOpsThatAppearOrVanish) {
  const std::string a = write("a.json", profile_doc(1, "h1", {op("c1", "Conv", "brg", 2e-3), op("p", "Pool", "x", 1e-3),
                                                              op("old", "Add", "y", 5e-4)}, 4e-3).dump());
  const std::string b = write("b.json", profile_doc(2, "h2", {op("c1", "Conv", "gemm", 3e-3), op("p", "Pool", "x", 1e-3),
                                                              op("new", "Relu", "z", 2e-4)}, 5e-3).dump());
  const json d = json::parse(roofscope::diff(a, b, {}, "json"));
  EXPECT_EQ(d["match"], "name");
  ASSERT_EQ(d["ops"].size(), 4u);
  EXPECT_EQ(d["ops"][0]["name"], "c1");  // largest |delta| first
  EXPECT_EQ(d["ops"][0]["change"], "impl");
  EXPECT_NEAR(d["ops"][0]["delta_s"].get<double>(), 1e-3, 1e-12);
  EXPECT_NEAR(d["ops"][0]["ratio"].get<double>(), 1.5, 1e-12);
  EXPECT_EQ(d["ops"][1]["change"], "gone");
  EXPECT_EQ(d["ops"][1]["name"], "old");
  EXPECT_EQ(d["ops"][2]["change"], "new");
  EXPECT_TRUE(d["ops"][2]["time_a_s"].is_null());
  const std::string differences = d["differences"].dump();
  EXPECT_NE(differences.find("threads: 1 vs 2"), std::string::npos) << differences;
  EXPECT_NE(differences.find("machine profile: h1 vs h2"), std::string::npos) << differences;
  ASSERT_EQ(d["summary"][0]["metric"], "latency_median_s");
  EXPECT_NEAR(d["summary"][0]["ratio"].get<double>(), 1.25, 1e-12);
  EXPECT_EQ(d["provenance"]["tool"], "roofscope");
}

TEST_F(Diff, ARenamedGraphMatchesByPositionAndCsvHoldsOnlyOpRows) {
  const std::string a = write("a.json", profile_doc(1, "h", {op("a0", "Conv", "i", 1e-3), op("a1", "Relu", "i", 1e-4)},
                                                    2e-3).dump());
  const std::string b = write("b.json", profile_doc(1, "h", {op("b0", "Conv", "i", 2e-3), op("b1", "Relu", "i", 1e-4)},
                                                    3e-3).dump());
  roofscope::DiffOptions o;
  o.sort = "order";
  const json d = json::parse(roofscope::diff(a, b, o, "json"));
  EXPECT_EQ(d["match"], "position");
  EXPECT_EQ(d["ops"][0]["change"], "renamed");
  EXPECT_TRUE(d["differences"].empty()) << d["differences"].dump();
  const std::string csv = roofscope::diff(a, b, o, "csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3) << csv;  // header + 2 op rows, no summary lines
  const std::string table = roofscope::diff(a, b, o, "table");
  EXPECT_NE(table.find("comparable: same model"), std::string::npos) << table;
  EXPECT_NE(table.find("ops matched by position"), std::string::npos) << table;
}

TEST_F(Diff, BadFilesAndOptionsGiveOneClearError) {
  const std::string good = write("g.json", profile_doc(1, "h", json::array(), 1e-3).dump());
  const std::string text = write("t.json", "not json");
  const std::string other = write("o.json", "{\"x\": 1}");
  EXPECT_THROW(roofscope::diff(text, good, {}, "json"), std::runtime_error);
  try {
    roofscope::diff(good, other, {}, "json");
    FAIL() << "a JSON object of another kind was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("o.json: neither a `roofscope profile"), std::string::npos) << e.what();
  }
  roofscope::DiffOptions o;
  o.match = "fuzzy";
  EXPECT_THROW(roofscope::diff(good, good, o, "json"), std::invalid_argument);
  const rs::test::CommandResult r = rs::test::run_command(std::string(ROOFSCOPE_EXE) + " diff " + good + " " + dir_ +
                                                          "/missing.json 2>&1");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("roofscope: error: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("missing.json"), std::string::npos) << r.out;
}

TEST(Provenance, IsTheFirstKeyAndTheMachineHashFollowsTheFigures) {
  rs::MachineProfile m;
  m.created_utc = "2026-01-01T00:00:00Z";
  const std::string h1 = rs::api::machine_profile_hash(m);
  EXPECT_EQ(h1.size(), 16u);
  EXPECT_EQ(h1, rs::api::machine_profile_hash(m));
  m.loaded_from = "/elsewhere.json";  // not serialized: the same figures hash the same
  EXPECT_EQ(h1, rs::api::machine_profile_hash(m));
  m.measured.quick = true;
  EXPECT_NE(h1, rs::api::machine_profile_hash(m));
  const std::string out = rs::api::with_provenance("{\"b\": 1, \"a\": [2]}", &m);
  EXPECT_EQ(out.find("\"provenance\""), 4u) << out;  // first key: a reader sees it before the data
  const json j = json::parse(out);
  EXPECT_EQ(j["b"], 1);
  EXPECT_EQ(j["provenance"]["machine_profile"]["hash"], rs::api::machine_profile_hash(m));
  EXPECT_FALSE(j["provenance"]["created_utc"].get<std::string>().empty());
  EXPECT_TRUE(json::parse(rs::api::with_provenance("{}", nullptr))["provenance"]["machine_profile"].is_null());
}

TEST(Provenance, EveryJsonOutputCarriesIt) {
  for (const char* args : {"info squeezenet1_1 --size 32", "experiment list",
                           "run squeezenet1_1 --size 32 --iters 1 --warmup 0 --tune off"}) {
    const rs::test::CommandResult r =
        rs::test::run_command(std::string(ROOFSCOPE_EXE) + " " + args + " --format json 2>/dev/null");
    ASSERT_EQ(r.status, 0) << args;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["provenance"]["version"], ROOFSCOPE_VERSION) << args;
  }
}

}  // namespace
