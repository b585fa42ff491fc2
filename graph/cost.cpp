// Cost model: the driver. Each kind's formula is in its family's file (graph/ops/, documented in graph/ops/ops.h),
// found through the op registry. Ideal no-cache model of seed 001 §I: every input (activations and constants) is
// read once and every output written once; FLOPs count multiply and add separately (2 per MAC).
#include "graph/cost.h"

#include <algorithm>

#include <fmt/format.h>

#include "graph/op_registry.h"
#include "graph/units.h"

namespace rs {

OpCost& OpCost::operator+=(const OpCost& o) {
  macs = checked_sum(macs, o.macs, "the MAC count");
  flops = checked_sum(flops, o.flops, "the FLOP count");
  params = checked_sum(params, o.params, "the parameter count");
  bytes = checked_sum(bytes, o.bytes, "the bytes moved");
  return *this;
}

OpCost op_cost(const Graph& graph, const Node& node) {
  try {
    OpCost c = op_info(node.kind).cost(graph, node);
    // Each fused post-op does one FLOP per dst element (HardSigmoid etc. counted as 1, as unfused eltwise).
    const auto post = static_cast<std::int64_t>(node.post_ops.size());
    c.flops = checked_sum(c.flops, checked_product({post, graph.value(node.outputs.at(0)).desc.numel()}, "the FLOP count"),
                          "the FLOP count");
    return c;
  } catch (const std::overflow_error& e) {
    throw GraphError(fmt::format("{}: {}", node_label(node), e.what()));
  }
}

OpCost graph_cost(const Graph& graph) {
  OpCost total;
  try {
    for (int id : graph.live_nodes()) total += op_cost(graph, graph.node(id));
  } catch (const std::overflow_error& e) {
    throw GraphError(fmt::format("graph '{}' in total: {}", graph.name, e.what()));
  }
  return total;
}

void check_memory_budget(const Graph& g, std::int64_t budget, const std::string& source) {
  std::int64_t fixed = 0, largest = 0, largest_intermediate = 0;
  const Value* big = nullptr;
  for (const Value& v : g.values) {
    std::int64_t b = 0;
    try {
      b = v.desc.bytes();
    } catch (const std::overflow_error& e) {
      throw GraphError(fmt::format("tensor '{}': {}", v.name, e.what()));
    }
    const bool intermediate = !(v.is_constant() || v.is_output || v.producer < 0);
    if (!intermediate && __builtin_add_overflow(fixed, b, &fixed)) fixed = INT64_MAX;
    if (intermediate) largest_intermediate = std::max(largest_intermediate, b);
    if (b > largest) largest = b, big = &v;
  }
  std::int64_t need = INT64_MAX;  // a sum beyond int64 needs more than any budget
  if (__builtin_add_overflow(fixed, largest_intermediate, &need)) need = INT64_MAX;
  if (big == nullptr || need <= budget) return;
  throw GraphError(fmt::format("tensor '{}' {} needs {}; with the inputs, outputs and weights a run needs at least {}, "
                               "more than the memory budget {} ({})", big->name, dims_str(big->desc.dims),
                               format_bytes(double(largest)), format_bytes(double(need)), format_bytes(double(budget)),
                               source));
}

OpCost reorder_cost(std::int64_t src_bytes, std::int64_t dst_bytes) {
  OpCost c;
  c.bytes = src_bytes + dst_bytes;
  return c;
}

}  // namespace rs
