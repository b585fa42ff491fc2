// Eltwise (unary, every EltwiseAlg): cost (graph/ops/ops.h); its shape is same_shape (common.h).
#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

OpCost eltwise_cost(const Graph& g, const Node& n) { return io_cost(g, n, dst_elems(g, n)); }

}  // namespace rs::ops
