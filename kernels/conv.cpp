// Conv: dense, grouped and depthwise 2-D convolution on oneDNN convolution_forward (forward_inference,
// convolution_direct and convolution_auto, layouts left to oneDNN: nChw8c / OIhw8i8o / Goihw8g with jit:avx2, nhwc with
// brgconv:avx512_core; every implementation is a candidate, kernels/kernel.h), and its naive reference.
// src [N, C_in, H, W], weights [C_out, C_in/groups, KH, KW] (constant), bias [C_out] (constant, optional)
// -> dst [N, C_out, OH, OW], OH = (H + pad_t + pad_b - dilation*(KH-1) - 1) / stride + 1 (graph/shape.h).
#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"
#include "kernels/post_ops.h"

namespace rs {

std::vector<KernelCandidate> conv_candidates(const Graph& graph, const Node& node,
                                               const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  const auto& a = attrs_of<ConvAttrs>(node, "ConvAttrs");
  const DnnlConv c = dnnl_conv(graph, node, a);
  WeightedOp op = weighted_op(graph, node, a.has_bias);
  // Grouped weights [C_out, C_in/G, KH, KW] are the same memory as oneDNN's goihw [G, C_out/G, C_in/G, KH, KW].
  op.weights_layout = plain_desc(from_dnnl(c.weights));
  op.what = fmt::format("src {}, dst {}, {}", dims_str(c.src), dims_str(c.dst), conv_attrs_str(a));
  auto make = [&](dnnl::algorithm alg) {
    return [&, alg](const dnnl::primitive_attr& attr) {
      const dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, alg, any_desc(c.src),
                                              any_desc(from_dnnl(c.weights)), bias_desc(a.has_bias, c.dst[1]),
                                              any_desc(c.dst), c.strides, c.dilates, c.padding_l, c.padding_r);
      return all_impls<dnnl::convolution_forward::primitive_desc>(d, attr, env.engine);
    };
  };
  op.make_pd = {{"direct", make(dnnl::algorithm::convolution_direct)},
                {"auto", make(dnnl::algorithm::convolution_auto)}};
  return weighted_candidates(graph, node, have, env, op);
}

HostTensor ref_conv(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  return conv_reference(graph, node, reads, /*adjoint=*/false);
}

}  // namespace rs
