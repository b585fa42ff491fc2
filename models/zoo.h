// The model zoo: torchvision architectures built in C++ with seeded random weights.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace rs {

/// How to build a zoo model. Input is [batch, 3, size, size], f32.
struct ModelOptions {
  int batch = 1;
  int size = 224;              ///< input height = width, pixels
  std::uint64_t seed = 0;      ///< weights: He (Kaiming normal, fan_out) init; BN statistics non-trivial
  int num_classes = 1000;
  /// No random draws: every constant holds its distribution's mean (uniform: the midpoint), so a graph for counting
  /// or predicting (info, predict) is built without drawing resnet50's 25.6M weights (~1 s). Shapes, costs and
  /// passes are the same; the numbers a run would compute are not.
  bool shapes_only = false;
};

struct ZooEntry {
  std::string name;         ///< e.g. "resnet18" (torchvision name)
  std::string description;  ///< one line, e.g. "ResNet-18 (He et al. 2015), torchvision layout"
  std::function<Graph(const ModelOptions&)> build;
};

/// Every zoo model, in listing order.
const std::vector<ZooEntry>& zoo();

/// Builds zoo model `name` with shapes inferred (not optimized). Throws std::invalid_argument
/// "unknown model 'x' (available: resnet18, ...)", or for batch/size that are not positive or too small for the
/// architecture (GraphError from shape inference names the layer).
/// Also rejects num_classes < 1 ("--num-classes must be >= 1 (got 0)"). vgg16 builds only where its
/// AdaptiveAvgPool2d((7, 7)) is exact (feature map a multiple of 7: sizes 224-255, 448-479, ...); other sizes
/// throw a GraphError naming 'avgpool'.
Graph build_model(const std::string& name, const ModelOptions& options);

}  // namespace rs
