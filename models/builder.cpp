#include "models/builder.h"

#include <fmt/format.h>

#include <cmath>

#include "graph/shape.h"

namespace rs {

namespace {

constexpr double kPi = 3.14159265358979323846;

EltwiseAttrs eltwise_attrs(Act act) {
  switch (act) {
    case Act::Relu: return {EltwiseAlg::Relu, 0.f, 0.f};
    case Act::Relu6: return {EltwiseAlg::Clip, 0.f, 6.f};
    case Act::HardSwish: return {EltwiseAlg::HardSwish, 0.f, 0.f};
    case Act::HardSigmoid: return {EltwiseAlg::HardSigmoid, 1.f / 6.f, 0.5f};
    case Act::Sigmoid: return {EltwiseAlg::Sigmoid, 0.f, 0.f};
    case Act::None: break;
  }
  throw std::invalid_argument("GraphBuilder::act: Act::None is not an activation");
}

PoolAttrs pool_attrs(std::int64_t kernel, std::int64_t stride, std::int64_t pad, bool ceil_mode) {
  PoolAttrs a;
  a.kernel = {kernel, kernel};
  a.stride = {stride, stride};
  a.pads = {pad, pad, pad, pad};
  a.ceil_mode = ceil_mode;
  a.count_include_pad = false;
  return a;
}

}  // namespace

ConvBnActNames seq_names(const std::string& prefix) { return {prefix + ".0", prefix + ".1", prefix + ".2"}; }

GraphBuilder::GraphBuilder(std::string graph_name, std::uint64_t seed, bool shapes_only)
    : rng_(seed), shapes_only_(shapes_only) {
  graph_.name = std::move(graph_name);
}

int GraphBuilder::input(const std::string& name, const Dims& dims) { return graph_.add_input(name, dims); }

const Dims& GraphBuilder::dims(int x) const { return graph_.value(x).desc.dims; }

std::int64_t GraphBuilder::channels(int x) const {
  const Dims& d = dims(x);
  if (d.size() < 2)
    throw GraphError(fmt::format("value '{}' has dims {}: no channel axis", graph_.value(x).name, dims_str(d)));
  return d[1];
}

int GraphBuilder::add_op(const std::string& name, OpKind kind, Attrs attrs, const std::vector<int>& inputs) {
  const int out = graph_.add_node(name, kind, std::move(attrs), inputs);
  graph_.value(out).desc.dims = infer_node_shape(graph_, graph_.nodes.back());
  return out;
}

int GraphBuilder::constant(const std::string& name, const Dims& dims, std::vector<float> data) {
  return graph_.add_constant(name, dims, std::move(data));
}

double GraphBuilder::next_uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

double GraphBuilder::next_normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  const double u1 = 1.0 - next_uniform();  // (0, 1]: log() stays finite
  const double u2 = next_uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  spare_normal_ = r * std::sin(2.0 * kPi * u2);
  has_spare_normal_ = true;
  return r * std::cos(2.0 * kPi * u2);
}

std::vector<float> GraphBuilder::normal(std::int64_t n, double mean, double stddev) {
  std::vector<float> v(static_cast<std::size_t>(n), static_cast<float>(mean));
  if (shapes_only_) return v;
  for (auto& x : v) x = static_cast<float>(mean + stddev * next_normal());
  return v;
}

std::vector<float> GraphBuilder::uniform(std::int64_t n, double lo, double hi) {
  // Two 24-bit (float-resolution) variates per 64-bit draw: the fc layers of vgg16 need 124M of them.
  std::vector<float> v(static_cast<std::size_t>(n), static_cast<float>((lo + hi) / 2));
  if (shapes_only_) return v;
  const double scale = (hi - lo) * 0x1.0p-24;
  for (std::size_t i = 0; i < v.size(); i += 2) {
    const std::uint64_t r = rng_();
    v[i] = static_cast<float>(lo + scale * static_cast<double>(r >> 40));
    if (i + 1 < v.size()) v[i + 1] = static_cast<float>(lo + scale * static_cast<double>((r >> 8) & 0xFFFFFF));
  }
  return v;
}

