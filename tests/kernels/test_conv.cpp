// Conv kernel (oneDNN convolution_forward) against the naive reference: shapes (odd sizes, C not a multiple of 8,
// groups, depthwise, dilation, stride, asymmetric pads, 1x1, 7x7 stem, batch 2, bias on/off), fused post-op chains,
// the layouts the kernel asks its producers for, and failure paths.
// Tolerance: relative L2 <= 1e-5 (f32 kernel vs reference accumulated in double; reductions of <= 600 terms).
#include <string>

#include <gtest/gtest.h>

#include "graph/shape.h"
#include "kernel_harness.h"
#include "kernels/dnnl_util.h"
#include "mem_op_check.h"
#include "post_op_chains.h"
#include "weighted_check.h"

namespace rs::test {
namespace {

constexpr double kTol = 1e-5;

/// A Conv node reading an activation src and constant weights [C_out, C_in/G, KH, KW] (and bias).
SingleNode conv_node(const ConvCase& c, std::uint32_t seed = 1) {
  return conv_case_node(OpKind::Conv, c, {c.out_channels, c.src[1] / c.groups, c.kernel[0], c.kernel[1]}, seed);
}

std::string case_name(const ConvCase& c) { return c.name; }

// ---------------------------------------------------------------------------------------------------------------
class ConvShapes : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvShapes, MatchesReferenceWithPlainAndBlockedProducers) {
  expect_matches_reference(conv_node(GetParam()), kTol, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(
    Kernels, ConvShapes,
    ::testing::Values(
        ConvCase{"odd13x17_c3_oc5_3x3_p1", {1, 3, 13, 17}, 5, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}},
        ConvCase{"c5_oc30_s2_asym_pads_nobias", {1, 5, 13, 17}, 30, 1, {3, 3}, {2, 2}, {1, 1}, {0, 1, 1, 2}, false},
        ConvCase{"c30_oc33_dil2", {1, 30, 13, 17}, 33, 1, {3, 3}, {1, 1}, {2, 2}, {2, 2, 2, 2}},
        ConvCase{"groups2_c30_oc34", {1, 30, 13, 17}, 34, 2, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}},
        ConvCase{"groups4_batch2_s2", {2, 32, 9, 11}, 16, 4, {3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}},
        // ResNeXt's grouped 3x3: 4 and 8 channels per group, stride 1 and 2, and 2 channels per group.
        ConvCase{"groups32_4_per_group", {1, 128, 14, 14}, 128, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}},
        ConvCase{"groups32_4_per_group_s2", {1, 128, 15, 15}, 128, 32, {3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}, false},
        ConvCase{"groups32_8_per_group", {1, 256, 9, 9}, 256, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}},
        ConvCase{"groups6_2_per_group", {1, 12, 11, 13}, 18, 6, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}},
        ConvCase{"depthwise_c30", {1, 30, 13, 17}, 30, 30, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}},
        ConvCase{"depthwise_c33_5x5_s2_asym_batch2", {2, 33, 13, 17}, 33, 33, {5, 5}, {2, 2}, {1, 1}, {2, 1, 2, 3}},
        ConvCase{"depthwise_c24_dil2_nobias", {1, 24, 15, 15}, 24, 24, {3, 3}, {1, 1}, {2, 2}, {2, 2, 2, 2}, false},
        ConvCase{"pointwise_c33_oc40_nobias", {1, 33, 13, 17}, 40, 1, {1, 1}, {1, 1}, {1, 1}, {0, 0, 0, 0}, false},
        ConvCase{"pointwise_s2_batch2", {2, 16, 14, 14}, 24, 1, {1, 1}, {2, 2}},
        ConvCase{"stem_7x7_s2_c3", {1, 3, 64, 64}, 16, 1, {7, 7}, {2, 2}, {1, 1}, {3, 3, 3, 3}},
        ConvCase{"batch2_c8_oc16", {2, 8, 12, 12}, 16, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}},
        ConvCase{"c64_oc64_3x3", {1, 64, 14, 14}, 64, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}},
        ConvCase{"kernel1x7_asym", {1, 16, 13, 17}, 16, 1, {1, 7}, {1, 1}, {1, 1}, {0, 3, 0, 2}}),
    [](const auto& info) { return case_name(info.param); });

// ---------------------------------------------------------------------------------------------------------------
// Post-op chains on a few conv shapes: blocked dst with padded channels, depthwise, batch-2 pointwise, the jit path.
const ConvCase kPostOpBases[] = {
    {"c30_oc33", {1, 30, 13, 17}, 33, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}},
    {"depthwise_c30_s2", {1, 30, 13, 17}, 30, 30, {3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}},
    {"pointwise_batch2", {2, 16, 9, 11}, 24, 1, {1, 1}},
    {"c64_oc64", {1, 64, 14, 14}, 64, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}},
};

class ConvPostOps : public ::testing::TestWithParam<std::tuple<ConvCase, PostOpChain>> {};

