// Slice and Pad: shapes and Slice's cost (graph/ops/ops.h); Pad's cost is movement_cost (common.h).
#include <fmt/format.h>

#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

namespace {
/// Slice and Pad attributes have one entry per src axis.
void expect_full_rank(const Node& n, const Dims& src, const Dims& begin, const Dims& end) {
  if (begin.size() != src.size() || end.size() != src.size())
    fail(n, fmt::format("begin {} and end {} must have one entry per axis of src {}", dims_str(begin), dims_str(end),
                        dims_str(src)));
}
}  // namespace

Dims slice_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  const auto& a = n.attr<SliceAttrs>();
  expect_full_rank(n, src, a.begin, a.end);
  Dims out(src.size());
  for (std::size_t d = 0; d < src.size(); ++d) {
    if (a.begin[d] < 0 || a.begin[d] >= a.end[d] || a.end[d] > src[d])
      fail(n, fmt::format("window [{}, {}) on axis {} must satisfy 0 <= begin < end <= {} (src {})", a.begin[d],
                          a.end[d], d, src[d], dims_str(src)));
    out[d] = a.end[d] - a.begin[d];
  }
  return out;
}

OpCost slice_cost(const Graph& g, const Node& n) {
  OpCost c;
  c.bytes = checked_product({2, g.value(n.outputs.at(0)).desc.bytes()}, "the bytes moved");
  return c;
}

Dims pad_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  expect_positive(n, src, "src");
  const auto& a = n.attr<PadAttrs>();
  expect_full_rank(n, src, a.begin, a.end);
  Dims out(src.size());
  for (std::size_t d = 0; d < src.size(); ++d) {
    if (a.begin[d] < 0 || a.end[d] < 0)
      fail(n, fmt::format("pads begin {} end {} must be >= 0", dims_str(a.begin), dims_str(a.end)));
    out[d] = checked_sum(checked_sum(a.begin[d], src[d], "the padded size"), a.end[d], "the padded size");
  }
  return out;
}

}  // namespace rs::ops