int GraphBuilder::conv(int x, std::int64_t out_c, std::int64_t kernel, std::int64_t stride, std::int64_t pad,
                       std::int64_t groups, bool bias, const std::string& name) {
  const std::int64_t in_c = channels(x);
  if (groups < 1 || in_c % groups != 0 || out_c % groups != 0)
    throw GraphError(
        fmt::format("node '{}' (Conv): groups {} must divide C_in {} and C_out {}", name, groups, in_c, out_c));
  const Dims wdims{out_c, in_c / groups, kernel, kernel};
  const double fan_out = static_cast<double>(out_c * kernel * kernel);
  std::vector<int> inputs{x, constant(name + ".weight", wdims, normal(numel(wdims), 0.0, std::sqrt(2.0 / fan_out)))};
  if (bias) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(in_c / groups * kernel * kernel));
    inputs.push_back(constant(name + ".bias", {out_c}, uniform(out_c, -bound, bound)));
  }
  ConvAttrs a;
  a.out_channels = out_c;
  a.groups = groups;
  a.kernel = {kernel, kernel};
  a.stride = {stride, stride};
  a.pads = {pad, pad, pad, pad};
  a.has_bias = bias;
  return add_op(name, OpKind::Conv, a, inputs);
}

int GraphBuilder::bn(int x, const std::string& name) {
  const std::int64_t c = channels(x);
  const int gamma = constant(name + ".weight", {c}, uniform(c, 0.5, 1.5));
  const int beta = constant(name + ".bias", {c}, normal(c, 0.0, 0.1));
  const int mean = constant(name + ".running_mean", {c}, normal(c, 0.0, 0.1));
  const int var = constant(name + ".running_var", {c}, uniform(c, 0.5, 1.5));
  return add_op(name, OpKind::BatchNorm, BatchNormAttrs{1e-5f}, {x, gamma, beta, mean, var});
}

int GraphBuilder::act(int x, Act act, const std::string& name) {
  const EltwiseAttrs attrs = eltwise_attrs(act);
  const int uses = act_uses_[name]++;
  const std::string node_name = uses == 0 ? name : fmt::format("{}_{}", name, uses);
  return add_op(node_name, OpKind::Eltwise, attrs, {x});
}

int GraphBuilder::conv_bn_act(int x, std::int64_t out_c, std::int64_t kernel, std::int64_t stride, std::int64_t groups,
                              Act act_kind, const ConvBnActNames& names) {
  int y = conv(x, out_c, kernel, stride, (kernel - 1) / 2, groups, false, names.conv);
  y = bn(y, names.bn);
  return act_kind == Act::None ? y : act(y, act_kind, names.act);
}

int GraphBuilder::add(int a, int b, const std::string& name) {
  return add_op(name, OpKind::Binary, BinaryAttrs{BinaryAlg::Add}, {a, b});
}

int GraphBuilder::mul(int a, int b, const std::string& name) {
  return add_op(name, OpKind::Binary, BinaryAttrs{BinaryAlg::Mul}, {a, b});
}

int GraphBuilder::maxpool(int x, std::int64_t kernel, std::int64_t stride, std::int64_t pad, bool ceil_mode,
                          const std::string& name) {
  return add_op(name, OpKind::MaxPool, pool_attrs(kernel, stride, pad, ceil_mode), {x});
}

int GraphBuilder::avgpool(int x, std::int64_t kernel, std::int64_t stride, std::int64_t pad, const std::string& name) {
  return add_op(name, OpKind::AvgPool, pool_attrs(kernel, stride, pad, false), {x});
}

int GraphBuilder::global_avgpool(int x, const std::string& name) {
  return add_op(name, OpKind::GlobalAvgPool, std::monostate{}, {x});
}

int GraphBuilder::adaptive_avgpool(int x, std::int64_t out, const std::string& name) {
  const Dims& d = dims(x);
  if (d.size() != 4 || d[2] != d[3] || d[2] % out != 0)
    throw GraphError(fmt::format(
        "node '{}' (AvgPool): AdaptiveAvgPool2d(({}, {})) is only built when {} divides the square feature map "
        "(src {}); choose an input size that gives a multiple of {}",
        name, out, out, out, dims_str(d), out));
  if (d[2] == out) return x;
  return avgpool(x, d[2] / out, d[2] / out, 0, name);
}

int GraphBuilder::flatten(int x, const std::string& name) {
  return add_op(name, OpKind::Reshape, ReshapeAttrs{Dims{0, -1}}, {x});
}

int GraphBuilder::fc(int x, std::int64_t out_features, const std::string& name) {
  const std::int64_t in = channels(x);
  const double bound = 1.0 / std::sqrt(static_cast<double>(in));
  const int weights = constant(name + ".weight", {out_features, in}, uniform(out_features * in, -bound, bound));
  const int bias = constant(name + ".bias", {out_features}, uniform(out_features, -bound, bound));
  return add_op(name, OpKind::FullyConnected, FcAttrs{out_features, true}, {x, weights, bias});
}

int GraphBuilder::concat(const std::vector<int>& xs, const std::string& name) {
  return add_op(name, OpKind::Concat, ConcatAttrs{1}, xs);
}

Graph GraphBuilder::finish(int x) {
  graph_.value(x).name = "output";
  graph_.mark_output(x);
  return std::move(graph_);
}

}  // namespace rs
