// Deconv kernel (oneDNN deconvolution_forward, PyTorch weights [C_in, C_out/G, KH, KW]) against the reference:
// shapes (stride 2, output_padding, groups, depthwise, dilation, asymmetric pads, 1x1, batch 2, bias on/off), post-op
// chains, a known answer (PyTorch semantics) and the adjoint identity <conv(x), y> = <x, deconv(y)>.
// Tolerance: relative L2 <= 1e-5 (f32 kernel vs reference accumulated in double); adjoint identity to 1e-9 relative
// (both sides in double over f32 inputs).
#include <cmath>
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

/// A Deconv node reading an activation src and constant weights [C_in, C_out/G, KH, KW] (and bias).
SingleNode deconv_node(const ConvCase& c, std::uint32_t seed = 1) {
  return conv_case_node(OpKind::Deconv, c, {c.src[1], c.out_channels / c.groups, c.kernel[0], c.kernel[1]}, seed);
}

// ---------------------------------------------------------------------------------------------------------------
class DeconvShapes : public ::testing::TestWithParam<ConvCase> {};

TEST_P(DeconvShapes, MatchesReferenceWithPlainAndBlockedProducers) {
  expect_matches_reference(deconv_node(GetParam()), kTol, /*blocked=*/true);
}

const ConvCase kDeconvCases[] = {
    {"s2_k3_p1_op1_c8_oc5", {1, 8, 7, 9}, 5, 1, {3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}, true, {1, 1}},
    {"s2_k4_p1_batch2_nobias", {2, 16, 6, 5}, 8, 1, {4, 4}, {2, 2}, {1, 1}, {1, 1, 1, 1}, false},
    {"groups2_s2_op1", {1, 6, 5, 7}, 4, 2, {3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}, true, {1, 1}},
    {"groups2_c16_oc32_s2", {1, 16, 6, 6}, 32, 2, {2, 2}, {2, 2}},
    {"dil2_k3_p2", {1, 5, 9, 11}, 3, 1, {3, 3}, {1, 1}, {2, 2}, {2, 2, 2, 2}},
    {"dil2_s1_op1", {1, 4, 5, 5}, 4, 1, {3, 3}, {1, 1}, {2, 2}, {1, 1, 1, 1}, true, {1, 1}},
    {"s2_asym_pads_op1_0", {1, 4, 6, 6}, 6, 1, {3, 3}, {2, 2}, {1, 1}, {0, 1, 1, 0}, true, {1, 0}},
    {"depthwise_c8_k4_s2", {1, 8, 7, 7}, 8, 8, {4, 4}, {2, 2}, {1, 1}, {1, 1, 1, 1}},
    {"pointwise_c16_oc12", {1, 16, 5, 5}, 12, 1, {1, 1}},
    {"c33_oc30_s2_k2_odd", {1, 33, 13, 17}, 30, 1, {2, 2}, {2, 2}},
    {"s2_k3_p0_op1", {1, 8, 5, 6}, 8, 1, {3, 3}, {2, 2}, {1, 1}, {0, 0, 0, 0}, true, {1, 1}},
};

INSTANTIATE_TEST_SUITE_P(Kernels, DeconvShapes, ::testing::ValuesIn(kDeconvCases),
                         [](const auto& info) { return info.param.name; });

// ---------------------------------------------------------------------------------------------------------------
class DeconvPostOps : public ::testing::TestWithParam<std::tuple<ConvCase, PostOpChain>> {};

