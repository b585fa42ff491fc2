// Binary (Add, Mul, Sub, Div with broadcast): shape and cost (graph/ops/ops.h).
#include <fmt/format.h>

#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

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

OpCost binary_cost(const Graph& g, const Node& n) {
  OpCost c = io_cost(g, n, dst_elems(g, n));
  c.params = constant_elems(g, n, 0);
  return c;
}

}  // namespace rs::ops
