// fuse_silu: x * sigmoid(x) -> Eltwise SiLU, and what optimize() makes of it after a conv.
#include <gtest/gtest.h>

#include "graph/passes.h"
#include "graph/shape.h"

namespace rs {
namespace {

const Dims kDims{1, 8, 6, 6};

int sigmoid(Graph& g, const std::string& name, int x) {
  return g.add_node(name, OpKind::Eltwise, EltwiseAttrs{EltwiseAlg::Sigmoid, 0.f, 0.f}, {x});
}

int mul(Graph& g, const std::string& name, int a, int b) {
  return g.add_node(name, OpKind::Binary, BinaryAttrs{BinaryAlg::Mul}, {a, b});
}

class SiluOrder : public ::testing::TestWithParam<bool> {};

TEST_P(SiluOrder, MulOfInputAndItsSigmoidFuses) {
  const bool sig_first = GetParam();
  Graph g;
  const int x = g.add_input("x", kDims);
  const int s = sigmoid(g, "sig", x);
  const int y = sig_first ? mul(g, "mul", s, x) : mul(g, "mul", x, s);
  g.mark_output(y);
  infer_shapes(g);
  const PassReport rep = optimize(g, true);
  EXPECT_EQ(rep.silu_fused, 1);
  EXPECT_EQ(rep.post_ops_fused, 0);  // x is a graph input: nothing to fuse into
  ASSERT_EQ(g.live_nodes().size(), 1u);
  const Node& n = g.node(0);
  EXPECT_EQ(n.name, "mul");
  EXPECT_EQ(n.kind, OpKind::Eltwise);
  EXPECT_EQ(n.attr<EltwiseAttrs>().alg, EltwiseAlg::SiLU);
  EXPECT_EQ(n.inputs, std::vector<int>{g.inputs[0]});
  EXPECT_EQ(n.fused, std::vector<std::string>{"sig"});
  ASSERT_EQ(g.outputs.size(), 1u);
  EXPECT_EQ(n.outputs, std::vector<int>{g.outputs[0]});
  EXPECT_EQ(g.value(g.outputs[0]).name, "mul");
  EXPECT_EQ(g.value(g.outputs[0]).desc.dims, kDims);
  g.validate();
}

INSTANTIATE_TEST_SUITE_P(Passes, SiluOrder, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "SigmoidFirst" : "InputFirst"; });

/// optimize() leaves the Sigmoid and the Mul as they are (nothing fused).
void expect_sigmoid_and_mul_kept(Graph& g) {
  infer_shapes(g);
  const PassReport rep = optimize(g, true);
  EXPECT_EQ(rep.silu_fused, 0);
  ASSERT_EQ(g.live_nodes().size(), 2u);
  EXPECT_EQ(g.node(0).attr<EltwiseAttrs>().alg, EltwiseAlg::Sigmoid);
  EXPECT_EQ(g.node(1).kind, OpKind::Binary);
}

TEST(Passes, SiluInputWithOtherConsumersStillFuses) {
  // x = relu(in) also feeds an Add: only the sigmoid must be private to the Mul.
  Graph g;
  const int in = g.add_input("in", kDims);
  const int x = g.add_node("relu", OpKind::Eltwise, EltwiseAttrs{}, {in});
  const int y = mul(g, "mul", x, sigmoid(g, "sig", x));
  g.mark_output(g.add_node("add", OpKind::Binary, BinaryAttrs{BinaryAlg::Add}, {y, x}));
  infer_shapes(g);
  EXPECT_EQ(fuse_silu(g), 1);
  EXPECT_TRUE(g.node(1).dead);  // the sigmoid
  EXPECT_EQ(g.node(2).attr<EltwiseAttrs>().alg, EltwiseAlg::SiLU);
  EXPECT_EQ(g.value(x).consumers, (std::vector<int>{2, 3}));
}

TEST(Passes, SigmoidWithTwoConsumersDoesNotFuseToSilu) {
  Graph g;
  const int x = g.add_input("x", kDims);
  const int s = sigmoid(g, "sig", x);
  const int y = mul(g, "mul", x, s);
  g.mark_output(g.add_node("add", OpKind::Binary, BinaryAttrs{BinaryAlg::Add}, {y, s}));
  infer_shapes(g);
  const PassReport rep = optimize(g, true);
  EXPECT_EQ(rep.silu_fused, 0);
  ASSERT_EQ(g.live_nodes().size(), 3u);
  EXPECT_EQ(g.node(1).kind, OpKind::Binary);
  EXPECT_EQ(g.node(1).attr<BinaryAttrs>().alg, BinaryAlg::Mul);
}

TEST(Passes, MulBySigmoidOfAnotherValueDoesNotFuseToSilu) {
  // The SE-block gate: x * sigmoid(y), y != x.
  Graph g;
  const int x = g.add_input("x", kDims);
  const int y = g.add_input("y", kDims);
  g.mark_output(mul(g, "mul", x, sigmoid(g, "sig", y)));
  expect_sigmoid_and_mul_kept(g);
}

TEST(Passes, SigmoidThatIsAGraphOutputDoesNotFuseToSilu) {
  Graph g;
  const int x = g.add_input("x", kDims);
  const int s = sigmoid(g, "sig", x);
  g.mark_output(mul(g, "mul", s, x));
  g.mark_output(s);
  expect_sigmoid_and_mul_kept(g);
}

TEST(Passes, ConvSigmoidMulBecomesConvWithSiluPostOp) {
  // efficientnet_b0 as PyTorch exports it: Conv -> Sigmoid, Mul(conv_out, sigmoid_out).
  Graph g;
  const int x = g.add_input("x", kDims);
  ConvAttrs a;
  a.out_channels = 16;
  a.kernel = {3, 3};
  a.pads = {1, 1, 1, 1};
  const int w = g.add_constant("conv.w", {16, 8, 3, 3}, std::vector<float>(16 * 8 * 9, 0.5f));
  const int c = g.add_node("conv", OpKind::Conv, a, {x, w});
  g.mark_output(mul(g, "mul", c, sigmoid(g, "sig", c)));
  infer_shapes(g);
  const PassReport rep = optimize(g, true);
  EXPECT_EQ(rep.silu_fused, 1);
  EXPECT_EQ(rep.post_ops_fused, 1);
  ASSERT_EQ(g.live_nodes().size(), 1u);
  const Node& n = g.node(0);
  EXPECT_EQ(n.kind, OpKind::Conv);
  ASSERT_EQ(n.post_ops.size(), 1u);
  EXPECT_EQ(n.post_ops[0].kind, PostOp::Kind::Eltwise);
  EXPECT_EQ(n.post_ops[0].eltwise.alg, EltwiseAlg::SiLU);
  EXPECT_EQ(n.post_ops[0].name, "mul");
  EXPECT_EQ(op_label(g, n), "Conv+SiLU");
  EXPECT_EQ(n.fused, (std::vector<std::string>{"sig", "mul"}));
  EXPECT_EQ(g.value(g.outputs[0]).name, "mul");
  EXPECT_EQ(g.value(g.outputs[0]).desc.dims, (Dims{1, 16, 6, 6}));
  g.validate();
}

TEST(Passes, NoFuseKeepsSigmoidMul) {
  Graph g;
  const int x = g.add_input("x", kDims);
  g.mark_output(mul(g, "mul", x, sigmoid(g, "sig", x)));
  infer_shapes(g);
  const PassReport rep = optimize(g, false);
  EXPECT_EQ(rep.silu_fused, 0);
  EXPECT_EQ(g.live_nodes().size(), 2u);
}

}  // namespace
}  // namespace rs
