// Eltwise kernel vs reference for every EltwiseAlg, over odd shapes, plain and nChw8c producers.
// Tolerance (relative L2): 1e-6 for piecewise-linear algorithms, 1e-5 for those using exp/tanh (oneDNN's
// polynomial approximations differ from std::exp in the last bits).
#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "kernel_harness.h"
#include "mem_op_check.h"

namespace rs::test {
namespace {

struct EltCase {
  const char* name;
  EltwiseAttrs attrs;
  double tol;
  bool positive = false;  ///< inputs |x| (Sqrt, fractional Pow: NaN below 0)
};
void PrintTo(const EltCase& c, std::ostream* os) { *os << c.name; }

const EltCase kEltCases[] = {
    {"Relu", {EltwiseAlg::Relu, 0.f, 0.f}, 1e-6},
    {"Clip_0_6", {EltwiseAlg::Clip, 0.f, 6.f}, 1e-6},
    {"Clip_m1_1", {EltwiseAlg::Clip, -1.f, 1.f}, 1e-6},
    {"LeakyRelu_0p1", {EltwiseAlg::LeakyRelu, 0.1f, 0.f}, 1e-6},
    {"HardSigmoid_torch", {EltwiseAlg::HardSigmoid, 1.f / 6.f, 0.5f}, 1e-6},
    {"HardSigmoid_onnx", {EltwiseAlg::HardSigmoid, 0.2f, 0.5f}, 1e-6},
    {"HardSwish", {EltwiseAlg::HardSwish, 0.f, 0.f}, 1e-6},
    {"Sigmoid", {EltwiseAlg::Sigmoid, 0.f, 0.f}, 1e-5},
    {"Tanh", {EltwiseAlg::Tanh, 0.f, 0.f}, 1e-5},
    {"SiLU", {EltwiseAlg::SiLU, 0.f, 0.f}, 1e-5},
    {"GeluErf", {EltwiseAlg::GeluErf, 0.f, 0.f}, 1e-5},
    {"Erf", {EltwiseAlg::Erf, 0.f, 0.f}, 1e-6},
    {"Sqrt", {EltwiseAlg::Sqrt, 0.f, 0.f}, 1e-6, true},
    {"Pow_2", {EltwiseAlg::Pow, 2.f, 0.f}, 1e-6},
    {"Pow_1p5", {EltwiseAlg::Pow, 1.5f, 0.f}, 1e-5, true},
    {"Softplus", {EltwiseAlg::Softplus, 0.f, 0.f}, 1e-5},
    {"Mish", {EltwiseAlg::Mish, 0.f, 0.f}, 1e-5},
};
static_assert(sizeof(kEltCases) / sizeof(kEltCases[0]) >= static_cast<int>(EltwiseAlg::kCount),
              "every EltwiseAlg needs a case");

const Dims kShapes[] = {{1, 3, 13, 17}, {2, 30, 7, 9}, {1, 64, 8, 8}, {4, 1000}, {2, 5, 11}};

class EltwiseTest : public ::testing::TestWithParam<std::tuple<EltCase, Dims>> {};

TEST_P(EltwiseTest, MatchesReference) {
  const auto& [c, dims] = GetParam();
  SingleNode t = single_node(OpKind::Eltwise, c.attrs, {{dims, {}}});
  // Spread inputs over [-8, 8) so every clip, the HardSigmoid/HardSwish corners and ReLU6's top are reached.
  for (float& x : t.activations[0].data) x = c.positive ? std::fabs(x * 8.f) : x * 8.f;
  expect_matches_reference(t, c.tol, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(Algs, EltwiseTest, ::testing::Combine(::testing::ValuesIn(kEltCases), ::testing::ValuesIn(kShapes)),
                         [](const auto& info) {
                           std::string name = std::get<0>(info.param).name;
                           for (auto d : std::get<1>(info.param)) name += "_" + std::to_string(d);
                           return name;
                         });

TEST(EltwiseKernel, EveryAlgIsCovered) {
  std::vector<bool> seen(static_cast<std::size_t>(EltwiseAlg::kCount), false);
  for (const auto& c : kEltCases) seen[static_cast<std::size_t>(c.attrs.alg)] = true;
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_TRUE(seen[i]) << eltwise_alg_name(static_cast<EltwiseAlg>(i));
}

// Erf has no oneDNN eltwise: a host loop the kernel names, never offered as a post-op.
TEST(EltwiseKernel, ErfRunsOnTheNamedHostLoop) {
  SingleNode t = single_node(OpKind::Eltwise, EltwiseAttrs{EltwiseAlg::Erf, 0.f, 0.f}, {{{1, 8, 4, 4}, {}}});
  const auto kernel = create_kernel(t.graph, t.graph.node(t.node_id), {blocked8_or_plain({1, 8, 4, 4})}, KernelEnv{});
  EXPECT_EQ(kernel->impl_info(), "naive:erf");
  EXPECT_FALSE(eltwise_is_onednn(EltwiseAlg::Erf));
}

TEST(EltwiseKernel, GeluErfAndMishRunOnOneDnn) {
  for (const EltwiseAlg alg : {EltwiseAlg::GeluErf, EltwiseAlg::Mish, EltwiseAlg::Softplus, EltwiseAlg::Sqrt}) {
    SingleNode t = single_node(OpKind::Eltwise, EltwiseAttrs{alg, 0.f, 0.f}, {{{1, 8, 4, 4}, {}}});
    const auto kernel = create_kernel(t.graph, t.graph.node(t.node_id), {blocked8_or_plain({1, 8, 4, 4})}, KernelEnv{});
    EXPECT_EQ(kernel->impl_info().rfind("ref", 0), std::string::npos) << eltwise_alg_name(alg) << ": " << kernel->impl_info();
  }
}

TEST(EltwiseKernel, RejectsPostOpsNamingTheNode) {
  SingleNode t = single_node(OpKind::Eltwise, EltwiseAttrs{EltwiseAlg::Relu, 0.f, 0.f}, {{{1, 8, 4, 4}, {}}});
  Node& node = t.graph.node(t.node_id);
  node.post_ops.push_back(PostOp{PostOp::Kind::Eltwise, {EltwiseAlg::Tanh, 0.f, 0.f}, {}, -1, "tanh"});
  try {
    run_kernel(t.graph, t.node_id, t.activations);
    FAIL() << "expected KernelError";
  } catch (const KernelError& e) {
    EXPECT_NE(std::string(e.what()).find("node 'op' (Eltwise)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rs::test
