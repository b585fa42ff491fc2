// Concat: shape (graph/ops/ops.h); its cost is movement_cost (common.h).
#include <fmt/format.h>

#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

Dims concat_shape(const Graph& g, const Node& n) {
  if (n.inputs.empty()) fail(n, "expects at least 1 input");
  Dims out = in_dims(g, n, 0);
  const int axis = normalize_axis(n, n.attr<ConcatAttrs>().axis, out.size());
  for (std::size_t i = 1; i < n.inputs.size(); ++i) {
    const Dims& d = in_dims(g, n, i);
    bool ok = d.size() == out.size();
    for (std::size_t k = 0; ok && k < d.size(); ++k) ok = static_cast<int>(k) == axis || d[k] == out[k];
    if (!ok)
      fail(n, fmt::format("input {} {} must match {} on every axis but {}", i, dims_str(d), dims_str(out), axis));
    out[static_cast<std::size_t>(axis)] += d[static_cast<std::size_t>(axis)];
  }
  return out;
}

}  // namespace rs::ops
