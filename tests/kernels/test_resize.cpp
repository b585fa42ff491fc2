// Resize kernel (oneDNN resampling or the naive host kernel) against the reference, every mode x coordinate
// transform on up-, down- and non-integer scales, plain and nChw8c producers; hand-computed values of the ONNX
// definitions; which implementation runs (oneDNN only where its mapping is ONNX's); shape errors naming the node.
// Tolerance: relative L2 <= 1e-5 (f32 lerps vs the reference in double).
#include <string>

#include <gtest/gtest.h>

#include "graph/shape.h"
#include "kernels/dnnl_util.h"
#include "kernel_harness.h"
#include "mem_op_check.h"
#include "post_op_chains.h"

namespace rs::test {
namespace {

struct ResizeCase {
  std::string name;
  Dims src;
  std::array<std::int64_t, 2> size;
  ResizeMode mode;
  ResizeCoord coord;
  ResizeNearest nearest = ResizeNearest::RoundPreferFloor;
  std::array<double, 2> scale{0, 0};  ///< 0: size / src
};
void PrintTo(const ResizeCase& c, std::ostream* os) { *os << c.name; }

SingleNode resize_node(const ResizeCase& c) {
  ResizeAttrs a{c.mode, c.coord, c.nearest, c.size, {}};
  for (std::size_t i = 0; i < 2; ++i) a.scale[i] = c.scale[i] > 0 ? c.scale[i] : double(c.size[i]) / double(c.src[i + 2]);
  return single_node(OpKind::Resize, a, {{c.src, {}}});
}

std::vector<ResizeCase> resize_cases() {
  using M = ResizeMode;
  using C = ResizeCoord;
  std::vector<ResizeCase> out;
  const std::pair<const char*, C> coords[] = {{"half_pixel", C::HalfPixel},
                                              {"pytorch_half_pixel", C::PytorchHalfPixel},
                                              {"align_corners", C::AlignCorners},
                                              {"asymmetric", C::Asymmetric}};
  const std::pair<const char*, ResizeNearest> nearest[] = {{"round_prefer_floor", ResizeNearest::RoundPreferFloor},
                                                           {"round_prefer_ceil", ResizeNearest::RoundPreferCeil},
                                                           {"floor", ResizeNearest::Floor},
                                                           {"ceil", ResizeNearest::Ceil}};
  const std::pair<const char*, std::pair<Dims, std::array<std::int64_t, 2>>> shapes[] = {
      {"up2", {{1, 3, 8, 6}, {16, 12}}}, {"odd", {{2, 10, 7, 5}, {10, 13}}}, {"down", {{1, 4, 9, 11}, {4, 5}}},
      {"to1", {{1, 2, 5, 4}, {1, 3}}}};
  for (const auto& [cn, coord] : coords)
    for (const auto& [sn, shape] : shapes) {
      out.push_back({std::string("linear_") + cn + "_" + sn, shape.first, shape.second, M::Linear, coord});
      for (const auto& [nn, mode] : nearest)
        out.push_back({std::string("nearest_") + cn + "_" + nn + "_" + sn, shape.first, shape.second, M::Nearest, coord,
                       mode});
    }
  // ONNX `scales` whose product with the src size is not an integer: dst = floor(src * scale), the transform uses
  // the scale as given.
  out.push_back({"linear_half_pixel_scales_1_7", {1, 3, 5, 6}, {8, 10}, M::Linear, C::HalfPixel,
                 ResizeNearest::RoundPreferFloor, {1.7, 1.7}});
  out.push_back({"nearest_asymmetric_floor_scales_1_7", {1, 3, 5, 6}, {8, 10}, M::Nearest, C::Asymmetric,
                 ResizeNearest::Floor, {1.7, 1.7}});
  return out;
}

class ResizeModes : public ::testing::TestWithParam<ResizeCase> {};

TEST_P(ResizeModes, MatchesReferenceWithPlainAndBlockedProducers) {
  expect_matches_reference(resize_node(GetParam()), 1e-5, /*blocked=*/true);
}

INSTANTIATE_TEST_SUITE_P(Kernels, ResizeModes, ::testing::ValuesIn(resize_cases()),
                         [](const auto& info) { return info.param.name; });

// Fused post-ops (graph/passes.cpp fuses eltwise / Add / Mul after a Resize, an FPN's upsample + lateral Add): on
// oneDNN's resampling (fused into it, or in one eltwise pass after it) and on the naive kernel, plain and blocked
// producers, against the reference applying the chain after the resize.
class ResizePostOps : public ::testing::TestWithParam<std::tuple<ResizeCase, PostOpChain>> {};

TEST_P(ResizePostOps, MatchesReference) {
  const auto& [c, chain] = GetParam();
  SingleNode t = resize_node(c);
  add_post_ops(t, chain, 13);
  expect_matches_reference(t, 1e-5, /*blocked=*/true);
}

const ResizeCase kPostOpResizes[] = {
    {"onednn_linear_half_pixel", {1, 8, 6, 5}, {12, 10}, ResizeMode::Linear, ResizeCoord::HalfPixel},
    {"onednn_nearest_asymmetric", {2, 8, 4, 6}, {8, 12}, ResizeMode::Nearest, ResizeCoord::Asymmetric,
     ResizeNearest::Floor},
    {"naive_linear_align_corners", {1, 8, 6, 5}, {11, 9}, ResizeMode::Linear, ResizeCoord::AlignCorners}};

INSTANTIATE_TEST_SUITE_P(Kernels, ResizePostOps,
                         ::testing::Combine(::testing::ValuesIn(kPostOpResizes),
                                            ::testing::ValuesIn(standard_post_op_chains())),
                         CaseChainName());

/// The reference on a [1, 1, 1, W] row.
std::vector<float> resize_row(std::vector<float> row, std::int64_t out, ResizeMode mode, ResizeCoord coord,
                              ResizeNearest nearest = ResizeNearest::RoundPreferFloor) {
  const auto w = static_cast<std::int64_t>(row.size());
  SingleNode t = resize_node({"row", {1, 1, 1, w}, {1, out}, mode, coord, nearest});
  t.activations[0].data = row;
  return run_reference(t.graph, t.node_id, t.activations).data;
}

TEST(ResizeReference, OnnxDefinitionsByHand) {
  using M = ResizeMode;
  using C = ResizeCoord;
  // half_pixel x2: coordinates -0.25, 0.25, 0.75, 1.25 (edge values outside [0, 1]).
  EXPECT_EQ(resize_row({0, 1}, 4, M::Linear, C::HalfPixel), (std::vector<float>{0, 0.25f, 0.75f, 1}));
  EXPECT_EQ(resize_row({0, 1}, 3, M::Linear, C::AlignCorners), (std::vector<float>{0, 0.5f, 1}));
  EXPECT_EQ(resize_row({0, 1}, 4, M::Linear, C::Asymmetric), (std::vector<float>{0, 0.5f, 1, 1}));
  EXPECT_EQ(resize_row({0, 1, 2}, 1, M::Linear, C::PytorchHalfPixel), (std::vector<float>{0}));
  EXPECT_EQ(resize_row({0, 1, 2}, 1, M::Linear, C::HalfPixel), (std::vector<float>{1}));
  // nearest, 4 -> 2 half_pixel: coordinates 0.5 and 2.5 are ties.
  EXPECT_EQ(resize_row({0, 1, 2, 3}, 2, M::Nearest, C::HalfPixel, ResizeNearest::RoundPreferFloor),
            (std::vector<float>{0, 2}));
  EXPECT_EQ(resize_row({0, 1, 2, 3}, 2, M::Nearest, C::HalfPixel, ResizeNearest::RoundPreferCeil),
            (std::vector<float>{1, 3}));
  // PyTorch's nearest (asymmetric + floor) x3.
  EXPECT_EQ(resize_row({5, 7}, 6, M::Nearest, C::Asymmetric, ResizeNearest::Floor),
            (std::vector<float>{5, 5, 5, 7, 7, 7}));
  EXPECT_EQ(resize_row({5, 7}, 3, M::Nearest, C::Asymmetric, ResizeNearest::Ceil), (std::vector<float>{5, 7, 7}));
}

std::string impl_of(const ResizeCase& c) {
  const SingleNode t = resize_node(c);
  const KernelEnv env;
  return create_kernel(t.graph, t.graph.node(t.node_id), {plain_desc(c.src)}, env)->impl_info();
}

TEST(ResizeKernel, OneDnnOnlyWhereItsMappingIsOnnx) {
  using M = ResizeMode;
  using C = ResizeCoord;
  const Dims src{1, 8, 6, 6};
  EXPECT_EQ(impl_of({"", src, {12, 12}, M::Linear, C::HalfPixel}).find("naive"), std::string::npos);
  EXPECT_EQ(impl_of({"", src, {12, 12}, M::Linear, C::PytorchHalfPixel}).find("naive"), std::string::npos);
  EXPECT_EQ(impl_of({"", src, {12, 12}, M::Nearest, C::Asymmetric, ResizeNearest::Floor}).find("naive"),
            std::string::npos);
  EXPECT_EQ(impl_of({"", src, {12, 12}, M::Linear, C::AlignCorners}), "naive:resize_linear_align_corners");
  EXPECT_EQ(impl_of({"", src, {12, 12}, M::Linear, C::Asymmetric}), "naive:resize_linear_asymmetric");
  EXPECT_EQ(impl_of({"", src, {12, 12}, M::Linear, C::HalfPixel, ResizeNearest::Floor, {2.5, 2.5}}),
            "naive:resize_linear_half_pixel");
}

TEST(ResizeShape, BadSizeNamesNode) {
  Graph g;
  const int x = g.add_input("x", {1, 3, 4, 4});
  ResizeAttrs a;
  a.size = {0, 4};
  g.add_node("up", OpKind::Resize, a, {x});
  try {
    infer_shapes(g);
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("node 'up' (Resize)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("must be > 0"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rs::test
