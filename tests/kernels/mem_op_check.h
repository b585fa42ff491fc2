// Test helpers for the memory-bound op families: a one-node graph built from operand specs, and a check that the
// kernel matches the reference both with plain producers (run_kernel) and with nChw8c producers, as convs give them
// in the runtime.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "kernels/kernel.h"

namespace rs::test {

/// One input of the node: an activation (random data) or, when `constant` is set, a graph constant holding it.
struct Operand {
  Dims dims;
  std::optional<std::vector<float>> constant;
};

/// A graph of graph inputs/constants feeding one node (id node_id), shapes inferred; activations holds one seeded
/// random [-1, 1) tensor per activation operand, in operand order.
struct SingleNode {
  Graph graph;
  int node_id = 0;
  std::vector<HostTensor> activations;
};
SingleNode single_node(OpKind kind, Attrs attrs, const std::vector<Operand>& operands, std::uint32_t seed = 1);

/// Like run_kernel(), but each activation is produced in layout `have[i]` (plain data is reordered into it first).
/// impl receives the kernel's impl_info() when non-null.
HostTensor run_kernel_with(const SingleNode& t, const std::vector<dnnl::memory::desc>& have, std::string* impl);

/// nChw8c for rank-4 dims, plain otherwise.
dnnl::memory::desc blocked8_or_plain(const Dims& dims);

/// Expects relative L2 (kernel vs reference) <= tol with plain producers (run_kernel()) and, when `blocked`, with
/// nChw8c producers (blocked8_or_plain()), recording that kernel's oneDNN implementation as test property
/// "impl_blocked".
void expect_matches_reference(const SingleNode& t, double tol, bool blocked);

}  // namespace rs::test
