// VGG-16 without BN (Simonyan & Zisserman 2014, configuration D), torchvision 0.14 layout.
#include <array>

#include "models/families.h"

namespace rs::models {

/// torchvision vgg16: features.0-30 (3x3 conv with bias + ReLU pairs, 2x2 max pools), avgpool
/// (AdaptiveAvgPool2d((7, 7)): no node when the features are already 7x7, as at sizes 224-255; an AvgPool for
/// multiples of 7, e.g. sizes 448-479; a GraphError otherwise), flatten, classifier.0/.3/.6 fc layers with ReLU
/// (.1, .4); the Dropouts (.2, .5) are omitted for inference.
Graph vgg16(const ModelOptions& o) {
  constexpr int kPool = 0;  // "M" in torchvision's cfgs["D"]
  // clang-format off
  static const std::array<int, 18> kCfg{64,  64,  kPool, 128, 128, kPool, 256, 256, 256, kPool,
                                        512, 512, 512, kPool, 512, 512, 512, kPool};
  // clang-format on
  GraphBuilder b("vgg16", o.seed, o.shapes_only);
  int x = image_input(b, o);
  int index = 0;
  for (int c : kCfg) {
    if (c == kPool) {
      x = b.maxpool(x, 2, 2, 0, false, indexed("features", index++));
    } else {
      x = b.conv(x, c, 3, 1, 1, 1, true, indexed("features", index++));
      x = b.act(x, Act::Relu, indexed("features", index++));
    }
  }
  x = b.flatten(b.adaptive_avgpool(x, 7, "avgpool"), "flatten");
  x = b.act(b.fc(x, 4096, "classifier.0"), Act::Relu, "classifier.1");
  x = b.act(b.fc(x, 4096, "classifier.3"), Act::Relu, "classifier.4");
  return b.finish(b.fc(x, o.num_classes, "classifier.6"));
}

}  // namespace rs::models
