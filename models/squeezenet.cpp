// SqueezeNet 1.1 (Iandola et al. 2016, the SqueezeNet repo's v1.1), torchvision 0.14 layout.
#include <array>
#include <string>

#include "models/families.h"

namespace rs::models {

namespace {

/// Fire module: 1x1 squeeze conv -> ReLU, then 1x1 and 3x3 expand convs (each + ReLU) concatenated on channels.
/// Output: expand + expand channels. Names as torchvision: p.squeeze, p.squeeze_activation, p.expand1x1, ...
int fire(GraphBuilder& b, int x, std::int64_t squeeze, std::int64_t expand, const std::string& p) {
  const int s = b.act(b.conv(x, squeeze, 1, 1, 0, 1, true, p + ".squeeze"), Act::Relu, p + ".squeeze_activation");
  const int e1 = b.act(b.conv(s, expand, 1, 1, 0, 1, true, p + ".expand1x1"), Act::Relu, p + ".expand1x1_activation");
  const int e3 = b.act(b.conv(s, expand, 3, 1, 1, 1, true, p + ".expand3x3"), Act::Relu, p + ".expand3x3_activation");
  return b.concat({e1, e3}, p + ".cat");
}

}  // namespace

/// torchvision squeezenet1_1: features.0 (3x3 conv s2, 64) + .1 ReLU, max pools (3x3 s2, ceil_mode) at .2, .5, .8,
/// Fire modules at .3-.4, .6-.7, .9-.12; classifier.1 (1x1 conv to num_classes) + .2 ReLU, classifier.3 global
/// average pool, flatten (classifier.0 is Dropout, omitted).
Graph squeezenet1_1(const ModelOptions& o) {
  struct Stage {
    std::int64_t squeeze, expand;  // squeeze 0: a max pool
  };
  static const std::array<Stage, 10> kFeatures{
      {{16, 64}, {16, 64}, {0, 0}, {32, 128}, {32, 128}, {0, 0}, {48, 192}, {48, 192}, {64, 256}, {64, 256}}};
  GraphBuilder b("squeezenet1_1", o.seed, o.shapes_only);
  int x = b.act(b.conv(image_input(b, o), 64, 3, 2, 0, 1, true, "features.0"), Act::Relu, "features.1");
  x = b.maxpool(x, 3, 2, 0, true, "features.2");
  int index = 3;
  for (const Stage& st : kFeatures) {
    const std::string p = indexed("features", index++);
    x = st.squeeze == 0 ? b.maxpool(x, 3, 2, 0, true, p) : fire(b, x, st.squeeze, st.expand, p);
  }
  x = b.act(b.conv(x, o.num_classes, 1, 1, 0, 1, true, "classifier.1"), Act::Relu, "classifier.2");
  return b.finish(pool_flatten(b, x, "classifier.3"));
}

}  // namespace rs::models
