// ONNX Resize -> IR Resize: attributes and the scales / sizes inputs mapped (ResizeAttrs), dst dims, and errors that
// name the node (unsupported mode, both or neither of scales / sizes, resizing N or C). The numerics against PyTorch
// are in test_vs_pytorch.cpp (resize_mix, fcn_resnet50); every mode against the reference in tests/kernels.
#include <gtest/gtest.h>

#include "graph/onnx/import.h"
#include "onnx_builder.h"

namespace rs::test {
namespace {

#define EXPECT_CONTAINS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

/// x [1, 2, 5, 6] -> Resize "up" (scales or sizes as initializers) -> y, with string attributes `attrs`.
std::string resize_model(const std::vector<float>& scales, const std::vector<std::int64_t>& sizes,
                         const std::vector<std::pair<std::string, std::string>>& attrs, int opset = 13) {
  OnnxBuilder b(opset);
  b.input("x", {1, 2, 5, 6}).output("y");
  std::vector<std::string> inputs{"x", ""};
  inputs.push_back(scales.empty() ? "" : "scales");
  if (!scales.empty()) b.init("scales", {static_cast<std::int64_t>(scales.size())}, scales);
  if (!sizes.empty()) {
    b.init_i64("sizes", {static_cast<std::int64_t>(sizes.size())}, sizes);
    inputs.push_back("sizes");
  }
  auto& n = b.node("Resize", inputs, {"y"}, "up");
  for (const auto& [k, v] : attrs) attr_string(n, k, v);
  return b.bytes();
}

std::string import_error(const std::string& bytes) {
  try {
    import_onnx_bytes(bytes, "model.onnx");
  } catch (const OnnxError& e) {
    return e.what();
  }
  return "";
}

const Node& resize_node(const Graph& g) {
  for (int id : g.live_nodes())
    if (g.node(id).kind == OpKind::Resize) return g.node(id);
  throw std::runtime_error("no Resize node");
}

TEST(OnnxResize, ScalesGiveFloorOfSrcTimesScaleAndKeepTheScale) {
  const Graph g = import_onnx_bytes(resize_model({1, 1, 1.7f, 2}, {}, {{"coordinate_transformation_mode", "asymmetric"},
                                                                        {"nearest_mode", "ceil"}}), "m.onnx");
  const Node& n = resize_node(g);
  const auto& a = n.attr<ResizeAttrs>();
  EXPECT_EQ(g.value(n.outputs[0]).desc.dims, (Dims{1, 2, 8, 12}));  // floor(5 * 1.7) = 8, 6 * 2
  EXPECT_FLOAT_EQ(float(a.scale[0]), 1.7f);
  EXPECT_EQ(a.mode, ResizeMode::Nearest);
  EXPECT_EQ(a.coord, ResizeCoord::Asymmetric);
  EXPECT_EQ(a.nearest, ResizeNearest::Ceil);
}

TEST(OnnxResize, SizesGiveScaleSizeOverSrcAndOnnxDefaults) {
  const Graph g = import_onnx_bytes(resize_model({}, {1, 2, 10, 9}, {{"mode", "linear"}}, 11), "m.onnx");
  const auto& a = resize_node(g).attr<ResizeAttrs>();
  EXPECT_EQ(a.size, (std::array<std::int64_t, 2>{10, 9}));
  EXPECT_DOUBLE_EQ(a.scale[1], 1.5);
  EXPECT_EQ(a.mode, ResizeMode::Linear);
  EXPECT_EQ(a.coord, ResizeCoord::HalfPixel);
  EXPECT_EQ(a.nearest, ResizeNearest::RoundPreferFloor);
}

TEST(OnnxResize, ErrorsNameTheNode) {
  EXPECT_CONTAINS(import_error(resize_model({1, 1, 2, 2}, {}, {{"mode", "cubic"}})),
                  "node 'up' (op_type Resize, opset 13): mode 'cubic' is not supported (nearest, linear)");
  EXPECT_CONTAINS(import_error(resize_model({1, 1, 2, 2}, {}, {{"coordinate_transformation_mode", "tf_crop_and_resize"}})),
                  "coordinate_transformation_mode 'tf_crop_and_resize' is not supported");
  EXPECT_CONTAINS(import_error(resize_model({1, 1, 2, 2}, {1, 2, 10, 12}, {})),
                  "node 'up' (op_type Resize, opset 13): exactly one of scales and sizes");
  EXPECT_CONTAINS(import_error(resize_model({1, 2, 2, 2}, {}, {})), "resizing N or C of [1, 2, 5, 6] is not supported");
  EXPECT_CONTAINS(import_error(resize_model({1, 1, 0.1f, 2}, {}, {})), "empty or negative output");
  EXPECT_CONTAINS(import_error(resize_model({1, 1, 1e30f, 2}, {}, {})), "not in [0, 2^31)");
}

}  // namespace
}  // namespace rs::test
