// Binary: dst = a (Add|Mul|Sub|Div) b on oneDNN binary, b same shape as a or broadcast ([N,C,1,1], [1,C,1,1],
// any numel-1 scalar). Either operand may be a graph constant (reordered once into an owned memory).
#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"

namespace rs {

namespace {

using tag = dnnl::memory::format_tag;

/// Candidate layouts per rank, most common first: plain, channels-last, channel-blocked by 8 and 16.
std::vector<tag> layout_tags(std::size_t rank) {
  switch (rank) {
    case 3: return {tag::abc, tag::acb, tag::aBc8b, tag::aBc16b};
    case 4: return {tag::abcd, tag::acdb, tag::aBcd8b, tag::aBcd16b};
    case 5: return {tag::abcde, tag::acdeb, tag::aBcde8b, tag::aBcde16b};
  }
  return {};
}

/// `dims` in the same format tag as `like` (same rank), or plain when `like` is not one of layout_tags(): oneDNN 2.6
/// only has a jit binary (jit:uni) when src1 shares src0's format, broadcast dims included ([N,C,1,1] in nChw8c);
/// any other combination runs on ref:any.
dnnl::memory::desc layout_like(const Dims& dims, const dnnl::memory::desc& like) {
  for (tag t : layout_tags(dims.size()))
    if (like == dnnl::memory::desc(like.dims(), like.data_type(), t))
      return dnnl::memory::desc(to_dnnl(dims), dnnl::memory::data_type::f32, t);
  return plain_desc(dims);
}

/// One operand as the primitive sees it: its dims (a numel-1 b is viewed as all-ones of a's rank).
struct Operand {
  int value_id;
  Dims dims;
  bool constant;
};

/// dst in src0's desc. src0 is read as produced; an activation src1 is requested in src0's format (layout_like(),
/// whatever its producer gave: a reorder of a broadcast operand is tiny, ref:any is not).
class BinaryKernel : public Kernel {
 public:
  /// a, b: the operands; src0: the layout a is read in (and dst written in).
  BinaryKernel(const Graph& graph, const Node& node, const Operand& a, const Operand& b,
               const dnnl::memory::desc& src0, const KernelEnv& env) {
    const dnnl::memory::desc src1 = layout_like(b.dims, src0);
    const Arg arg0 = operand_arg(graph, node, a, DNNL_ARG_SRC_0, src0, src0, env);
    // An activation b whose rank differs from a's is a numel-1 scalar: its plain buffer is viewed as all-ones
    // (ref:any next to a blocked src0; a constant scalar is owned in src1's layout instead).
    const Dims b_dims = graph.value(b.value_id).desc.dims;
    const bool b_view = !b.constant && b_dims.size() != b.dims.size();
    const Arg arg1 = operand_arg(graph, node, b, DNNL_ARG_SRC_1, b_view ? plain_desc(b_dims) : src1,
                                 b_view ? plain_desc(b.dims) : src1, env);
    dst_descs_ = {src0};
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    const dnnl::binary::desc desc(to_dnnl_binary(node.attr<BinaryAttrs>().alg), arg0.desc, arg1.desc, src0);
    const dnnl::binary::primitive_desc pd(desc, attr, env.engine);
    add_step(dnnl::binary(pd), pd, {arg0, arg1, dst_arg(DNNL_ARG_DST, 0, src0)});
  }

 private:
  /// A constant operand becomes an owned memory in `view`; an activation one is read in `want` (appended to
  /// src_descs_) and seen by the primitive as `view` (same bytes).
  Arg operand_arg(const Graph& graph, const Node& node, const Operand& op, int dnnl_arg, const dnnl::memory::desc& want,
                  const dnnl::memory::desc& view, const KernelEnv& env) {
    if (op.constant)
      return owned_arg(dnnl_arg, make_owned(plain_desc(op.dims), constant_data(graph, node, op.value_id), view, env));
    src_descs_.push_back(want);
    return src_arg(dnnl_arg, static_cast<int>(src_descs_.size()) - 1, view);
  }
};

}  // namespace

std::unique_ptr<Kernel> create_binary(const Graph& graph, const Node& node,
                                      const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  expect_no_post_ops(node);
  auto operand = [&](int id) { return Operand{id, graph.value(id).desc.dims, graph.value(id).is_constant()}; };
  const Operand a = operand(node.inputs.at(0));
  Operand b = operand(node.inputs.at(1));
  const std::size_t n_act = (a.constant ? 0 : 1) + (b.constant ? 0 : 1);
  if (have.size() != n_act)
    throw KernelError(fmt::format("{}: expects {} activation inputs, {} given", node_label(node), n_act, have.size()));
  if (b.dims.size() != a.dims.size()) {
    if (numel(b.dims) != 1)
      throw KernelError(fmt::format("{}: operand b {} does not broadcast to a {}", node_label(node),
                                    dims_str(b.dims), dims_str(a.dims)));
    b.dims.assign(a.dims.size(), 1);
  }
  // src0 keeps its producer's layout (have[0]); a constant src0 follows an equally shaped activation b, else plain.
  const bool b_full = !b.constant && b.dims == a.dims;
  const dnnl::memory::desc src0 =
      a.constant ? (b_full ? layout_like(a.dims, have.at(0)) : plain_desc(a.dims)) : have.at(0);
  auto kernel = std::make_unique<BinaryKernel>(graph, node, a, b, src0, env);
  if (a.constant || kernel->impl_info().rfind("ref", 0) != 0) return kernel;
  // oneDNN's jit binary wants blocked layouts at the CPU's own block size (nChw8c works on AVX2, not with a broadcast
  // operand on AVX-512): where a's layout only has ref:any, read a in the first other layout that has a jit kernel
  // (the runtime reorders it), else keep ref:any.
  for (tag t : layout_tags(a.dims.size())) {
    const dnnl::memory::desc alt(to_dnnl(a.dims), dnnl::memory::data_type::f32, t);
    if (alt == src0) continue;
    auto k = std::make_unique<BinaryKernel>(graph, node, a, b, alt, env);
    if (k->impl_info().rfind("ref", 0) != 0) return k;
  }
  return kernel;
}

HostTensor ref_binary(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  return binary_ref(node.attr<BinaryAttrs>().alg, *reads.at(0), *reads.at(1));
}

}  // namespace rs
