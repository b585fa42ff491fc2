// ReduceMean: shape and cost (graph/ops/ops.h).
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

Dims reduce_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  expect_positive(n, src, "src");
  const auto& a = n.attr<ReduceAttrs>();
  const int rank = static_cast<int>(src.size());
  bool ok = !a.axes.empty();
  for (std::size_t i = 0; ok && i < a.axes.size(); ++i)
    ok = a.axes[i] >= 0 && a.axes[i] < rank && (i == 0 || a.axes[i] > a.axes[i - 1]);
  if (!ok)
    fail(n, fmt::format("axes [{}] must be ascending, distinct axes of src {}", fmt::join(a.axes, ", "), dims_str(src)));
  if (!a.keepdims && static_cast<int>(a.axes.size()) == rank)
    fail(n, fmt::format("reducing every axis of {} without keepdims gives a scalar (rank 0), which the IR does not "
                        "have", dims_str(src)));
  Dims dst;
  for (int d = 0; d < rank; ++d) {
    const bool reduced = std::binary_search(a.axes.begin(), a.axes.end(), d);
    if (!reduced) dst.push_back(src[static_cast<std::size_t>(d)]);
    else if (a.keepdims) dst.push_back(1);
  }
  return dst;
}

OpCost reduce_cost(const Graph& g, const Node& n) { return io_cost(g, n, elems(g, n.inputs.at(0))); }

}  // namespace rs::ops
