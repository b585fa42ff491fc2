// Conv and Deconv: shapes and costs (graph/ops/ops.h).
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs::ops {

namespace {
/// src [N, C_in, H, W] with positive dims and 2 or 3 inputs; fails unless groups divides C_in and C_out.
const Dims& conv_src(const Graph& g, const Node& n) {
  const auto& a = n.attr<ConvAttrs>();
  expect_inputs(n, 2, 3);
  const Dims& src = in_dims(g, n, 0);
  expect_rank(n, src, 4, "src");
  expect_positive(n, src, "src");
  if (a.groups < 1 || src[1] % a.groups != 0 || a.out_channels % a.groups != 0)
    fail(n, fmt::format("groups {} must divide C_in {} and C_out {} (src {})", a.groups, src[1], a.out_channels,
                        dims_str(src)));
  return src;
}
}  // namespace

Dims conv_shape(const Graph& g, const Node& n) {
  const auto& a = n.attr<ConvAttrs>();
  const Dims& src = conv_src(g, n);
  expect_dims(n, in_dims(g, n, 1), {a.out_channels, src[1] / a.groups, a.kernel[0], a.kernel[1]}, "weights");
  if (n.inputs.size() == 3) expect_dims(n, in_dims(g, n, 2), {a.out_channels}, "bias");
  const auto hw = window_out(n, src, a.kernel, a.stride, a.pads, a.dilation, false);
  return {src[0], a.out_channels, hw[0], hw[1]};
}

OpCost conv_cost(const Graph& g, const Node& n) {
  const auto& a = n.attr<ConvAttrs>();
  const Dims& src = g.value(n.inputs[0]).desc.dims;
  return weighted_cost(g, n, checked_product({dst_elems(g, n), src[1] / a.groups, a.kernel[0], a.kernel[1]}, "the MAC count"));
}

Dims deconv_shape(const Graph& g, const Node& n) {
  const auto& a = n.attr<ConvAttrs>();
  const Dims& src = conv_src(g, n);
  expect_dims(n, in_dims(g, n, 1), {src[1], a.out_channels / a.groups, a.kernel[0], a.kernel[1]}, "weights");
  if (n.inputs.size() == 3) expect_dims(n, in_dims(g, n, 2), {a.out_channels}, "bias");
  Dims out{src[0], a.out_channels, 0, 0};
  for (int i = 0; i < 2; ++i) {
    if (a.output_padding[i] < 0 || a.output_padding[i] >= std::max(a.stride[i], a.dilation[i]))
      fail(n, fmt::format("output_padding {} must be in [0, max(stride, dilation))", a.output_padding[i]));
    // (H - 1) x stride - pads + dilation x (K - 1) + output_padding + 1, checked: absurd strides overflow int64.
    const char* what = "the deconv output size";
    const std::int64_t grown = checked_sum(checked_product({src[2 + i] - 1, a.stride[i]}, what),
                                           checked_product({a.dilation[i], a.kernel[i] - 1}, what), what);
    out[2 + i] = checked_sum(checked_sum(grown, -checked_sum(a.pads[i], a.pads[i + 2], what), what),
                             a.output_padding[i] + 1, what);
    if (out[2 + i] < 1) fail(n, fmt::format("pads {} leave no output for src {}", fmt::join(a.pads, ","), dims_str(src)));
  }
  return out;
}

OpCost deconv_cost(const Graph& g, const Node& n) {
  const auto& a = n.attr<ConvAttrs>();
  return weighted_cost(g, n, checked_product({elems(g, n.inputs[0]), a.out_channels / a.groups, a.kernel[0], a.kernel[1]},
                                             "the MAC count"));
}

}  // namespace rs::ops
