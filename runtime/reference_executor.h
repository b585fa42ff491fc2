// The all-reference executor: runs a graph node by node through reference_execute() on plain data. Slow, simple,
// and independent of oneDNN's primitives: the oracle the tests compare the runtime with.
#pragma once
#include <vector>

#include "graph/graph.h"
#include "kernels/kernel.h"

namespace rs {

/// inputs: one plain tensor per graph input (dims must match). Returns one tensor per graph output.
/// Throws std::invalid_argument on a count or dims mismatch, KernelError from a node's reference.
std::vector<HostTensor> run_reference_graph(const Graph& graph, const std::vector<HostTensor>& inputs);

}  // namespace rs
