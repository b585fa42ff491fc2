// The tuning cache: round trip, corrupt and foreign files, fingerprints that follow the graph.
#include <cmath>
#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "graph/passes.h"
#include "models/zoo.h"
#include "profiler/machine/tuning_cache.h"

namespace rs {
namespace {

std::string temp_path(const char* name) { return ::testing::TempDir() + "/" + name; }

TEST(TuningCache, RoundTripKeepsChoicesAndTimes) {
  Graph g = build_model("squeezenet1_1", {});
  optimize(g, true);
  TuningCache c = tuning_key(g, "squeezenet1_1", 2);
  StepChoice a;
  a.key = "sum direct brgconv:avx512_core nhwc>nhwc";
  a.time_s = 1.5e-3;
  a.runner_up = "binary direct jit:avx2 nChw8c>nChw8c";
  a.runner_up_time_s = 2e-3;
  StepChoice b;
  b.key = "fused - jit:avx2 nChw8c>nChw8c";  // no times: NaN survives as null
  c.choices = {{"conv1", a}, {"fire2/squeeze", b}};
  c.tune_time_s = 3.25;
  const std::string path = temp_path("tune-roundtrip.json");
  save_tuning_cache(c, path);
  const TuningCache r = load_tuning_cache(path);
  EXPECT_EQ(tuning_mismatch(r, c), "");
  ASSERT_EQ(r.choices.size(), 2u);
  EXPECT_EQ(r.choices.at("conv1").key, a.key);
  EXPECT_DOUBLE_EQ(r.choices.at("conv1").runner_up_time_s, 2e-3);
  EXPECT_EQ(r.choices.at("conv1").source, "cached");
  EXPECT_TRUE(std::isnan(r.choices.at("fire2/squeeze").time_s));
  EXPECT_DOUBLE_EQ(r.tune_time_s, 3.25);
}

TEST(TuningCache, CorruptOrForeignFilesAreRefused) {
  const std::string path = temp_path("tune-corrupt.json");
  std::ofstream(path) << "{\"format\": \"roofscope-tuning\", \"vers";
  EXPECT_THROW(load_tuning_cache(path), TuningCacheError);
  std::ofstream(path, std::ios::trunc) << "{\"format\": \"something else\", \"version\": 1}";
  EXPECT_THROW(load_tuning_cache(path), TuningCacheError);
  EXPECT_THROW(load_tuning_cache(temp_path("does-not-exist.json")), TuningCacheError);
  Graph g = build_model("squeezenet1_1", {});
  const TuningCache want = tuning_key(g, "squeezenet1_1", 2);
  TuningCache other = want;
  other.threads = 1;
  EXPECT_NE(tuning_mismatch(other, want).find("threads"), std::string::npos);
  other = want;
  other.isa = want.isa == "AVX2" ? "AVX512_CORE" : "AVX2";
  EXPECT_NE(tuning_mismatch(other, want).find("DNNL_MAX_CPU_ISA"), std::string::npos);
  other = want;
  other.cpu = "Some Other CPU";
  EXPECT_NE(tuning_mismatch(other, want).find("Some Other CPU"), std::string::npos);
}

TEST(TuningCache, FingerprintFollowsShapesAndFusion) {
  ModelOptions small;
  small.size = 64;
  Graph a = build_model("resnet18", {}), b = build_model("resnet18", small), c = build_model("resnet18", {});
  optimize(c, true);
  EXPECT_EQ(graph_fingerprint(a), graph_fingerprint(build_model("resnet18", {})));
  EXPECT_NE(graph_fingerprint(a), graph_fingerprint(b));
  EXPECT_NE(graph_fingerprint(a), graph_fingerprint(c));
  EXPECT_EQ(graph_fingerprint(a).size(), 16u);
}

}  // namespace
}  // namespace rs
