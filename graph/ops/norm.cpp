// LayerNorm and InstanceNorm: shapes and costs (graph/ops/ops.h). BatchNorm has its own file (batchnorm.cpp).
#include <fmt/format.h>

#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

namespace {

/// FLOPs per element of a normalization from its statistics: mean (1 add), variance (1 subtract, 1 multiply-add),
/// normalize (1 subtract, 1 multiply by the inverse std); the per-row sqrt and divide are O(rows), not counted.
constexpr std::int64_t kNormalizeFlops = 5;

}  // namespace

Dims layernorm_shape(const Graph& g, const Node& n) {
  const auto& a = n.attr<LayerNormAttrs>();
  const std::size_t want = 1 + (a.has_scale ? 1 : 0) + (a.has_shift ? 1 : 0);
  expect_inputs(n, want, want);
  const Dims& src = in_dims(g, n, 0);
  expect_positive(n, src, "src");
  const int rank = static_cast<int>(src.size());
  if (a.begin_axis < 0 || a.begin_axis >= a.end_axis || a.end_axis > rank)
    fail(n, fmt::format("normalized axes [{}, {}) are not a non-empty range of the axes of src {}", a.begin_axis,
                        a.end_axis, dims_str(src)));
  const Dims norm(src.begin() + a.begin_axis, src.begin() + a.end_axis);
  for (std::size_t i = 1; i < want; ++i)
    if (numel(in_dims(g, n, i)) != numel(norm))
      fail(n, fmt::format("{} {} must have the dims of the normalized axes {} of src {}",
                          a.has_scale && i == 1 ? "scale" : "shift", dims_str(in_dims(g, n, i)), dims_str(norm),
                          dims_str(src)));
  return src;
}

OpCost layernorm_cost(const Graph& g, const Node& n) {
  const auto& a = n.attr<LayerNormAttrs>();
  const std::int64_t per = kNormalizeFlops + (a.has_scale ? 1 : 0) + (a.has_shift ? 1 : 0);
  OpCost c = io_cost(g, n, checked_product({per, dst_elems(g, n)}, "the FLOP count"));
  c.params = constant_elems(g, n, 1);
  return c;
}

Dims instancenorm_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 3, 3);
  const Dims& src = in_dims(g, n, 0);
  if (src.size() < 3) fail(n, fmt::format("src must be [N, C, spatial...], got {}", dims_str(src)));
  expect_positive(n, src, "src");
  expect_dims(n, in_dims(g, n, 1), {src[1]}, "scale");
  expect_dims(n, in_dims(g, n, 2), {src[1]}, "shift");
  return src;
}

OpCost instancenorm_cost(const Graph& g, const Node& n) {
  OpCost c = io_cost(g, n, checked_product({kNormalizeFlops + 2, dst_elems(g, n)}, "the FLOP count"));
  c.params = constant_elems(g, n, 1);
  return c;
}

}  // namespace rs::ops
