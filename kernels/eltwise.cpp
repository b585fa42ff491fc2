// Eltwise: unary element-wise ops (EltwiseAlg, formulas in op.h) on oneDNN eltwise_forward, any layout; Erf, which
// oneDNN has not, on a host loop.
#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"

namespace rs {

namespace {

/// src -> dst of the same desc (the producer's layout, blocked included). to_dnnl_eltwise() gives one oneDNN step,
/// or two for HardSigmoid (linear, then clip to [0, 1]); the first step writes dst, later ones run in place on dst.
/// Two in-place steps rather than one primitive with an eltwise post-op: oneDNN 2.6 has no jit eltwise with
/// post-ops (it falls back to ref:any), while each single step is jit:avx2. Steps with f(0) != 0 (linear) also fall
/// back to ref:any on blocked layouts whose channels are padded (C % 8 != 0 for nChw8c): padding must stay zero.
class EltwiseKernel : public Kernel {
 public:
  EltwiseKernel(const EltwiseAttrs& attrs, const dnnl::memory::desc& src, const KernelEnv& env) {
    src_descs_ = {src};
    dst_descs_ = {src};
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    bool first = true;
    for (const DnnlEltwise& e : to_dnnl_eltwise(attrs)) {
      const dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, e.alg, src, e.alpha, e.beta);
      const dnnl::eltwise_forward::primitive_desc pd(desc, attr, env.engine);
      const Arg in = first ? src_arg(DNNL_ARG_SRC, 0, src) : dst_arg(DNNL_ARG_SRC, 0, src);
      add_step(dnnl::eltwise_forward(pd), pd, {in, dst_arg(DNNL_ARG_DST, 0, src)});
      first = false;
    }
  }
};

/// Erf, which oneDNN 2.6 has no eltwise for: a host loop over every float of the buffer, in the producer's layout
/// (erf(0) = 0 keeps a blocked layout's padding zero), named "naive:erf".
class HostEltwiseKernel : public Kernel {
 public:
  HostEltwiseKernel(const EltwiseAttrs& attrs, const dnnl::memory::desc& src, const KernelEnv& env) {
    src_descs_ = {src};
    dst_descs_ = {src};
    const std::size_t count = src.get_size() / sizeof(float);
    add_host_step(
        [attrs, count](const std::unordered_map<int, dnnl::memory>& bound) {
          const auto* x = static_cast<const float*>(bound.at(DNNL_ARG_SRC).get_data_handle());
          auto* y = static_cast<float*>(bound.at(DNNL_ARG_DST).get_data_handle());
#pragma omp parallel for schedule(static)
          for (std::size_t i = 0; i < count; ++i) y[i] = eltwise_ref(attrs, x[i]);
        },
        "naive:erf", {src_arg(DNNL_ARG_SRC, 0, src), dst_arg(DNNL_ARG_DST, 0, src)}, env.engine);
  }
};

}  // namespace

std::unique_ptr<Kernel> create_eltwise(const Graph& graph, const Node& node,
                                       const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  expect_no_post_ops(node);
  expect_one_activation(node, have, /*only_input=*/false);
  const EltwiseAttrs& attrs = node.attr<EltwiseAttrs>();
  if (!eltwise_is_onednn(attrs.alg)) return std::make_unique<HostEltwiseKernel>(attrs, have[0], env);
  return std::make_unique<EltwiseKernel>(attrs, have[0], env);
}

HostTensor ref_eltwise(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const EltwiseAttrs& attrs = node.attr<EltwiseAttrs>();
  HostTensor out = *reads.at(0);
  for (float& x : out.data) x = eltwise_ref(attrs, x);
  return out;
}

}  // namespace rs
