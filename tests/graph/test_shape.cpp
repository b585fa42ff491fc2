// Shape inference: valid shapes per op kind and the errors for impossible ones.
#include <gtest/gtest.h>

#include "graph/shape.h"

namespace rs {
namespace {

/// Graph with input [dims] and one node of `kind` (weights as zero-filled constants of the given dims).
struct OneNode {
  Graph g;
  int x;
  explicit OneNode(const Dims& dims) { x = g.add_input("x", dims); }
  int constant(const Dims& d) { return g.add_constant("c" + std::to_string(g.values.size()), d, std::vector<float>(static_cast<std::size_t>(numel(d)))); }
  Dims infer(OpKind kind, Attrs attrs, std::vector<int> extra = {}) {
    std::vector<int> ins{x};
    ins.insert(ins.end(), extra.begin(), extra.end());
    const int out = g.add_node("n", kind, std::move(attrs), ins);
    infer_shapes(g);
    return g.value(out).desc.dims;
  }
};

ConvAttrs conv(std::int64_t oc, std::int64_t k, std::int64_t s = 1, std::int64_t p = 0, std::int64_t groups = 1) {
  ConvAttrs a;
  a.out_channels = oc;
  a.kernel = {k, k};
  a.stride = {s, s};
  a.pads = {p, p, p, p};
  a.groups = groups;
  return a;
}

TEST(Shape, ConvStridePadDilationGroups) {
  OneNode t({2, 32, 13, 17});
  ConvAttrs a = conv(64, 3, 2, 1, 4);
  a.dilation = {2, 1};
  a.pads = {2, 1, 1, 0};  // asymmetric: top, left, bottom, right
  // H: (13 + 2 + 1 - 2*2 - 1) / 2 + 1 = 6; W: (17 + 1 + 0 - 2 - 1) / 2 + 1 = 8
  EXPECT_EQ(t.infer(OpKind::Conv, a, {t.constant({64, 8, 3, 3})}), (Dims{2, 64, 6, 8}));
}

TEST(Shape, DepthwiseConv) {
  OneNode t({1, 32, 56, 56});
  EXPECT_EQ(t.infer(OpKind::Conv, conv(32, 3, 1, 1, 32), {t.constant({32, 1, 3, 3}), t.constant({32})}),
            (Dims{1, 32, 56, 56}));
}

TEST(Shape, GroupsMustDivideChannels) {
  OneNode t({1, 30, 8, 8});
  try {
    t.infer(OpKind::Conv, conv(64, 3, 1, 1, 4), {t.constant({64, 7, 3, 3})});
    FAIL() << "expected GraphError";
  } catch (const GraphError& e) {
    EXPECT_STREQ(e.what(), "node 'n' (Conv): groups 4 must divide C_in 30 and C_out 64 (src [1, 30, 8, 8])");
  }
}

TEST(Shape, KernelLargerThanPaddedInput) {
  OneNode t({1, 3, 4, 4});
  EXPECT_THROW(
      {
        try {
          t.infer(OpKind::Conv, conv(8, 7, 1, 1), {t.constant({8, 3, 7, 7})});
        } catch (const GraphError& e) {
          EXPECT_NE(std::string(e.what()).find("kernel 7x7 (dilation 1) is larger than the padded input [1, 3, 4, 4]"),
                    std::string::npos)
              << e.what();
          throw;
        }
      },
      GraphError);
}

TEST(Shape, ZeroDimRejected) {
  OneNode t({1, 0, 8, 8});
  EXPECT_THROW(t.infer(OpKind::Eltwise, EltwiseAttrs{}), GraphError);
}

TEST(Shape, WrongWeightsShapeNamesExpected) {
  OneNode t({1, 16, 8, 8});
  try {
    t.infer(OpKind::Conv, conv(32, 3), {t.constant({32, 16, 1, 1})});
    FAIL();
  } catch (const GraphError& e) {
    EXPECT_STREQ(e.what(), "node 'n' (Conv): weights must be [32, 16, 3, 3], got [32, 16, 1, 1]");
  }
}

TEST(Shape, DeconvWithOutputPadding) {
  OneNode t({1, 16, 7, 9});
  ConvAttrs a = conv(8, 3, 2, 1, 2);
  a.output_padding = {1, 0};
  // (7-1)*2 - 2 + 2 + 1 + 1 = 14; (9-1)*2 - 2 + 2 + 0 + 1 = 17
  EXPECT_EQ(t.infer(OpKind::Deconv, a, {t.constant({16, 4, 3, 3})}), (Dims{1, 8, 14, 17}));
}

TEST(Shape, FullyConnectedNeedsRank2) {
  OneNode t({1, 512, 1, 1});
  FcAttrs a{1000, false};
  EXPECT_THROW(t.infer(OpKind::FullyConnected, a, {t.constant({1000, 512})}), GraphError);
  OneNode u({3, 512});
  EXPECT_EQ(u.infer(OpKind::FullyConnected, a, {u.constant({1000, 512})}), (Dims{3, 1000}));
}

TEST(Shape, PoolCeilModeAsPyTorch) {
  PoolAttrs a;
  a.kernel = {3, 3};
  a.stride = {2, 2};
  a.ceil_mode = true;
  OneNode t({1, 64, 112, 112});  // squeezenet maxpool: ceil((112-3)/2)+1 = 56
  EXPECT_EQ(t.infer(OpKind::MaxPool, a), (Dims{1, 64, 56, 56}));
  a.ceil_mode = false;
  OneNode u({1, 64, 112, 112});
  EXPECT_EQ(u.infer(OpKind::MaxPool, a), (Dims{1, 64, 55, 55}));
  EXPECT_EQ(window_out_size(5, 2, 2, 1, 1, 1, true), 3);  // ceil gives 4, but the 4th window starts in the right padding: dropped
}

TEST(Shape, GlobalAvgPool) {
  OneNode t({2, 512, 7, 7});
  EXPECT_EQ(t.infer(OpKind::GlobalAvgPool, std::monostate{}), (Dims{2, 512, 1, 1}));
}

TEST(Shape, BinaryBroadcastAndError) {
  OneNode t({1, 16, 8, 8});
  EXPECT_EQ(t.infer(OpKind::Binary, BinaryAttrs{BinaryAlg::Mul}, {t.constant({1, 16, 1, 1})}), (Dims{1, 16, 8, 8}));
  OneNode u({1, 16, 8, 8});
  EXPECT_THROW(u.infer(OpKind::Binary, BinaryAttrs{BinaryAlg::Add}, {u.constant({1, 8, 1, 1})}), GraphError);
}

TEST(Shape, ConcatChecksOtherAxes) {
  Graph g;
  const int a = g.add_input("a", {1, 16, 8, 8});
  const int b = g.add_input("b", {1, 24, 8, 8});
  const int c = g.add_input("c", {1, 5, 8, 7});
  const int ok = g.add_node("cat", OpKind::Concat, ConcatAttrs{1}, {a, b});
  g.add_node("bad", OpKind::Concat, ConcatAttrs{1}, {a, c});
  EXPECT_THROW(infer_shapes(g), GraphError);
  EXPECT_EQ(g.value(ok).desc.dims, (Dims{1, 40, 8, 8}));
}

TEST(Shape, ReshapeZeroAndMinusOne) {
  OneNode t({2, 512, 1, 1});
  EXPECT_EQ(t.infer(OpKind::Reshape, ReshapeAttrs{{0, -1}}), (Dims{2, 512}));
  OneNode u({2, 512, 1, 1});
  EXPECT_THROW(u.infer(OpKind::Reshape, ReshapeAttrs{{3, -1}}), GraphError);
}

TEST(Shape, TransposeChannelShuffle) {
  OneNode t({1, 2, 58, 28, 28});
  EXPECT_EQ(t.infer(OpKind::Transpose, TransposeAttrs{{0, 2, 1, 3, 4}}), (Dims{1, 58, 2, 28, 28}));
  OneNode u({1, 2, 3});
  EXPECT_THROW(u.infer(OpKind::Transpose, TransposeAttrs{{0, 0, 1}}), GraphError);
}

TEST(Shape, SoftmaxAxisRange) {
  OneNode t({1, 1000});
  EXPECT_THROW(t.infer(OpKind::Softmax, SoftmaxAttrs{2}), GraphError);
}

TEST(Graph, RejectsUnknownValueAndDuplicateName) {
  Graph g;
  const int x = g.add_input("x", {1, 3});
  EXPECT_THROW(g.add_node("n", OpKind::Eltwise, EltwiseAttrs{}, {x + 5}), GraphError);
  g.add_node("n", OpKind::Eltwise, EltwiseAttrs{}, {x});
  EXPECT_THROW(g.add_node("n", OpKind::Eltwise, EltwiseAttrs{}, {x}), GraphError);
}

}  // namespace
}  // namespace rs
