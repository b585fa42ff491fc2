// Cost formulas on single ops with hand-computed counts, and the structure the fusion passes produce.
#include <cmath>

#include <gtest/gtest.h>

#include "graph/cost.h"
#include "graph/passes.h"
#include "graph/shape.h"

namespace rs {
namespace {

int add_const(Graph& g, const std::string& name, const Dims& d, float v = 0.5f) {
  return g.add_constant(name, d, std::vector<float>(static_cast<std::size_t>(numel(d)), v));
}

int add_conv(Graph& g, const std::string& name, int x, std::int64_t c_in, std::int64_t c_out, std::int64_t groups = 1) {
  ConvAttrs a;
  a.out_channels = c_out;
  a.kernel = {3, 3};
  a.pads = {1, 1, 1, 1};
  a.groups = groups;
  return g.add_node(name, OpKind::Conv, a, {x, add_const(g, name + ".w", {c_out, c_in / groups, 3, 3})});
}

int add_bn(Graph& g, const std::string& name, int x, std::int64_t c) {
  return g.add_node(name, OpKind::BatchNorm, BatchNormAttrs{},
                    {x, add_const(g, name + ".g", {c}, 1.5f), add_const(g, name + ".b", {c}, 0.1f),
                     add_const(g, name + ".m", {c}, 0.2f), add_const(g, name + ".v", {c}, 2.f)});
}

TEST(Cost, ConvMatchesFormula) {
  Graph g;
  const int x = g.add_input("x", {1, 64, 56, 56});
  add_conv(g, "conv", x, 64, 128);
  infer_shapes(g);
  const OpCost c = op_cost(g, g.node(0));
  const std::int64_t macs = 1LL * 128 * 56 * 56 * 64 * 3 * 3;
  EXPECT_EQ(c.macs, macs);
  EXPECT_EQ(c.flops, 2 * macs);
  EXPECT_EQ(c.params, 128 * 64 * 9);
  EXPECT_EQ(c.bytes, 4 * (64LL * 56 * 56 + 128 * 64 * 9 + 128LL * 56 * 56));
  EXPECT_DOUBLE_EQ(c.intensity(), double(c.flops) / double(c.bytes));
}

TEST(Cost, DepthwiseIsConvOverGroups) {
  Graph g;
  const int x = g.add_input("x", {1, 32, 56, 56});
  add_conv(g, "dense", x, 32, 32);
  add_conv(g, "dw", x, 32, 32, 32);
  infer_shapes(g);
  EXPECT_EQ(op_cost(g, g.node(0)).macs, 32 * op_cost(g, g.node(1)).macs);
}

TEST(Cost, EltwiseSumAsSeed001) {
  // seed 001 §I: Eltwise Sum of two [N,C,H,W]: N*C*H*W FLOPs, (2 + 1) * N*C*H*W * 4 bytes.
  Graph g;
  const int a = g.add_input("a", {2, 8, 5, 7});
  const int b = g.add_input("b", {2, 8, 5, 7});
  g.add_node("sum", OpKind::Binary, BinaryAttrs{BinaryAlg::Add}, {a, b});
  infer_shapes(g);
  const OpCost c = op_cost(g, g.node(0));
  EXPECT_EQ(c.flops, 2 * 8 * 5 * 7);
  EXPECT_EQ(c.bytes, 3 * 2 * 8 * 5 * 7 * 4);
  EXPECT_EQ(c.macs, 0);
}

TEST(Cost, FullyConnectedAndBatchNormParams) {
  Graph g;
  const int x = g.add_input("x", {1, 512});
  g.add_node("fc", OpKind::FullyConnected, FcAttrs{1000, true},
             {x, add_const(g, "w", {1000, 512}), add_const(g, "b", {1000})});
  const int y = g.add_input("y", {1, 64, 4, 4});
  add_bn(g, "bn", y, 64);
  infer_shapes(g);
  EXPECT_EQ(op_cost(g, g.node(0)).macs, 512000);
  EXPECT_EQ(op_cost(g, g.node(0)).params, 513000);
  EXPECT_EQ(op_cost(g, g.node(1)).params, 128);  // scale + shift; running stats are buffers
}

/// conv(x) [1, 8, 6, 6] (8 -> 8 channels) times a constant of `dims` named `name`; returns the Mul's output.
int conv_times(Graph& g, int x, const std::string& name, const Dims& dims, std::vector<float> values) {
  const int c = add_conv(g, "conv", x, 8, 8);
  return g.add_node(name, OpKind::Binary, BinaryAttrs{BinaryAlg::Mul}, {c, g.add_constant(name + ".k", dims, values)});
}

TEST(Passes, PerChannelScaleFoldsIntoTheConvThenTheResidualAddFuses) {
  Graph g;
  const int x = g.add_input("x", {1, 8, 6, 6});
  std::vector<float> scale(8);
  for (std::size_t i = 0; i < scale.size(); ++i) scale[i] = 0.1f * float(i + 1);
  const int m = conv_times(g, x, "layer_scale", {1, 8, 1, 1}, scale);  // convnext's layer scale
  const int y = g.add_node("residual", OpKind::Binary, BinaryAttrs{BinaryAlg::Add}, {m, x});
  g.mark_output(y);
  infer_shapes(g);
  const PassReport rep = optimize(g, true);
  EXPECT_EQ(rep.scale_folded, 1);
  EXPECT_EQ(rep.post_ops_fused, 1);
  ASSERT_EQ(g.live_nodes().size(), 1u);
  EXPECT_EQ(g.node(0).fused, (std::vector<std::string>{"layer_scale", "residual"}));
  const auto& w = *g.value(g.node(0).inputs[1]).data;  // 0.5 * s_c, per output channel
  EXPECT_FLOAT_EQ(w.front(), 0.5f * 0.1f);
  EXPECT_FLOAT_EQ(w.back(), 0.5f * 0.8f);
  EXPECT_FLOAT_EQ(g.value(g.node(0).inputs[2]).data->at(3), 0.f);
}

TEST(Passes, AScaleAlongAnotherAxisIsNotFolded) {
  Graph g;
  const int x = g.add_input("x", {1, 8, 6, 6});
  const int m = conv_times(g, x, "mul", {1, 1, 6, 1}, std::vector<float>(6, 0.5f));
  g.mark_output(m);
  infer_shapes(g);
  EXPECT_EQ(optimize(g, true).scale_folded, 0);
}

TEST(Passes, ConvBnReluFoldsAndFuses) {
  Graph g;
  const int x = g.add_input("x", {1, 8, 6, 6});
  const int c = add_conv(g, "conv", x, 8, 16);
  const int b = add_bn(g, "bn", c, 16);
  const int r = g.add_node("relu", OpKind::Eltwise, EltwiseAttrs{}, {b});
  g.mark_output(r);
  infer_shapes(g);
  const PassReport rep = optimize(g, true);
  EXPECT_EQ(rep.bn_folded, 1);
  EXPECT_EQ(rep.post_ops_fused, 1);
  ASSERT_EQ(g.live_nodes().size(), 1u);
  EXPECT_EQ(op_label(g, g.node(0)), "Conv+Relu");
  EXPECT_EQ(g.node(0).fused, (std::vector<std::string>{"bn", "relu"}));
  EXPECT_TRUE(g.node(0).attr<ConvAttrs>().has_bias);
  // Folded weights: w * gamma / sqrt(var + eps); bias: (0 - mean) * s + beta.
  const float s = 1.5f / std::sqrt(2.f + 1e-5f);
  EXPECT_FLOAT_EQ(g.value(g.node(0).inputs[1]).data->at(0), 0.5f * s);
  EXPECT_FLOAT_EQ(g.value(g.node(0).inputs[2]).data->at(0), -0.2f * s + 0.1f);
  EXPECT_TRUE(g.value(g.outputs[0]).is_output);
}

TEST(Passes, ConvReluBnDoesNotFold) {
  Graph g;
  const int x = g.add_input("x", {1, 8, 6, 6});
  const int c = add_conv(g, "conv", x, 8, 8);
  const int r = g.add_node("relu", OpKind::Eltwise, EltwiseAttrs{}, {c});
  g.mark_output(add_bn(g, "bn", r, 8));
  infer_shapes(g);
  const PassReport rep = optimize(g, true);
  EXPECT_EQ(rep.bn_folded, 0);
  EXPECT_EQ(rep.post_ops_fused, 1);
  ASSERT_EQ(g.live_nodes().size(), 2u);
  EXPECT_EQ(g.node(1).kind, OpKind::BatchNorm);
}

TEST(Passes, ResidualAddFusesIntoLaterConvOnly) {
  // y = relu(conv2(x) + x): Add fuses into conv2 with x as operand, then the ReLU.
  Graph g;
  const int x = g.add_input("x", {1, 8, 6, 6});
  const int c = add_conv(g, "conv2", x, 8, 8);
  const int a = g.add_node("add", OpKind::Binary, BinaryAttrs{BinaryAlg::Add}, {c, x});
  g.mark_output(g.add_node("relu", OpKind::Eltwise, EltwiseAttrs{}, {a}));
  infer_shapes(g);
  optimize(g, true);
  ASSERT_EQ(g.live_nodes().size(), 1u);
  EXPECT_EQ(op_label(g, g.node(0)), "Conv+Add+Relu");
  EXPECT_EQ(g.node(0).post_ops[0].operand, g.inputs[0]);
  EXPECT_EQ(g.node(0).reads().size(), 3u);  // src, weights, residual
}

TEST(Passes, UpsampleThenLateralAddFusesIntoTheResize) {
  // An FPN top-down step: relu(resize(top) + lateral), lateral computed before the resize.
  Graph g;
  const int top = g.add_input("top", {1, 8, 3, 3});
  const int lateral = add_conv(g, "lateral", g.add_input("c4", {1, 8, 6, 6}), 8, 8);
  ResizeAttrs up;
  up.size = {6, 6};
  up.scale = {2.0, 2.0};
  const int r = g.add_node("up", OpKind::Resize, up, {top});
  const int a = g.add_node("add", OpKind::Binary, BinaryAttrs{BinaryAlg::Add}, {r, lateral});
  g.mark_output(g.add_node("relu", OpKind::Eltwise, EltwiseAttrs{}, {a}));
  infer_shapes(g);
  EXPECT_EQ(optimize(g, true).post_ops_fused, 2);
  ASSERT_EQ(g.live_nodes().size(), 2u);
  const Node& resize = g.node(g.live_nodes()[1]);
  EXPECT_EQ(op_label(g, resize), "Resize+Add+Relu");
  EXPECT_EQ(resize.post_ops[0].operand, g.node(g.live_nodes()[0]).outputs[0]);
}

TEST(Passes, SharedConvOutputIsNotFused) {
  Graph g;
  const int x = g.add_input("x", {1, 8, 6, 6});
  const int c = add_conv(g, "conv", x, 8, 8);
  const int r = g.add_node("relu", OpKind::Eltwise, EltwiseAttrs{}, {c});
  g.mark_output(g.add_node("add", OpKind::Binary, BinaryAttrs{BinaryAlg::Add}, {r, c}));
  infer_shapes(g);
  const PassReport rep = optimize(g, true);
  EXPECT_EQ(rep.post_ops_fused, 0);
  EXPECT_EQ(g.live_nodes().size(), 3u);
}

TEST(Passes, NoFuseKeepsGraph) {
  Graph g;
  const int x = g.add_input("x", {1, 8, 6, 6});
  g.mark_output(g.add_node("relu", OpKind::Eltwise, EltwiseAttrs{}, {add_bn(g, "bn", add_conv(g, "conv", x, 8, 8), 8)}));
  infer_shapes(g);
  const PassReport rep = optimize(g, false);
  EXPECT_EQ(rep.bn_folded + rep.post_ops_fused, 0);
  EXPECT_EQ(g.live_nodes().size(), 3u);
}

}  // namespace
}  // namespace rs
