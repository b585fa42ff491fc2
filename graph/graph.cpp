#include "graph/graph.h"

#include <algorithm>
#include <fmt/format.h>
#include <unordered_set>

namespace rs {

std::vector<int> Node::reads() const {
  std::vector<int> ids = inputs;
  for (const auto& p : post_ops)
    if (p.kind == PostOp::Kind::Binary) ids.push_back(p.operand);
  return ids;
}

std::string node_label(const Node& node) { return fmt::format("node '{}' ({})", node.name, op_kind_name(node.kind)); }

std::string op_label(const Graph& graph, const Node& node) {
  std::string label = op_kind_name(node.kind);
  if (node.kind == OpKind::Eltwise) label = eltwise_alg_name(node.attr<EltwiseAttrs>().alg);
  if (node.kind == OpKind::Binary) label = binary_alg_name(node.attr<BinaryAttrs>().alg);
  if (node.kind == OpKind::Conv) {
    const auto& a = node.attr<ConvAttrs>();
    const auto& src = graph.value(node.inputs.at(0)).desc.dims;
    if (a.groups > 1 && src.size() == 4 && a.groups == src[1] && a.groups == a.out_channels) label = "DwConv";
  }
  for (const auto& p : node.post_ops)
    label += std::string("+") + (p.kind == PostOp::Kind::Eltwise ? eltwise_alg_name(p.eltwise.alg)
                                                                   : binary_alg_name(p.binary.alg));
  return label;
}

int Graph::add_input(const std::string& name, const Dims& dims) {
  Value v;
  v.name = name;
  v.desc.dims = dims;
  v.is_input = true;
  values.push_back(std::move(v));
  inputs.push_back(static_cast<int>(values.size()) - 1);
  return inputs.back();
}

int Graph::add_constant(const std::string& name, const Dims& dims, std::vector<float> data) {
  if (static_cast<std::int64_t>(data.size()) != numel(dims))
    throw GraphError(fmt::format("constant '{}': {} floats given for dims {} ({} expected)", name, data.size(),
                                 dims_str(dims), numel(dims)));
  Value v;
  v.name = name;
  v.desc.dims = dims;
  v.data = std::make_shared<const std::vector<float>>(std::move(data));
  values.push_back(std::move(v));
  return static_cast<int>(values.size()) - 1;
}

int Graph::add_node(const std::string& name, OpKind kind, Attrs attrs, const std::vector<int>& ins) {
  for (const auto& n : nodes)
    if (n.name == name) throw GraphError(fmt::format("duplicate node name '{}'", name));
  for (int id : ins)
    if (id < 0 || id >= static_cast<int>(values.size()))
      throw GraphError(fmt::format("node '{}' ({}): input value id {} does not exist", name, op_kind_name(kind), id));
  Node n;
  n.name = name;
  n.kind = kind;
  n.attrs = std::move(attrs);
  n.inputs = ins;
  const int node_id = static_cast<int>(nodes.size());
  Value out;
  out.name = name;
  out.producer = node_id;
  values.push_back(std::move(out));
  n.outputs = {static_cast<int>(values.size()) - 1};
  for (int id : ins) values[static_cast<std::size_t>(id)].consumers.push_back(node_id);
  nodes.push_back(std::move(n));
  return nodes.back().outputs[0];
}

void Graph::mark_output(int value_id) {
  value(value_id).is_output = true;
  if (std::find(outputs.begin(), outputs.end(), value_id) == outputs.end()) outputs.push_back(value_id);
}

std::vector<int> Graph::live_nodes() const {
  std::vector<int> ids;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (!nodes[i].dead) ids.push_back(static_cast<int>(i));
  return ids;
}

int Graph::find_value(const std::string& value_name) const {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i].name == value_name) return static_cast<int>(i);
  return -1;
}

void Graph::link() {
  for (auto& v : values) {
    v.consumers.clear();
    v.producer = -1;
  }
  for (int id : live_nodes()) {
    const Node& n = nodes[static_cast<std::size_t>(id)];
    for (int out : n.outputs) value(out).producer = id;
    for (int in : n.reads()) {
      auto& c = value(in).consumers;
      if (c.empty() || c.back() != id) c.push_back(id);
    }
  }
}

void Graph::compact() {
  std::vector<int> node_map(nodes.size(), -1);
  std::vector<Node> kept;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (!nodes[i].dead) {
      node_map[i] = static_cast<int>(kept.size());
      kept.push_back(std::move(nodes[i]));
    }
  nodes = std::move(kept);
  std::vector<char> used(values.size(), 0);
  for (int id : inputs) used[static_cast<std::size_t>(id)] = 1;
  for (int id : outputs) used[static_cast<std::size_t>(id)] = 1;
  for (const auto& n : nodes) {
    for (int id : n.reads()) used[static_cast<std::size_t>(id)] = 1;
    for (int id : n.outputs) used[static_cast<std::size_t>(id)] = 1;
  }
  std::vector<int> value_map(values.size(), -1);
  std::vector<Value> kept_values;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (used[i]) {
      value_map[i] = static_cast<int>(kept_values.size());
      kept_values.push_back(std::move(values[i]));
    }
  values = std::move(kept_values);
  auto remap = [&](std::vector<int>& ids) {
    for (int& id : ids) id = value_map[static_cast<std::size_t>(id)];
  };
  remap(inputs);
  remap(outputs);
  for (auto& n : nodes) {
    remap(n.inputs);
    remap(n.outputs);
    for (auto& p : n.post_ops)
      if (p.kind == PostOp::Kind::Binary) p.operand = value_map[static_cast<std::size_t>(p.operand)];
  }
  link();
}

void Graph::validate() const {
  const int nv = static_cast<int>(values.size());
  std::vector<char> ready(values.size(), 0);
  for (int id : inputs) {
    if (id < 0 || id >= nv) throw GraphError(fmt::format("graph input id {} does not exist", id));
    ready[static_cast<std::size_t>(id)] = 1;
  }
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i].is_constant()) ready[i] = 1;
  for (int id : live_nodes()) {
    const Node& n = node(id);
    for (int in : n.reads()) {
      if (in < 0 || in >= nv) throw GraphError(fmt::format("{}: input value id {} does not exist", node_label(n), in));
      if (!ready[static_cast<std::size_t>(in)])
        throw GraphError(fmt::format("{}: reads '{}' before anything produces it (graph not in topological order?)",
                                     node_label(n), value(in).name));
    }
    for (int out : n.outputs) ready[static_cast<std::size_t>(out)] = 1;
  }
  for (int id : outputs) {
    if (id < 0 || id >= nv) throw GraphError(fmt::format("graph output id {} does not exist", id));
    if (!ready[static_cast<std::size_t>(id)])
      throw GraphError(fmt::format("graph output '{}' is never produced", value(id).name));
  }
}

}  // namespace rs
