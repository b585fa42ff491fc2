// Shape inference, one function per op kind. Every error names the node, its op, the shapes and what was expected.
#include "graph/shape.h"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace rs {

namespace {

[[noreturn]] void fail(const Node& n, const std::string& what) { throw GraphError(node_label(n) + ": " + what); }

const Dims& in_dims(const Graph& g, const Node& n, std::size_t i) {
  if (i >= n.inputs.size()) fail(n, fmt::format("expects at least {} inputs, has {}", i + 1, n.inputs.size()));
  return g.value(n.inputs[i]).desc.dims;
}

void expect_inputs(const Node& n, std::size_t lo, std::size_t hi) {
  if (n.inputs.size() < lo || n.inputs.size() > hi)
    fail(n, lo == hi ? fmt::format("expects {} inputs, has {}", lo, n.inputs.size())
                     : fmt::format("expects {} to {} inputs, has {}", lo, hi, n.inputs.size()));
}

void expect_rank(const Node& n, const Dims& d, std::size_t rank, const char* what) {
  if (d.size() != rank) fail(n, fmt::format("{} must have rank {}, got {}", what, rank, dims_str(d)));
}

void expect_positive(const Node& n, const Dims& d, const char* what) {
  for (auto x : d)
    if (x <= 0) fail(n, fmt::format("{} {} has a non-positive dim", what, dims_str(d)));
}

void expect_dims(const Node& n, const Dims& got, const Dims& want, const char* what) {
  if (got != want) fail(n, fmt::format("{} must be {}, got {}", what, dims_str(want), dims_str(got)));
}

/// Spatial output dims of a window op; fails when the (dilated) kernel does not fit the padded input.
std::array<std::int64_t, 2> window_out(const Node& n, const Dims& src, const std::array<std::int64_t, 2>& k,
                                       const std::array<std::int64_t, 2>& s, const std::array<std::int64_t, 4>& p,
                                       const std::array<std::int64_t, 2>& dil, bool ceil_mode) {
  std::array<std::int64_t, 2> out{};
  for (int i = 0; i < 2; ++i) {
    if (k[i] < 1 || s[i] < 1 || dil[i] < 1 || p[i] < 0 || p[i + 2] < 0)
      fail(n, fmt::format("kernel {}, stride {}, dilation {} must be >= 1 and pads {} >= 0", fmt::join(k, "x"),
                          fmt::join(s, "x"), fmt::join(dil, "x"), fmt::join(p, ",")));
    out[i] = window_out_size(src[2 + i], k[i], s[i], p[i], p[i + 2], dil[i], ceil_mode);
    if (out[i] < 1)
      fail(n, fmt::format("kernel {}x{} (dilation {}) is larger than the padded input {} (pads {})", k[0], k[1],
                          dil[i], dims_str(src), fmt::join(p, ",")));
  }
  return out;
}

Dims conv_shape(const Graph& g, const Node& n) {
  const auto& a = n.attr<ConvAttrs>();
  expect_inputs(n, 2, 3);
  const Dims& src = in_dims(g, n, 0);
  expect_rank(n, src, 4, "src");
  expect_positive(n, src, "src");
  const std::int64_t c_in = src[1];
  if (a.groups < 1 || c_in % a.groups != 0 || a.out_channels % a.groups != 0)
    fail(n, fmt::format("groups {} must divide C_in {} and C_out {} (src {})", a.groups, c_in, a.out_channels,
                        dims_str(src)));
  expect_dims(n, in_dims(g, n, 1), {a.out_channels, c_in / a.groups, a.kernel[0], a.kernel[1]}, "weights");
  if (n.inputs.size() == 3) expect_dims(n, in_dims(g, n, 2), {a.out_channels}, "bias");
  const auto hw = window_out(n, src, a.kernel, a.stride, a.pads, a.dilation, false);
  return {src[0], a.out_channels, hw[0], hw[1]};
}

Dims deconv_shape(const Graph& g, const Node& n) {
  const auto& a = n.attr<ConvAttrs>();
  expect_inputs(n, 2, 3);
  const Dims& src = in_dims(g, n, 0);
  expect_rank(n, src, 4, "src");
  expect_positive(n, src, "src");
  if (a.groups < 1 || src[1] % a.groups != 0 || a.out_channels % a.groups != 0)
    fail(n, fmt::format("groups {} must divide C_in {} and C_out {}", a.groups, src[1], a.out_channels));
  expect_dims(n, in_dims(g, n, 1), {src[1], a.out_channels / a.groups, a.kernel[0], a.kernel[1]}, "weights");
  if (n.inputs.size() == 3) expect_dims(n, in_dims(g, n, 2), {a.out_channels}, "bias");
  Dims out{src[0], a.out_channels, 0, 0};
  for (int i = 0; i < 2; ++i) {
    if (a.output_padding[i] < 0 || a.output_padding[i] >= std::max(a.stride[i], a.dilation[i]))
      fail(n, fmt::format("output_padding {} must be in [0, max(stride, dilation))", a.output_padding[i]));
    out[2 + i] = (src[2 + i] - 1) * a.stride[i] - a.pads[i] - a.pads[i + 2] + a.dilation[i] * (a.kernel[i] - 1) +
                 a.output_padding[i] + 1;
    if (out[2 + i] < 1) fail(n, fmt::format("pads {} leave no output for src {}", fmt::join(a.pads, ","), dims_str(src)));
  }
  return out;
}

Dims fc_shape(const Graph& g, const Node& n) {
  const auto& a = n.attr<FcAttrs>();
  expect_inputs(n, 2, 3);
  const Dims& src = in_dims(g, n, 0);
  expect_rank(n, src, 2, "src (flatten before FullyConnected)");
  expect_positive(n, src, "src");
  expect_dims(n, in_dims(g, n, 1), {a.out_features, src[1]}, "weights");
  if (n.inputs.size() == 3) expect_dims(n, in_dims(g, n, 2), {a.out_features}, "bias");
  return {src[0], a.out_features};
}

Dims batchnorm_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 5, 5);
  const Dims& src = in_dims(g, n, 0);
  if (src.size() < 2) fail(n, fmt::format("src must have a channel axis, got {}", dims_str(src)));
  static const char* names[] = {"", "scale", "shift", "mean", "var"};
  for (std::size_t i = 1; i < 5; ++i) expect_dims(n, in_dims(g, n, i), {src[1]}, names[i]);
  return src;
}

