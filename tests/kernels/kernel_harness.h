// Test harness for one op: runs a node through its oneDNN kernel (inputs given plain, reordered to the layouts the
// kernel wants, output reordered back to plain) and through its reference, for comparison.
#pragma once
#include <string>
#include <cstdint>
#include <vector>

#include "graph/graph.h"
#include "kernels/kernel.h"

namespace rs::test {

/// Seeded uniform [-1, 1) data of numel(dims) floats.
HostTensor random_tensor(const Dims& dims, std::uint32_t seed);
std::vector<float> random_data(std::int64_t n, std::uint32_t seed, float lo = -1.f, float hi = 1.f);

/// Runs live node `node_id` of `graph` (shapes inferred) on candidate `candidate` of kernel_candidates() (0: the one
/// create_kernel() makes). activations: one plain tensor per activation input (activation_inputs() order), each
/// produced in layout have[i] (reordered from plain first); a residual accumulated in place (Kernel::inplace_src())
/// is put in dst first, as the runtime does. *impl (if non-null) receives the candidate's key. Returns the plain
/// output.
HostTensor run_candidate(const Graph& graph, int node_id, const std::vector<HostTensor>& activations,
                         const std::vector<dnnl::memory::desc>& have, int candidate, std::string* impl);
/// How many candidates kernel_candidates() offers for the node with producers in `have`.
int candidate_count(const Graph& graph, int node_id, const std::vector<dnnl::memory::desc>& have);
/// run_candidate() with plain producers (so it is also a test that kernels accept them).
HostTensor run_kernel(const Graph& graph, int node_id, const std::vector<HostTensor>& activations, int candidate = 0);

/// Same node through reference_execute(); constants are taken from the graph.
HostTensor run_reference(const Graph& graph, int node_id, const std::vector<HostTensor>& activations);

/// ||a - b||_2 / max(||b||_2, 1e-30); throws if dims differ.
double relative_l2(const HostTensor& a, const HostTensor& b);
/// max |a - b|.
double max_abs_diff(const HostTensor& a, const HostTensor& b);

}  // namespace rs::test
