// ResNet-18 and ResNet-50 (He et al. 2015), torchvision 0.14 layout (ResNet v1.5: the stride of a Bottleneck sits
// in its 3x3 conv2).
#include <array>
#include <string>

#include "models/families.h"

namespace rs::models {

namespace {

/// torchvision ResNet configuration: block type and blocks per stage.
struct ResNetSpec {
  const char* name;
  bool bottleneck;  ///< Bottleneck (expansion 4) vs BasicBlock (expansion 1)
  std::array<int, 4> blocks;
};

/// out + identity, where identity is `x` or downsample (1x1 conv stride `stride` + BN) when the shape changes;
/// then the block's ReLU.
int residual(GraphBuilder& b, int x, int out, std::int64_t stride, const std::string& p) {
  int identity = x;
  if (stride != 1 || b.channels(x) != b.channels(out))
    identity =
        b.conv_bn_act(x, b.channels(out), 1, stride, 1, Act::None, {p + ".downsample.0", p + ".downsample.1", ""});
  return b.act(b.add(out, identity, p + ".add"), Act::Relu, p + ".relu");
}

/// BasicBlock: 3x3 conv (stride) -> BN -> ReLU -> 3x3 conv -> BN, + identity, ReLU. Output: planes channels.
int basic_block(GraphBuilder& b, int x, std::int64_t planes, std::int64_t stride, const std::string& p) {
  int y = b.conv_bn_act(x, planes, 3, stride, 1, Act::Relu, {p + ".conv1", p + ".bn1", p + ".relu"});
  y = b.conv_bn_act(y, planes, 3, 1, 1, Act::None, {p + ".conv2", p + ".bn2", ""});
  return residual(b, x, y, stride, p);
}

/// Bottleneck: 1x1 conv -> 3x3 conv (stride) -> 1x1 conv to 4 * planes, each with BN (ReLU after the first two),
/// + identity, ReLU.
int bottleneck(GraphBuilder& b, int x, std::int64_t planes, std::int64_t stride, const std::string& p) {
  int y = b.conv_bn_act(x, planes, 1, 1, 1, Act::Relu, {p + ".conv1", p + ".bn1", p + ".relu"});
  y = b.conv_bn_act(y, planes, 3, stride, 1, Act::Relu, {p + ".conv2", p + ".bn2", p + ".relu"});
  y = b.conv_bn_act(y, 4 * planes, 1, 1, 1, Act::None, {p + ".conv3", p + ".bn3", ""});
  return residual(b, x, y, stride, p);
}

Graph resnet(const ResNetSpec& spec, const ModelOptions& o) {
  GraphBuilder b(spec.name, o.seed, o.shapes_only);
  int x = image_input(b, o);
  x = b.conv_bn_act(x, 64, 7, 2, 1, Act::Relu, {"conv1", "bn1", "relu"});
  x = b.maxpool(x, 3, 2, 1, false, "maxpool");
  for (int stage = 0; stage < 4; ++stage) {
    const std::int64_t planes = std::int64_t{64} << stage;
    for (int i = 0; i < spec.blocks[static_cast<std::size_t>(stage)]; ++i) {
      const std::int64_t stride = (stage > 0 && i == 0) ? 2 : 1;
      const std::string p = "layer" + std::to_string(stage + 1) + "." + std::to_string(i);
      x = spec.bottleneck ? bottleneck(b, x, planes, stride, p) : basic_block(b, x, planes, stride, p);
    }
  }
  x = pool_flatten(b, x, "avgpool");
  return b.finish(b.fc(x, o.num_classes, "fc"));
}

}  // namespace

Graph resnet18(const ModelOptions& o) { return resnet({"resnet18", false, {2, 2, 2, 2}}, o); }
Graph resnet50(const ModelOptions& o) { return resnet({"resnet50", true, {3, 4, 6, 3}}, o); }

}  // namespace rs::models
