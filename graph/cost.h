// Cost model beside each op kind (STYLE.md §7): FLOPs, MACs, params and bytes moved, one function per kind (graph/ops/).
#pragma once
#include <cstdint>

#include "graph/graph.h"

namespace rs {

/// Static cost of one op, in the ideal no-cache model of seed 001 §I.
struct OpCost {
  std::int64_t macs = 0;    ///< multiply-accumulates (Conv/Deconv/FC only; 0 elsewhere)
  std::int64_t flops = 0;   ///< floating-point operations: 2 * MACs for Conv/Deconv/FC (+ 1 per output element per
                            ///< fused post-op); 1 per output element for eltwise/binary/BN; see each kind
  std::int64_t params = 0;  ///< learnable parameters (weights + bias; BN: scale + shift, as torchvision counts)
  std::int64_t bytes = 0;   ///< bytes moved: every input read once + every output written once, x sizeof(dtype)
                            ///< (src + weights + bias + dst, seed 001 §I.3)
  /// Arithmetic intensity in FLOP/byte (flops / bytes; 0 when bytes == 0).
  double intensity() const { return bytes > 0 ? static_cast<double>(flops) / static_cast<double>(bytes) : 0.0; }
  OpCost& operator+=(const OpCost& o);
};

/// Cost of one node (dims must be inferred): its kind's formula (graph/ops/ops.h) + its post-ops.
OpCost op_cost(const Graph& graph, const Node& node);
/// Sum over the live nodes.
OpCost graph_cost(const Graph& graph);
/// Cost of a layout change (Reorder): 0 FLOPs, reads src_bytes and writes dst_bytes once (blocked layouts may pad,
/// e.g. C = 3 in nChw8c occupies 8 channels, so the two can differ).
/// Checks, before anything is allocated, that running `graph` can fit `budget_bytes`: no single tensor larger, and
/// graph inputs + outputs + constants + the largest activation together not larger (a lower bound of what a run
/// maps; the executor checks its planned arena too). Throws GraphError naming the value and the figures, e.g.
/// "tensor 'x' [1, 1, 2147483648, 1] needs 8 GiB; with inputs, outputs and weights a run needs at least 24 GiB, more
/// than the memory budget 23.4 GiB (physical memory; set ROOFSCOPE_MAX_MEMORY_GIB)".
void check_memory_budget(const Graph& graph, std::int64_t budget_bytes, const std::string& budget_source);

OpCost reorder_cost(std::int64_t src_bytes, std::int64_t dst_bytes);

}  // namespace rs
