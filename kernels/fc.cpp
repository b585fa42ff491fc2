// FullyConnected on oneDNN inner_product_forward (forward_inference), and its reference, an Eigen GEMM in double.
// src [N, K], weights [M, K] (constant), bias [M] (constant, optional) -> dst [N, M] = src * weights^T + bias.
#include <Eigen/Core>
#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"
#include "kernels/post_ops.h"

namespace rs {

std::vector<KernelCandidate> fc_candidates(const Graph& graph, const Node& node,
                                               const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  const auto& a = attrs_of<FcAttrs>(node, "FcAttrs");
  check_weighted_inputs(graph, node, a.has_bias);
  const Dims src = dims_of(graph, node.inputs[0]);
  const Dims weights = dims_of(graph, node.inputs[1]);
  const Dims dst = dims_of(graph, node.outputs[0]);
  if (src.size() != 2 || weights.size() != 2 || dst.size() != 2 || weights[1] != src[1])
    throw KernelError(fmt::format("{}: expected src [N, K], weights [M, K], dst [N, M]; got src {}, weights {}, dst {}",
                                  node_label(node), dims_str(src), dims_str(weights), dims_str(dst)));
  WeightedOp op = weighted_op(graph, node, a.has_bias);
  op.weights_layout = plain_desc(weights);
  op.what = fmt::format("src {}, weights {}", dims_str(src), dims_str(weights));
  op.make_pd = {{"", [&](const dnnl::primitive_attr& attr) {
    const dnnl::inner_product_forward::desc d(dnnl::prop_kind::forward_inference, any_desc(src), any_desc(weights),
                                              bias_desc(a.has_bias, dst[1]), any_desc(dst));
    return all_impls<dnnl::inner_product_forward::primitive_desc>(d, attr, env.engine);
  }}};
  return weighted_candidates(graph, node, have, env, op);
}

HostTensor ref_fc(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const auto& a = attrs_of<FcAttrs>(node, "FcAttrs");
  const HostTensor& src = *reads.at(0);
  const HostTensor& weights = *reads.at(1);
  if (src.dims.size() != 2 || weights.dims.size() != 2 || weights.dims[1] != src.dims[1])
    throw KernelError(fmt::format("{}: reference needs src [N, K] and weights [M, K], got {} and {}",
                                  node_label(node), dims_str(src.dims), dims_str(weights.dims)));
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using RowMajorD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const RowMajor> x(src.data.data(), src.dims[0], src.dims[1]);
  const Eigen::Map<const RowMajor> w(weights.data.data(), weights.dims[0], weights.dims[1]);
  const RowMajorD y = x.cast<double>() * w.cast<double>().transpose();
  const std::vector<double> acc(y.data(), y.data() + y.size());
  return finish_reference({src.dims[0], weights.dims[0]}, acc, a.has_bias ? reads.at(2) : nullptr);
}

}  // namespace rs
