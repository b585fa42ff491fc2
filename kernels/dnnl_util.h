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

}  // namespace rs
