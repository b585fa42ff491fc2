// Generated variants of the ResNet and MobileNet-v2 families (issue 11): width multipliers, kernel sizes, depths,
// expansion ratios and input sizes drawn from the ranges real CNNs use. They are the shape sampler of latency
// prediction (what `roofscope predict --train` times in context) and its held-out test set.
#pragma once
#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace rs {

struct VariantSpec {
  enum class Family { ResNetBasic, ResNetBottleneck, MobileNetV2 } family = Family::ResNetBasic;
  double width = 1.0;            ///< channel multiplier (MobileNet: rounded to multiples of 8 as torchvision)
  int kernel = 3;                ///< the spatial kernel of the blocks (ResNet conv2 / MobileNet depthwise): 3, 5, 7
  std::array<int, 7> depth{};    ///< blocks per stage (ResNet: first 4 used; MobileNet-v2: its 7 stages)
  int expansion = 6;             ///< MobileNet-v2 expansion ratio t (stages after the first)
  int size = 224;                ///< input H = W, pixels
  /// e.g. "resnet-basic-w0.75-k3-d2222-s160", "mbv2-w1.0-t6-k5-d1233431-s192".
  std::string name() const;
};

/// `count` variants drawn deterministically from `seed`: families in turn (basic, bottleneck, mobilenet_v2), each
/// field from its range (ResNet width 0.25-1, kernel 3/5, 1-3 blocks per stage (bottleneck 1-4); MobileNet-v2 width
/// 0.35-1.4, t 2-6, kernel 3/5/7, depth x0.5-1.5 of torchvision's; size 96-224); no two with the same name.
/// max_size caps the input size (e.g. 64 for quick runs), > 0.
std::vector<VariantSpec> sample_variants(int count, std::uint64_t seed, int max_size = 224);

/// Up to `count` specs one step away from `spec` (another input size, width, kernel, expansion ratio, or one stage a
/// block deeper or shallower), in an order drawn from `seed`, none named as `spec` or as a name in `exclude`, none
/// with an input above max_size: the refinement round of `predict --train` measures these around the models its
/// first fit predicts worst (nn-Meter's adaptive sampling).
std::vector<VariantSpec> neighbour_variants(const VariantSpec& spec, int count, std::uint64_t seed,
                                            const std::set<std::string>& exclude, int max_size = 224);

/// The variant's graph, shapes inferred, with seeded weights, input [batch, 3, size, size] and 1000 classes. Throws
/// GraphError when the input is too small for the depth (never for sample_variants()'s specs).
Graph build_variant(const VariantSpec& spec, int batch = 1);

}  // namespace rs