Dims binary_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 2, 2);
  const Dims& a = in_dims(g, n, 0);
  const Dims& b = in_dims(g, n, 1);
  if (numel(b) == 1) return a;
  if (!broadcasts_to(b, a))
    fail(n, fmt::format("operand b {} must equal a {} or broadcast to it (dims of 1, e.g. [N, C, 1, 1])", dims_str(b),
                        dims_str(a)));
  return a;
}

Dims pool_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  expect_rank(n, src, 4, "src");
  expect_positive(n, src, "src");
  if (n.kind == OpKind::GlobalAvgPool) return {src[0], src[1], 1, 1};
  const auto& a = n.attr<PoolAttrs>();
  for (int i = 0; i < 2; ++i)
    if (std::max(a.pads[i], a.pads[i + 2]) > a.kernel[i] / 2)
      fail(n, fmt::format("pads {} must be at most half the kernel {}x{}", fmt::join(a.pads, ","), a.kernel[0],
                          a.kernel[1]));
  const auto hw = window_out(n, src, a.kernel, a.stride, a.pads, {1, 1}, a.ceil_mode);
  return {src[0], src[1], hw[0], hw[1]};
}

int normalize_axis(const Node& n, int axis, std::size_t rank) {
  const int r = static_cast<int>(rank);
  if (axis < -r || axis >= r) fail(n, fmt::format("axis {} out of range for rank {}", axis, rank));
  return axis < 0 ? axis + r : axis;
}

