// GraphBuilder: adds a layer and its seeded constants to an rs::Graph in one call (used by every zoo architecture).
#pragma once
#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/graph.h"

namespace rs {

/// Activation functions the zoo uses, in PyTorch's definitions (see EltwiseAlg in graph/op.h).
enum class Act {
  None,         ///< no activation (conv_bn_act adds conv + bn only)
  Relu,         ///< nn.ReLU
  Relu6,        ///< nn.ReLU6 = Clip(0, 6)
  HardSwish,    ///< nn.Hardswish = x * relu6(x + 3) / 6
  HardSigmoid,  ///< nn.Hardsigmoid = relu6(x + 3) / 6 (HardSigmoid alpha 1/6, beta 0.5)
  Sigmoid,      ///< nn.Sigmoid
};

/// Node names of a conv -> BN -> activation triple.
struct ConvBnActNames {
  std::string conv, bn, act;
};

/// torchvision's Conv2dNormActivation / ConvBNReLU naming: prefix.0 (conv), prefix.1 (bn), prefix.2 (activation).
ConvBnActNames seq_names(const std::string& prefix);

/// Builds a graph layer by layer. Every call adds one node (plus its constants, named as PyTorch's state_dict keys:
/// "<layer>.weight", "<layer>.bias", "<layer>.running_mean", "<layer>.running_var"), infers the node's output dims
/// at once (so an input too small for a layer throws GraphError naming that layer) and returns the output value id.
/// Node names are the torchvision module names, so they can be matched with forward hooks and ONNX exports.
///
/// Random constants come from one std::mt19937_64 seeded with `seed`, drawn in build order; uniform and normal
/// variates are derived from its raw 64-bit output (uniform constants: two 24-bit variates per draw; normal ones:
/// Box-Muller on 53-bit uniforms), not from <random>'s implementation-defined distributions, so a seed gives the
/// same weights with every standard library.
class GraphBuilder {
 public:
  /// graph_name: Graph::name; seed: weight seed; shapes_only: constants hold their distribution's mean, no draws
  /// (ModelOptions::shapes_only).
  GraphBuilder(std::string graph_name, std::uint64_t seed, bool shapes_only = false);

  /// Adds the graph input `name` of `dims` (f32).
  int input(const std::string& name, const Dims& dims);
  /// Inferred dims of value x.
  const Dims& dims(int x) const;
  /// dims(x)[1]: the channel count of an NCHW or NC value.
  std::int64_t channels(int x) const;

  /// Conv2d: weights [out_c, C_in/groups, kernel, kernel], Kaiming normal as torch.nn.init.kaiming_normal_(
  /// mode="fan_out", nonlinearity="relu"): std = sqrt(2 / fan_out), fan_out = weight.size(0) * kh * kw =
  /// out_c * kernel^2 (torch's _calculate_fan_in_and_fan_out does not divide by groups). Bias (if any) as
  /// nn.Conv2d's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = C_in/groups * kernel^2 (torchvision zeroes
  /// conv biases; non-zero ones keep bias handling tested). pad: on all four sides.
  int conv(int x, std::int64_t out_c, std::int64_t kernel, std::int64_t stride, std::int64_t pad, std::int64_t groups,
           bool bias, const std::string& name);
  /// BatchNorm2d in inference mode with non-trivial statistics, so BN folding is really exercised:
  /// gamma ~ U(0.5, 1.5), beta ~ N(0, 0.1^2), running_mean ~ N(0, 0.1^2), running_var ~ U(0.5, 1.5), eps 1e-5.
  int bn(int x, const std::string& name);
  /// Activation `act` (must not be Act::None). torchvision reuses activation modules (ResNet's block.relu runs two
  /// or three times), so a name already taken gets torch.onnx's suffix: "relu", "relu_1", "relu_2".
  int act(int x, Act act, const std::string& name);
  /// conv (bias-free, pad (kernel-1)/2) -> bn -> act (skipped for Act::None): torchvision's Conv2dNormActivation.
  int conv_bn_act(int x, std::int64_t out_c, std::int64_t kernel, std::int64_t stride, std::int64_t groups, Act act,
                  const ConvBnActNames& names);

  /// Element-wise a + b, a * b (b: same dims, or [N, C, 1, 1] broadcast over H, W).
  int add(int a, int b, const std::string& name);
  int mul(int a, int b, const std::string& name);
  /// MaxPool2d(kernel, stride, pad, ceil_mode).
  int maxpool(int x, std::int64_t kernel, std::int64_t stride, std::int64_t pad, bool ceil_mode,
              const std::string& name);
  /// AvgPool2d(kernel, stride, pad), count_include_pad = false.
  int avgpool(int x, std::int64_t kernel, std::int64_t stride, std::int64_t pad, const std::string& name);
  /// AdaptiveAvgPool2d((1, 1)): [N, C, H, W] -> [N, C, 1, 1].
  int global_avgpool(int x, const std::string& name);
  /// AdaptiveAvgPool2d((out, out)) where it is expressible: the input itself when H = W = out (no node), else
  /// AvgPool with kernel = stride = H / out when out divides H and W (identical bins). Otherwise throws GraphError
  /// naming the layer and the input dims.
  int adaptive_avgpool(int x, std::int64_t out, const std::string& name);
  /// torch.flatten(x, 1): Reshape [N, C, H, W] -> [N, C*H*W] (shape {0, -1}).
  int flatten(int x, const std::string& name);
  /// nn.Linear: weights [out_features, in], bias [out_features], both U(-1/sqrt(in), 1/sqrt(in)) as torch's
  /// default init (kaiming_uniform_(a=sqrt(5)) for the weight).
  int fc(int x, std::int64_t out_features, const std::string& name);
  /// torch.cat(xs, dim=1).
  int concat(const std::vector<int>& xs, const std::string& name);

  /// Marks x as the graph output, renames its value "output", and hands over the graph.
  Graph finish(int x);

 private:
  int add_op(const std::string& name, OpKind kind, Attrs attrs, const std::vector<int>& inputs);
  int constant(const std::string& name, const Dims& dims, std::vector<float> data);
  std::vector<float> normal(std::int64_t n, double mean, double stddev);
  std::vector<float> uniform(std::int64_t n, double lo, double hi);
  double next_uniform();  ///< [0, 1), 53 random bits
  double next_normal();   ///< N(0, 1), Box-Muller

  Graph graph_;
  std::mt19937_64 rng_;
  bool shapes_only_ = false;
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
  std::unordered_map<std::string, int> act_uses_;  ///< activation name -> times used
};

}  // namespace rs
