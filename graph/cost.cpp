// Cost model, one function per op kind. Ideal no-cache model of seed 001 §I: every input (activations and
// constants) is read once and every output written once; FLOPs count multiply and add separately (2 per MAC).
#include "graph/cost.h"

namespace rs {

namespace {

std::int64_t elems(const Graph& g, int value_id) { return g.value(value_id).desc.numel(); }
std::int64_t dst_elems(const Graph& g, const Node& n) { return elems(g, n.outputs.at(0)); }

/// Bytes of every value the node reads (post-op operands included) plus its outputs, x sizeof(f32).
std::int64_t io_bytes(const Graph& g, const Node& n) {
  std::int64_t b = 0;
  for (int id : n.reads()) b += g.value(id).desc.bytes();
  for (int id : n.outputs) b += g.value(id).desc.bytes();
  return b;
}

/// Elements of constant inputs (weights, bias) starting at input index `from`.
std::int64_t constant_elems(const Graph& g, const Node& n, std::size_t from) {
  std::int64_t p = 0;
  for (std::size_t i = from; i < n.inputs.size(); ++i)
    if (g.value(n.inputs[i]).is_constant()) p += elems(g, n.inputs[i]);
  return p;
}

/// Conv: MACs = N * C_out * H_out * W_out * (C_in / groups) * KH * KW  (seed 001 §I.1).
std::int64_t conv_macs(const Graph& g, const Node& n) {
  const auto& a = n.attr<ConvAttrs>();
  const Dims& src = g.value(n.inputs[0]).desc.dims;
  return dst_elems(g, n) * (src[1] / a.groups) * a.kernel[0] * a.kernel[1];
}

/// Deconv (transposed conv): every src element scatters into C_out/groups * KH * KW outputs:
/// MACs = N * C_in * H_in * W_in * (C_out / groups) * KH * KW.
std::int64_t deconv_macs(const Graph& g, const Node& n) {
  const auto& a = n.attr<ConvAttrs>();
  return elems(g, n.inputs[0]) * (a.out_channels / a.groups) * a.kernel[0] * a.kernel[1];
}

/// FC: MACs = N * M * K.
std::int64_t fc_macs(const Graph& g, const Node& n) {
  const Dims& w = g.value(n.inputs[1]).desc.dims;
  return g.value(n.inputs[0]).desc.dims[0] * w[0] * w[1];
}

/// FLOPs of element-wise work per output element: Eltwise/Binary 1 (seed 001 counts Eltwise Sum as N*C*H*W),
/// BatchNorm 2 (x * scale' + shift' after folding the statistics), Softmax 4 (max, exp of the difference, sum,
/// divide), pooling KH*KW (one compare or add per window element), GlobalAvgPool H*W; layout ops (Reshape,
/// Transpose, Slice, Pad, Concat) 0.
std::int64_t elementwise_flops(const Graph& g, const Node& n) {
  const std::int64_t out = dst_elems(g, n);
  switch (n.kind) {
    case OpKind::Eltwise:
    case OpKind::Binary: return out;
    case OpKind::BatchNorm: return 2 * out;
    case OpKind::Softmax: return 4 * out;
    case OpKind::MaxPool:
    case OpKind::AvgPool: {
      const auto& a = n.attr<PoolAttrs>();
      return out * a.kernel[0] * a.kernel[1];
    }
    case OpKind::GlobalAvgPool: return elems(g, n.inputs[0]);
    default: return 0;
  }
}

}  // namespace

OpCost& OpCost::operator+=(const OpCost& o) {
  macs += o.macs;
  flops += o.flops;
  params += o.params;
  bytes += o.bytes;
  return *this;
}

OpCost op_cost(const Graph& graph, const Node& node) {
  OpCost c;
  c.bytes = io_bytes(graph, node);
  // Slice reads only its window of src: dst's elements once, written once (0 FLOPs, as every layout op).
  if (node.kind == OpKind::Slice) c.bytes = 2 * graph.value(node.outputs.at(0)).desc.bytes();
  switch (node.kind) {
    case OpKind::Conv: c.macs = conv_macs(graph, node); break;
    case OpKind::Deconv: c.macs = deconv_macs(graph, node); break;
    case OpKind::FullyConnected: c.macs = fc_macs(graph, node); break;
    default: break;
  }
  if (c.macs > 0) {
    c.flops = 2 * c.macs;  // bias add not counted (torchvision-style MAC counts ignore it too)
    c.params = constant_elems(graph, node, 1);
  } else {
    c.flops = elementwise_flops(graph, node);
  }
  if (node.kind == OpKind::BatchNorm) c.params = 2 * graph.value(node.inputs[1]).desc.numel();  // scale + shift
  if (node.kind == OpKind::Binary) c.params = constant_elems(graph, node, 0);
  // Each fused post-op does one FLOP per dst element (HardSigmoid etc. counted as 1, as unfused eltwise).
  c.flops += static_cast<std::int64_t>(node.post_ops.size()) * dst_elems(graph, node);
  return c;
}

OpCost graph_cost(const Graph& graph) {
  OpCost total;
  for (int id : graph.live_nodes()) total += op_cost(graph, graph.node(id));
  return total;
}

OpCost reorder_cost(std::int64_t src_bytes, std::int64_t dst_bytes) {
  OpCost c;
  c.bytes = src_bytes + dst_bytes;
  return c;
}

}  // namespace rs
