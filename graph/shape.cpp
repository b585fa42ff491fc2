// Shape inference: the driver. Each kind's shape function is in its family's file (graph/ops/), found through the
// op registry; every error names the node, its op, the shapes and what was expected.
#include "graph/shape.h"

#include <fmt/format.h>

#include "graph/op_registry.h"
#include "graph/ops/common.h"

namespace rs {

std::int64_t window_out_size(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t pad_begin,
                             std::int64_t pad_end, std::int64_t dilation, bool ceil_mode) {
  const char* what = "the window output size";
  const std::int64_t padded = checked_sum(checked_sum(in, pad_begin, what), pad_end, what);
  const std::int64_t span = checked_sum(padded, -checked_sum(checked_product({dilation, kernel - 1}, what), 1, what), what);
  if (span < 0) return 0;
  std::int64_t out = (ceil_mode ? checked_sum(span, stride - 1, what) / stride : span / stride) + 1;
  // PyTorch: with ceil_mode the last window must start inside the input or left padding.
  if (ceil_mode && (out - 1) * stride >= in + pad_begin) --out;
  return out;
}

Dims infer_node_shape(const Graph& graph, const Node& node) {
  const OpKindInfo& info = op_info(node.kind);
  // A Conv with PoolAttrs is a programming error in a builder or importer.
  if (!info.attrs_match(node.attrs)) ops::fail(node, "attributes do not match the op kind");
  for (int id : node.reads())
    if (graph.value(id).desc.dims.empty())
      ops::fail(node, fmt::format("input '{}' has no shape yet", graph.value(id).name));
  Dims out = info.shape(graph, node);
  for (const auto& p : node.post_ops) {
    if (p.kind != PostOp::Kind::Binary) continue;
    const Dims& b = graph.value(p.operand).desc.dims;
    if (numel(b) != 1 && !broadcasts_to(b, out))
      ops::fail(node, fmt::format("post-op {} operand {} does not broadcast to dst {}", p.name, dims_str(b), dims_str(out)));
  }
  return out;
}

void infer_shapes(Graph& graph) {
  graph.validate();
  for (int id : graph.live_nodes()) {
    Node& n = graph.node(id);
    Dims out;
    try {
      out = infer_node_shape(graph, n);
      (void)numel(out);  // an element count that overflows int64 is no shape
    } catch (const std::overflow_error& e) {
      throw GraphError(fmt::format("{}: {}", node_label(n), e.what()));
    }
    for (int v : n.outputs) graph.value(v).desc.dims = out;
  }
}

}  // namespace rs
