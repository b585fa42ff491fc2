// BatchNorm (inference, running statistics) on oneDNN batch_normalization_forward, any src layout:
//   dst = scale[c] * (src - mean[c]) / sqrt(var[c] + epsilon) + shift[c]   (c = axis 1; Ioffe & Szegedy 2015, eq. in alg. 2)
#include <cmath>

#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"

namespace rs {

namespace {

/// Node input order (op.h): src, scale, shift, mean, var.
enum BnInput { kSrc = 0, kScale = 1, kShift = 2, kMean = 3, kVar = 4 };

/// Runs with use_global_stats | use_scale | use_shift; the four [C] statistics are owned, plain 1-D memories.
class BatchNormKernel : public Kernel {
 public:
  BatchNormKernel(const Graph& graph, const Node& node, const dnnl::memory::desc& src, const KernelEnv& env) {
    const std::int64_t channels = graph.value(node.inputs.at(kSrc)).desc.dims.at(1);
    const auto stat = [&](BnInput i) {
      const dnnl::memory::desc d = plain_desc({channels});
      return make_owned(d, constant_data(graph, node, node.inputs.at(i)), d, env);
    };
    const dnnl::memory scale = stat(kScale), shift = stat(kShift), mean = stat(kMean), var = stat(kVar);
    using flags = dnnl::normalization_flags;
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    const dnnl::batch_normalization_forward::desc desc(dnnl::prop_kind::forward_inference, src,
                                                       node.attr<BatchNormAttrs>().epsilon,
                                                       flags::use_global_stats | flags::use_scale | flags::use_shift);
    const dnnl::batch_normalization_forward::primitive_desc pd(desc, attr, env.engine);
    src_descs_ = {src};
    dst_descs_ = {pd.dst_desc()};
    add_step(dnnl::batch_normalization_forward(pd), pd,
             {src_arg(DNNL_ARG_SRC, 0, src), dst_arg(DNNL_ARG_DST, 0, pd.dst_desc()), owned_arg(DNNL_ARG_MEAN, mean),
              owned_arg(DNNL_ARG_VARIANCE, var), owned_arg(DNNL_ARG_SCALE, scale), owned_arg(DNNL_ARG_SHIFT, shift)});
  }
};

}  // namespace

std::unique_ptr<Kernel> create_batchnorm(const Graph& graph, const Node& node,
                                         const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  expect_no_post_ops(node);
  // Statistics must be constants; constant_data() names the offending input. Checked before `have`, whose size
  // grows with every non-constant statistic.
  for (int i = kScale; i <= kVar; ++i) constant_data(graph, node, node.inputs.at(static_cast<std::size_t>(i)));
  expect_one_activation(node, have, /*only_input=*/false);
  return std::make_unique<BatchNormKernel>(graph, node, have[0], env);
}

HostTensor ref_batchnorm(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const HostTensor& src = *reads.at(kSrc);
  const auto& scale = reads.at(kScale)->data;
  const auto& shift = reads.at(kShift)->data;
  const auto& mean = reads.at(kMean)->data;
  const auto& var = reads.at(kVar)->data;
  const double eps = node.attr<BatchNormAttrs>().epsilon;
  const std::int64_t channels = src.dims.at(1);
  std::int64_t inner = 1;
  for (std::size_t d = 2; d < src.dims.size(); ++d) inner *= src.dims[d];
  HostTensor out{src.dims, std::vector<float>(src.data.size())};
  for (std::size_t i = 0; i < src.data.size(); ++i) {
    const auto c = static_cast<std::size_t>((static_cast<std::int64_t>(i) / inner) % channels);
    const double inv_std = 1.0 / std::sqrt(double(var[c]) + eps);
    out.data[i] = static_cast<float>(scale[c] * (src.data[i] - mean[c]) * inv_std + shift[c]);
  }
  return out;
}

}  // namespace rs
