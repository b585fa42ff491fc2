// ONNX compute ops -> IR: Conv, ConvTranspose, Gemm, MatMul, BatchNormalization, the unary activations, MaxPool,
// AveragePool, GlobalAveragePool, ReduceMean, Softmax, LayerNormalization,
// InstanceNormalization, Erf, Sqrt, Pow (by a constant scalar), Softplus, Mish. Attribute semantics: onnx.ai/onnx/operators.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "graph/onnx/context.h"

namespace rs::onnx_detail {

namespace {

using Pair = std::array<std::int64_t, 2>;

/// A 2-element spatial attribute ({H, W}); more elements mean a 1-D or 3-D op, which the IR does not have.
Pair pair_attr(const NodeContext& c, const char* name, Pair fallback) {
  const auto v = c.attr_ints(name, {fallback[0], fallback[1]});
  if (v.size() != 2) c.unsupported(fmt::format("attribute {} [{}]: only 2-D (H, W) ops are supported", name, fmt::join(v, ", ")));
  return {v[0], v[1]};
}

/// Pads {top, left, bottom, right} from 'pads' (ONNX order x1_begin, x2_begin, x1_end, x2_end: the same) or from
/// auto_pad: VALID = none; SAME_UPPER / SAME_LOWER = total (out - 1) * stride + (k - 1) * dilation + 1 - in with
/// out = ceil(in / stride), the odd element at the end (UPPER) or the beginning (LOWER).
std::array<std::int64_t, 4> window_pads(const NodeContext& c, const Dims& x, const Pair& kernel, const Pair& stride,
                                        const Pair& dilation) {
  const std::string mode = c.attr_string("auto_pad", "NOTSET");
  std::array<std::int64_t, 4> p{0, 0, 0, 0};
  if (mode == "NOTSET") {
    const auto v = c.attr_ints("pads", {0, 0, 0, 0});
    if (v.size() != 4) c.unsupported(fmt::format("pads [{}]: only 2-D ops are supported", fmt::join(v, ", ")));
    std::copy(v.begin(), v.end(), p.begin());
  } else if (mode == "SAME_UPPER" || mode == "SAME_LOWER") {
    for (int i = 0; i < 2; ++i) {
      const std::int64_t in = x[2 + static_cast<std::size_t>(i)];
      const std::int64_t out = (in + stride[i] - 1) / stride[i];
      const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * stride[i] + (kernel[i] - 1) * dilation[i] + 1 - in);
      const std::int64_t small = total / 2, large = total - small;
      p[i] = mode == "SAME_UPPER" ? small : large;
      p[i + 2] = mode == "SAME_UPPER" ? large : small;
    }
  } else if (mode != "VALID") {
    c.unsupported(fmt::format("auto_pad '{}' is not supported (NOTSET, VALID, SAME_UPPER, SAME_LOWER)", mode));
  }
  return p;
}

/// Weights [O, I, KH, KW] as a constant; checks kernel_shape against them.
Dims conv_weights(const NodeContext& c) {
  const Dims w = c.constant(1, "weights").dims;
  if (w.size() != 4) c.unsupported(fmt::format("weights {} are not rank 4: only 2-D convolution is supported", dims_str(w)));
  if (c.has_attr("kernel_shape") && pair_attr(c, "kernel_shape", {0, 0}) != Pair{w[2], w[3]})
    c.fail(fmt::format("kernel_shape does not match the weights {}", dims_str(w)));
  return w;
}

/// Conv and ConvTranspose: src, weights (constant), optional bias (constant).
void add_conv(NodeContext& c, OpKind kind, ConvAttrs a) {
  std::vector<int> inputs{c.activation(0), c.value(1)};
  if (c.has_input(2)) {
    c.constant(2, "bias");
    inputs.push_back(c.value(2));
    a.has_bias = true;
  }
  c.set_output(0, c.add(kind, a, inputs));
}

void convert_conv(NodeContext& c) {
  const Dims x = nchw_input(c), w = conv_weights(c);
  ConvAttrs a;
  a.out_channels = w[0];
  a.groups = c.attr_int("group", 1);
  a.kernel = {w[2], w[3]};
  a.stride = pair_attr(c, "strides", {1, 1});
  a.dilation = pair_attr(c, "dilations", {1, 1});
  a.pads = window_pads(c, x, a.kernel, a.stride, a.dilation);
  add_conv(c, OpKind::Conv, a);
}

void convert_conv_transpose(NodeContext& c) {
  const Dims x = nchw_input(c), w = conv_weights(c);
  if (c.has_attr("output_shape")) c.unsupported("attribute 'output_shape' is not supported (give pads instead)");
  const std::string mode = c.attr_string("auto_pad", "NOTSET");
  if (mode != "NOTSET" && mode != "VALID") c.unsupported(fmt::format("auto_pad '{}' is not supported here", mode));
  ConvAttrs a;
  a.groups = c.attr_int("group", 1);
  a.out_channels = w[1] * a.groups;
  a.kernel = {w[2], w[3]};
  a.stride = pair_attr(c, "strides", {1, 1});
  a.dilation = pair_attr(c, "dilations", {1, 1});
  a.output_padding = pair_attr(c, "output_padding", {0, 0});
  a.pads = window_pads(c, x, a.kernel, a.stride, a.dilation);
  add_conv(c, OpKind::Deconv, a);
}

/// FullyConnected from weights [M, K] and an optional bias [M] (new graph constants named after the ONNX inputs).
void add_fc(NodeContext& c, std::vector<float> weights, const Dims& w_dims, const std::vector<float>* bias) {
  FcAttrs a;
  a.out_features = w_dims[0];
  const std::string w_name = c.proto().input(1);
  std::vector<int> inputs{c.activation(0), c.add_constant(w_name + ":fc_weights", w_dims, std::move(weights))};
  if (bias) {
    inputs.push_back(c.add_constant(c.proto().input(2) + ":fc_bias", {a.out_features}, *bias));
    a.has_bias = true;
  }
  c.set_output(0, c.add(OpKind::FullyConnected, a, inputs));
}

/// The 2-D constant B of Gemm/MatMul as FC weights [M, K]: transposed unless `b_is_mk`, scaled by `alpha`.
std::pair<std::vector<float>, Dims> fc_weights(const NodeContext& c, bool b_is_mk, float alpha) {
  const ConstTensor& b = c.constant(1, "B (weights)");
  if (b.dims.size() != 2) c.unsupported(fmt::format("B {} is not a matrix", dims_str(b.dims)));
  const ConstTensor w = b_is_mk ? b : fold_transpose(b, {1, 0});
  std::vector<float> data = w.as_floats();
  if (alpha != 1.f)
    for (float& v : data) v *= alpha;
  return {std::move(data), w.dims};
}

Dims matrix_input(const NodeContext& c) {
  const Dims a = c.dims(0);
  if (a.size() != 2) c.unsupported(fmt::format("input A {} is not a matrix: only 2-D products are supported", dims_str(a)));
  return a;
}

/// Y = alpha * A B' + beta * C with B' = B or B^T: FC with weights alpha * B' ^T and bias beta * C.
void convert_gemm(NodeContext& c) {
  matrix_input(c);
  if (c.attr_int("transA", 0) != 0) c.unsupported("transA = 1 is not supported");
  auto [w, w_dims] = fc_weights(c, c.attr_int("transB", 0) != 0, c.attr_float("alpha", 1.f));
  if (!c.has_input(2)) return add_fc(c, std::move(w), w_dims, nullptr);
  const ConstTensor& bias = c.constant(2, "C (bias)");
  const std::int64_t m = w_dims[0];
  std::vector<float> b = bias.as_floats();
  if (bias.size() == 1) b.assign(static_cast<std::size_t>(m), b[0]);
  else if (bias.size() != m || bias.dims.back() != m)
    c.unsupported(fmt::format("C {} is not supported (only [M], [1, M] or a scalar; M = {})", dims_str(bias.dims), m));
  const float beta = c.attr_float("beta", 1.f);
  for (float& v : b) v *= beta;
  add_fc(c, std::move(w), w_dims, &b);
}

/// A [..., K] x B [K, M] with a constant B: FullyConnected on A viewed as [rows, K], rows = the product of A's
/// leading dims (Reshapes around it for rank > 2: convnext's Linear on a channels-last [N, H, W, C] tensor).
void convert_matmul(NodeContext& c) {
  const Dims a = c.dims(0);
  if (a.size() < 2) c.unsupported(fmt::format("input A {} is not a matrix", dims_str(a)));
  auto [w, w_dims] = fc_weights(c, false, 1.f);
  if (a.size() == 2) return add_fc(c, std::move(w), w_dims, nullptr);
  const std::int64_t k = a.back();
  const int rows = c.add(OpKind::Reshape, ReshapeAttrs{{numel(a) / k, k}}, {c.activation(0)}, ":rows");
  FcAttrs fa;
  fa.out_features = w_dims[0];
  const int w_id = c.add_constant(c.proto().input(1) + ":fc_weights", w_dims, std::move(w));
  const int y = c.add(OpKind::FullyConnected, fa, {rows, w_id});
  Dims out = a;
  out.back() = w_dims[0];
  c.set_output(0, c.add(OpKind::Reshape, ReshapeAttrs{out}, {y}, ":unrows"));
}

void convert_batchnorm(NodeContext& c) {
  if (c.attr_int("spatial", 1) != 1) c.unsupported("spatial = 0 (per-element statistics, opset 7-8) is not supported");
  if (c.attr_int("training_mode", 0) != 0) c.unsupported("training_mode = 1 is not supported (export in eval mode)");
  for (std::size_t i = 1; i < c.num_outputs(); ++i)
    if (c.output_used(i)) c.unsupported("the running statistics outputs are not supported (export in eval mode)");
  static const char* names[] = {"", "scale", "B", "mean", "var"};
  std::vector<int> inputs{c.activation(0)};
  for (std::size_t i = 1; i < 5; ++i) {
    c.constant(i, names[i]);
    inputs.push_back(c.value(i));
  }
  c.set_output(0, c.add(OpKind::BatchNorm, BatchNormAttrs{c.attr_float("epsilon", 1e-5f)}, inputs));
}

void add_eltwise(NodeContext& c, EltwiseAlg alg, float alpha = 0.f, float beta = 0.f) {
  c.set_output(0, c.add(OpKind::Eltwise, EltwiseAttrs{alg, alpha, beta}, {c.activation(0)}));
}

void convert_relu(NodeContext& c) { add_eltwise(c, EltwiseAlg::Relu); }
void convert_erf(NodeContext& c) { add_eltwise(c, EltwiseAlg::Erf); }
void convert_sqrt(NodeContext& c) { add_eltwise(c, EltwiseAlg::Sqrt); }
void convert_softplus(NodeContext& c) { add_eltwise(c, EltwiseAlg::Softplus); }
void convert_mish(NodeContext& c) { add_eltwise(c, EltwiseAlg::Mish); }

/// Pow(x, y) with a constant scalar exponent y: Eltwise Pow (alpha = y).
void convert_pow(NodeContext& c) {
  const ConstTensor& y = c.constant(1, "Y (exponent)");
  if (y.size() != 1) c.unsupported(fmt::format("exponent {} is not a scalar", dims_str(y.dims)));
  add_eltwise(c, EltwiseAlg::Pow, y.as_floats()[0]);
}

/// LayerNormalization (opset 17): X, Scale, B (optional) over the axes [axis, rank); the Mean and InvStdDev outputs
/// (training) are not supported.
void convert_layernorm(NodeContext& c) {
  for (std::size_t i = 1; i < c.num_outputs(); ++i)
    if (c.output_used(i)) c.unsupported("the Mean / InvStdDev outputs are not supported");
  if (c.attr_int("stash_type", 1) != 1) c.unsupported("stash_type other than 1 (float) is not supported");
  const Dims x = c.dims(0);
  LayerNormAttrs a;
  a.begin_axis = normalize_axis(c, c.attr_int("axis", -1), x.size());
  a.end_axis = static_cast<int>(x.size());
  a.epsilon = c.attr_float("epsilon", 1e-5f);
  std::vector<int> inputs{c.activation(0)};
  for (std::size_t i = 1; i < 3; ++i) {
    if (!c.has_input(i)) continue;
    c.constant(i, i == 1 ? "Scale" : "B");
    inputs.push_back(c.value(i));
    (i == 1 ? a.has_scale : a.has_shift) = true;
  }
  c.set_output(0, c.add(OpKind::LayerNorm, a, inputs));
}

/// InstanceNormalization: input [N, C, spatial...], scale [C], B [C] (constants), epsilon.
void convert_instancenorm(NodeContext& c) {
  std::vector<int> inputs{c.activation(0)};
  for (std::size_t i = 1; i < 3; ++i) {
    c.constant(i, i == 1 ? "scale" : "B");
    inputs.push_back(c.value(i));
  }
  c.set_output(0, c.add(OpKind::InstanceNorm, BatchNormAttrs{c.attr_float("epsilon", 1e-5f)}, inputs));
}
void convert_sigmoid(NodeContext& c) { add_eltwise(c, EltwiseAlg::Sigmoid); }
void convert_tanh(NodeContext& c) { add_eltwise(c, EltwiseAlg::Tanh); }
void convert_hardswish(NodeContext& c) { add_eltwise(c, EltwiseAlg::HardSwish); }
void convert_leaky_relu(NodeContext& c) { add_eltwise(c, EltwiseAlg::LeakyRelu, c.attr_float("alpha", 0.01f)); }
void convert_hardsigmoid(NodeContext& c) {
  add_eltwise(c, EltwiseAlg::HardSigmoid, c.attr_float("alpha", 0.2f), c.attr_float("beta", 0.5f));
}

/// Clip(min, max) with optional constant scalar inputs; Clip(0, none) is Relu, Clip(0, 6) is ReLU6.
/// Clip: bounds as inputs 1, 2 (opset 11+) or the `min` / `max` attributes (before 11); Clip(0, none) is Relu.
void convert_clip(NodeContext& c) {
  const bool attrs = c.opset() < 11;
  if (!attrs && (c.has_attr("min") || c.has_attr("max")))
    c.fail(fmt::format("attributes min / max are the Clip of opsets 6-10; opset {} takes them as inputs", c.opset()));
  auto bound = [&](std::size_t i, const char* what, float fallback) {
    if (attrs) return c.attr_float(what, fallback);
    if (!c.has_input(i)) return fallback;
    const ConstTensor& t = c.constant(i, what);
    if (t.size() != 1) c.fail(fmt::format("{} must be a scalar, got {}", what, dims_str(t.dims)));
    return t.as_floats()[0];
  };
  const float lo = bound(1, "min", std::numeric_limits<float>::lowest());
  const float hi = bound(2, "max", std::numeric_limits<float>::max());
  if (lo == 0.f && (attrs ? !c.has_attr("max") : !c.has_input(2))) return add_eltwise(c, EltwiseAlg::Relu);
  add_eltwise(c, EltwiseAlg::Clip, lo, hi);
}

/// MaxPool / AveragePool: kernel, strides, pads (or auto_pad), ceil_mode; AveragePool's count_include_pad.
void add_pool(NodeContext& c, OpKind kind) {
  const Dims x = nchw_input(c);
  PoolAttrs a;
  a.kernel = pair_attr(c, "kernel_shape", {0, 0});
  if (!c.has_attr("kernel_shape")) c.fail("attribute 'kernel_shape' is required");
  a.stride = pair_attr(c, "strides", {1, 1});
  a.pads = window_pads(c, x, a.kernel, a.stride, {1, 1});
  a.ceil_mode = c.attr_int("ceil_mode", 0) != 0;
  a.count_include_pad = c.attr_int("count_include_pad", 0) != 0;
  c.set_output(0, c.add(kind, a, {c.activation(0)}));
}

void convert_maxpool(NodeContext& c) {
  if (pair_attr(c, "dilations", {1, 1}) != Pair{1, 1}) c.unsupported("dilated max pooling is not supported");
  if (c.attr_int("storage_order", 0) != 0) c.unsupported("storage_order = 1 is not supported");
  if (c.output_used(1)) c.unsupported("the Indices output is not supported");
  add_pool(c, OpKind::MaxPool);
}

void convert_avgpool(NodeContext& c) { add_pool(c, OpKind::AvgPool); }

void convert_global_avgpool(NodeContext& c) {
  nchw_input(c);
  c.set_output(0, c.add(OpKind::GlobalAvgPool, std::monostate{}, {c.activation(0)}));
}

/// ReduceMean over `axes` (every axis when absent; opset <= 17 has the attribute only). Over {2, 3} of an NCHW
/// tensor: GlobalAvgPool, then Reshape to [N, C] when keepdims = 0; otherwise the IR ReduceMean.
void convert_reduce_mean(NodeContext& c) {
  const Dims x = c.dims(0);
  std::vector<std::int64_t> axes = c.attr_ints("axes", {});
  if (axes.empty())
    for (std::size_t d = 0; d < x.size(); ++d) axes.push_back(static_cast<std::int64_t>(d));
  for (auto& a : axes) a = normalize_axis(c, a, x.size());
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    c.fail(fmt::format("axes {} repeat an axis", dims_str(Dims(axes.begin(), axes.end()))));
  const bool keepdims = c.attr_int("keepdims", 1) != 0;
  if (x.size() != 4 || axes != std::vector<std::int64_t>{2, 3})
    return c.set_output(0, c.add(OpKind::ReduceMean, ReduceAttrs{std::vector<int>(axes.begin(), axes.end()), keepdims},
                                 {c.activation(0)}));
  const int pooled = c.add(OpKind::GlobalAvgPool, std::monostate{}, {c.activation(0)});
  if (c.attr_int("keepdims", 1) != 0) return c.set_output(0, pooled);
  c.set_output(0, c.add(OpKind::Reshape, ReshapeAttrs{{x[0], x[1]}}, {pooled}, ":squeeze"));
}

/// Softmax along `axis` (default -1; 1 before opset 13, when ONNX normalized over all axes from `axis` on, which is
/// the same only when the axes after it have size 1).
void convert_softmax(NodeContext& c) {
  const Dims x = c.dims(0);
  const int axis = normalize_axis(c, c.attr_int("axis", c.opset() < 13 ? 1 : -1), x.size());
  if (c.opset() < 13 && numel(Dims(x.begin() + axis + 1, x.end())) != 1)
    c.unsupported(fmt::format("Softmax before opset 13 over axes {}.. of {} (flattened) is not supported", axis,
                              dims_str(x)));
  c.set_output(0, c.add(OpKind::Softmax, SoftmaxAttrs{axis}, {c.activation(0)}));
}

}  // namespace

