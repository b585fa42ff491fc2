// Internals of the ONNX importer, shared by its files (not a public API; see graph/onnx/import.h):
//   ConstTensor   a tensor known at load time (initializer, Constant, folded shape arithmetic)
//   NodeContext   what an op converter sees of one ONNX node: inputs, attributes, outputs, IR node creation
//   Converter     one row of the op table: op_type, the attributes it understands, the function
// Converters live in fold.cpp (load-time ops), ops_nn.cpp (compute ops), ops_resize.cpp and ops_tensor.cpp
// (element-wise binaries, layout ops); import.cpp drives them.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <onnx/onnx_pb.h>

#include "graph/graph.h"
#include "graph/onnx/import.h"

namespace rs::onnx_detail {

/// A tensor known at load time, row-major. Exactly one of f / i holds numel(dims) elements; dims empty = scalar.
struct ConstTensor {
  Dims dims;
  bool is_int = false;
  std::vector<float> f;         ///< FLOAT / DOUBLE data
  std::vector<std::int64_t> i;  ///< integer and BOOL data

  std::int64_t size() const { return numel(dims); }
  /// The data as integers (floats truncated) / as floats.
  std::vector<std::int64_t> as_ints() const;
  std::vector<float> as_floats() const;
  static ConstTensor ints(Dims dims, std::vector<std::int64_t> data);
  static ConstTensor floats(Dims dims, std::vector<float> data);
};

/// Converts an initializer or a Constant's tensor. Throws OnnxError(`what`: ...) for external data, unsupported
/// data types and sizes that do not match dims.
ConstTensor tensor_from_proto(const onnx::TensorProto& t, const std::string& what);

/// What an ONNX value name stands for.
struct Slot {
  int value = -1;                               ///< IR value id: an activation or a materialized constant
  std::shared_ptr<const ConstTensor> constant;  ///< set when the value is known at load time
};

/// State of one import, shared by every NodeContext.
struct ImportState {
  Graph graph;
  int opset = 0;
  std::unordered_map<std::string, Slot> slots;
  std::unordered_set<std::string> node_names;  ///< IR node names taken
};

class NodeContext;
using ConvertFn = void (*)(NodeContext&);

/// One op_type the importer handles. Attributes not listed are rejected as unsupported.
struct Converter {
  const char* op_type;
  std::vector<std::string> attributes;
  ConvertFn convert;
};
const std::vector<Converter>& fold_converters();    // fold.cpp
const std::vector<Converter>& nn_converters();      // ops_nn.cpp
const std::vector<Converter>& tensor_converters();  // ops_tensor.cpp
const std::vector<Converter>& resize_converters();  // ops_resize.cpp

/// "Add, AveragePool, BatchNormalization, ..." (every converter's op_type, sorted).
std::string supported_ops_list();

/// One ONNX node being converted.
class NodeContext {
 public:
  NodeContext(ImportState& state, const onnx::NodeProto& proto, int index);

  const onnx::NodeProto& proto() const { return proto_; }
  /// IR name of the node: the ONNX name, or "<op_type>_<index>" when it has none.
  const std::string& name() const { return name_; }
  int opset() const { return state_.opset; }
  Graph& graph() { return state_.graph; }

  /// Input i exists and is not the empty name (an omitted optional input).
  bool has_input(std::size_t i) const;
  bool is_const(std::size_t i) const;
  bool all_inputs_const() const;
  /// Input i known at load time; fails "input i (what) must be a constant ..." otherwise.
  const ConstTensor& constant(std::size_t i, const char* what) const;
  /// IR value id of input i; a load-time constant is added to the graph as a constant (float) on first use.
  int value(std::size_t i);
  /// IR value id of input i, which must be computed at run time (fails for a load-time constant: the op is not
  /// folded).
  int activation(std::size_t i);
  /// Dims of input i (activation or constant).
  Dims dims(std::size_t i) const;

