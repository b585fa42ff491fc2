// FullyConnected kernel (oneDNN inner_product_forward) against the Eigen reference: classifier heads (K = 512,
// M = 1000; N = 1 and 3), odd sizes, bias on/off, post-op chains, and failure paths.
// Tolerance: relative L2 <= 1e-5 (f32 kernel vs reference GEMM in double; reductions of <= 512 terms).
#include <ostream>
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

struct FcCase {
  std::string name;
  std::int64_t batch;         ///< N
  std::int64_t in_features;   ///< K
  std::int64_t out_features;  ///< M
  bool bias = true;
};

void PrintTo(const FcCase& c, std::ostream* os) { *os << c.name; }

/// A FullyConnected node reading an activation src [N, K] and constant weights [M, K] (and bias [M]).
SingleNode fc_node(const FcCase& c, std::uint32_t seed = 1) {
  FcAttrs a;
  a.out_features = c.out_features;
  a.has_bias = c.bias;
  const Dims w{c.out_features, c.in_features};
  std::vector<Operand> operands{{{c.batch, c.in_features}, {}}, {w, random_data(numel(w), seed + 100)}};
  if (c.bias) operands.push_back({{c.out_features}, random_data(c.out_features, seed + 200)});
  return single_node(OpKind::FullyConnected, a, operands, seed);
}

class FcShapes : public ::testing::TestWithParam<FcCase> {};

TEST_P(FcShapes, MatchesReference) { expect_matches_reference(fc_node(GetParam()), kTol, /*blocked=*/false); }

const FcCase kFcCases[] = {
    {"resnet_head_n1", 1, 512, 1000},
    {"resnet_head_n3", 3, 512, 1000},
    {"resnet_head_n1_nobias", 1, 512, 1000, false},
    {"resnet_head_n3_nobias", 3, 512, 1000, false},
    {"odd_n2_k13_m7", 2, 13, 7},
    {"k1_m1", 1, 1, 1, false},
};

INSTANTIATE_TEST_SUITE_P(Kernels, FcShapes, ::testing::ValuesIn(kFcCases),
                         [](const auto& info) { return info.param.name; });

class FcPostOps : public ::testing::TestWithParam<std::tuple<FcCase, PostOpChain>> {};

TEST_P(FcPostOps, MatchesReference) {
  const auto& [c, chain] = GetParam();
  SingleNode t = fc_node(c);
  add_post_ops(t, chain, 11);
  expect_matches_reference(t, kTol, /*blocked=*/false);
}

INSTANTIATE_TEST_SUITE_P(Kernels, FcPostOps,
                         ::testing::Combine(::testing::Values(FcCase{"n3_k64_m40", 3, 64, 40}),
                                            ::testing::ValuesIn(standard_post_op_chains())),
                         CaseChainName());

TEST(FcErrors, WeightsNotConstantNamesNode) {
  FcAttrs a;
  a.out_features = 1000;
  expect_rejects_input_weights("classifier.fc", OpKind::FullyConnected, a, {1, 512}, {1000, 512});
}

}  // namespace
}  // namespace rs::test
