// Reshape and Transpose: plain src -> plain dst copies on a oneDNN reorder (real, timed copies; a runtime that
// aliases a Reshape's buffers simply does not create this kernel).
//   Reshape:   dst (dims from shape inference) holds src's bytes unchanged.
//   Transpose: dst.dims[i] = src.dims[perm[i]] (ONNX Transpose), e.g. channel shuffle [N,g,C/g,H,W] perm {0,2,1,3,4}.
#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"

namespace rs {

namespace {

/// One reorder from `src_view` to `dst_view`, where the views describe the bytes of the plain src and dst buffers
/// (Reshape: dst seen with src's dims; Transpose: src seen with permuted strides).
class CopyKernel : public Kernel {
 public:
  CopyKernel(const Dims& src_dims, const Dims& dst_dims, const dnnl::memory::desc& src_view,
             const dnnl::memory::desc& dst_view, const KernelEnv& env) {
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    const dnnl::reorder::primitive_desc pd(env.engine, src_view, env.engine, dst_view, attr);
    src_descs_ = {plain_desc(src_dims)};
    dst_descs_ = {plain_desc(dst_dims)};
    add_step(dnnl::reorder(pd), pd, {src_arg(DNNL_ARG_FROM, 0, src_view), dst_arg(DNNL_ARG_TO, 0, dst_view)});
  }
};

struct InOut {
  Dims src;
  Dims dst;
};

InOut in_out(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have) {
  expect_one_activation(node, have, /*only_input=*/true);
  expect_no_post_ops(node);
  InOut io{graph.value(node.inputs[0]).desc.dims, graph.value(node.outputs.at(0)).desc.dims};
  if (numel(io.src) != numel(io.dst))
    throw KernelError(fmt::format("{}: dst {} does not hold the {} elements of src {}", node_label(node),
                                  dims_str(io.dst), numel(io.src), dims_str(io.src)));
  return io;
}

/// inverse[perm[i]] = i: memory::desc::permute_axes moves axis i to position p[i], ONNX perm moves perm[i] to i.
std::vector<int> checked_inverse(const Node& node, const std::vector<int>& perm) {
  std::vector<int> inverse(perm.size(), -1);
  for (std::size_t i = 0; i < perm.size(); ++i) {
    const int p = perm[i];
    if (p < 0 || p >= static_cast<int>(perm.size()) || inverse[static_cast<std::size_t>(p)] >= 0)
      throw KernelError(fmt::format("{}: perm is not a permutation of {} axes", node_label(node), perm.size()));
    inverse[static_cast<std::size_t>(p)] = static_cast<int>(i);
  }
  return inverse;
}

}  // namespace

std::unique_ptr<Kernel> create_reshape(const Graph& graph, const Node& node,
                                       const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  const InOut io = in_out(graph, node, have);
  const dnnl::memory::desc view = plain_desc(io.src);
  return std::make_unique<CopyKernel>(io.src, io.dst, view, view, env);
}

HostTensor ref_reshape(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  return {graph.value(node.outputs.at(0)).desc.dims, reads.at(0)->data};
}

std::unique_ptr<Kernel> create_transpose(const Graph& graph, const Node& node,
                                         const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  const InOut io = in_out(graph, node, have);
  const std::vector<int>& perm = node.attr<TransposeAttrs>().perm;
  if (perm.size() != io.src.size())
    throw KernelError(fmt::format("{}: perm has {} axes, src {} has {}", node_label(node), perm.size(),
                                  dims_str(io.src), io.src.size()));
  const dnnl::memory::desc view = plain_desc(io.src).permute_axes(checked_inverse(node, perm));
  return std::make_unique<CopyKernel>(io.src, io.dst, view, plain_desc(io.dst), env);
}

/// Walks dst in row-major order; src offset = sum_i idx[i] * src_stride[perm[i]].
HostTensor ref_transpose(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const HostTensor& src = *reads.at(0);
  const std::vector<int>& perm = node.attr<TransposeAttrs>().perm;
  const std::size_t rank = src.dims.size();
  std::vector<std::int64_t> src_stride(rank, 1);
  for (std::size_t d = rank; d-- > 1;) src_stride[d - 1] = src_stride[d] * src.dims[d];
  Dims dst_dims(rank);
  for (std::size_t i = 0; i < rank; ++i) dst_dims[i] = src.dims.at(static_cast<std::size_t>(perm.at(i)));
  HostTensor out{dst_dims, std::vector<float>(src.data.size())};
  std::vector<std::int64_t> idx(rank, 0);
  for (float& y : out.data) {
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < rank; ++i) offset += idx[i] * src_stride[static_cast<std::size_t>(perm[i])];
    y = src.data[static_cast<std::size_t>(offset)];
    for (std::size_t d = rank; d-- > 0;) {
      if (++idx[d] < dst_dims[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

}  // namespace rs