TEST_P(ConvPostOps, MatchesReferenceWithPlainAndBlockedProducers) {
  const auto& [c, chain] = GetParam();
  SingleNode t = conv_node(c);
  add_post_ops(t, chain, 7);
  expect_matches_reference(t, kTol, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(Kernels, ConvPostOps,
                         ::testing::Combine(::testing::ValuesIn(kPostOpBases),
                                            ::testing::ValuesIn(standard_post_op_chains())),
                         CaseChainName());

// ---------------------------------------------------------------------------------------------------------------
// Layouts: a same-shape residual is read in dst's layout (keeps the jit path; the runtime reorders it if needed); a
// channel-broadcast operand is read as its producer wrote it (no reorder).
TEST(ConvLayouts, ResidualReadInDstLayoutKeepsJit) {
  SingleNode t = conv_node(kPostOpBases[3]);
  add_post_ops(t, {"AddRelu", {binary_step(BinaryAlg::Add, Broadcast::none), eltwise_step(EltwiseAlg::Relu)}}, 3);
  KernelEnv env;
  const std::vector<dnnl::memory::desc> have{plain_desc(t.activations[0].dims), plain_desc(t.activations[1].dims)};
  const auto kernel = create_kernel(t.graph, t.graph.node(t.node_id), have, env);
  ASSERT_EQ(kernel->src_descs().size(), 2u);
  EXPECT_EQ(kernel->src_descs()[1], kernel->dst_descs()[0]);
  EXPECT_EQ(kernel->impl_info().find("gemm"), std::string::npos) << kernel->impl_info();
  EXPECT_EQ(kernel->impl_info().find("ref"), std::string::npos) << kernel->impl_info();
}

TEST(ConvLayouts, ChannelBroadcastOperandReadAsProduced) {
  SingleNode t = conv_node(kPostOpBases[3]);
  add_post_ops(t, {"Mul", {binary_step(BinaryAlg::Mul, Broadcast::channel)}}, 3);
  KernelEnv env;
  for (const auto& operand : {plain_desc(t.activations[1].dims), blocked8_or_plain(t.activations[1].dims)}) {
    const std::vector<dnnl::memory::desc> have{blocked8_or_plain(t.activations[0].dims), operand};
    const auto kernel = create_kernel(t.graph, t.graph.node(t.node_id), have, env);
    EXPECT_EQ(kernel->src_descs().at(1), operand) << layout_name(operand);
  }
}

// Constant operands (not produced by the fusion pass, but legal IR) are owned by the kernel, not kernel inputs.
TEST(ConvLayouts, ConstantOperandsAreOwned) {
  SingleNode t = conv_node(kPostOpBases[0]);
  const Dims dst = t.graph.value(t.graph.node(t.node_id).outputs[0]).desc.dims;
  const Dims channel{1, dst[1], 1, 1};
  PostOp add, mul;
  add.kind = mul.kind = PostOp::Kind::Binary;
  add.binary.alg = BinaryAlg::Add;
  mul.binary.alg = BinaryAlg::Mul;
  add.operand = t.graph.add_constant("residual", dst, random_data(numel(dst), 21));
  mul.operand = t.graph.add_constant("scale", channel, random_data(numel(channel), 22));
  t.graph.node(t.node_id).post_ops = {add, mul};
  t.graph.link();
  infer_shapes(t.graph);
  expect_matches_reference(t, kTol, /*blocked=*/true);
  KernelEnv env;
  EXPECT_EQ(create_kernel(t.graph, t.graph.node(t.node_id), {plain_desc(t.activations[0].dims)}, env)
                ->src_descs()
                .size(),
            1u);
}

// ResNeXt's grouped 3x3 (4 channels per group, ReLU fused): every candidate the tuner creates, from each layout a
// producer may write, matches the reference.
TEST(ConvLayouts, GroupedFourPerGroupEveryCandidateFromEveryProducerLayout) {
  SingleNode t = conv_node({"resnext", {1, 128, 10, 10}, 128, 32, {3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, false});
  add_post_ops(t, {"Relu", {eltwise_step(EltwiseAlg::Relu)}}, 5);
  const HostTensor ref = run_reference(t.graph, t.node_id, t.activations);
  using tag = dnnl::memory::format_tag;
  for (const tag layout : {tag::nchw, tag::nhwc, tag::nChw8c, tag::nChw16c}) {
    const std::vector<dnnl::memory::desc> have{
        dnnl::memory::desc(to_dnnl(t.activations[0].dims), dnnl::memory::data_type::f32, layout)};
    const int n = candidate_count(t.graph, t.node_id, have);
    EXPECT_GT(n, 0);
    for (int c = 0; c < n; ++c) {
      std::string key;
      const HostTensor got = run_candidate(t.graph, t.node_id, t.activations, have, c, &key);
      EXPECT_LE(relative_l2(got, ref), kTol) << layout_name(have[0]) << " producer, candidate " << key;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Failure paths: errors name the node and what was expected.
std::string kernel_error(const Graph& g, int node_id, const std::vector<dnnl::memory::desc>& have) {
  try {
    create_kernel(g, g.node(node_id), have, KernelEnv{});
  } catch (const KernelError& e) {
    return e.what();
  }
  return "";
}

TEST(ConvErrors, WeightsNotConstantNamesNode) {
  ConvAttrs a;
  a.out_channels = 16;
  a.kernel = {3, 3};
  expect_rejects_input_weights("layer1.conv", OpKind::Conv, a, {1, 8, 9, 9}, {16, 8, 3, 3});
}

TEST(ConvErrors, HasBiasWithoutBiasInputNamesNode) {
  ConvCase c{"nobias", {1, 8, 9, 9}, 16, 1, {3, 3}};
  c.bias = false;
  SingleNode t = conv_node(c);
  t.graph.node(t.node_id).attr<ConvAttrs>().has_bias = true;
  const std::string msg = kernel_error(t.graph, t.node_id, {plain_desc(c.src)});
  EXPECT_NE(msg.find("'op' (Conv)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bias"), std::string::npos) << msg;
}

TEST(ConvErrors, WrongNumberOfLayoutsNamesNode) {
  SingleNode t = conv_node({"c8", {1, 8, 9, 9}, 16, 1, {3, 3}});
  const std::string msg = kernel_error(t.graph, t.node_id, {});
  EXPECT_NE(msg.find("'op' (Conv)"), std::string::npos) << msg;
}

}  // namespace
}  // namespace rs::test