Dims concat_shape(const Graph& g, const Node& n) {
  if (n.inputs.empty()) fail(n, "expects at least 1 input");
  Dims out = in_dims(g, n, 0);
  const int axis = normalize_axis(n, n.attr<ConcatAttrs>().axis, out.size());
  for (std::size_t i = 1; i < n.inputs.size(); ++i) {
    const Dims& d = in_dims(g, n, i);
    bool ok = d.size() == out.size();
    for (std::size_t k = 0; ok && k < d.size(); ++k) ok = static_cast<int>(k) == axis || d[k] == out[k];
    if (!ok)
      fail(n, fmt::format("input {} {} must match {} on every axis but {}", i, dims_str(d), dims_str(out), axis));
    out[static_cast<std::size_t>(axis)] += d[static_cast<std::size_t>(axis)];
  }
  return out;
}

Dims reshape_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  Dims out = n.attr<ReshapeAttrs>().shape;
  int infer_at = -1;
  std::int64_t known = 1;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0) {
      if (i >= src.size()) fail(n, fmt::format("shape {}: 0 at axis {} but src {} has no such axis", dims_str(out), i, dims_str(src)));
      out[i] = src[i];
    }
    if (out[i] == -1) {
      if (infer_at >= 0) fail(n, fmt::format("shape {} has more than one -1", dims_str(n.attr<ReshapeAttrs>().shape)));
      infer_at = static_cast<int>(i);
    } else if (out[i] < 1) {
      fail(n, fmt::format("shape {} has an invalid dim {}", dims_str(n.attr<ReshapeAttrs>().shape), out[i]));
    } else {
      known *= out[i];
    }
  }
  if (infer_at >= 0) {
    if (known == 0 || numel(src) % known != 0)
      fail(n, fmt::format("cannot reshape {} into {}", dims_str(src), dims_str(n.attr<ReshapeAttrs>().shape)));
    out[static_cast<std::size_t>(infer_at)] = numel(src) / known;
  }
  if (numel(out) != numel(src))
    fail(n, fmt::format("cannot reshape {} ({} elements) into {} ({} elements)", dims_str(src), numel(src),
                        dims_str(out), numel(out)));
  return out;
}

Dims transpose_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  const auto& perm = n.attr<TransposeAttrs>().perm;
  std::vector<int> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  bool ok = perm.size() == src.size();
  for (std::size_t i = 0; ok && i < sorted.size(); ++i) ok = sorted[i] == static_cast<int>(i);
  if (!ok) fail(n, fmt::format("perm [{}] is not a permutation of the {} axes of src {}", fmt::join(perm, ", "), src.size(), dims_str(src)));
  Dims out(src.size());
  for (std::size_t i = 0; i < perm.size(); ++i) out[i] = src[static_cast<std::size_t>(perm[i])];
  return out;
}

/// Slice and Pad attributes have one entry per src axis.
void expect_full_rank(const Node& n, const Dims& src, const Dims& begin, const Dims& end) {
  if (begin.size() != src.size() || end.size() != src.size())
    fail(n, fmt::format("begin {} and end {} must have one entry per axis of src {}", dims_str(begin), dims_str(end),
                        dims_str(src)));
}

Dims slice_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  const auto& a = n.attr<SliceAttrs>();
  expect_full_rank(n, src, a.begin, a.end);
  Dims out(src.size());
  for (std::size_t d = 0; d < src.size(); ++d) {
    if (a.begin[d] < 0 || a.begin[d] >= a.end[d] || a.end[d] > src[d])
      fail(n, fmt::format("window [{}, {}) on axis {} must satisfy 0 <= begin < end <= {} (src {})", a.begin[d],
                          a.end[d], d, src[d], dims_str(src)));
    out[d] = a.end[d] - a.begin[d];
  }
  return out;
}

Dims pad_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  expect_positive(n, src, "src");
  const auto& a = n.attr<PadAttrs>();
  expect_full_rank(n, src, a.begin, a.end);
  Dims out(src.size());
  for (std::size_t d = 0; d < src.size(); ++d) {
    if (a.begin[d] < 0 || a.end[d] < 0)
      fail(n, fmt::format("pads begin {} end {} must be >= 0", dims_str(a.begin), dims_str(a.end)));
    out[d] = a.begin[d] + src[d] + a.end[d];
  }
  return out;
}

Dims same_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  expect_positive(n, src, "src");
  if (n.kind == OpKind::Softmax) normalize_axis(n, n.attr<SoftmaxAttrs>().axis, src.size());
  return src;
}

