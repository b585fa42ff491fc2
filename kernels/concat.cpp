// Concat: srcs joined along ConcatAttrs::axis (negative counts from the end) on oneDNN concat. Each activation input
// is read in its producer's layout (layouts may differ); oneDNN picks dst's layout (format any).
#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"

namespace rs {

namespace {

int concat_axis(const Node& node, std::size_t rank) {
  return normalized_axis(node, node.attr<ConcatAttrs>().axis, rank);
}

/// Activation inputs use `have` (in node-input order); constant inputs are owned plain memories.
/// oneDNN 2.6 runs simple:any when every src shares dst's layout and only the last is channel-padded, else ref:any.
class ConcatKernel : public Kernel {
 public:
  ConcatKernel(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
    const Dims& dst_dims = graph.value(node.outputs.at(0)).desc.dims;
    std::vector<dnnl::memory::desc> srcs;
    std::vector<Arg> args;
    for (int id : node.inputs) {
      const int dnnl_arg = DNNL_ARG_MULTIPLE_SRC + static_cast<int>(srcs.size());
      const Value& v = graph.value(id);
      if (v.is_constant()) {
        const dnnl::memory::desc plain = plain_desc(v.desc.dims);
        args.push_back(owned_arg(dnnl_arg, make_owned(plain, *v.data, plain, env)));
      } else {
        src_descs_.push_back(have.at(src_descs_.size()));
        args.push_back(src_arg(dnnl_arg, static_cast<int>(src_descs_.size()) - 1, src_descs_.back()));
      }
      srcs.push_back(args.back().desc);
    }
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    const dnnl::concat::primitive_desc pd(any_desc(dst_dims), concat_axis(node, dst_dims.size()), srcs, env.engine,
                                          attr);
    dst_descs_ = {pd.dst_desc()};
    args.push_back(dst_arg(DNNL_ARG_DST, 0, pd.dst_desc()));
    add_step(dnnl::concat(pd), pd, std::move(args));
  }
};

}  // namespace

std::unique_ptr<Kernel> create_concat(const Graph& graph, const Node& node,
                                      const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  expect_no_post_ops(node);
  const std::size_t n_act = activation_inputs(graph, node).size();
  if (have.size() != n_act)
    throw KernelError(fmt::format("{}: expects {} activation inputs, {} given", node_label(node), n_act, have.size()));
  return std::make_unique<ConcatKernel>(graph, node, have, env);
}

/// Copies, for every outer index (product of dims before axis), each input's contiguous block of
/// dims[axis] * inner floats in input order.
HostTensor ref_concat(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const Dims& dst_dims = graph.value(node.outputs.at(0)).desc.dims;
  const auto axis = static_cast<std::size_t>(concat_axis(node, dst_dims.size()));
  std::int64_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < axis; ++d) outer *= dst_dims[d];
  for (std::size_t d = axis + 1; d < dst_dims.size(); ++d) inner *= dst_dims[d];
  HostTensor out{dst_dims, {}};
  out.data.reserve(static_cast<std::size_t>(numel(dst_dims)));
  for (std::int64_t o = 0; o < outer; ++o)
    for (const HostTensor* src : reads) {
      const std::int64_t block = src->dims.at(axis) * inner;
      const float* begin = src->data.data() + o * block;
      out.data.insert(out.data.end(), begin, begin + block);
    }
  return out;
}

}  // namespace rs