const std::vector<Converter>& nn_converters() {
  static const std::vector<Converter> kConverters{
      {"Conv", {"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"}, convert_conv},
      {"ConvTranspose", {"auto_pad", "dilations", "group", "kernel_shape", "output_padding", "output_shape", "pads",
                         "strides"}, convert_conv_transpose},
      {"Gemm", {"alpha", "beta", "transA", "transB"}, convert_gemm},
      {"MatMul", {}, convert_matmul},
      {"BatchNormalization", {"epsilon", "momentum", "spatial", "training_mode"}, convert_batchnorm},
      {"Relu", {}, convert_relu},
      {"Erf", {}, convert_erf},
      {"Sqrt", {}, convert_sqrt},
      {"Pow", {}, convert_pow},
      {"Softplus", {}, convert_softplus},
      {"Mish", {}, convert_mish},
      {"LayerNormalization", {"axis", "epsilon", "stash_type"}, convert_layernorm},
      {"InstanceNormalization", {"epsilon"}, convert_instancenorm},
      {"Sigmoid", {}, convert_sigmoid},
      {"Tanh", {}, convert_tanh},
      {"HardSwish", {}, convert_hardswish},
      {"LeakyRelu", {"alpha"}, convert_leaky_relu},
      {"HardSigmoid", {"alpha", "beta"}, convert_hardsigmoid},
      {"Clip", {"max", "min"}, convert_clip},
      {"MaxPool", {"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"},
       convert_maxpool},
      {"AveragePool", {"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"},
       convert_avgpool},
      {"GlobalAveragePool", {}, convert_global_avgpool},
      {"ReduceMean", {"axes", "keepdims"}, convert_reduce_mean},
      {"Softmax", {"axis"}, convert_softmax},
  };
  return kConverters;
}

}  // namespace rs::onnx_detail