TEST_P(DeconvPostOps, MatchesReferenceWithPlainAndBlockedProducers) {
  const auto& [c, chain] = GetParam();
  SingleNode t = deconv_node(c);
  add_post_ops(t, chain, 5);
  expect_matches_reference(t, kTol, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(Kernels, DeconvPostOps,
                         ::testing::Combine(::testing::Values(kDeconvCases[0], kDeconvCases[3]),
                                            ::testing::ValuesIn(standard_post_op_chains())),
                         CaseChainName());

// ---------------------------------------------------------------------------------------------------------------
// Known answer: stride 2, 2x2 kernel of ones, no pads: each src pixel becomes a 2x2 block (PyTorch ConvTranspose2d).
TEST(DeconvKnownAnswer, Stride2OnesKernelReplicatesPixels) {
  const ConvCase c{"ones", {1, 1, 2, 2}, 1, 1, {2, 2}, {2, 2}, {1, 1}, {0, 0, 0, 0}, false};
  SingleNode t = single_node(OpKind::Deconv, conv_case_attrs(c),
                             {{c.src, {}}, {{1, 1, 2, 2}, std::vector<float>{1.f, 1.f, 1.f, 1.f}}});
  t.activations[0].data = {1.f, 2.f, 3.f, 4.f};
  const std::vector<float> want = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4};
  EXPECT_EQ(run_reference(t.graph, t.node_id, t.activations).data, want);
  EXPECT_EQ(run_kernel(t.graph, t.node_id, t.activations).data, want);
}

// Adjoint identity of the references: with the same weights W, a deconv from C_in to C_out is the transpose of the
// conv from C_out to C_in, so <conv(x), y> = <x, deconv(y)> for every geometry that fits.
class DeconvAdjoint : public ::testing::TestWithParam<ConvCase> {};

/// <a, b> in double, and sum |a_i b_i| (the scale of its f32 rounding error) in *abs_sum.
double dot(const HostTensor& a, const HostTensor& b, double* abs_sum) {
  double s = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i) {
    s += double(a.data[i]) * double(b.data[i]);
    *abs_sum += std::fabs(double(a.data[i]) * double(b.data[i]));
  }
  return s;
}

TEST_P(DeconvAdjoint, ReferenceIsTransposeOfConvReference) {
  ConvCase c = GetParam();
  c.bias = false;
  SingleNode de = deconv_node(c);
  const Dims dst = de.graph.value(de.graph.node(de.node_id).outputs[0]).desc.dims;
  ConvAttrs a = conv_case_attrs(c);
  a.out_channels = c.src[1];
  a.output_padding = {0, 0};
  const Value& w = de.graph.value(de.graph.node(de.node_id).inputs[1]);
  SingleNode conv = single_node(OpKind::Conv, a, {{dst, {}}, {w.desc.dims, *w.data}}, 9);
  ASSERT_EQ(conv.graph.value(conv.graph.node(conv.node_id).outputs[0]).desc.dims, c.src) << "geometry must fit";
  double scale = 0;
  const double lhs = dot(run_reference(conv.graph, conv.node_id, conv.activations), de.activations[0], &scale);
  const double rhs = dot(conv.activations[0], run_reference(de.graph, de.node_id, de.activations), &scale);
  // Each reference output is its double sum rounded to f32 (relative error <= 2^-24), so the two sides may differ
  // by up to 2^-24 * scale; a wrong tap (index, group, pad or stride) moves them by O(1).
  EXPECT_NEAR(lhs, rhs, 4 * std::ldexp(scale, -24));
}

INSTANTIATE_TEST_SUITE_P(References, DeconvAdjoint,
                         ::testing::Values(kDeconvCases[1], kDeconvCases[2], kDeconvCases[4], kDeconvCases[6],
                                           kDeconvCases[7]),
                         [](const auto& info) { return info.param.name; });

// ---------------------------------------------------------------------------------------------------------------
TEST(DeconvErrors, WeightsNotConstantNamesNode) {
  ConvAttrs a;
  a.out_channels = 4;
  a.kernel = {3, 3};
  a.stride = {2, 2};
  expect_rejects_input_weights("decoder.up1", OpKind::Deconv, a, {1, 8, 5, 5}, {8, 4, 3, 3});
}

}  // namespace
}  // namespace rs::test
