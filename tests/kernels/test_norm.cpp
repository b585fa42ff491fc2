// LayerNorm, InstanceNorm and ReduceMean kernels vs their references: LayerNorm over the channel axis of NCHW (as
// convnext's, read in nhwc), over trailing axes (ONNX's axis semantics), with and without scale / shift;
// InstanceNorm on NCHW and NCW; ReduceMean over any axes, keepdims both ways. Plain and nChw8c producers.
// Tolerance (relative L2): 1e-5 (oneDNN sums in f32 in another order than the double-precision references).
#include <gtest/gtest.h>

#include "graph/cost.h"
#include "graph/op_registry.h"
#include "kernel_harness.h"
#include "mem_op_check.h"

namespace rs::test {
namespace {

struct LnCase {
  const char* name;
  Dims dims;
  int begin, end;
  bool scale, shift;
};
void PrintTo(const LnCase& c, std::ostream* os) { *os << c.name; }

const LnCase kLnCases[] = {
    {"Channel_NCHW", {2, 24, 5, 7}, 1, 2, true, true},   {"Channel_C96", {1, 96, 4, 4}, 1, 2, true, true},
    {"Channel_1x1", {1, 40, 1, 1}, 1, 2, true, true},    {"Last_NHWC", {1, 5, 7, 24}, 3, 4, true, true},
    {"Trailing2", {2, 6, 5, 7}, 2, 4, true, false},      {"NoAffine_3D", {3, 9, 16}, 2, 3, false, false},
    {"ShiftOnly_2D", {4, 33}, 1, 2, false, true},
};

Dims norm_dims(const LnCase& c) { return Dims(c.dims.begin() + c.begin, c.dims.begin() + c.end); }

SingleNode layernorm_node(const LnCase& c) {
  LayerNormAttrs a{c.begin, c.end, 1e-5f, c.scale, c.shift};
  std::vector<Operand> ops{{c.dims, {}}};
  const Dims nd = norm_dims(c);
  if (c.scale) ops.push_back({nd, random_data(numel(nd), 7, 0.5f, 1.5f)});
  if (c.shift) ops.push_back({nd, random_data(numel(nd), 8)});
  return single_node(OpKind::LayerNorm, a, ops);
}

class LayerNormTest : public ::testing::TestWithParam<LnCase> {};

TEST_P(LayerNormTest, MatchesReference) {
  SingleNode t = layernorm_node(GetParam());
  for (float& x : t.activations[0].data) x = 3.f * x + 1.f;  // a mean and a variance to remove
  expect_matches_reference(t, 1e-5, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(Cases, LayerNormTest, ::testing::ValuesIn(kLnCases),
                         [](const auto& info) { return std::string(info.param.name); });

// A channel LayerNorm reads src channels-last (nhwc), the layout oneDNN's layer normalization wants for it.
TEST(LayerNormKernel, ChannelLayerNormReadsNhwcOnOneDnn) {
  SingleNode t = layernorm_node(kLnCases[0]);
  const auto k = create_kernel(t.graph, t.graph.node(t.node_id), {blocked8_or_plain(kLnCases[0].dims)}, KernelEnv{});
  const dnnl::memory::desc nhwc({2, 24, 5, 7}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::nhwc);
  EXPECT_TRUE(k->src_descs()[0] == nhwc);
  EXPECT_TRUE(k->dst_descs()[0] == nhwc);
  EXPECT_EQ(k->impl_info().rfind("ref", 0), std::string::npos) << k->impl_info();
}

TEST(LayerNormShape, BadAxesAndScaleNameTheNode) {
  Graph g;
  const int x = g.add_input("x", {1, 8, 4, 4});
  const int s = g.add_constant("s", {4}, std::vector<float>(4, 1.f));
  g.add_node("ln", OpKind::LayerNorm, LayerNormAttrs{1, 2, 1e-5f, true, false}, {x, s});
  try {
    op_info(OpKind::LayerNorm).shape(g, g.node(0));
    FAIL() << "expected GraphError";
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("node 'ln' (LayerNorm): scale [4]"), std::string::npos) << e.what();
  }
  g.node(0).attrs = LayerNormAttrs{2, 2, 1e-5f, false, false};
  g.node(0).inputs = {x};
  EXPECT_THROW(op_info(OpKind::LayerNorm).shape(g, g.node(0)), GraphError);
}

TEST(NormCost, LayerNormFlopsAndParams) {
  SingleNode t = layernorm_node(kLnCases[0]);
  const OpCost c = op_cost(t.graph, t.graph.node(t.node_id));
  EXPECT_EQ(c.flops, 7 * 2 * 24 * 5 * 7);
  EXPECT_EQ(c.params, 48);
}

struct InCase {
  const char* name;
  Dims dims;
};
void PrintTo(const InCase& c, std::ostream* os) { *os << c.name; }

class InstanceNormTest : public ::testing::TestWithParam<InCase> {};

TEST_P(InstanceNormTest, MatchesReference) {
  const Dims& d = GetParam().dims;
  SingleNode t = single_node(OpKind::InstanceNorm, BatchNormAttrs{1e-5f},
                             {{d, {}}, {{d[1]}, random_data(d[1], 3, 0.5f, 1.5f)}, {{d[1]}, random_data(d[1], 4)}});
  for (float& x : t.activations[0].data) x = 2.f * x - 0.5f;
  expect_matches_reference(t, 1e-5, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(Cases, InstanceNormTest,
                         ::testing::Values(InCase{"NCHW", {2, 12, 9, 11}}, InCase{"C3", {1, 3, 16, 16}},
                                           InCase{"NCW", {3, 5, 20}}),
                         [](const auto& info) { return std::string(info.param.name); });

struct ReduceCase {
  const char* name;
  Dims dims;
  std::vector<int> axes;
  bool keepdims;
};
void PrintTo(const ReduceCase& c, std::ostream* os) { *os << c.name; }

class ReduceTest : public ::testing::TestWithParam<ReduceCase> {};

TEST_P(ReduceTest, MatchesReference) {
  const ReduceCase& c = GetParam();
  SingleNode t = single_node(OpKind::ReduceMean, ReduceAttrs{c.axes, c.keepdims}, {{c.dims, {}}});
  expect_matches_reference(t, 1e-5, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ReduceTest,
    ::testing::Values(ReduceCase{"Last_keep", {1, 6, 7, 24}, {3}, true}, ReduceCase{"Channel_keep", {2, 24, 5, 7}, {1}, true},
                      ReduceCase{"Channel_drop", {2, 24, 5, 7}, {1}, false},
                      ReduceCase{"NW_drop", {2, 3, 5, 7}, {0, 3}, false}, ReduceCase{"All_keep", {3, 4, 5}, {0, 1, 2}, true},
                      ReduceCase{"HW_keep", {1, 16, 6, 6}, {2, 3}, true}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ReduceShape, AxesOutOfOrderOrEverythingDroppedNameTheNode) {
  Graph g;
  const int x = g.add_input("x", {2, 3, 4});
  g.add_node("mean", OpKind::ReduceMean, ReduceAttrs{{2, 1}, true}, {x});
  EXPECT_THROW(op_info(OpKind::ReduceMean).shape(g, g.node(0)), GraphError);
  g.node(0).attrs = ReduceAttrs{{0, 1, 2}, false};
  try {
    op_info(OpKind::ReduceMean).shape(g, g.node(0));
    FAIL() << "expected GraphError";
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("node 'mean' (ReduceMean): reducing every axis"), std::string::npos) << e.what();
  }
  g.node(0).attrs = ReduceAttrs{{1}, false};
  EXPECT_EQ(op_info(OpKind::ReduceMean).shape(g, g.node(0)), (Dims{2, 4}));
}

}  // namespace
}  // namespace rs::test