using ShapeFn = Dims (*)(const Graph&, const Node&);
constexpr ShapeFn kShapeFns[] = {
    conv_shape,      // Conv
    deconv_shape,    // Deconv
    fc_shape,        // FullyConnected
    batchnorm_shape, // BatchNorm
    same_shape,      // Eltwise
    binary_shape,    // Binary
    pool_shape,      // MaxPool
    pool_shape,      // AvgPool
    pool_shape,      // GlobalAvgPool
    concat_shape,    // Concat
    same_shape,      // Softmax
    reshape_shape,   // Reshape
    transpose_shape, // Transpose
    slice_shape,     // Slice
    pad_shape,       // Pad
    same_shape,      // Reorder
};
static_assert(sizeof(kShapeFns) / sizeof(kShapeFns[0]) == kNumOpKinds, "kShapeFns must list every OpKind");

/// Attributes must match the kind (a Conv with PoolAttrs is a programming error in a builder or importer).
void check_attrs(const Node& n) {
  bool ok = true;
  switch (n.kind) {
    case OpKind::Conv:
    case OpKind::Deconv: ok = std::holds_alternative<ConvAttrs>(n.attrs); break;
    case OpKind::FullyConnected: ok = std::holds_alternative<FcAttrs>(n.attrs); break;
    case OpKind::BatchNorm: ok = std::holds_alternative<BatchNormAttrs>(n.attrs); break;
    case OpKind::Eltwise: ok = std::holds_alternative<EltwiseAttrs>(n.attrs); break;
    case OpKind::Binary: ok = std::holds_alternative<BinaryAttrs>(n.attrs); break;
    case OpKind::MaxPool:
    case OpKind::AvgPool: ok = std::holds_alternative<PoolAttrs>(n.attrs); break;
    case OpKind::Concat: ok = std::holds_alternative<ConcatAttrs>(n.attrs); break;
    case OpKind::Softmax: ok = std::holds_alternative<SoftmaxAttrs>(n.attrs); break;
    case OpKind::Reshape: ok = std::holds_alternative<ReshapeAttrs>(n.attrs); break;
    case OpKind::Transpose: ok = std::holds_alternative<TransposeAttrs>(n.attrs); break;
    case OpKind::Slice: ok = std::holds_alternative<SliceAttrs>(n.attrs); break;
    case OpKind::Pad: ok = std::holds_alternative<PadAttrs>(n.attrs); break;
    default: break;
  }
  if (!ok) fail(n, "attributes do not match the op kind");
}

}  // namespace

std::int64_t window_out_size(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t pad_begin,
                             std::int64_t pad_end, std::int64_t dilation, bool ceil_mode) {
  const std::int64_t span = in + pad_begin + pad_end - dilation * (kernel - 1) - 1;
  if (span < 0) return 0;
  std::int64_t out = (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
  // PyTorch: with ceil_mode the last window must start inside the input or left padding.
  if (ceil_mode && (out - 1) * stride >= in + pad_begin) --out;
  return out;
}

Dims infer_node_shape(const Graph& graph, const Node& node) {
  check_attrs(node);
  for (int id : node.reads())
    if (graph.value(id).desc.dims.empty())
      fail(node, fmt::format("input '{}' has no shape yet", graph.value(id).name));
  Dims out = kShapeFns[static_cast<int>(node.kind)](graph, node);
  for (const auto& p : node.post_ops) {
    if (p.kind != PostOp::Kind::Binary) continue;
    const Dims& b = graph.value(p.operand).desc.dims;
    if (numel(b) != 1 && !broadcasts_to(b, out))
      fail(node, fmt::format("post-op {} operand {} does not broadcast to dst {}", p.name, dims_str(b), dims_str(out)));
  }
  return out;
}

void infer_shapes(Graph& graph) {
  graph.validate();
  for (int id : graph.live_nodes()) {
    Node& n = graph.node(id);
    const Dims out = infer_node_shape(graph, n);
    for (int v : n.outputs) graph.value(v).desc.dims = out;
  }
}

}  // namespace rs
