// Softmax: shape and cost (graph/ops/ops.h).
#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

Dims softmax_shape(const Graph& g, const Node& n) {
  const Dims& src = same_shape(g, n);
  normalize_axis(n, n.attr<SoftmaxAttrs>().axis, src.size());
  return src;
}

OpCost softmax_cost(const Graph& g, const Node& n) { return io_cost(g, n, checked_product({4, dst_elems(g, n)}, "the FLOP count")); }

}  // namespace rs::ops
