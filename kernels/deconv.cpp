// Deconv: 2-D transposed convolution on oneDNN deconvolution_forward (forward_inference, deconvolution_direct),
// and its reference, the adjoint of the convolution with the same geometry (kernels/post_ops.h ConvGeometry).
// src [N, C_in, H, W], weights [C_in, C_out/groups, KH, KW] (PyTorch/ONNX layout, constant), bias [C_out]
// -> dst [N, C_out, OH, OW], OH = (H-1)*stride - pad_t - pad_b + dilation*(KH-1) + 1 + output_padding.
#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"
#include "kernels/post_ops.h"

namespace rs {

namespace {
// The PyTorch weights [C_in, C_out/G, KH, KW] seen in oneDNN's dims ([G, OC/G, IC/G, KH, KW] or [OC, IC, KH, KW]):
// a strided view (giohw / iohw) of the same floats, which the weights reorder turns into oneDNN's layout.
dnnl::memory::desc pytorch_weights_view(const ConvAttrs& a, std::int64_t c_in, std::int64_t c_out) {
  const std::int64_t g = a.groups, khw = a.kernel[0] * a.kernel[1];
  const std::int64_t icg = c_in / g, ocg = c_out / g;
  const dnnl::memory::dims dims = dnnl_weights_dims(a, c_out, c_in);
  const dnnl::memory::dims strides =
      g == 1 ? dnnl::memory::dims{khw, ocg * khw, a.kernel[1], 1}
             : dnnl::memory::dims{icg * ocg * khw, khw, ocg * khw, a.kernel[1], 1};
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}
}  // namespace

std::vector<KernelCandidate> deconv_candidates(const Graph& graph, const Node& node,
                                               const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  const auto& a = attrs_of<ConvAttrs>(node, "ConvAttrs");
  check_weighted_inputs(graph, node, a.has_bias);
  const Dims src = dims_of(graph, node.inputs[0]);
  const Dims dst = dims_of(graph, node.outputs[0]);
  if (src.size() != 4 || dst.size() != 4)
    throw KernelError(fmt::format("{}: src and dst must be [N, C, H, W], got {} and {}", node_label(node),
                                  dims_str(src), dims_str(dst)));
  const dnnl::memory::dims weights = dnnl_weights_dims(a, dst[1], src[1]);
  // output_padding is already in dst's dims. oneDNN wants OH = (H-1)*stride + dilated_k - padding_l - padding_r
  // exactly, so it goes into padding_r (which may go negative); the rows it adds get the taps that land there plus
  // bias, as in PyTorch (padding_l alone places the taps).
  DnnlConvParams p = dnnl_conv_params(a);
  p.padding_r[0] -= a.output_padding[0];
  p.padding_r[1] -= a.output_padding[1];
  WeightedOp op;
  op.weights = &constant_data(graph, node, node.inputs[1]);
  op.bias = a.has_bias ? &constant_data(graph, node, node.inputs[2]) : nullptr;
  op.weights_layout = pytorch_weights_view(a, src[1], dst[1]);
  op.what = fmt::format("src {}, dst {}, {}, output_padding {}x{}", dims_str(src), dims_str(dst), conv_attrs_str(a),
                        a.output_padding[0], a.output_padding[1]);
  op.make_pd = {{"", [&](const dnnl::primitive_attr& attr) {
    const dnnl::memory::desc bias = a.has_bias ? any_desc({dst[1]}) : dnnl::memory::desc();
    const dnnl::deconvolution_forward::desc d(dnnl::prop_kind::forward_inference,
                                              dnnl::algorithm::deconvolution_direct, any_desc(src),
                                              any_desc(from_dnnl(weights)), bias, any_desc(dst), p.strides,
                                              p.dilates, p.padding_l, p.padding_r);
    return all_impls<dnnl::deconvolution_forward::primitive_desc>(d, attr, env.engine);
  }}};
  return weighted_candidates(graph, node, have, env, op);
}

HostTensor ref_deconv(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const auto& a = attrs_of<ConvAttrs>(node, "ConvAttrs");
  const HostTensor& src = *reads.at(0);
  const HostTensor& weights = *reads.at(1);
  const Dims& dst = dims_of(graph, node.outputs.at(0));
  // The adjoint conv maps dst (its padded input side) to src (its strided output side).
  const ConvGeometry g(a, dst, src.dims);
  check_conv_reference(node, g, src, weights);
  std::vector<double> acc(static_cast<std::size_t>(numel(dst)), 0.0);
  g.for_each_tap([&](std::int64_t in, std::int64_t out, std::int64_t w) {
    acc[static_cast<std::size_t>(in)] +=
        double(src.data[static_cast<std::size_t>(out)]) * double(weights.data[static_cast<std::size_t>(w)]);
  });
  return finish_reference(dst, acc, a.has_bias ? reads.at(2) : nullptr);
}

}  // namespace rs
