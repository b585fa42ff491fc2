// BatchNorm (inference, running statistics): shape and cost (graph/ops/ops.h).
#include <fmt/format.h>

#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

Dims batchnorm_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 5, 5);
  const Dims& src = in_dims(g, n, 0);
  if (src.size() < 2) fail(n, fmt::format("src must have a channel axis, got {}", dims_str(src)));
  static const char* names[] = {"", "scale", "shift", "mean", "var"};
  for (std::size_t i = 1; i < 5; ++i) expect_dims(n, in_dims(g, n, i), {src[1]}, names[i]);
  return src;
}

OpCost batchnorm_cost(const Graph& g, const Node& n) {
  OpCost c = io_cost(g, n, checked_product({2, dst_elems(g, n)}, "the FLOP count"));
  c.params = checked_product({2, elems(g, n.inputs[1])}, "the parameter count");  // scale + shift
  return c;
}

}  // namespace rs::ops