  bool has_attr(const std::string& name) const;
  std::int64_t attr_int(const std::string& name, std::int64_t fallback) const;
  float attr_float(const std::string& name, float fallback) const;
  std::string attr_string(const std::string& name, const std::string& fallback) const;
  std::vector<std::int64_t> attr_ints(const std::string& name, const std::vector<std::int64_t>& fallback) const;
  std::vector<float> attr_floats(const std::string& name, const std::vector<float>& fallback) const;
  const onnx::TensorProto* attr_tensor(const std::string& name) const;

  /// Output i is IR value `value_id` / the load-time constant `t` / the same as input j.
  void set_output(std::size_t i, int value_id);
  void set_output(std::size_t i, ConstTensor t);
  void alias_output(std::size_t i, std::size_t input);
  /// Output i exists and something may read it (not the empty name).
  bool output_used(std::size_t i) const;
  std::size_t num_outputs() const { return static_cast<std::size_t>(proto_.output_size()); }

  /// Adds an IR node named name() + suffix reading `inputs`, infers its output dims, returns the output value id.
  int add(OpKind kind, Attrs attrs, const std::vector<int>& inputs, const std::string& suffix = "");
  /// Adds a float constant named `name` to the graph.
  int add_constant(const std::string& name, const Dims& dims, std::vector<float> data);

  /// "node 'x' (op_type Conv, opset 13)".
  std::string label() const;
  /// Throws OnnxError "<label>: <what>".
  [[noreturn]] void fail(const std::string& what) const;
  /// Throws OnnxError "<label>: <what>; supported ops: ...".
  [[noreturn]] void unsupported(const std::string& what) const;

 private:
  const Slot& slot(std::size_t i) const;
  const onnx::AttributeProto* attr(const std::string& name, int type) const;

  ImportState& state_;
  const onnx::NodeProto& proto_;
  std::string name_;
};

/// Rewrites torch's decomposed LayerNorm, GELU (erf form) and Mish subgraphs into one LayerNorm / GeluErf / Mish
/// node each (patterns.cpp; the graph must be linked-able, shapes inferred).
void fold_patterns(Graph& g);

/// Dims of input 0, which must be rank-4 NCHW (unsupported naming the node otherwise: the IR has only 2-D ops).
Dims nchw_input(const NodeContext& ctx);

/// Normalizes an axis in [-rank, rank) to [0, rank); fails naming the node otherwise.
int normalize_axis(const NodeContext& ctx, std::int64_t axis, std::size_t rank);

// Host-side tensor algorithms for folding, shared by the converter files (fold.cpp).
/// Element-wise a (op) b with numpy broadcasting; op one of '+', '-', '*', '/'. Int if both are int.
ConstTensor fold_binary(const NodeContext& ctx, const ConstTensor& a, const ConstTensor& b, char op);
/// ONNX Transpose.
ConstTensor fold_transpose(const ConstTensor& t, const std::vector<int>& perm);
/// ONNX Slice on normalized windows: per axis start, step and count (see slice_window()).
ConstTensor fold_slice(const ConstTensor& t, const Dims& start, const Dims& step, const Dims& count);
/// ONNX Concat along a normalized axis.
ConstTensor fold_concat(const std::vector<const ConstTensor*>& parts, std::size_t axis);
/// The same data with other dims (numel must match).
ConstTensor fold_reshape(const ConstTensor& t, const Dims& dims);

/// ONNX Slice semantics for one axis of size `dim`: clamps start/end (negative counts from the end; INT64 sentinels
/// allowed) and returns {start, count} for step `step` (count may be 0).
std::pair<std::int64_t, std::int64_t> slice_window(std::int64_t dim, std::int64_t start, std::int64_t end,
                                                   std::int64_t step);

/// ONNX Reshape target dims from `shape` (0 copies src's dim unless allowzero, one -1 inferred) for src `dims`.
Dims reshape_dims(const NodeContext& ctx, const Dims& src, const std::vector<std::int64_t>& shape, bool allowzero);

}  // namespace rs::onnx_detail
