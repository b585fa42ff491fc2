// Slice and Pad kernels vs reference: channel splits (ShuffleNet's chunk, uneven, C % 8 != 0), spatial crops, rank 2,
// asymmetric and channel padding, non-zero pad values; plain and nChw8c producers. Tolerance: exact (relative L2 0:
// pure data movement). Also the shape checks that reject bad windows and pads.
#include <gtest/gtest.h>

#include "graph/shape.h"
#include "kernel_harness.h"
#include "kernels/dnnl_util.h"
#include "mem_op_check.h"

namespace rs::test {
namespace {

struct SliceCase {
  const char* name;
  Dims src;
  Dims begin, end;
};
void PrintTo(const SliceCase& c, std::ostream* os) { *os << c.name; }

const SliceCase kSliceCases[] = {
    {"ChunkFirstHalf116", {1, 116, 7, 9}, {0, 0, 0, 0}, {1, 58, 7, 9}},
    {"ChunkSecondHalf116", {1, 116, 7, 9}, {0, 58, 0, 0}, {1, 116, 7, 9}},
    {"Uneven3of8", {2, 8, 5, 5}, {0, 3, 0, 0}, {2, 8, 5, 5}},
    {"BlockAligned", {1, 32, 6, 6}, {0, 8, 0, 0}, {1, 24, 6, 6}},
    {"SpatialCrop", {2, 5, 9, 11}, {0, 0, 1, 2}, {2, 5, 8, 10}},
    {"BatchAndChannel", {3, 6, 4, 4}, {1, 2, 0, 0}, {3, 5, 4, 4}},
    {"Rank2", {4, 30}, {1, 10}, {3, 25}},
};

class SliceTest : public ::testing::TestWithParam<SliceCase> {};

TEST_P(SliceTest, MatchesReference) {
  const SliceCase& c = GetParam();
  const SingleNode t = single_node(OpKind::Slice, SliceAttrs{c.begin, c.end}, {{c.src, {}}});
  expect_matches_reference(t, 0.0, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(Cases, SliceTest, ::testing::ValuesIn(kSliceCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(SliceKernel, ReadsBlockedSrcWhenTheWindowFallsOnBlocks) {
  const Dims src{1, 32, 6, 6};
  const SingleNode aligned = single_node(OpKind::Slice, SliceAttrs{{0, 8, 0, 0}, {1, 24, 6, 6}}, {{src, {}}});
  const SingleNode unaligned = single_node(OpKind::Slice, SliceAttrs{{0, 3, 0, 0}, {1, 24, 6, 6}}, {{src, {}}});
  KernelEnv env;
  const auto blocked = blocked8_or_plain(src);
  EXPECT_EQ(create_kernel(aligned.graph, aligned.graph.node(aligned.node_id), {blocked}, env)->src_descs().at(0),
            blocked);
  EXPECT_EQ(create_kernel(unaligned.graph, unaligned.graph.node(unaligned.node_id), {blocked}, env)->src_descs().at(0),
            plain_desc(src));
}

struct PadCase {
  const char* name;
  Dims src;
  Dims begin, end;
  float value;
};
void PrintTo(const PadCase& c, std::ostream* os) { *os << c.name; }

const PadCase kPadCases[] = {
    {"SpatialAsymmetric", {1, 3, 7, 9}, {0, 0, 2, 1}, {0, 0, 1, 2}, 0.f},
    {"SpatialValue", {2, 16, 5, 5}, {0, 0, 1, 1}, {0, 0, 1, 1}, -1.5f},
    {"OnlyEnd", {1, 8, 4, 6}, {0, 0, 0, 0}, {0, 0, 3, 1}, 0.f},
    {"Channels", {1, 5, 3, 3}, {0, 2, 0, 0}, {0, 1, 0, 0}, 0.25f},
    {"EveryAxis", {1, 2, 3, 4}, {1, 1, 1, 1}, {2, 1, 0, 3}, 7.f},
    {"Rank2", {3, 10}, {0, 2}, {1, 3}, 0.f},
};

class PadTest : public ::testing::TestWithParam<PadCase> {};

TEST_P(PadTest, MatchesReference) {
  const PadCase& c = GetParam();
  const SingleNode t = single_node(OpKind::Pad, PadAttrs{c.begin, c.end, c.value}, {{c.src, {}}});
  expect_matches_reference(t, 0.0, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(Cases, PadTest, ::testing::ValuesIn(kPadCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(PadKernel, BorderHoldsValueAndInteriorHoldsSrc) {
  SingleNode t = single_node(OpKind::Pad, PadAttrs{{0, 0, 1, 0}, {0, 0, 0, 1}, 9.f}, {{{1, 1, 2, 2}, {}}});
  t.activations[0].data = {1, 2, 3, 4};
  const HostTensor got = run_kernel(t.graph, t.node_id, t.activations);
  EXPECT_EQ(got.dims, (Dims{1, 1, 3, 3}));
  EXPECT_EQ(got.data, (std::vector<float>{9, 9, 9, 1, 2, 9, 3, 4, 9}));
}

struct BadWindow {
  const char* name;
  OpKind kind;
  Attrs attrs;
  const char* message;
};
void PrintTo(const BadWindow& c, std::ostream* os) { *os << c.name; }

class SlicePadShapeRejects : public ::testing::TestWithParam<BadWindow> {};

TEST_P(SlicePadShapeRejects, NamingNodeAndWindow) {
  Graph g;
  const int x = g.add_input("x", {1, 8, 4, 4});
  g.add_node("op", GetParam().kind, GetParam().attrs, {x});
  try {
    infer_shapes(g);
    FAIL() << "accepted";
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam().message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SlicePadShapeRejects,
    ::testing::Values(
        BadWindow{"SliceEmpty", OpKind::Slice, SliceAttrs{{0, 4, 0, 0}, {1, 4, 4, 4}}, "node 'op' (Slice): window [4, 4)"},
        BadWindow{"SlicePastEnd", OpKind::Slice, SliceAttrs{{0, 0, 0, 0}, {1, 9, 4, 4}}, "<= 8"},
        BadWindow{"SliceRank", OpKind::Slice, SliceAttrs{{0, 0}, {1, 8}}, "one entry per axis"},
        BadWindow{"PadNegative", OpKind::Pad, PadAttrs{{0, 0, -1, 0}, {0, 0, 0, 0}, 0.f}, "must be >= 0"},
        BadWindow{"PadRank", OpKind::Pad, PadAttrs{{0, 0, 1}, {0, 0, 1}, 0.f}, "node 'op' (Pad): begin"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace rs::test
