// Binary kernel vs reference: same-shape, channel-broadcast and scalar operands, activation or constant on either
// side, plain and nChw8c producers. Tolerance (relative L2): 1e-6 (one correctly rounded op per element).
#include <gtest/gtest.h>

#include "kernel_harness.h"
#include "kernels/dnnl_util.h"
#include "mem_op_check.h"

namespace rs::test {
namespace {

struct BinCase {
  const char* name;
  BinaryAlg alg;
  Dims a;
  Dims b;
  bool a_constant;
  bool b_constant;
};
void PrintTo(const BinCase& c, std::ostream* os) { *os << c.name; }

/// Constant operand data in [0.5, 2) so Div stays well conditioned.
Operand operand(const Dims& dims, bool constant, std::uint32_t seed) {
  if (!constant) return {dims, {}};
  return {dims, random_data(numel(dims), seed, 0.5f, 2.f)};
}

const BinCase kBinCases[] = {
    {"AddSameShape", BinaryAlg::Add, {2, 30, 7, 9}, {2, 30, 7, 9}, false, false},
    {"MulBroadcastNC11", BinaryAlg::Mul, {2, 30, 7, 9}, {2, 30, 1, 1}, false, false},
    {"MulBroadcast1C11", BinaryAlg::Mul, {1, 3, 13, 17}, {1, 3, 1, 1}, false, false},
    {"AddBroadcast1C11Constant", BinaryAlg::Add, {2, 30, 7, 9}, {1, 30, 1, 1}, false, true},
    {"MulScalarConstant", BinaryAlg::Mul, {1, 3, 13, 17}, {1}, false, true},
    {"DivScalarConstant", BinaryAlg::Div, {2, 30, 7, 9}, {1, 1, 1, 1}, false, true},
    {"SubScalarActivation", BinaryAlg::Sub, {1, 16, 5, 5}, {1}, false, false},
    {"SubConstantMinusActivation", BinaryAlg::Sub, {1, 3, 13, 17}, {1, 3, 13, 17}, true, false},
    {"DivSameShapeConstant", BinaryAlg::Div, {1, 20, 6, 6}, {1, 20, 6, 6}, false, true},
    {"AddRowBroadcast2D", BinaryAlg::Add, {4, 1000}, {1, 1000}, false, true},
};

class BinaryTest : public ::testing::TestWithParam<BinCase> {};

TEST_P(BinaryTest, MatchesReference) {
  const BinCase& c = GetParam();
  const SingleNode t = single_node(OpKind::Binary, BinaryAttrs{c.alg},
                                   {operand(c.a, c.a_constant, 11), operand(c.b, c.b_constant, 12)});
  expect_matches_reference(t, 1e-6, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(Cases, BinaryTest, ::testing::ValuesIn(kBinCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(BinaryKernel, BroadcastOperandFollowsBlockedSrc0) {
  // oneDNN 2.6 has a jit binary only when src1 shares src0's format, and only at some block sizes per ISA (nChw8c
  // with a broadcast operand is ref:any on AVX-512): next to a blocked a, the kernel reads b in a's format and, where
  // a's own layout has no jit kernel, asks for a in one that has (a reorder). Whatever the CPU: jit, src1 in src0's
  // format, dst in src0's layout.
  const SingleNode t = single_node(OpKind::Binary, BinaryAttrs{BinaryAlg::Mul}, {{{2, 32, 7, 9}, {}}, {{2, 32, 1, 1}, {}}});
  KernelEnv env;
  const std::vector<dnnl::memory::desc> have{blocked8_or_plain({2, 32, 7, 9}), plain_desc({2, 32, 1, 1})};
  const auto kernel = create_kernel(t.graph, t.graph.node(t.node_id), have, env);
  const dnnl::memory::desc& src0 = kernel->src_descs().at(0);
  EXPECT_EQ(layout_name(kernel->src_descs().at(1)), layout_name(src0));
  EXPECT_EQ(kernel->dst_descs().at(0), src0);
  EXPECT_EQ(kernel->impl_info().rfind("jit", 0), 0u) << kernel->impl_info() << " with src0 " << layout_name(src0);
}

}  // namespace
}  // namespace rs::test
