// MobileNet v1 (Howard et al. 2017), v2 (Sandler et al. 2018, torchvision 0.14) and v3-small (Howard et al. 2019,
// torchvision 0.14).
#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "models/families.h"

namespace rs::models {

namespace {

/// y + x when the block keeps the shape (stride 1, same channels), as torchvision's use_res_connect; else y.
int maybe_residual(GraphBuilder& b, int x, int y, std::int64_t stride, const std::string& p) {
  return (stride == 1 && b.channels(x) == b.channels(y)) ? b.add(x, y, p + ".add") : y;
}

/// torchvision's _make_divisible(v, 8): round to the nearest multiple of 8, at least 8, never below 90% of v.
std::int64_t make_divisible(std::int64_t v) {
  std::int64_t r = std::max<std::int64_t>(8, (v + 4) / 8 * 8);
  if (10 * r < 9 * v) r += 8;
  return r;
}

/// MobileNet v2 InvertedResidual: [1x1 expand conv-BN-ReLU6 when t != 1] -> 3x3 depthwise conv-BN-ReLU6 (stride) ->
/// 1x1 linear projection conv -> BN, + x when the shape is kept. Names: p.conv.0, p.conv.1, ... as torchvision.
int inverted_residual_v2(GraphBuilder& b, int x, std::int64_t out_c, std::int64_t stride, std::int64_t t,
                         const std::string& p) {
  const std::int64_t hidden = b.channels(x) * t;
  int k = 0;
  int y = x;
  if (t != 1) y = b.conv_bn_act(y, hidden, 1, 1, 1, Act::Relu6, seq_names(indexed(p + ".conv", k++)));
  y = b.conv_bn_act(y, hidden, 3, stride, hidden, Act::Relu6, seq_names(indexed(p + ".conv", k++)));
  y = b.conv(y, out_c, 1, 1, 0, 1, false, indexed(p + ".conv", k++));
  y = b.bn(y, indexed(p + ".conv", k));
  return maybe_residual(b, x, y, stride, p);
}

/// One row of torchvision's MobileNetV3 inverted_residual_setting (width 1.0, dilation 1).
struct BneckSpec {
  std::int64_t kernel, expanded, out;
  bool se;
  Act act;
  std::int64_t stride;
};

/// torchvision SqueezeExcitation: global pool -> 1x1 conv (fc1) -> ReLU -> 1x1 conv (fc2) -> Hardsigmoid, x * scale.
int squeeze_excitation(GraphBuilder& b, int x, std::int64_t squeeze_c, const std::string& p) {
  int s = b.global_avgpool(x, p + ".avgpool");
  s = b.act(b.conv(s, squeeze_c, 1, 1, 0, 1, true, p + ".fc1"), Act::Relu, p + ".activation");
  s = b.act(b.conv(s, b.channels(x), 1, 1, 0, 1, true, p + ".fc2"), Act::HardSigmoid, p + ".scale_activation");
  return b.mul(x, s, p + ".mul");
}

/// MobileNet v3 InvertedResidual: [1x1 expand when expanded != C_in] -> depthwise kxk (stride) -> [SE] -> 1x1
/// projection conv-BN (no activation), + x when the shape is kept. Names: p.block.0, p.block.1, ...
int inverted_residual_v3(GraphBuilder& b, int x, const BneckSpec& s, const std::string& p) {
  int k = 0;
  int y = x;
  if (s.expanded != b.channels(x))
    y = b.conv_bn_act(y, s.expanded, 1, 1, 1, s.act, seq_names(indexed(p + ".block", k++)));
  y = b.conv_bn_act(y, s.expanded, s.kernel, s.stride, s.expanded, s.act, seq_names(indexed(p + ".block", k++)));
  if (s.se) y = squeeze_excitation(b, y, make_divisible(s.expanded / 4), indexed(p + ".block", k++));
  y = b.conv_bn_act(y, s.out, 1, 1, 1, Act::None, seq_names(indexed(p + ".block", k)));
  return maybe_residual(b, x, y, s.stride, p);
}

}  // namespace

/// MobileNet v1 1.0-224 (not in torchvision): 3x3 conv s2 to 32, 13 depthwise-separable blocks (3x3 depthwise
/// conv-BN-ReLU, 1x1 conv-BN-ReLU), global average pool (the paper's 7x7 at 224), fc. Names: features.0 (stem:
/// .0 conv, .1 bn, .2 relu), features.1..13 (.0-.2 depthwise, .3-.5 pointwise), avgpool, flatten, fc.
Graph mobilenet_v1(const ModelOptions& o) {
  // (output channels, stride) of the 13 depthwise-separable blocks (paper Table 1).
  // clang-format off
  static const std::array<std::pair<std::int64_t, std::int64_t>, 13> kBlocks{
      {{64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1}, {512, 1}, {512, 1}, {512, 1}, {512, 1},
       {1024, 2}, {1024, 1}}};
  // clang-format on
  GraphBuilder b("mobilenet_v1", o.seed, o.shapes_only);
  int x = b.conv_bn_act(image_input(b, o), 32, 3, 2, 1, Act::Relu, seq_names("features.0"));
  for (std::size_t i = 0; i < kBlocks.size(); ++i) {
    const std::string p = indexed("features", static_cast<int>(i) + 1);
    const std::int64_t c = b.channels(x);
    x = b.conv_bn_act(x, c, 3, kBlocks[i].second, c, Act::Relu, {p + ".0", p + ".1", p + ".2"});
    x = b.conv_bn_act(x, kBlocks[i].first, 1, 1, 1, Act::Relu, {p + ".3", p + ".4", p + ".5"});
  }
  x = pool_flatten(b, x, "avgpool");
  return b.finish(b.fc(x, o.num_classes, "fc"));
}

/// torchvision mobilenet_v2 (width 1.0): features.0 stem, features.1-17 inverted residuals, features.18 1x1 conv to
/// 1280, avgpool (functional in torchvision), flatten, classifier.1 (classifier.0 is Dropout, omitted).
Graph mobilenet_v2(const ModelOptions& o) {
  struct Stage {
    std::int64_t t, c, n, s;  // expansion, output channels, blocks, first stride
  };
  static const std::array<Stage, 7> kStages{
      {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}}};
  GraphBuilder b("mobilenet_v2", o.seed, o.shapes_only);
  int x = b.conv_bn_act(image_input(b, o), 32, 3, 2, 1, Act::Relu6, seq_names("features.0"));
  int index = 1;
  for (const Stage& st : kStages)
    for (std::int64_t i = 0; i < st.n; ++i)
      x = inverted_residual_v2(b, x, st.c, i == 0 ? st.s : 1, st.t, indexed("features", index++));
  x = b.conv_bn_act(x, 1280, 1, 1, 1, Act::Relu6, seq_names(indexed("features", index)));
  x = pool_flatten(b, x, "avgpool");
  return b.finish(b.fc(x, o.num_classes, "classifier.1"));
}

