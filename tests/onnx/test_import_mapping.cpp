// ONNX op mappings on small C++-built models, checked numerically against hand-computed results through the
// Executor (tolerance: 1e-5 relative L2, f32 dot products of <= 4 terms), and the load-time folding of torch's
// Shape -> Gather -> Unsqueeze -> Concat -> Reshape chains, the removal of Identity/Dropout, the input overrides.
#include <algorithm>

#include <gtest/gtest.h>

#include "graph/onnx/import.h"
#include "graph/passes.h"
#include "onnx_builder.h"
#include "onnx_test_util.h"
#include "runtime/executor.h"
#include "runtime/topology.h"

namespace rs::test {
namespace {

Graph import(const OnnxBuilder& b, const OnnxOptions& o = {}) { return import_onnx_bytes(b.bytes(), "test.onnx", o); }

struct GemmCase {
  const char* name;
  bool trans_b;
  float alpha, beta;
  std::vector<std::int64_t> c_dims;  ///< empty: no C
};
void PrintTo(const GemmCase& c, std::ostream* os) { *os << c.name; }

class GemmMapping : public ::testing::TestWithParam<GemmCase> {};

// A [2, 4] x B -> [2, 3]: Y = alpha * A op(B) + beta * C.
TEST_P(GemmMapping, MatchesFormula) {
  const GemmCase& p = GetParam();
  const std::vector<float> a{1, 2, 3, 4, -1, 0.5f, 2, -3};
  std::vector<float> w(12);  // W [3, 4] (row m = output m)
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = 0.25f * static_cast<float>(i) - 1.f;
  std::vector<float> b(12);  // B as stored: W, or W^T [4, 3]
  for (std::size_t m = 0; m < 3; ++m)
    for (std::size_t k = 0; k < 4; ++k) b[p.trans_b ? m * 4 + k : k * 3 + m] = w[m * 4 + k];
  const std::vector<float> c{0.5f, -1.f, 2.f};
  OnnxBuilder mb;
  mb.input("a", {2, 4}).output("y").init("b", p.trans_b ? std::vector<std::int64_t>{3, 4} : std::vector<std::int64_t>{4, 3}, b);
  std::vector<std::string> ins{"a", "b"};
  if (!p.c_dims.empty()) {
    mb.init("c", p.c_dims, p.c_dims == std::vector<std::int64_t>{1} ? std::vector<float>{c[0]} : c);
    ins.push_back("c");
  }
  auto& n = mb.node("Gemm", ins, {"y"}, "fc");
  attr_int(n, "transB", p.trans_b);
  attr_float(n, "alpha", p.alpha);
  attr_float(n, "beta", p.beta);
  HostTensor want{{2, 3}, std::vector<float>(6)};
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t m = 0; m < 3; ++m) {
      float dot = 0;
      for (std::size_t k = 0; k < 4; ++k) dot += a[r * 4 + k] * w[m * 4 + k];
      const float bias = p.c_dims.empty() ? 0.f : p.beta * (p.c_dims.size() == 1 && p.c_dims[0] == 1 ? c[0] : c[m]);
      want.data[r * 3 + m] = p.alpha * dot + bias;
    }
  const Graph g = import(mb);
  EXPECT_EQ(g.node(g.live_nodes().at(0)).kind, OpKind::FullyConnected);
  EXPECT_LE(rel_l2(run_graph(g, {{2, 4}, a}, true), want), 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Cases, GemmMapping,
                         ::testing::Values(GemmCase{"TransB", true, 1.f, 1.f, {3}},
                                           GemmCase{"NoTransB", false, 1.f, 1.f, {3}},
                                           GemmCase{"AlphaBetaRowC", false, 0.5f, 2.f, {1, 3}},
                                           GemmCase{"ScalarC", true, 1.f, -1.f, {1}},
                                           GemmCase{"NoC", true, 2.f, 1.f, {}}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(OnnxMapping, FoldsTorchFlattenShapeChain) {
  // torch.flatten / x.view(x.size(0), -1) with a traced size: Shape -> Gather(0) -> Unsqueeze -> Concat([n, -1]).
  OnnxBuilder b(11);
  b.input("x", {2, 3, 4, 4}).output("y").init_i64("zero", {}, {0}).init_i64("minus1", {1}, {-1});
  b.node("Shape", {"x"}, {"shape"});
  b.node("Gather", {"shape", "zero"}, {"n"});
  attr_ints(b.node("Unsqueeze", {"n"}, {"n1"}), "axes", {0});
  attr_int(b.node("Concat", {"n1", "minus1"}, {"target"}), "axis", 0);
  b.node("Reshape", {"x", "target"}, {"y"}, "flatten");
  const Graph g = import(b);
  ASSERT_EQ(g.live_nodes().size(), 1u);
  const Node& n = g.node(g.live_nodes()[0]);
  EXPECT_EQ(n.kind, OpKind::Reshape);
  EXPECT_EQ(g.value(n.outputs[0]).desc.dims, (Dims{2, 48}));
  EXPECT_EQ(g.value(g.outputs[0]).name, "y");
}

TEST(OnnxMapping, RemovesIdentityDropoutAndNoOpPad) {
  OnnxBuilder b;
  b.input("x", {1, 2, 3, 3}).output("y").init_i64("pads", {8}, std::vector<std::int64_t>(8, 0));
  b.node("Identity", {"x"}, {"a"});
  b.node("Dropout", {"a"}, {"b"});
  b.node("Pad", {"b", "pads"}, {"c"});
  b.node("Relu", {"c"}, {"y"}, "relu");
  const Graph g = import(b);
  ASSERT_EQ(g.live_nodes().size(), 1u);
  EXPECT_EQ(g.node(g.live_nodes()[0]).name, "relu");
}

TEST(OnnxMapping, ClipBecomesReluOrClip) {
  OnnxBuilder relu;
  relu.input("x", {1, 4}).output("y").init("lo", {}, {0.f});
  relu.node("Clip", {"x", "lo"}, {"y"});
  const Graph g1 = import(relu);
  EXPECT_EQ(g1.node(0).attr<EltwiseAttrs>().alg, EltwiseAlg::Relu);
  OnnxBuilder relu6;
  relu6.input("x", {1, 4}).output("y").init("lo", {}, {0.f}).init("hi", {}, {6.f});
  relu6.node("Clip", {"x", "lo", "hi"}, {"y"});
  const Graph g2 = import(relu6);
  const auto& a = g2.node(0).attr<EltwiseAttrs>();
  EXPECT_EQ(a.alg, EltwiseAlg::Clip);
  EXPECT_EQ(a.alpha, 0.f);
  EXPECT_EQ(a.beta, 6.f);
}

TEST(OnnxMapping, HardSigmoidTimesInputBecomesHardSwish) {
  OnnxBuilder b(13);
  b.input("x", {1, 4, 2, 2}).output("y");
  auto& h = b.node("HardSigmoid", {"x"}, {"h"}, "hsig");
  attr_float(h, "alpha", 1.f / 6.f);
  b.node("Mul", {"x", "h"}, {"y"}, "mul");
  const Graph g = import(b);
  ASSERT_EQ(g.live_nodes().size(), 1u);
  const Node& n = g.node(g.live_nodes()[0]);
  EXPECT_EQ(n.attr<EltwiseAttrs>().alg, EltwiseAlg::HardSwish);
  EXPECT_EQ(n.fused, std::vector<std::string>{"hsig"});
}

TEST(OnnxMapping, SplitBecomesSlicesAndUnusedPartsAreDropped) {
  OnnxBuilder b(13);
  b.input("x", {1, 6, 2, 2}).output("y").init_i64("split", {3}, {1, 2, 3});
  attr_int(b.node("Split", {"x", "split"}, {"p0", "p1", "p2"}, "split"), "axis", 1);
  b.node("Relu", {"p2"}, {"y"}, "relu");
  const Graph g = import(b);
  ASSERT_EQ(g.live_nodes().size(), 2u);
  const Node& s = g.node(g.live_nodes()[0]);
  EXPECT_EQ(s.name, "split:2");
  EXPECT_EQ(s.attr<SliceAttrs>().begin, (Dims{0, 3, 0, 0}));
  EXPECT_EQ(s.attr<SliceAttrs>().end, (Dims{1, 6, 2, 2}));
  HostTensor x{{1, 6, 2, 2}, std::vector<float>(24)};
  for (std::size_t i = 0; i < 24; ++i) x.data[i] = static_cast<float>(i) - 15.f;
  const HostTensor y = run_graph(g, x, true);
  for (std::size_t i = 0; i < 12; ++i) EXPECT_EQ(y.data[i], std::max(x.data[12 + i], 0.f));
}

TEST(OnnxMapping, BinaryOperandsAreOrderedAndBroadcast) {
  // SE block: Mul(scale [N, C, 1, 1], x [N, C, H, W]) and Add(x, bias [C, 1, 1]) (numpy rank alignment).
  OnnxBuilder b;
  b.input("x", {1, 2, 2, 2}).input("s", {1, 2, 1, 1}).output("y").init("bias", {2, 1, 1}, {10.f, 20.f});
  b.node("Mul", {"s", "x"}, {"m"}, "scale");
  b.node("Add", {"m", "bias"}, {"y"}, "shift");
  const Graph g = import(b);
  EXPECT_EQ(g.value(g.node(1).inputs[1]).desc.dims, (Dims{1, 2, 1, 1}));
  const HostTensor x{{1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}};
  // Two inputs: run through the executor by hand.
  bind_threads(1, true);
  Graph opt = g;
  optimize(opt, true);
  Executor exec(std::move(opt));
  exec.set_input(0, x);
  exec.set_input(1, {{1, 2, 1, 1}, {2.f, -1.f}});
  exec.run();
  EXPECT_EQ(exec.output(0).data, (std::vector<float>{12, 14, 16, 18, 15, 14, 13, 12}));
}

TEST(OnnxMapping, InputOverrides) {
  OnnxBuilder b;
  b.input("x", {-1, 3, -1, -1}).output("y");
  b.node("Relu", {"x"}, {"y"});
  OnnxOptions size;
  size.size = 32;
  EXPECT_EQ(import(b, size).value(0).desc.dims, (Dims{1, 3, 32, 32}));  // dynamic batch -> 1
  OnnxOptions shape;
  shape.input_shape = {4, 3, 8, 16};
  EXPECT_EQ(import(b, shape).value(0).desc.dims, (Dims{4, 3, 8, 16}));
  OnnxBuilder fixed;
  fixed.input("x", {1, 3, 8, 8}).output("y");
  fixed.node("Relu", {"x"}, {"y"});
  OnnxOptions batch;
  batch.batch = 2;
  EXPECT_EQ(import(fixed, batch).value(0).desc.dims, (Dims{2, 3, 8, 8}));
}

TEST(OnnxMapping, SupportedOpsAreSortedAndCoverTheIssueList) {
  const auto ops = onnx_supported_ops();
  EXPECT_TRUE(std::is_sorted(ops.begin(), ops.end()));
  for (const char* op : {"Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization", "Relu", "Clip", "LeakyRelu",
                         "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Mul", "Add", "Div", "Sub", "MaxPool",
                         "AveragePool", "GlobalAveragePool", "ReduceMean", "Concat", "Flatten", "Reshape", "Transpose",
                         "Slice", "Split", "Softmax", "Pad", "Dropout", "Identity", "Shape", "Gather", "Unsqueeze"})
    EXPECT_TRUE(std::binary_search(ops.begin(), ops.end(), op)) << op;
}

}  // namespace
}  // namespace rs::test
