// BatchNorm (inference) kernel vs reference with non-trivial running statistics, plain and nChw8c producers, and the
// failure path of a statistic that is not a constant. Tolerance (relative L2): 1e-6.
#include <gtest/gtest.h>

#include <cmath>

#include "kernel_harness.h"
#include "mem_op_check.h"

namespace rs::test {
namespace {

struct BnCase {
  Dims dims;
  float epsilon;
};
void PrintTo(const BnCase& c, std::ostream* os) { *os << dims_str(c.dims) << " eps " << c.epsilon; }

/// src, then scale [0.5, 1.5), shift [-1, 1), mean [-1, 1), var [0.05, 2) as constants.
std::vector<Operand> bn_operands(const Dims& src, bool mean_constant = true) {
  const std::int64_t c = src.at(1);
  std::vector<Operand> ops{{src, {}},
                           {{c}, random_data(c, 21, 0.5f, 1.5f)},
                           {{c}, random_data(c, 22)},
                           {{c}, random_data(c, 23)},
                           {{c}, random_data(c, 24, 0.05f, 2.f)}};
  if (!mean_constant) ops[3].constant.reset();
  return ops;
}

const BnCase kBnCases[] = {
    {{1, 3, 13, 17}, 1e-5f}, {{2, 30, 7, 9}, 1e-5f}, {{1, 64, 8, 8}, 1e-3f}, {{4, 20}, 1e-5f}, {{1, 5, 3, 4, 6}, 1e-5f},
};

class BatchNormTest : public ::testing::TestWithParam<BnCase> {};

TEST_P(BatchNormTest, MatchesReference) {
  const BnCase& c = GetParam();
  const SingleNode t = single_node(OpKind::BatchNorm, BatchNormAttrs{c.epsilon}, bn_operands(c.dims));
  expect_matches_reference(t, 1e-6, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(Shapes, BatchNormTest, ::testing::ValuesIn(kBnCases), [](const auto& info) {
  std::string name = "eps" + std::to_string(static_cast<int>(-std::log10(info.param.epsilon) + 0.5));
  for (auto d : info.param.dims) name += "_" + std::to_string(d);
  return name;
});

TEST(BatchNormKernel, RejectsNonConstantMeanNamingTheNode) {
  const SingleNode t = single_node(OpKind::BatchNorm, BatchNormAttrs{}, bn_operands({1, 8, 4, 4}, false));
  ASSERT_EQ(t.activations.size(), 2u);
  try {
    run_kernel(t.graph, t.node_id, t.activations);
    FAIL() << "expected KernelError";
  } catch (const KernelError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("node 'op' (BatchNorm)"), std::string::npos) << what;
    EXPECT_NE(what.find("'in3'"), std::string::npos) << what;  // the mean operand
  }
}

}  // namespace
}  // namespace rs::test
