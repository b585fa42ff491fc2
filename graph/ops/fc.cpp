// FullyConnected: shape and cost (graph/ops/ops.h).
#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

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

OpCost fc_cost(const Graph& g, const Node& n) {
  const Dims& w = g.value(n.inputs[1]).desc.dims;
  return weighted_cost(g, n, checked_product({g.value(n.inputs[0]).desc.dims[0], w[0], w[1]}, "the MAC count"));
}

}  // namespace rs::ops
