// The zoo registry and build_model(): option checks, lookup, shape inference.
#include "models/zoo.h"

#include <fmt/format.h>

#include "graph/shape.h"
#include "models/families.h"

namespace rs {

namespace {

void check_positive(const char* what, int v) {
  if (v < 1) throw std::invalid_argument(fmt::format("{} must be >= 1 (got {})", what, v));
}

/// A zoo entry whose build() checks the options first, so direct zoo()[i].build(...) calls are safe too.
ZooEntry entry(std::string name, std::string description, Graph (*build)(const ModelOptions&)) {
  return {std::move(name), std::move(description), [build](const ModelOptions& o) {
            check_positive("--batch", o.batch);
            check_positive("--size", o.size);
            check_positive("--num-classes", o.num_classes);
            return build(o);
          }};
}

}  // namespace

const std::vector<ZooEntry>& zoo() {
  static const std::vector<ZooEntry> kZoo{
      entry("resnet18", "ResNet-18 (He et al. 2015), torchvision layout", models::resnet18),
      entry("resnet50", "ResNet-50 v1.5 (He et al. 2015; stride in the 3x3 conv), torchvision layout",
            models::resnet50),
      entry("mobilenet_v1", "MobileNet v1 1.0-224 (Howard et al. 2017), not in torchvision: BN+ReLU after each conv",
            models::mobilenet_v1),
      entry("mobilenet_v2", "MobileNet v2 1.0 (Sandler et al. 2018), torchvision layout", models::mobilenet_v2),
      entry("mobilenet_v3_small", "MobileNet v3 small 1.0 (Howard et al. 2019), torchvision layout",
            models::mobilenet_v3_small),
      entry("vgg16", "VGG-16 without BN (Simonyan & Zisserman 2014), torchvision layout", models::vgg16),
      entry("squeezenet1_1", "SqueezeNet 1.1 (Iandola et al. 2016), torchvision layout", models::squeezenet1_1),
  };
  return kZoo;
}

Graph build_model(const std::string& name, const ModelOptions& options) {
  for (const ZooEntry& e : zoo()) {
    if (e.name != name) continue;
    Graph graph = e.build(options);
    infer_shapes(graph);
    graph.validate();
    return graph;
  }
  std::string names;
  for (const ZooEntry& e : zoo()) names += (names.empty() ? "" : ", ") + e.name;
  throw std::invalid_argument(fmt::format("unknown model '{}' (available: {})", name, names));
}

}  // namespace rs
