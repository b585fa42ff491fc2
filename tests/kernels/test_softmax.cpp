// Softmax kernel vs reference on classifier logits [N, 1000] and along axes of 3-D/4-D tensors, plain and nChw8c
// producers. Tolerance (relative L2): 1e-5 (oneDNN's exp approximation vs std::exp in double).
#include <gtest/gtest.h>

#include <cmath>

#include "kernel_harness.h"
#include "mem_op_check.h"

namespace rs::test {
namespace {

struct SoftmaxCase {
  const char* name;
  Dims dims;
  int axis;
};
void PrintTo(const SoftmaxCase& c, std::ostream* os) { *os << c.name; }

const SoftmaxCase kSoftmaxCases[] = {
    {"Logits2x1000", {2, 1000}, 1},   {"Logits1x1000LastAxis", {1, 1000}, -1}, {"NCHW_axis1", {2, 30, 7, 9}, 1},
    {"NCHW_axis1_C3", {1, 3, 13, 17}, 1}, {"NCHW_axis3", {1, 3, 13, 17}, 3}, {"NCW_axis0", {3, 5, 11}, 0},
};

class SoftmaxTest : public ::testing::TestWithParam<SoftmaxCase> {};

TEST_P(SoftmaxTest, MatchesReference) {
  const SoftmaxCase& c = GetParam();
  SingleNode t = single_node(OpKind::Softmax, SoftmaxAttrs{c.axis}, {{c.dims, {}}});
  for (float& x : t.activations[0].data) x *= 10.f;  // logits in [-10, 10): max-subtraction matters
  expect_matches_reference(t, 1e-5, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(Cases, SoftmaxTest, ::testing::ValuesIn(kSoftmaxCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(SoftmaxKernel, RowsSumToOne) {
  SingleNode t = single_node(OpKind::Softmax, SoftmaxAttrs{1}, {{{3, 1000}, {}}});
  const HostTensor out = run_kernel(t.graph, t.node_id, t.activations);
  for (int n = 0; n < 3; ++n) {
    double sum = 0;
    for (int j = 0; j < 1000; ++j) sum += out.data[static_cast<std::size_t>(n * 1000 + j)];
    EXPECT_NEAR(sum, 1.0, 1e-5) << "row " << n;
  }
}

}  // namespace
}  // namespace rs::test