/// torchvision mobilenet_v3_small (width 1.0): features.0 stem (Hardswish), features.1-11 bnecks, features.12 1x1
/// conv to 576, avgpool, flatten, classifier.0 (fc 1024) -> classifier.1 (Hardswish) -> classifier.3 (fc).
Graph mobilenet_v3_small(const ModelOptions& o) {
  constexpr Act RE = Act::Relu, HS = Act::HardSwish;
  static const std::array<BneckSpec, 11> kBnecks{{{3, 16, 16, true, RE, 2},
                                                  {3, 72, 24, false, RE, 2},
                                                  {3, 88, 24, false, RE, 1},
                                                  {5, 96, 40, true, HS, 2},
                                                  {5, 240, 40, true, HS, 1},
                                                  {5, 240, 40, true, HS, 1},
                                                  {5, 120, 48, true, HS, 1},
                                                  {5, 144, 48, true, HS, 1},
                                                  {5, 288, 96, true, HS, 2},
                                                  {5, 576, 96, true, HS, 1},
                                                  {5, 576, 96, true, HS, 1}}};
  GraphBuilder b("mobilenet_v3_small", o.seed, o.shapes_only);
  int x = b.conv_bn_act(image_input(b, o), 16, 3, 2, 1, HS, seq_names("features.0"));
  for (std::size_t i = 0; i < kBnecks.size(); ++i)
    x = inverted_residual_v3(b, x, kBnecks[i], indexed("features", static_cast<int>(i) + 1));
  x = b.conv_bn_act(x, 6 * b.channels(x), 1, 1, 1, HS, seq_names("features.12"));
  x = pool_flatten(b, x, "avgpool");
  x = b.act(b.fc(x, 1024, "classifier.0"), HS, "classifier.1");
  return b.finish(b.fc(x, o.num_classes, "classifier.3"));
}

}  // namespace rs::models
