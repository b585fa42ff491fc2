// Reshape and Transpose kernels vs reference (plain src and dst; the kernels are real copies). Tolerance: exact
// (relative L2 0: pure data movement). A Reorder node has neither kernel nor reference.
#include <gtest/gtest.h>

#include "kernel_harness.h"
#include "kernels/dnnl_util.h"
#include "mem_op_check.h"

namespace rs::test {
namespace {

struct ReshapeCase {
  const char* name;
  Dims src;
  Dims shape;  ///< ReshapeAttrs::shape, 0 and -1 as ONNX
  Dims expect;
};
void PrintTo(const ReshapeCase& c, std::ostream* os) { *os << c.name; }

const ReshapeCase kReshapeCases[] = {
    {"Flatten512", {1, 512, 1, 1}, {1, 512}, {1, 512}},
    {"FlattenInferred", {2, 30, 7, 9}, {0, -1}, {2, 1890}},
    {"SplitChannels", {1, 24, 5, 7}, {1, 3, 8, 5, 7}, {1, 3, 8, 5, 7}},
    {"Odd3D", {2, 6, 5}, {0, 3, -1}, {2, 3, 10}},
};

class ReshapeTest : public ::testing::TestWithParam<ReshapeCase> {};

TEST_P(ReshapeTest, MatchesReference) {
  const ReshapeCase& c = GetParam();
  const SingleNode t = single_node(OpKind::Reshape, ReshapeAttrs{c.shape}, {{c.src, {}}});
  const HostTensor got = run_kernel(t.graph, t.node_id, t.activations);
  EXPECT_EQ(got.dims, c.expect);
  EXPECT_EQ(got.data, t.activations[0].data);  // bytes unchanged
  EXPECT_EQ(relative_l2(got, run_reference(t.graph, t.node_id, t.activations)), 0.0);
}

INSTANTIATE_TEST_SUITE_P(Cases, ReshapeTest, ::testing::ValuesIn(kReshapeCases),
                         [](const auto& info) { return std::string(info.param.name); });

struct TransposeCase {
  const char* name;
  Dims src;
  std::vector<int> perm;
};
void PrintTo(const TransposeCase& c, std::ostream* os) { *os << c.name; }

const TransposeCase kTransposeCases[] = {
    {"ChannelShuffleG4", {1, 4, 6, 5, 7}, {0, 2, 1, 3, 4}},
    {"ChannelShuffleG2", {2, 2, 29, 3, 3}, {0, 2, 1, 3, 4}},
    {"NCHWtoNHWC", {2, 30, 7, 9}, {0, 2, 3, 1}},
    {"Rotate3D", {2, 3, 4}, {2, 0, 1}},
    {"Matrix", {3, 5}, {1, 0}},
};

class TransposeTest : public ::testing::TestWithParam<TransposeCase> {};

TEST_P(TransposeTest, MatchesReference) {
  const TransposeCase& c = GetParam();
  const SingleNode t = single_node(OpKind::Transpose, TransposeAttrs{c.perm}, {{c.src, {}}});
  const HostTensor got = run_kernel(t.graph, t.node_id, t.activations);
  EXPECT_EQ(relative_l2(got, run_reference(t.graph, t.node_id, t.activations)), 0.0);
}

INSTANTIATE_TEST_SUITE_P(Cases, TransposeTest, ::testing::ValuesIn(kTransposeCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(TransposeKernel, ChannelShuffleInterleavesGroups) {
  // [1, g=2, 3, 1, 1] holding channels 0..5: shuffling gives 0,3,1,4,2,5 (ShuffleNet).
  SingleNode t = single_node(OpKind::Transpose, TransposeAttrs{{0, 2, 1, 3, 4}}, {{{1, 2, 3, 1, 1}, {}}});
  for (std::size_t i = 0; i < 6; ++i) t.activations[0].data[i] = static_cast<float>(i);
  const HostTensor got = run_kernel(t.graph, t.node_id, t.activations);
  EXPECT_EQ(got.dims, (Dims{1, 3, 2, 1, 1}));
  EXPECT_EQ(got.data, (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST(ShapeOpKernels, RequirePlainSrc) {
  const SingleNode t = single_node(OpKind::Reshape, ReshapeAttrs{{2, -1}}, {{{2, 16, 3, 3}, {}}});
  KernelEnv env;
  const auto kernel = create_kernel(t.graph, t.graph.node(t.node_id), {blocked8_or_plain({2, 16, 3, 3})}, env);
  EXPECT_EQ(kernel->src_descs().at(0), plain_desc({2, 16, 3, 3}));
  EXPECT_EQ(kernel->dst_descs().at(0), plain_desc({2, 144}));
}

TEST(ReorderNode, HasNeitherKernelNorReference) {
  // The runtime inserts reorders between steps (create_reorder_kernel()); a Reorder node is a builder's mistake.
  const SingleNode t = single_node(OpKind::Reorder, std::monostate{}, {{{1, 8, 2, 2}, {}}});
  KernelEnv env;
  EXPECT_THROW(create_kernel(t.graph, t.graph.node(t.node_id), {plain_desc({1, 8, 2, 2})}, env), KernelError);
  EXPECT_THROW(run_reference(t.graph, t.node_id, t.activations), KernelError);
}

}  // namespace
}  // namespace rs::test
