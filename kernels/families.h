// Entry points of the op families, one file pair each (conv.cpp, deconv.cpp, ...); kernel.cpp's kFamilies maps
// OpKind to them.
// create_*: same contract as create_kernel(); ref_*: same contract as reference_execute() but WITHOUT post-ops
// (reference_execute applies node.post_ops after calling ref_*).
#pragma once
#include "kernels/kernel.h"

namespace rs {

using CreateFn = std::unique_ptr<Kernel> (*)(const Graph&, const Node&, const std::vector<dnnl::memory::desc>&,
                                             const KernelEnv&);
using RefFn = HostTensor (*)(const Graph&, const Node&, const std::vector<const HostTensor*>&);

using CandidatesFn = std::vector<KernelCandidate> (*)(const Graph&, const Node&, const std::vector<dnnl::memory::desc>&,
                                                      const KernelEnv&);

// Weighted families (post_ops.h): *_candidates, same contract as kernel_candidates().
#define RS_DECLARE_WEIGHTED_FAMILY(fam)                                                                          \
  std::vector<KernelCandidate> fam##_candidates(const Graph&, const Node&, const std::vector<dnnl::memory::desc>&, \
                                                const KernelEnv&);                                               \
  HostTensor ref_##fam(const Graph&, const Node&, const std::vector<const HostTensor*>&);

#define RS_DECLARE_FAMILY(fam)                                                                              \
  std::unique_ptr<Kernel> create_##fam(const Graph&, const Node&, const std::vector<dnnl::memory::desc>&, \
                                       const KernelEnv&);                                                 \
  HostTensor ref_##fam(const Graph&, const Node&, const std::vector<const HostTensor*>&);

RS_DECLARE_WEIGHTED_FAMILY(conv)    // conv.cpp: Conv (dense, grouped, depthwise)
RS_DECLARE_WEIGHTED_FAMILY(deconv)  // deconv.cpp: Deconv
RS_DECLARE_WEIGHTED_FAMILY(fc)      // fc.cpp: FullyConnected
RS_DECLARE_FAMILY(batchnorm)  // batchnorm.cpp
RS_DECLARE_FAMILY(eltwise)    // eltwise.cpp
RS_DECLARE_FAMILY(binary)     // binary.cpp
RS_DECLARE_FAMILY(pool)       // pool.cpp: MaxPool, AvgPool, GlobalAvgPool
RS_DECLARE_FAMILY(concat)     // concat.cpp
RS_DECLARE_FAMILY(softmax)    // softmax.cpp
RS_DECLARE_FAMILY(reshape)    // shape_ops.cpp: Reshape
RS_DECLARE_FAMILY(transpose)  // shape_ops.cpp: Transpose
RS_DECLARE_FAMILY(slice)      // slice_pad.cpp: Slice
RS_DECLARE_FAMILY(pad)        // slice_pad.cpp: Pad
RS_DECLARE_FAMILY(resize)     // resize.cpp: Resize (oneDNN resampling or naive)
RS_DECLARE_FAMILY(layernorm)     // norm.cpp: LayerNorm
RS_DECLARE_FAMILY(instancenorm)  // norm.cpp: InstanceNorm
RS_DECLARE_FAMILY(reduce)        // reduce.cpp: ReduceMean
#undef RS_DECLARE_FAMILY
#undef RS_DECLARE_WEIGHTED_FAMILY

// reorder.cpp: a Reorder is never compiled from a node (the runtime inserts it, create_reorder_kernel()); both throw
// KernelError naming the node.
std::vector<KernelCandidate> reorder_candidates(const Graph&, const Node& node, const std::vector<dnnl::memory::desc>&,
                                                const KernelEnv&);
HostTensor ref_reorder(const Graph&, const Node& node, const std::vector<const HostTensor*>&);

}  // namespace rs
