// Pooling kernels vs the PyTorch-semantics reference: max/avg with padding, ceil_mode, asymmetric pads,
// count_include_pad on and off, global average; plain and nChw8c producers.
// Tolerance (relative L2): 1e-6 (max is exact; averages differ only in summation order).
#include <gtest/gtest.h>

#include <tuple>

#include "kernel_harness.h"
#include "mem_op_check.h"

namespace rs::test {
namespace {

struct PoolCase {
  const char* name;
  OpKind kind;
  PoolAttrs attrs;
};
void PrintTo(const PoolCase& c, std::ostream* os) { *os << c.name; }

PoolAttrs pool(std::int64_t k, std::int64_t s, std::array<std::int64_t, 4> pads, bool ceil_mode = false,
               bool include_pad = false) {
  PoolAttrs a;
  a.kernel = {k, k};
  a.stride = {s, s};
  a.pads = pads;
  a.ceil_mode = ceil_mode;
  a.count_include_pad = include_pad;
  return a;
}

const PoolCase kPoolCases[] = {
    {"Max3s2p1", OpKind::MaxPool, pool(3, 2, {1, 1, 1, 1})},
    {"Max2s2", OpKind::MaxPool, pool(2, 2, {0, 0, 0, 0})},
    {"Max3s2Ceil", OpKind::MaxPool, pool(3, 2, {0, 0, 0, 0}, true)},
    {"Max3s1AsymPads", OpKind::MaxPool, pool(3, 1, {1, 0, 0, 1})},
    {"Avg3s2p1ExcludePad", OpKind::AvgPool, pool(3, 2, {1, 1, 1, 1}, false, false)},
    {"Avg3s2p1IncludePad", OpKind::AvgPool, pool(3, 2, {1, 1, 1, 1}, false, true)},
    {"Avg2s2AsymPadsExclude", OpKind::AvgPool, pool(2, 2, {0, 0, 1, 1}, false, false)},
    {"Avg2s2AsymPadsInclude", OpKind::AvgPool, pool(2, 2, {1, 0, 0, 1}, false, true)},
    {"Avg3s2CeilExcludePad", OpKind::AvgPool, pool(3, 2, {0, 0, 0, 0}, true, false)},
    {"Avg3s2CeilIncludePad", OpKind::AvgPool, pool(3, 2, {0, 0, 0, 0}, true, true)},
    {"Avg3s2p1CeilIncludePad", OpKind::AvgPool, pool(3, 2, {1, 1, 1, 1}, true, true)},
    {"GlobalAvg", OpKind::GlobalAvgPool, {}},
};

// 14x16 makes ceil_mode add a partial window on both axes (floor: 6x7, ceil: 7x8 with k3 s2 p0).
const Dims kShapes[] = {{1, 3, 13, 17}, {2, 30, 7, 9}, {1, 3, 14, 16}, {1, 64, 8, 8}};

class PoolTest : public ::testing::TestWithParam<std::tuple<PoolCase, Dims>> {};

TEST_P(PoolTest, MatchesReference) {
  const auto& [c, dims] = GetParam();
  const Attrs attrs = c.kind == OpKind::GlobalAvgPool ? Attrs{} : Attrs{c.attrs};
  const SingleNode t = single_node(c.kind, attrs, {{dims, {}}});
  expect_matches_reference(t, 1e-6, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(Cases, PoolTest, ::testing::Combine(::testing::ValuesIn(kPoolCases), ::testing::ValuesIn(kShapes)),
                         [](const auto& info) {
                           std::string name = std::get<0>(info.param).name;
                           for (auto d : std::get<1>(info.param)) name += "_" + std::to_string(d);
                           return name;
                         });

TEST(PoolKernel, CeilModeShapeAddsAPartialWindow) {
  // Guards the shape the ceil_mode cases rely on: a partial last window (7x8 instead of floor's 6x7).
  const SingleNode t = single_node(OpKind::AvgPool, pool(3, 2, {0, 0, 0, 0}, true, true), {{{1, 3, 14, 16}, {}}});
  EXPECT_EQ(t.graph.value(t.graph.node(t.node_id).outputs[0]).desc.dims, (Dims{1, 3, 7, 8}));
}

TEST(PoolKernel, GlobalAvgIsThePlaneMean) {
  SingleNode t = single_node(OpKind::GlobalAvgPool, {}, {{{1, 2, 3, 3}, {}}});
  for (std::size_t i = 0; i < 18; ++i) t.activations[0].data[i] = static_cast<float>(i);
  const HostTensor out = run_kernel(t.graph, t.node_id, t.activations);
  ASSERT_EQ(out.dims, (Dims{1, 2, 1, 1}));
  EXPECT_FLOAT_EQ(out.data[0], 4.f);
  EXPECT_FLOAT_EQ(out.data[1], 13.f);
}

}  // namespace
}  // namespace rs::test
