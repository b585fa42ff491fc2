// Cost model: the driver. Each kind's formula is in its family's file (graph/ops/, documented in graph/ops/ops.h),
// found through the op registry. Ideal no-cache model of seed 001 §I: every input (activations and constants) is
// read once and every output written once; FLOPs count multiply and add separately (2 per MAC).
#include "graph/cost.h"

#include "graph/op_registry.h"

namespace rs {

OpCost& OpCost::operator+=(const OpCost& o) {
  macs += o.macs;
  flops += o.flops;
  params += o.params;
  bytes += o.bytes;
  return *this;
}

OpCost op_cost(const Graph& graph, const Node& node) {
  OpCost c = op_info(node.kind).cost(graph, node);
  // Each fused post-op does one FLOP per dst element (HardSigmoid etc. counted as 1, as unfused eltwise).
  c.flops += static_cast<std::int64_t>(node.post_ops.size()) * graph.value(node.outputs.at(0)).desc.numel();
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
