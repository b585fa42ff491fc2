// What a compiled model reports about itself, free of oneDNN types so that reporters and tools can read it without
// pulling in dnnl.hpp: how each step's kernel was chosen, the steps, and the memory figures.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "graph/cost.h"
#include "graph/op.h"
#include "graph/tensor.h"

namespace rs {

/// How a step's kernel was chosen.
struct StepChoice {
  std::string key;     ///< the candidate (KernelCandidate::key); "" for reorders the runtime inserted
  int candidates = 1;  ///< how many oneDNN offered
  std::string source = "only";  ///< "only" (one candidate), "default" (oneDNN's first; tuning off), "tuned", "cached"
  double time_s = std::numeric_limits<double>::quiet_NaN();  ///< tuned: median seconds in place, its reorders included
  std::string runner_up;  ///< tuned: the second fastest candidate's key ("" when there was one)
  double runner_up_time_s = std::numeric_limits<double>::quiet_NaN();
};

/// One executed op: a node's kernel (fused post-ops included) or a reorder the runtime inserted.
struct ExecStep {
  std::string name;               ///< node name, or "reorder:<value name>" for inserted reorders
  OpKind kind = OpKind::Reorder;
  std::string label;              ///< op and fused parts, e.g. "Conv+Add+Relu", "Eltwise(Sigmoid)"
  std::vector<std::string> fused; ///< names of the nodes folded/fused into this step
  std::string impl;               ///< oneDNN implementation (impl_info_str), e.g. "jit:avx2"
  OpCost cost;                    ///< ideal-model cost (graph/cost.h); reorders: 0 FLOPs, src + dst bytes
  std::vector<Dims> src_dims;     ///< activation inputs
  Dims weights_dims;              ///< Conv/Deconv/FC weights; empty otherwise
  Dims dst_dims;
  std::vector<std::string> src_layouts;  ///< physical layouts read, e.g. "nChw8c"
  std::string dst_layout;
  StepChoice choice;  ///< how the kernel was chosen among oneDNN's candidates
  bool in_place = false;  ///< dst took over the residual's buffer (sum post-op; planner alias record)
};

/// Memory figures of a compiled model, in bytes.
struct MemoryReport {
  std::int64_t arena_bytes = 0;        ///< planned arena (0 with pool off)
  std::int64_t lower_bound_bytes = 0;  ///< liveness lower bound of the same buffers
  std::int64_t naive_bytes = 0;        ///< sum of every buffer (one allocation each)
  std::int64_t io_bytes = 0;           ///< graph inputs and outputs (kept outside the arena)
  std::int64_t weights_bytes = 0;      ///< constants as reordered and held by the kernels
  int buffers = 0;                     ///< planned buffers (activations, reorder outputs, scratchpads)
};

}  // namespace rs
