#include "runtime/reference_executor.h"

#include <fmt/format.h>

namespace rs {

std::vector<HostTensor> run_reference_graph(const Graph& graph, const std::vector<HostTensor>& inputs) {
  if (inputs.size() != graph.inputs.size())
    throw std::invalid_argument(fmt::format("{} inputs given, the graph has {}", inputs.size(), graph.inputs.size()));
  std::vector<HostTensor> values(graph.values.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Value& v = graph.value(graph.inputs[i]);
    if (inputs[i].dims != v.desc.dims)
      throw std::invalid_argument(fmt::format("input '{}' must be {}, got {}", v.name, dims_str(v.desc.dims), dims_str(inputs[i].dims)));
    values[static_cast<std::size_t>(graph.inputs[i])] = inputs[i];
  }
  for (std::size_t i = 0; i < graph.values.size(); ++i)
    if (graph.values[i].is_constant()) values[i] = {graph.values[i].desc.dims, *graph.values[i].data};
  for (int id : graph.live_nodes()) {
    const Node& n = graph.node(id);
    std::vector<const HostTensor*> reads;
    for (int v : n.reads()) reads.push_back(&values[static_cast<std::size_t>(v)]);
    values[static_cast<std::size_t>(n.outputs.at(0))] = reference_execute(graph, n, reads);
  }
  std::vector<HostTensor> out;
  for (int v : graph.outputs) out.push_back(values[static_cast<std::size_t>(v)]);
  return out;
}

}  // namespace rs
