// The importer's normalization, activation and Linear mappings on small C++-built models: LayerNormalization (opset 17),
// torch's decomposed LayerNorm (opset 13) and GELU / Mish subgraphs folded at load time into one node each, Erf,
// Sqrt, Pow, Softplus, InstanceNormalization and ReduceMean over any axes, checked against host formulas through
// the Executor (relative L2 <= 1e-5), and the errors that name the node.
#include <cmath>

#include <gtest/gtest.h>

#include "graph/onnx/import.h"
#include "onnx_builder.h"
#include "onnx_test_util.h"

namespace rs::test {
namespace {

Graph import(const OnnxBuilder& b) { return import_onnx_bytes(b.bytes(), "test.onnx"); }

/// Live nodes of `kind` (Eltwise: of `alg`).
int count(const Graph& g, OpKind kind, EltwiseAlg alg = EltwiseAlg::kCount) {
  int n = 0;
  for (int id : g.live_nodes())
    n += g.node(id).kind == kind && (alg == EltwiseAlg::kCount || g.node(id).attr<EltwiseAttrs>().alg == alg);
  return n;
}

HostTensor seeded(const Dims& dims, float scale) {
  HostTensor t{dims, std::vector<float>(static_cast<std::size_t>(numel(dims)))};
  for (std::size_t i = 0; i < t.data.size(); ++i) t.data[i] = scale * std::sin(0.37f * float(i) + 0.1f);
  return t;
}

/// LayerNorm over the last axis of [rows, cols] data with gamma = 1 + 0.1 c, beta = 0.05 c.
HostTensor last_axis_layernorm(const HostTensor& x, float eps) {
  const std::int64_t cols = x.dims.back(), rows = numel(x.dims) / cols;
  HostTensor y = x;
  for (std::int64_t r = 0; r < rows; ++r) {
    double mean = 0, var = 0;
    for (std::int64_t c = 0; c < cols; ++c) mean += x.data[r * cols + c];
    mean /= double(cols);
    for (std::int64_t c = 0; c < cols; ++c) var += std::pow(x.data[r * cols + c] - mean, 2);
    var /= double(cols);
    for (std::int64_t c = 0; c < cols; ++c)
      y.data[r * cols + c] = float((x.data[r * cols + c] - mean) / std::sqrt(var + eps) * (1 + 0.1 * c) + 0.05 * c);
  }
  return y;
}

std::vector<float> ramp(std::int64_t n, float a, float b) {
  std::vector<float> v(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = a + b * float(i);
  return v;
}

/// torch 1.13's F.layer_norm at opset 13 over the last axis of x [1, 4, 5, 8] (channels-last, as convnext's).
OnnxBuilder decomposed_layernorm() {
  OnnxBuilder b(13);
  b.input("x", {1, 4, 5, 8}).output("y");
  b.init("two", {}, {2.f}).init("eps", {}, {1e-6f}).init("g", {8}, ramp(8, 1.f, 0.1f)).init("b", {8}, ramp(8, 0.f, 0.05f));
  attr_ints(b.node("ReduceMean", {"x"}, {"m"}, "ln/ReduceMean"), "axes", {-1});
  b.node("Sub", {"x", "m"}, {"d"}, "ln/Sub");
  b.node("Pow", {"d", "two"}, {"p"}, "ln/Pow");
  attr_ints(b.node("ReduceMean", {"p"}, {"v"}, "ln/ReduceMean_1"), "axes", {-1});
  b.node("Add", {"v", "eps"}, {"ve"}, "ln/Add");
  b.node("Sqrt", {"ve"}, {"s"}, "ln/Sqrt");
  b.node("Div", {"d", "s"}, {"n"}, "ln/Div");
  b.node("Mul", {"n", "g"}, {"ng"}, "ln/Mul");
  b.node("Add", {"ng", "b"}, {"y"}, "ln/Add_1");
  return b;
}

TEST(ImportLayerNorm, DecomposedPatternFoldsIntoOneLayerNorm) {
  const Graph g = import(decomposed_layernorm());
  ASSERT_EQ(g.live_nodes().size(), 1u);
  const Node& n = g.node(g.live_nodes()[0]);
  ASSERT_EQ(n.kind, OpKind::LayerNorm);
  EXPECT_EQ(n.name, "ln/Add_1");
  EXPECT_EQ(n.fused.size(), 8u);
  const auto& a = n.attr<LayerNormAttrs>();
  EXPECT_EQ(a.begin_axis, 3);
  EXPECT_EQ(a.end_axis, 4);
  EXPECT_FLOAT_EQ(a.epsilon, 1e-6f);
  EXPECT_TRUE(a.has_scale && a.has_shift);
  const HostTensor x = seeded({1, 4, 5, 8}, 2.f);
  for (const bool fuse : {true, false})
    EXPECT_LE(rel_l2(run_graph(g, x, fuse), last_axis_layernorm(x, 1e-6f)), 1e-5);
}

TEST(ImportLayerNorm, PatternWithAnotherReaderOfAnIntermediateStaysDecomposed) {
  OnnxBuilder b = decomposed_layernorm();
  b.output("s");  // the Sqrt is a graph output: nothing may disappear
  const Graph g = import(b);
  EXPECT_EQ(count(g, OpKind::LayerNorm), 0);
  EXPECT_EQ(count(g, OpKind::ReduceMean), 2);
  const HostTensor x = seeded({1, 4, 5, 8}, 2.f);
  EXPECT_LE(rel_l2(run_graph(g, x, true), last_axis_layernorm(x, 1e-6f)), 1e-5);
}

// torch's LayerNorm2d: permute to channels-last, LayerNorm over C, permute back -> one LayerNorm over axis 1.
TEST(ImportLayerNorm, ChannelsFirstLayerNormKeepsNoTranspose) {
  OnnxBuilder b(17);
  b.input("x", {1, 8, 3, 5}).output("y").init("g", {8}, ramp(8, 1.f, 0.1f)).init("b", {8}, ramp(8, 0.f, 0.05f));
  attr_ints(b.node("Transpose", {"x"}, {"t"}, "to_nhwc"), "perm", {0, 2, 3, 1});
  attr_int(b.node("LayerNormalization", {"t", "g", "b"}, {"n"}, "ln"), "axis", -1);
  attr_ints(b.node("Transpose", {"n"}, {"y"}, "to_nchw"), "perm", {0, 3, 1, 2});
  const Graph g = import(b);
  ASSERT_EQ(g.live_nodes().size(), 1u);
  const Node& n = g.node(g.live_nodes()[0]);
  ASSERT_EQ(n.kind, OpKind::LayerNorm);
  EXPECT_EQ(n.attr<LayerNormAttrs>().begin_axis, 1);
  EXPECT_EQ(n.attr<LayerNormAttrs>().end_axis, 2);
  const HostTensor x = seeded({1, 8, 3, 5}, 2.f);
  HostTensor xt{{1, 3, 5, 8}, std::vector<float>(120)};  // x channels-last, normalized, back
  for (int c = 0; c < 8; ++c)
    for (int p = 0; p < 15; ++p) xt.data[p * 8 + c] = x.data[c * 15 + p];
  const HostTensor yt = last_axis_layernorm(xt, 1e-5f);
  HostTensor want = x;
  for (int c = 0; c < 8; ++c)
    for (int p = 0; p < 15; ++p) want.data[c * 15 + p] = yt.data[p * 8 + c];
  for (const bool fuse : {true, false}) EXPECT_LE(rel_l2(run_graph(g, x, fuse), want), 1e-5);
}

/// y = x W + bias for x [rows, K] (row-major), W [K, M].
HostTensor linear(const HostTensor& x, const std::vector<float>& w, const std::vector<float>& bias) {
  const std::int64_t k = x.dims.back(), m = static_cast<std::int64_t>(bias.size()), rows = numel(x.dims) / k;
  HostTensor y{x.dims, std::vector<float>(static_cast<std::size_t>(rows * m))};
  y.dims.back() = m;
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t j = 0; j < m; ++j) {
      double acc = bias[j];
      for (std::int64_t i = 0; i < k; ++i) acc += double(x.data[r * k + i]) * w[i * m + j];
      y.data[r * m + j] = float(acc);
    }
  return y;
}

TEST(ImportLinear, MatMulThenAddOfAConstantBecomesOneFcWithBias) {
  for (const Dims& bias_dims : {Dims{6}, Dims{1, 1, 6}}) {  // nn.Linear's bias; a broadcast [1, 1, M] one
    OnnxBuilder b(13);
    b.input("x", {1, 4, 5, 8}).output("y").init("w", {8, 6}, ramp(48, -0.5f, 0.02f)).init("bias", bias_dims,
                                                                                          ramp(6, 0.3f, -0.1f));
    b.node("MatMul", {"x", "w"}, {"xw"}, "fc/MatMul");
    b.node("Add", {"xw", "bias"}, {"y"}, "fc/Add");
    const Graph g = import(b);
    EXPECT_EQ(count(g, OpKind::Binary), 0);
    ASSERT_EQ(count(g, OpKind::FullyConnected), 1);
    for (int id : g.live_nodes())
      if (g.node(id).kind == OpKind::FullyConnected) EXPECT_TRUE(g.node(id).attr<FcAttrs>().has_bias);
    const HostTensor x = seeded({1, 4, 5, 8}, 1.5f);
    const HostTensor want = linear(x, ramp(48, -0.5f, 0.02f), ramp(6, 0.3f, -0.1f));
    for (const bool fuse : {true, false}) EXPECT_LE(rel_l2(run_graph(g, x, fuse), want), 1e-5);
  }
}

TEST(ImportLinear, AnAddOfAnotherShapeStaysAnAdd) {
  OnnxBuilder b(13);
  b.input("x", {1, 4, 5, 8}).output("y").init("w", {8, 6}, ramp(48, -0.5f, 0.02f)).init("c", {5, 6}, ramp(30, 0, 1));
  b.node("MatMul", {"x", "w"}, {"xw"}, "fc/MatMul");
  b.node("Add", {"xw", "c"}, {"y"}, "fc/Add");  // varies along H too: not a bias
  EXPECT_EQ(count(import(b), OpKind::Binary), 1);
}

/// x [1, C, H, W] as [1, H, W, C] (to_nhwc) or back (to_nchw, x then [1, H, W, C]).
HostTensor permuted(const HostTensor& x, bool to_nhwc) {
  const std::int64_t c = to_nhwc ? x.dims[1] : x.dims[3], p = numel(x.dims) / c;
  HostTensor y{to_nhwc ? Dims{1, x.dims[2], x.dims[3], c} : Dims{1, c, x.dims[1], x.dims[2]}, x.data};
  for (std::int64_t i = 0; i < c; ++i)
    for (std::int64_t j = 0; j < p; ++j) {
      if (to_nhwc) y.data[j * c + i] = x.data[i * p + j];
      else y.data[i * p + j] = x.data[j * c + i];
    }
  return y;
}

/// convnext's block body: Transpose -> LayerNorm -> Linear(8 -> 12) -> Relu -> Linear(12 -> 8) -> Transpose.
OnnxBuilder channels_last_block(bool extra_reader) {
  OnnxBuilder b(17);
  b.input("x", {1, 8, 3, 5}).output("y").init("g", {8}, ramp(8, 1.f, 0.1f)).init("b", {8}, ramp(8, 0.f, 0.05f));
  b.init("w1", {8, 12}, ramp(96, -0.4f, 0.01f)).init("b1", {12}, ramp(12, 0.1f, -0.02f));
  b.init("w2", {12, 8}, ramp(96, 0.3f, -0.007f)).init("b2", {8}, ramp(8, -0.2f, 0.03f));
  attr_ints(b.node("Transpose", {"x"}, {"t"}, "to_nhwc"), "perm", {0, 2, 3, 1});
  attr_int(b.node("LayerNormalization", {"t", "g", "b"}, {"n"}, "ln"), "axis", -1);
  b.node("MatMul", {"n", "w1"}, {"h1"}, "fc1/MatMul");
  b.node("Add", {"h1", "b1"}, {"a1"}, "fc1/Add");
  b.node("Relu", {"a1"}, {"r"}, "act");
  b.node("MatMul", {"r", "w2"}, {"h2"}, "fc2/MatMul");
  b.node("Add", {"h2", "b2"}, {"a2"}, "fc2/Add");
  attr_ints(b.node("Transpose", {"a2"}, {"y"}, "to_nchw"), "perm", {0, 3, 1, 2});
  if (extra_reader) b.output("r");  // an intermediate the graph also returns: the chain must stay as written
  return b;
}

TEST(ImportChannelsLast, ConvNextBlockRunsOnNchwWithoutTransposes) {
  const Graph g = import(channels_last_block(false));
  EXPECT_EQ(count(g, OpKind::Transpose), 0);
  EXPECT_EQ(count(g, OpKind::Reshape), 0);
  EXPECT_EQ(count(g, OpKind::Conv), 2);  // the Linears as 1x1 Convs with their biases
  const HostTensor x = seeded({1, 8, 3, 5}, 2.f);
  HostTensor h = linear(last_axis_layernorm(permuted(x, true), 1e-5f), ramp(96, -0.4f, 0.01f), ramp(12, 0.1f, -0.02f));
  for (float& v : h.data) v = std::max(v, 0.f);
  const HostTensor want = permuted(linear(h, ramp(96, 0.3f, -0.007f), ramp(8, -0.2f, 0.03f)), false);
  for (const bool fuse : {true, false}) EXPECT_LE(rel_l2(run_graph(g, x, fuse), want), 1e-5);
}

TEST(ImportChannelsLast, AnIntermediateReadElsewhereKeepsTheTransposes) {
  EXPECT_EQ(count(import(channels_last_block(true)), OpKind::Transpose), 2);
}

TEST(ImportLayerNorm, Opset17LayerNormalization) {
  OnnxBuilder b(17);
  b.input("x", {2, 3, 8}).output("y").init("g", {8}, ramp(8, 1.f, 0.1f)).init("b", {8}, ramp(8, 0.f, 0.05f));
  auto& n = b.node("LayerNormalization", {"x", "g", "b"}, {"y"}, "ln");
  attr_int(n, "axis", -1);
  attr_float(n, "epsilon", 1e-5f);
  const Graph g = import(b);
  ASSERT_EQ(count(g, OpKind::LayerNorm), 1);
  const HostTensor x = seeded({2, 3, 8}, 3.f);
  EXPECT_LE(rel_l2(run_graph(g, x, true), last_axis_layernorm(x, 1e-5f)), 1e-5);
}

TEST(ImportLayerNorm, MeanOutputIsUnsupportedNamingTheNode) {
  OnnxBuilder b(17);
  b.input("x", {2, 8}).output("y").init("g", {8}, ramp(8, 1.f, 0.f));
  b.node("LayerNormalization", {"x", "g"}, {"y", "mean"}, "ln");
  EXPECT_THROW(
      {
        try {
          import(b);
        } catch (const OnnxError& e) {
          EXPECT_NE(std::string(e.what()).find("node 'ln' (op_type LayerNormalization, opset 17)"), std::string::npos);
          throw;
        }
      },
      OnnxError);
}

struct GeluOrder {
  const char* name;
  int variant;  ///< 0: (x * a) * 0.5; 1: x * (a * 0.5); 2: (x * 0.5) * a; 3: as 0 with x * (1/sqrt 2)
};
void PrintTo(const GeluOrder& c, std::ostream* os) { *os << c.name; }

class ImportGelu : public ::testing::TestWithParam<GeluOrder> {};

TEST_P(ImportGelu, FoldsIntoGeluErf) {
  const int v = GetParam().variant;
  OnnxBuilder b(13);
  b.input("x", {1, 6, 4, 4}).output("y");
  b.init("k", {}, {v == 3 ? float(std::sqrt(0.5)) : float(std::sqrt(2.0))}).init("one", {}, {1.f}).init("half", {}, {0.5f});
  b.node(v == 3 ? "Mul" : "Div", {"x", "k"}, {"u"}, "gelu/Div");
  b.node("Erf", {"u"}, {"e"}, "gelu/Erf");
  b.node("Add", {"e", "one"}, {"a"}, "gelu/Add");
  if (v == 1) {
    b.node("Mul", {"a", "half"}, {"h"}, "gelu/Mul");
    b.node("Mul", {"x", "h"}, {"y"}, "gelu/Mul_1");
  } else if (v == 2) {
    b.node("Mul", {"x", "half"}, {"h"}, "gelu/Mul");
    b.node("Mul", {"h", "a"}, {"y"}, "gelu/Mul_1");
  } else {
    b.node("Mul", {"x", "a"}, {"h"}, "gelu/Mul");
    b.node("Mul", {"h", "half"}, {"y"}, "gelu/Mul_1");
  }
  const Graph g = import(b);
  ASSERT_EQ(g.live_nodes().size(), 1u);
  EXPECT_EQ(count(g, OpKind::Eltwise, EltwiseAlg::GeluErf), 1);
  const HostTensor x = seeded({1, 6, 4, 4}, 3.f);
  HostTensor want = x;
  for (float& t : want.data) t = float(0.5 * t * (1 + std::erf(t / std::sqrt(2.0))));
  EXPECT_LE(rel_l2(run_graph(g, x, true), want), 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Orders, ImportGelu,
                         ::testing::Values(GeluOrder{"Torch", 0}, GeluOrder{"HalfFirst", 1}, GeluOrder{"XHalf", 2},
                                           GeluOrder{"MulBySqrtHalf", 3}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ImportActivations, ErfSqrtPowSoftplusAndMish) {
  OnnxBuilder b(13);
  b.input("x", {1, 4, 3, 5}).output("y").init("p", {}, {2.f});
  b.node("Erf", {"x"}, {"e"}, "erf");
  b.node("Pow", {"e", "p"}, {"q"}, "pow");  // erf^2 >= 0
  b.node("Sqrt", {"q"}, {"r"}, "sqrt");     // |erf|
  b.node("Softplus", {"r"}, {"s"}, "softplus");
  b.node("Tanh", {"s"}, {"t"}, "tanh");
  b.node("Mul", {"r", "t"}, {"y"}, "mish");  // mish(|erf(x)|)
  const Graph g = import(b);
  EXPECT_EQ(count(g, OpKind::Eltwise, EltwiseAlg::Mish), 1);
  EXPECT_EQ(count(g, OpKind::Eltwise, EltwiseAlg::Softplus), 0);
  EXPECT_EQ(count(g, OpKind::Eltwise, EltwiseAlg::Erf), 1);
  const HostTensor x = seeded({1, 4, 3, 5}, 2.f);
  HostTensor want = x;
  for (float& v : want.data) {
    const double r = std::fabs(std::erf(double(v)));
    v = float(r * std::tanh(std::log1p(std::exp(r))));
  }
  for (const bool fuse : {true, false}) EXPECT_LE(rel_l2(run_graph(g, x, fuse), want), 1e-5);
}

TEST(ImportActivations, PowByAComputedExponentIsUnsupported) {
  OnnxBuilder b(13);
  b.input("x", {1, 4}).output("y");
  b.node("Pow", {"x", "x"}, {"y"}, "pow");
  try {
    import(b);
    FAIL() << "expected OnnxError";
  } catch (const OnnxError& e) {
    EXPECT_NE(std::string(e.what()).find("node 'pow' (op_type Pow, opset 13): input 1 (Y (exponent)"),
              std::string::npos) << e.what();
  }
}

TEST(ImportNorm, InstanceNormalization) {
  OnnxBuilder b(13);
  b.input("x", {2, 3, 4, 5}).output("y").init("s", {3}, {1.f, 2.f, 0.5f}).init("b", {3}, {0.f, 1.f, -1.f});
  attr_float(b.node("InstanceNormalization", {"x", "s", "b"}, {"y"}, "in"), "epsilon", 1e-5f);
  const Graph g = import(b);
  ASSERT_EQ(count(g, OpKind::InstanceNorm), 1);
  const HostTensor x = seeded({2, 3, 4, 5}, 2.f);
  HostTensor want = x;
  const float s[] = {1.f, 2.f, 0.5f}, sh[] = {0.f, 1.f, -1.f};
  for (int p = 0; p < 6; ++p) {
    double mean = 0, var = 0;
    for (int i = 0; i < 20; ++i) mean += x.data[p * 20 + i] / 20.0;
    for (int i = 0; i < 20; ++i) var += std::pow(x.data[p * 20 + i] - mean, 2) / 20.0;
    for (int i = 0; i < 20; ++i)
      want.data[p * 20 + i] = float((x.data[p * 20 + i] - mean) / std::sqrt(var + 1e-5) * s[p % 3] + sh[p % 3]);
  }
  EXPECT_LE(rel_l2(run_graph(g, x, true), want), 1e-5);
}

TEST(ImportReduce, ReduceMeanOverAnyAxesBothKeepdims) {
  for (const int keep : {0, 1}) {
    OnnxBuilder b(13);
    b.input("x", {2, 3, 4}).output("y");
    auto& n = b.node("ReduceMean", {"x"}, {"y"}, "mean");
    attr_ints(n, "axes", {0, -1});
    attr_int(n, "keepdims", keep);
    const Graph g = import(b);
    ASSERT_EQ(count(g, OpKind::ReduceMean), 1);
    const HostTensor x = seeded({2, 3, 4}, 1.f);
    HostTensor want{keep ? Dims{1, 3, 1} : Dims{3}, std::vector<float>(3, 0.f)};
    for (int n0 = 0; n0 < 2; ++n0)
      for (int c = 0; c < 3; ++c)
        for (int w = 0; w < 4; ++w) want.data[static_cast<std::size_t>(c)] += x.data[(n0 * 3 + c) * 4 + w] / 8.f;
    const HostTensor got = run_graph(g, x, true);
    EXPECT_EQ(got.dims, want.dims);
    EXPECT_LE(rel_l2(got, want), 1e-5);
  }
}

}  // namespace
}  // namespace rs::test
