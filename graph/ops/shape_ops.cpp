// Reshape and Transpose: shapes (graph/ops/ops.h); their cost is movement_cost (common.h).
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

Dims reshape_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  Dims out = n.attr<ReshapeAttrs>().shape;
  int infer_at = -1;
  std::int64_t known = 1;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0) {
      if (i >= src.size()) fail(n, fmt::format("shape {}: 0 at axis {} but src {} has no such axis", dims_str(out), i, dims_str(src)));
      out[i] = src[i];
    }
    if (out[i] == -1) {
      if (infer_at >= 0) fail(n, fmt::format("shape {} has more than one -1", dims_str(n.attr<ReshapeAttrs>().shape)));
      infer_at = static_cast<int>(i);
    } else if (out[i] < 1) {
      fail(n, fmt::format("shape {} has an invalid dim {}", dims_str(n.attr<ReshapeAttrs>().shape), out[i]));
    } else {
      known = checked_product({known, out[i]}, "the reshape element count");
    }
  }
  if (infer_at >= 0) {
    if (known == 0 || numel(src) % known != 0)
      fail(n, fmt::format("cannot reshape {} into {}", dims_str(src), dims_str(n.attr<ReshapeAttrs>().shape)));
    out[static_cast<std::size_t>(infer_at)] = numel(src) / known;
  }
  if (numel(out) != numel(src))
    fail(n, fmt::format("cannot reshape {} ({} elements) into {} ({} elements)", dims_str(src), numel(src),
                        dims_str(out), numel(out)));
  return out;
}

Dims transpose_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  const auto& perm = n.attr<TransposeAttrs>().perm;
  std::vector<int> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  bool ok = perm.size() == src.size();
  for (std::size_t i = 0; ok && i < sorted.size(); ++i) ok = sorted[i] == static_cast<int>(i);
  if (!ok) fail(n, fmt::format("perm [{}] is not a permutation of the {} axes of src {}", fmt::join(perm, ", "), src.size(), dims_str(src)));
  Dims out(src.size());
  for (std::size_t i = 0; i < perm.size(); ++i) out[i] = src[static_cast<std::size_t>(perm[i])];
  return out;
}

}  // namespace rs::ops
