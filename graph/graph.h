// The graph IR: values that know their producer and consumers (XNNPACK-style), nodes in topological order.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "graph/op.h"
#include "graph/tensor.h"

namespace rs {

/// Error in a graph or a node: the message names the node, its op and what was expected.
class GraphError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A tensor in the graph: an activation, a graph input, or a constant (weights, BN statistics).
struct Value {
  std::string name;
  TensorDesc desc;             ///< dims are known for inputs and constants; set for the rest by infer_shapes()
  int producer = -1;           ///< node id; -1 for graph inputs and constants
  std::vector<int> consumers;  ///< node ids that read it (inputs or post-op operands), ascending; see Graph::link()
  /// Non-null for constants: row-major (plain) data, desc.numel() floats. Shared so graph copies are cheap.
  std::shared_ptr<const std::vector<float>> data;
  bool is_input = false;
  bool is_output = false;
  bool is_constant() const { return data != nullptr; }
};

/// One op. inputs follow the order documented for its OpKind (op.h); post-op operands are listed in post_ops.
struct Node {
  std::string name;
  OpKind kind = OpKind::Conv;
  Attrs attrs;
  std::vector<int> inputs;   ///< value ids
  std::vector<int> outputs;  ///< value ids (one for every current kind)
  std::vector<PostOp> post_ops;
  std::vector<std::string> fused;  ///< names of nodes folded or fused into this one, in order
  bool dead = false;               ///< removed by a pass; skipped everywhere, dropped by Graph::compact()

  /// inputs followed by the operands of Binary post-ops: every value the node reads.
  std::vector<int> reads() const;
  template <typename A>
  const A& attr() const { return std::get<A>(attrs); }
  template <typename A>
  A& attr() { return std::get<A>(attrs); }
};

/// A computation graph. Nodes are kept in topological order (add_node only accepts values that already exist).
class Graph {
 public:
  std::string name;
  std::vector<Value> values;
  std::vector<Node> nodes;
  std::vector<int> inputs;   ///< value ids of graph inputs
  std::vector<int> outputs;  ///< value ids of graph outputs

  /// Adds a graph input of the given dims (f32). Returns its value id.
  int add_input(const std::string& name, const Dims& dims);
  /// Adds a constant holding data (row-major, numel(dims) floats). Throws GraphError if sizes differ.
  int add_constant(const std::string& name, const Dims& dims, std::vector<float> data);
  /// Adds a node reading `inputs` (existing value ids) and producing one new value named after the node.
  /// Returns the new output value id. Throws GraphError on an unknown value id or a duplicate node name.
  int add_node(const std::string& name, OpKind kind, Attrs attrs, const std::vector<int>& inputs);
  /// Marks a value as a graph output.
  void mark_output(int value_id);

  const Value& value(int id) const { return values.at(static_cast<std::size_t>(id)); }
  Value& value(int id) { return values.at(static_cast<std::size_t>(id)); }
  const Node& node(int id) const { return nodes.at(static_cast<std::size_t>(id)); }
  Node& node(int id) { return nodes.at(static_cast<std::size_t>(id)); }
  /// Ids of the live (not dead) nodes, in topological order.
  std::vector<int> live_nodes() const;
  /// Index of a value by name, or -1.
  int find_value(const std::string& name) const;

  /// Recomputes producer and consumers of every value from the live nodes.
  void link();
  /// Drops dead nodes and values nothing refers to any more; renumbers ids; calls link().
  void compact();
  /// Checks ids, topological order and that every non-constant value read has a producer or is an input.
  /// Throws GraphError naming the first problem.
  void validate() const;
};

/// "node 'layer1.0.conv1' (Conv)": the prefix every node error starts with.
std::string node_label(const Node& node);

/// Short op name for tables: "Conv", "DwConv" (groups == C_in == C_out), "Relu", "Add", "MaxPool", ...; fused
/// post-ops appended with '+', e.g. "Conv+Add+Relu".
std::string op_label(const Graph& graph, const Node& node);

}  // namespace rs
