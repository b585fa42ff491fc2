// Test harness for one op: runs a node through its oneDNN kernel (inputs given plain, reordered to the layouts the
// kernel wants, output reordered back to plain) and through its reference, for comparison.
#pragma once
#include <cstdint>
#include <vector>

#include "graph/graph.h"
#include "kernels/kernel.h"

namespace rs::test {

/// Seeded uniform [-1, 1) data of numel(dims) floats.
HostTensor random_tensor(const Dims& dims, std::uint32_t seed);
std::vector<float> random_data(std::int64_t n, std::uint32_t seed, float lo = -1.f, float hi = 1.f);

/// Runs live node `node_id` of `graph` (shapes inferred) on its oneDNN kernel. activations: one plain tensor per
/// activation input (activation_inputs() order). The kernel is created with plain `have` layouts, so it
/// is also a test that kernels accept plain producers. Returns the plain output.
HostTensor run_kernel(const Graph& graph, int node_id, const std::vector<HostTensor>& activations);

/// Same node through reference_execute(); constants are taken from the graph.
HostTensor run_reference(const Graph& graph, int node_id, const std::vector<HostTensor>& activations);

/// ||a - b||_2 / max(||b||_2, 1e-30); throws if dims differ.
double relative_l2(const HostTensor& a, const HostTensor& b);
/// max |a - b|.
double max_abs_diff(const HostTensor& a, const HostTensor& b);

}  // namespace rs::test
