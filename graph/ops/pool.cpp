// MaxPool, AvgPool and GlobalAvgPool: shapes and costs (graph/ops/ops.h).
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

Dims global_avg_pool_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  expect_rank(n, src, 4, "src");
  expect_positive(n, src, "src");
  return {src[0], src[1], 1, 1};
}

Dims pool_shape(const Graph& g, const Node& n) {
  global_avg_pool_shape(g, n);  // one src [N, C, H, W] with positive dims
  const Dims& src = in_dims(g, n, 0);
  const auto& a = n.attr<PoolAttrs>();
  for (int i = 0; i < 2; ++i)
    if (std::max(a.pads[i], a.pads[i + 2]) > a.kernel[i] / 2)
      fail(n, fmt::format("pads {} must be at most half the kernel {}x{}", fmt::join(a.pads, ","), a.kernel[0],
                          a.kernel[1]));
  const auto hw = window_out(n, src, a.kernel, a.stride, a.pads, {1, 1}, a.ceil_mode);
  return {src[0], src[1], hw[0], hw[1]};
}

OpCost pool_cost(const Graph& g, const Node& n) {
  const auto& a = n.attr<PoolAttrs>();
  return io_cost(g, n, checked_product({dst_elems(g, n), a.kernel[0], a.kernel[1]}, "the FLOP count"));
}

OpCost global_avg_pool_cost(const Graph& g, const Node& n) { return io_cost(g, n, elems(g, n.inputs[0])); }

}  // namespace rs::ops
