// Small bridges between the graph IR and oneDNN 2.x, shared by the op families.
#pragma once
#include <string>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "graph/graph.h"
#include "kernels/kernel.h"

namespace rs {

dnnl::memory::dims to_dnnl(const Dims& dims);
Dims from_dnnl(const dnnl::memory::dims& dims);
/// f32 descriptor in the plain (row-major) layout for dims of rank 1..5 (tags a, ab, abc, abcd, abcde).
dnnl::memory::desc plain_desc(const Dims& dims);
/// f32 descriptor with format_tag::any: the primitive picks the layout (e.g. nChw8c on AVX2).
dnnl::memory::desc any_desc(const Dims& dims);
/// True if `desc` is the plain layout of its dims.
bool is_plain(const dnnl::memory::desc& desc);
/// Short name of a physical layout: "nchw", "nChw8c", "OIhw8i8o", ... or "blocked" / strides when not a known tag.
std::string layout_name(const dnnl::memory::desc& desc);

/// One oneDNN eltwise step (alg, alpha, beta); HardSigmoid needs two (linear then clip), the others one.
struct DnnlEltwise {
  dnnl::algorithm alg;
  float alpha;
  float beta;
};
std::vector<DnnlEltwise> to_dnnl_eltwise(const EltwiseAttrs& attrs);
dnnl::algorithm to_dnnl_binary(BinaryAlg alg);

/// Reference value of a unary eltwise, as documented for EltwiseAlg in op.h.
float eltwise_ref(const EltwiseAttrs& attrs, float x);
/// Reference binary with b broadcast to a's dims (b's dims equal a's or are 1 where they differ; [1] = scalar).
/// Throws KernelError when b does not broadcast.
HostTensor binary_ref(BinaryAlg alg, const HostTensor& a, const HostTensor& b);

/// Runs `fn`, converting dnnl::error into KernelError "node 'x' (Conv): oneDNN <what> (status N)".
template <typename F>
auto with_node_context(const Node& node, F&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const dnnl::error& e) {
    throw KernelError(node_label(node) + ": oneDNN " + e.what() + " (status " + std::to_string(int(e.status)) + ")");
  }
}

/// Constant value's data as a HostTensor-free view: throws KernelError if value `id` is not a constant.
const std::vector<float>& constant_data(const Graph& graph, const Node& node, int value_id);

/// Throws KernelError "<node>: post-ops are not supported on this op" unless node.post_ops is empty.
void expect_no_post_ops(const Node& node);
/// Throws KernelError "<node>: expects 1 activation input, N given" unless `have` holds one layout and, when
/// `only_input`, the node has no other (constant) input.
void expect_one_activation(const Node& node, const std::vector<dnnl::memory::desc>& have, bool only_input);
/// An axis attribute (negative counts from the end) of a tensor of rank `rank` as an index in [0, rank); throws
/// KernelError "<node>: axis A out of range for rank R" otherwise.
int normalized_axis(const Node& node, int axis, std::size_t rank);

}  // namespace rs
