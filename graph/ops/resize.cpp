// Resize: shape and cost (graph/ops/ops.h).
#include <fmt/format.h>

#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

Dims resize_shape(const Graph& g, const Node& n) {
  global_avg_pool_shape(g, n);  // one src [N, C, H, W] with positive dims
  const Dims& src = in_dims(g, n, 0);
  const auto& a = n.attr<ResizeAttrs>();
  for (int i = 0; i < 2; ++i)
    if (a.size[i] <= 0 || !(a.scale[i] > 0))
      fail(n, fmt::format("dst size {}x{} and scales {}x{} must be > 0 (src {})", a.size[0], a.size[1], a.scale[0],
                          a.scale[1], dims_str(src)));
  return {src[0], src[1], a.size[0], a.size[1]};
}

OpCost resize_cost(const Graph& g, const Node& n) {
  const auto& a = n.attr<ResizeAttrs>();
  return io_cost(g, n, a.mode == ResizeMode::Linear ? checked_product({6, dst_elems(g, n)}, "the FLOP count") : 0);
}

}  // namespace rs::ops
