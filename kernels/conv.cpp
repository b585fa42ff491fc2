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
  check_weighted_inputs(graph, node, a.has_bias);
  const Dims src = dims_of(graph, node.inputs[0]);
  const Dims dst = dims_of(graph, node.outputs[0]);
  if (src.size() != 4 || dst.size() != 4)
    throw KernelError(fmt::format("{}: src and dst must be [N, C, H, W], got {} and {}", node_label(node),
                                  dims_str(src), dims_str(dst)));
  // Grouped weights [C_out, C_in/G, KH, KW] are the same memory as oneDNN's goihw [G, C_out/G, C_in/G, KH, KW].
  const dnnl::memory::dims weights = dnnl_weights_dims(a, dst[1], src[1]);
  const DnnlConvParams p = dnnl_conv_params(a);
  WeightedOp op;
  op.weights = &constant_data(graph, node, node.inputs[1]);
  op.bias = a.has_bias ? &constant_data(graph, node, node.inputs[2]) : nullptr;
  op.weights_layout = plain_desc(from_dnnl(weights));
  op.what = fmt::format("src {}, dst {}, {}", dims_str(src), dims_str(dst), conv_attrs_str(a));
  auto make = [&](dnnl::algorithm alg) {
    return [&, alg](const dnnl::primitive_attr& attr) {
      const dnnl::memory::desc bias = a.has_bias ? any_desc({dst[1]}) : dnnl::memory::desc();
      const dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, alg, any_desc(src),
                                              any_desc(from_dnnl(weights)), bias, any_desc(dst), p.strides, p.dilates,
                                              p.padding_l, p.padding_r);
      return all_impls<dnnl::convolution_forward::primitive_desc>(d, attr, env.engine);
    };
  };
  op.make_pd = {{"direct", make(dnnl::algorithm::convolution_direct)},
                {"auto", make(dnnl::algorithm::convolution_auto)}};
  return weighted_candidates(graph, node, have, env, op);
}

HostTensor ref_conv(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const auto& a = attrs_of<ConvAttrs>(node, "ConvAttrs");
  const HostTensor& src = *reads.at(0);
  const HostTensor& weights = *reads.at(1);
  const Dims& dst = dims_of(graph, node.outputs.at(0));
  const ConvGeometry g(a, src.dims, dst);
  check_conv_reference(node, g, src, weights);
  std::vector<double> acc(static_cast<std::size_t>(numel(dst)), 0.0);
  g.for_each_tap([&](std::int64_t in, std::int64_t out, std::int64_t w) {
    acc[static_cast<std::size_t>(out)] +=
        double(src.data[static_cast<std::size_t>(in)]) * double(weights.data[static_cast<std::size_t>(w)]);
  });
  return finish_reference(dst, acc, a.has_bias ? reads.at(2) : nullptr);
}

}  // namespace rs
