// Softmax along SoftmaxAttrs::axis (negative counts from the end) on oneDNN softmax_forward (forward_inference):
//   dst[i] = exp(src[i] - max_j src[j]) / sum_j exp(src[j] - max_j src[j])   over j along the axis.
// src in the producer's layout (blocked OK); dst has the same layout.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"

namespace rs {

namespace {

int softmax_axis(const Node& node, std::size_t rank) {
  return normalized_axis(node, node.attr<SoftmaxAttrs>().axis, rank);
}

class SoftmaxKernel : public Kernel {
 public:
  SoftmaxKernel(const dnnl::memory::desc& src, int axis, const KernelEnv& env) {
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    const dnnl::softmax_forward::desc desc(dnnl::prop_kind::forward_inference, src, axis);
    const dnnl::softmax_forward::primitive_desc pd(desc, attr, env.engine);
    src_descs_ = {src};
    dst_descs_ = {pd.dst_desc()};
    add_step(dnnl::softmax_forward(pd), pd, {src_arg(DNNL_ARG_SRC, 0, src), dst_arg(DNNL_ARG_DST, 0, pd.dst_desc())});
  }
};

}  // namespace

std::unique_ptr<Kernel> create_softmax(const Graph& graph, const Node& node,
                                       const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  expect_no_post_ops(node);
  expect_one_activation(node, have, /*only_input=*/false);
  return std::make_unique<SoftmaxKernel>(have[0], softmax_axis(node, have[0].dims().size()), env);
}

HostTensor ref_softmax(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const HostTensor& src = *reads.at(0);
  const auto axis = static_cast<std::size_t>(softmax_axis(node, src.dims.size()));
  const std::int64_t len = src.dims[axis];
  std::int64_t inner = 1;
  for (std::size_t d = axis + 1; d < src.dims.size(); ++d) inner *= src.dims[d];
  const std::int64_t outer = numel(src.dims) / (len * inner);
  HostTensor out{src.dims, std::vector<float>(src.data.size())};
  for (std::int64_t o = 0; o < outer; ++o)
    for (std::int64_t i = 0; i < inner; ++i) {
      const std::int64_t base = o * len * inner + i;
      auto at = [&](std::int64_t j) { return static_cast<std::size_t>(base + j * inner); };
      float max = src.data[at(0)];
      for (std::int64_t j = 1; j < len; ++j) max = std::max(max, src.data[at(j)]);
      double sum = 0;
      for (std::int64_t j = 0; j < len; ++j) sum += std::exp(double(src.data[at(j)]) - max);
      for (std::int64_t j = 0; j < len; ++j)
        out.data[at(j)] = static_cast<float>(std::exp(double(src.data[at(j)]) - max) / sum);
    }
  return out;
}

}  // namespace rs
