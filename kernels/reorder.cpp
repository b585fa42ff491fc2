// Reorder: a layout change between two physical layouts of the same dims (e.g. nchw -> nChw8c); a real, timed op.
#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"

namespace rs {

namespace {
class ReorderKernel : public Kernel {
 public:
  ReorderKernel(const dnnl::memory::desc& src, const dnnl::memory::desc& dst, const KernelEnv& env) {
    if (src.dims() != dst.dims())
      throw KernelError(fmt::format("reorder: dims differ ({} vs {})", dims_str(from_dnnl(src.dims())),
                                    dims_str(from_dnnl(dst.dims()))));
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::reorder::primitive_desc pd(env.engine, src, env.engine, dst, attr);
    src_descs_ = {src};
    dst_descs_ = {dst};
    add_step(dnnl::reorder(pd), pd, {src_arg(DNNL_ARG_FROM, 0, src), dst_arg(DNNL_ARG_TO, 0, dst)});
  }
};
}  // namespace

std::vector<KernelCandidate> reorder_candidates(const Graph&, const Node& node, const std::vector<dnnl::memory::desc>&,
                                                const KernelEnv&) {
  throw KernelError(fmt::format("{}: no kernel for this op kind (the runtime inserts reorders)", node_label(node)));
}

HostTensor ref_reorder(const Graph&, const Node& node, const std::vector<const HostTensor*>&) {
  throw KernelError(fmt::format("{}: no reference for this op kind (the runtime inserts reorders)", node_label(node)));
}

std::unique_ptr<Kernel> create_reorder_kernel(const dnnl::memory::desc& src, const dnnl::memory::desc& dst,
                                              const KernelEnv& env) {
  try {
    return std::make_unique<ReorderKernel>(src, dst, env);
  } catch (const dnnl::error& e) {
    throw KernelError(fmt::format("reorder {} -> {}: oneDNN {}", layout_name(src), layout_name(dst), e.what()));
  }
}

}  // namespace rs
