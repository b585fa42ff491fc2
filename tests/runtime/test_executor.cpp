// The executor against the all-reference executor: whole models, fused vs unfused, pool vs no pool.
#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "graph/passes.h"
#include "graph/shape.h"
#include "models/zoo.h"
#include "runtime/executor.h"
#include "runtime/measure.h"
#include "runtime/reference_executor.h"
#include "runtime/topology.h"

namespace rs {
namespace {

HostTensor random_input(const Dims& dims, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> d(0.f, 1.f);
  HostTensor t{dims, std::vector<float>(static_cast<std::size_t>(numel(dims)))};
  for (auto& x : t.data) x = d(gen);
  return t;
}

double rel_l2(const HostTensor& a, const HostTensor& b) {
  EXPECT_EQ(a.dims, b.dims);
  double num = 0, den = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i) {
    num += (double(a.data[i]) - b.data[i]) * (double(a.data[i]) - b.data[i]);
    den += double(b.data[i]) * b.data[i];
  }
  return std::sqrt(num / std::max(den, 1e-30));
}

HostTensor run_once(const Graph& g, const HostTensor& in, bool pool, int runs = 1) {
  ExecOptions o;
  o.pool = pool;
  Executor exec(g, o);
  exec.set_input(0, in);
  for (int i = 0; i < runs; ++i) exec.run();
  return exec.output(0);
}

class ModelVsReference : public ::testing::TestWithParam<const char*> {};

// Tolerance: relative L2 <= 1e-4 over the 1000 logits. oneDNN's blocked kernels sum in another order than the naive
// reference (and winograd/gemm paths differ again); f32 accumulation over ~4.6k-term dot products gives ~1e-6 per
// layer, growing with depth; 1e-4 leaves room for that and still catches any layout or post-op bug (those give ~1).
TEST_P(ModelVsReference, FusedAndUnfusedMatchReference) {
  bind_threads(topology().physical_cores, true);
  ModelOptions mo;
  mo.size = 96;  // keeps the naive reference fast; every layer type still runs
  Graph g = build_model(GetParam(), mo);
  g.mark_output(g.outputs.at(0));
  const HostTensor in = random_input(g.value(g.inputs[0]).desc.dims, 1);
  const HostTensor ref = run_reference_graph(g, {in}).at(0);
  Graph unfused = g;
  optimize(unfused, false);
  Graph fused = g;
  const PassReport rep = optimize(fused, true);
  const bool has_bn = std::any_of(g.nodes.begin(), g.nodes.end(), [](const Node& n) { return n.kind == OpKind::BatchNorm; });
  EXPECT_EQ(rep.bn_folded > 0, has_bn);  // squeezenet has no BatchNorm
  EXPECT_GT(rep.post_ops_fused, 0);
  const HostTensor y_unfused = run_once(unfused, in, true);
  const HostTensor y_fused = run_once(fused, in, true);
  EXPECT_LE(rel_l2(y_unfused, ref), 1e-4);
  EXPECT_LE(rel_l2(y_fused, ref), 1e-4);
  EXPECT_LE(rel_l2(y_fused, y_unfused), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Zoo, ModelVsReference, ::testing::Values("resnet18", "mobilenet_v2", "squeezenet1_1",
                                                                  "mobilenet_v3_small"));

TEST(Executor, PoolAndNoPoolGiveIdenticalOutputs) {
  bind_threads(topology().physical_cores, true);
  ModelOptions mo;
  mo.size = 64;
  Graph g = build_model("mobilenet_v2", mo);
  optimize(g, true);
  const HostTensor in = random_input(g.value(g.inputs[0]).desc.dims, 2);
  const HostTensor a = run_once(g, in, true, 2);
  const HostTensor b = run_once(g, in, false, 2);
  ASSERT_EQ(a.data.size(), b.data.size());
  EXPECT_EQ(a.data, b.data);  // same primitives, same data: bit-identical
}

TEST(Executor, ArenaIsPlannedAndBounded) {
  bind_threads(1, true);
  Graph g = build_model("resnet18", {});
  optimize(g, true);
  Executor exec(g);
  const auto& m = exec.memory();
  EXPECT_GE(m.arena_bytes, m.lower_bound_bytes);
  EXPECT_LT(m.arena_bytes, m.naive_bytes);
  EXPECT_GT(m.weights_bytes, 11'000'000LL * 4);
  // No two buffers live at the same step share bytes, but for a residual and the dst that takes it over in place.
  const auto& r = exec.usage_records();
  auto root = [&](std::size_t i) {
    while (r[i].alias_of >= 0) i = static_cast<std::size_t>(r[i].alias_of);
    return i;
  };
  int in_place = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    in_place += r[i].alias_of >= 0 ? 1 : 0;
    for (std::size_t j = i + 1; j < r.size(); ++j) {
      if (!lifetimes_overlap(r[i], r[j])) continue;
      if (root(i) == root(j)) {
        EXPECT_EQ(r[i].offset, r[j].offset) << r[i].name << " / " << r[j].name;
      } else {
        EXPECT_TRUE(r[i].offset + r[i].bytes <= r[j].offset || r[j].offset + r[j].bytes <= r[i].offset)
            << r[i].name << " / " << r[j].name;
      }
    }
  }
  EXPECT_EQ(in_place, 8);  // resnet18's eight residual Adds accumulate into their residual's buffer (sum post-op)
}

/// Zoo model `name` at input size 64, optimized (BN folded, post-ops fused).
Graph small_optimized(const char* name) {
  ModelOptions mo;
  mo.size = 64;
  Graph g = build_model(name, mo);
  optimize(g, true);
  return g;
}

TEST(Executor, ResidualsRunAsSumPostOpsInPlace) {
  bind_threads(1, true);
  Executor exec(small_optimized("mobilenet_v2"));
  int in_place = 0, adds = 0;
  for (const auto& s : exec.steps()) {
    in_place += s.in_place ? 1 : 0;
    if (s.label.find("+Add") == std::string::npos) continue;
    ++adds;
    EXPECT_EQ(s.choice.key.rfind("sum ", 0), 0u) << s.name << ": " << s.choice.key;  // oneDNN's first choice
    // Wherever oneDNN has a jit/brg kernel for the conv, the residual must not push it onto gemm or ref.
    EXPECT_EQ(s.impl.find("gemm"), std::string::npos) << s.name << ": " << s.impl;
    EXPECT_EQ(s.impl.find("ref"), std::string::npos) << s.name << ": " << s.impl;
  }
  EXPECT_EQ(adds, 10);
  EXPECT_EQ(in_place, 10);
  for (const auto& s : exec.steps()) EXPECT_EQ(s.name.rfind("copy:", 0), std::string::npos) << s.name;
}

TEST(Executor, TunedChoicesComputeTheSameAndReplayFromACache) {
  bind_threads(topology().physical_cores, true);
  const Graph g = small_optimized("resnet18");
  const HostTensor in = random_input(g.value(g.inputs[0]).desc.dims, 3);
  const HostTensor y_first = run_once(g, in, true);
  ExecOptions o;
  o.tuning.enabled = true;
  o.tuning.runs = 1;
  Executor tuned(g, o);
  int timed = 0;
  for (const auto& s : tuned.steps()) {
    if (s.choice.candidates < 2) continue;
    ++timed;
    EXPECT_EQ(s.choice.source, "tuned") << s.name;
    EXPECT_GT(s.choice.time_s, 0) << s.name;
    EXPECT_FALSE(s.choice.runner_up.empty()) << s.name;
    EXPECT_LE(s.choice.time_s, s.choice.runner_up_time_s * 1.0001 / 0.97) << s.name;  // within the keep-oneDNN margin
  }
  EXPECT_GE(timed, 20);  // every conv and the FC
  tuned.set_input(0, in);
  tuned.run();
  EXPECT_LE(rel_l2(tuned.output(0), y_first), 1e-5);
  // Replayed from its choices (a tuning cache), nothing is timed and the same kernels run.
  ExecOptions replay;
  replay.tuning.cached = tuned.choices();
  replay.tuning.cached.begin()->second.key = "no such candidate";
  Executor again(g, replay);
  EXPECT_EQ(again.tuning_cache_misses(), 1);
  for (const auto& s : again.steps()) {
    if (s.choice.candidates < 2) continue;
    if (s.name == replay.tuning.cached.begin()->first) EXPECT_EQ(s.choice.source, "default");
    else EXPECT_EQ(s.choice.source, "cached") << s.name;
  }
}

TEST(Executor, PerOpTimesCoverEveryStep) {
  bind_threads(1, true);
  ModelOptions mo;
  mo.size = 64;
  Graph g = build_model("resnet18", mo);
  optimize(g, true);
  Executor exec(g);
  MeasureOptions o;
  o.plan = {1, 3};
  o.per_op = true;
  const Measurement m = measure(exec, o);
  ASSERT_EQ(m.step_s.size(), exec.steps().size());
  ASSERT_EQ(m.e2e_s.size(), 3u);
  for (std::size_t r = 0; r < 3; ++r) {
    double sum = 0;
    for (const auto& s : m.step_s) {
      EXPECT_GT(s[r], 0.0);
      sum += s[r];
    }
    EXPECT_LE(sum, m.e2e_s[r]);  // steps are nested inside the end-to-end interval
  }
  for (const auto& s : exec.steps()) EXPECT_FALSE(s.impl.empty()) << s.name;
}

TEST(Executor, RejectsWrongInputDims) {
  bind_threads(1, true);
  Graph g;
  const int x = g.add_input("x", {1, 8, 4, 4});
  g.mark_output(g.add_node("relu", OpKind::Eltwise, EltwiseAttrs{}, {x}));
  infer_shapes(g);
  Executor exec(g);
  EXPECT_THROW(exec.set_input(0, HostTensor{{1, 8, 4, 5}, std::vector<float>(160)}), std::invalid_argument);
}

}  // namespace
}  // namespace rs
