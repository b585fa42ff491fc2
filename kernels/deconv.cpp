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
  DnnlConv c = dnnl_conv(graph, node, a);
  // output_padding is already in dst's dims. oneDNN wants OH = (H-1)*stride + dilated_k - padding_l - padding_r
  // exactly, so it goes into padding_r (which may go negative); the rows it adds get the taps that land there plus
  // bias, as in PyTorch (padding_l alone places the taps).
  c.padding_r[0] -= a.output_padding[0];
  c.padding_r[1] -= a.output_padding[1];
  WeightedOp op = weighted_op(graph, node, a.has_bias);
  op.weights_layout = pytorch_weights_view(a, c.src[1], c.dst[1]);
  op.what = fmt::format("src {}, dst {}, {}, output_padding {}x{}", dims_str(c.src), dims_str(c.dst),
                        conv_attrs_str(a), a.output_padding[0], a.output_padding[1]);
  op.make_pd = {{"", [&](const dnnl::primitive_attr& attr) {
    const dnnl::deconvolution_forward::desc d(dnnl::prop_kind::forward_inference,
                                              dnnl::algorithm::deconvolution_direct, any_desc(c.src),
                                              any_desc(from_dnnl(c.weights)), bias_desc(a.has_bias, c.dst[1]),
                                              any_desc(c.dst), c.strides, c.dilates, c.padding_l, c.padding_r);
    return all_impls<dnnl::deconvolution_forward::primitive_desc>(d, attr, env.engine);
  }}};
  return weighted_candidates(graph, node, have, env, op);
}

HostTensor ref_deconv(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  return conv_reference(graph, node, reads, /*adjoint=*/true);
}

}  // namespace rs
