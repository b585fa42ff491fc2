// Concat kernel vs reference: 2-3 inputs with different channel counts (C % 8 != 0 included), other axes, a constant
// input, plain, nChw8c and mixed producers. Tolerance (relative L2): 1e-6 (a pure copy: exact).
#include <gtest/gtest.h>

#include "kernel_harness.h"
#include "kernels/dnnl_util.h"
#include "mem_op_check.h"

namespace rs::test {
namespace {

struct ConcatCase {
  const char* name;
  int axis;
  std::vector<Dims> inputs;
  int constant_input = -1;  ///< index of an input held as a graph constant, or -1
};
void PrintTo(const ConcatCase& c, std::ostream* os) { *os << c.name; }

const ConcatCase kConcatCases[] = {
    {"C16_24_5", 1, {{1, 16, 5, 7}, {1, 24, 5, 7}, {1, 5, 5, 7}}},
    {"C5_16", 1, {{2, 5, 6, 6}, {2, 16, 6, 6}}},
    {"C8_8", 1, {{1, 8, 13, 17}, {1, 8, 13, 17}}},
    {"C3_30_7", 1, {{2, 3, 7, 9}, {2, 30, 7, 9}, {2, 7, 7, 9}}},
    {"AxisH", 2, {{1, 16, 3, 5}, {1, 16, 4, 5}}},
    {"AxisMinus1", -1, {{1, 6, 4, 3}, {1, 6, 4, 5}}},
    {"NC2D", 1, {{4, 100}, {4, 28}}},
    {"ConstantInput", 1, {{1, 16, 5, 5}, {1, 4, 5, 5}}, 1},
};

class ConcatTest : public ::testing::TestWithParam<ConcatCase> {};

SingleNode concat_node(const ConcatCase& c) {
  std::vector<Operand> ops;
  for (std::size_t i = 0; i < c.inputs.size(); ++i) {
    ops.push_back({c.inputs[i], {}});
    if (static_cast<int>(i) == c.constant_input) ops.back().constant = random_data(numel(c.inputs[i]), 31);
  }
  return single_node(OpKind::Concat, ConcatAttrs{c.axis}, ops);
}

TEST_P(ConcatTest, MatchesReference) { expect_matches_reference(concat_node(GetParam()), 1e-6, /*blocked=*/true); }

INSTANTIATE_TEST_SUITE_P(Cases, ConcatTest, ::testing::ValuesIn(kConcatCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ConcatKernel, MixedProducerLayouts) {
  // Inputs from an nChw8c conv and a plain producer (e.g. a graph input) at once.
  const SingleNode t = concat_node(kConcatCases[0]);
  const std::vector<dnnl::memory::desc> have{blocked8_or_plain(t.activations[0].dims), plain_desc(t.activations[1].dims),
                                             blocked8_or_plain(t.activations[2].dims)};
  const HostTensor ref = run_reference(t.graph, t.node_id, t.activations);
  EXPECT_LE(relative_l2(run_kernel_with(t, have, nullptr), ref), 1e-6);
}

}  // namespace
}  // namespace rs::test
