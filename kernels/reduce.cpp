// ReduceMean on oneDNN reduction (reduction_mean): plain src -> plain dst with the reduced axes of size 1 (the same
// bytes as the IR dst, whose axes may be dropped without keepdims).
#include <algorithm>

#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"
#include "kernels/post_ops.h"

namespace rs {

namespace {

/// src dims with the reduced axes set to 1.
Dims kept_dims(const Dims& src, const std::vector<int>& axes) {
  Dims d = src;
  for (int a : axes) d.at(static_cast<std::size_t>(a)) = 1;
  return d;
}

class ReduceKernel : public Kernel {
 public:
  ReduceKernel(const Dims& src, const Dims& dst, const ReduceAttrs& a, const KernelEnv& env) {
    src_descs_ = {plain_desc(src)};
    dst_descs_ = {plain_desc(dst)};
    const dnnl::memory::desc view = plain_desc(kept_dims(src, a.axes));
    const dnnl::reduction::desc desc(dnnl::algorithm::reduction_mean, src_descs_[0], view, 0.f, 0.f);
    const dnnl::reduction::primitive_desc pd(desc, make_attr(), env.engine);
    add_step(dnnl::reduction(pd), pd, {src_arg(DNNL_ARG_SRC, 0, src_descs_[0]), dst_arg(DNNL_ARG_DST, 0, view)});
  }
};

}  // namespace

std::unique_ptr<Kernel> create_reduce(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have,
                                      const KernelEnv& env) {
  expect_no_post_ops(node);
  expect_one_activation(node, have, /*only_input=*/true);
  return std::make_unique<ReduceKernel>(graph.value(node.inputs[0]).desc.dims, graph.value(node.outputs.at(0)).desc.dims,
                                        node.attr<ReduceAttrs>(), env);
}

/// Sums each src element into its dst element (row-major walk of src), then divides by the reduced count.
HostTensor ref_reduce(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const HostTensor& src = *reads.at(0);
  const auto& a = node.attr<ReduceAttrs>();
  const Dims kept = kept_dims(src.dims, a.axes);
  std::vector<double> sum(static_cast<std::size_t>(numel(kept)), 0.0);
  const std::size_t rank = src.dims.size();
  std::vector<std::int64_t> idx(rank, 0);
  for (float x : src.data) {
    std::int64_t k = 0;
    for (std::size_t d = 0; d < rank; ++d) k = k * kept[d] + (kept[d] == 1 ? 0 : idx[d]);
    sum[static_cast<std::size_t>(k)] += x;
    for (std::size_t d = rank; d-- > 0;) {
      if (++idx[d] < src.dims[d]) break;
      idx[d] = 0;
    }
  }
  const double count = double(numel(src.dims)) / double(numel(kept));
  HostTensor out{graph.value(node.outputs.at(0)).desc.dims, std::vector<float>(sum.size())};
  std::transform(sum.begin(), sum.end(), out.data.begin(), [&](double s) { return static_cast<float>(s / count); });
  return out;
}

}  // namespace rs
