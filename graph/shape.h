// Shape inference: validates attributes and input shapes with each kind's function (graph/op_registry.h).
#pragma once
#include "graph/graph.h"

namespace rs {

/// Infers dims of every node output in topological order (inputs and constants must have dims).
/// Throws GraphError naming the node, its op, the input shapes and what was expected, e.g.
/// "node 'conv1' (Conv): groups 3 does not divide C_in 64 (src [1, 64, 56, 56])".
void infer_shapes(Graph& graph);

/// Output dims of one node from its input dims; same errors as infer_shapes().
Dims infer_node_shape(const Graph& graph, const Node& node);

/// Output size of a window op along one axis: floor((in + pad_begin + pad_end - dilation*(k-1) - 1) / stride) + 1
/// (ceil with ceil_mode). Returns <= 0 when the (dilated) kernel is larger than the padded input.
std::int64_t window_out_size(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t pad_begin,
                             std::int64_t pad_end, std::int64_t dilation, bool ceil_mode);

}  // namespace rs
