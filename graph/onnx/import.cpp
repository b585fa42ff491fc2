// ONNX import driver: reads and checks the ModelProto, binds graph inputs and initializers, converts the nodes in
// order through the op table (fold.cpp, ops_nn.cpp, ops_resize.cpp, ops_tensor.cpp), then marks the outputs, rewrites
// x * HardSigmoid(x) into HardSwish and drops nodes no output needs.
#include "graph/onnx/import.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "graph/files.h"
#include "graph/onnx/context.h"
#include "graph/shape.h"

namespace rs {

namespace onnx_detail {

std::string supported_ops_list() {
  std::vector<std::string> names = onnx_supported_ops();
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace onnx_detail

using namespace onnx_detail;

namespace {

constexpr int kMinOpset = 7;  // below 11 only the forms of those opsets that the converters know (e.g. Upsample)
constexpr int kMaxOpset = 17;

const Converter* find_converter(const std::string& op_type) {
  for (const auto* table : {&fold_converters(), &nn_converters(), &resize_converters(), &tensor_converters()})
    for (const Converter& c : *table)
      if (op_type == c.op_type) return &c;
  return nullptr;
}

onnx::ModelProto parse_model(const std::string& bytes) {
  if (bytes.empty()) throw OnnxError("empty file: not an ONNX model");
  onnx::ModelProto model;
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX) || !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    throw OnnxError("not an ONNX model (protobuf parse failed: truncated, corrupt or not an .onnx file)");
  if (model.ir_version() <= 0 || !model.has_graph() || model.graph().node_size() == 0)
    throw OnnxError(fmt::format("not an ONNX model (ir_version {}, {} graph nodes: truncated or not an .onnx file)",
                                model.ir_version(), model.has_graph() ? model.graph().node_size() : 0));
  return model;
}

bool default_domain(const std::string& d) { return d.empty() || d == "ai.onnx"; }

int default_opset(const onnx::ModelProto& model) {
  for (const auto& o : model.opset_import())
    if (default_domain(o.domain())) {
      if (o.version() < kMinOpset || o.version() > kMaxOpset)
        throw OnnxError(fmt::format("opset {} is not supported (opsets {}-{}; re-export, e.g. torch.onnx.export(..., "
                                    "opset_version=13))", o.version(), kMinOpset, kMaxOpset));
      return static_cast<int>(o.version());
    }
  throw OnnxError("the model imports no opset of the default ONNX domain");
}

/// "[1, 3, ?, ?]" with '?' for dynamic dims (stored as -1).
std::string dims_with_unknowns(const Dims& dims) {
  std::string s;
  for (auto d : dims) s += (s.empty() ? "" : ", ") + (d < 0 ? std::string("?") : std::to_string(d));
  return "[" + s + "]";
}

/// Dims of graph input `vi` (the first one if `first`) after the overrides of OnnxOptions.
Dims input_dims(const onnx::ValueInfoProto& vi, bool first, const OnnxOptions& o) {
  const auto& type = vi.type();
  if (!type.has_tensor_type()) throw OnnxError(fmt::format("graph input '{}' is not a tensor", vi.name()));
  if (type.tensor_type().elem_type() != onnx::TensorProto_DataType_FLOAT)
    throw OnnxError(fmt::format("graph input '{}' has data type {}; only FLOAT inputs are supported", vi.name(),
                                type.tensor_type().elem_type()));
  const bool has_shape = type.tensor_type().has_shape();
  Dims dims;
  for (const auto& d : type.tensor_type().shape().dim()) dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
  const auto named = std::find_if(o.named_shapes.begin(), o.named_shapes.end(),
                                  [&](const auto& p) { return p.first == vi.name(); });
  if (named != o.named_shapes.end() && first && !o.input_shape.empty())
    throw OnnxError(fmt::format("graph input '{}' is given two shapes ({} unnamed, {} by name)", vi.name(),
                                dims_str(o.input_shape), dims_str(named->second)));
  const Dims* given = named != o.named_shapes.end() ? &named->second : first && !o.input_shape.empty() ? &o.input_shape
                                                                                                       : nullptr;
  if (given) {
    if (has_shape && given->size() != dims.size())
      throw OnnxError(fmt::format("input shape {} has rank {}, graph input '{}' {} has rank {}", dims_str(*given),
                                  given->size(), vi.name(), dims_with_unknowns(dims), dims.size()));
    dims = *given;
  } else {
    if (!has_shape)
      throw OnnxError(fmt::format("graph input '{}' has no shape in the model; give its dims with --input-shape "
                                  "(OnnxOptions::input_shape)", vi.name()));
    if (!dims.empty() && (o.batch > 0 || dims[0] < 0)) dims[0] = o.batch > 0 ? o.batch : 1;
    if (dims.size() == 4 && o.size > 0) dims[2] = dims[3] = o.size;
  }
  for (auto d : dims)
    if (d < 1)
      throw OnnxError(fmt::format("graph input '{}' has dims {} with a dynamic or invalid dim; fix them with "
                                  "--input-shape (OnnxOptions::input_shape)", vi.name(), dims_with_unknowns(dims)));
  return dims;
}

void bind_inputs(const onnx::GraphProto& g, const OnnxOptions& o, ImportState& st) {
  for (const auto& t : g.initializer())
    st.slots[t.name()] = Slot{-1, std::make_shared<const ConstTensor>(
                                      tensor_from_proto(t, fmt::format("initializer '{}'", t.name())))};
  for (const auto& vi : g.input()) {
    if (st.slots.count(vi.name())) continue;  // an initializer listed as input (IR version < 4 style)
    const Dims dims = input_dims(vi, st.graph.inputs.empty(), o);
    try {
      (void)numel(dims);
    } catch (const std::overflow_error& e) {
      throw OnnxError(fmt::format("graph input '{}': {}", vi.name(), e.what()));
    }
    const int id = st.graph.add_input(vi.name(), dims);
    st.slots[vi.name()] = Slot{id, nullptr};
  }
  if (st.graph.inputs.empty()) throw OnnxError("the graph has no input that is not an initializer");
  for (const auto& [name, dims] : o.named_shapes)
    if (st.graph.find_value(name) < 0 || !st.graph.value(st.graph.find_value(name)).is_input)
      throw OnnxError(fmt::format("input shape {} is given for '{}', which is not a graph input", dims_str(dims), name));
}

void convert_node(ImportState& st, const onnx::NodeProto& proto, int index) {
  NodeContext ctx(st, proto, index);
  if (!default_domain(proto.domain())) ctx.unsupported(fmt::format("domain '{}' is not supported", proto.domain()));
  const Converter* conv = find_converter(proto.op_type());
  if (!conv) ctx.unsupported("unsupported op");
  for (const auto& a : proto.attribute())
    if (std::find(conv->attributes.begin(), conv->attributes.end(), a.name()) == conv->attributes.end())
      ctx.unsupported(fmt::format("attribute '{}' is not supported{}", a.name(),
                                  st.opset < 11 ? fmt::format(" (an opset {} model: perhaps {}'s older form; re-export with "
                                                              "opset_version >= 11)", st.opset, proto.op_type()) : ""));
  for (const auto& out : proto.output())  // ONNX graphs are in SSA form: one producer per value
    if (!out.empty() && st.slots.count(out))
      ctx.fail(fmt::format("output '{}' is already produced by an earlier node, an initializer or a graph input "
                           "(a value has one producer)", out));
  try {
    conv->convert(ctx);
  } catch (const OnnxError&) {
    throw;  // already names the node
  } catch (const std::exception& e) {  // from the shape, folding and tensor helpers: name the node
    ctx.fail(e.what());
  }
  for (std::size_t i = 0; i < ctx.num_outputs(); ++i)
    if (ctx.output_used(i) && !st.slots.count(proto.output(static_cast<int>(i))))
      ctx.unsupported(fmt::format("output {} is not supported", i));
}

void mark_outputs(const onnx::GraphProto& g, ImportState& st) {
  for (const auto& vi : g.output()) {
    const auto it = st.slots.find(vi.name());
    if (it == st.slots.end()) throw OnnxError(fmt::format("graph output '{}' is produced by no node", vi.name()));
    const int id = it->second.value;
    if (it->second.constant || id < 0 || st.graph.value(id).producer < 0)
      throw OnnxError(fmt::format("graph output '{}' is a constant or a graph input: nothing to compute", vi.name()));
    if (!st.graph.value(id).is_output) st.graph.value(id).name = vi.name();
    st.graph.mark_output(id);
  }
}

bool near(float a, float b) { return std::fabs(a - b) <= 1e-6f; }

/// x * HardSigmoid(x) with alpha 1/6, beta 0.5 (torch's Hardswish below opset 14) -> HardSwish(x), when the
/// HardSigmoid feeds only that Mul.
void fuse_hardswish(Graph& g) {
  g.link();
  for (int id : g.live_nodes()) {
    Node& m = g.node(id);
    if (m.kind != OpKind::Binary || m.attr<BinaryAttrs>().alg != BinaryAlg::Mul) continue;
    for (int side = 0; side < 2; ++side) {
      const int x = m.inputs[static_cast<std::size_t>(side)], h_out = m.inputs[static_cast<std::size_t>(1 - side)];
      const Value& hv = g.value(h_out);
      if (hv.producer < 0 || hv.is_output || hv.consumers.size() != 1) continue;
      Node& h = g.node(hv.producer);
      if (h.kind != OpKind::Eltwise || h.inputs[0] != x) continue;
      const auto& a = h.attr<EltwiseAttrs>();
      if (a.alg != EltwiseAlg::HardSigmoid || !near(a.alpha, 1.f / 6.f) || !near(a.beta, 0.5f)) continue;
      m.kind = OpKind::Eltwise;
      m.attrs = EltwiseAttrs{EltwiseAlg::HardSwish, 0.f, 0.f};
      m.inputs = {x};
      m.fused.push_back(h.name);
      h.dead = true;
      g.link();
      break;
    }
  }
}

/// Marks dead every node whose outputs no graph output depends on (unused Split parts, dangling branches).
void drop_unused(Graph& g) {
  std::vector<char> needed(g.values.size(), 0);
  for (int id : g.outputs) needed[static_cast<std::size_t>(id)] = 1;
  for (int id = static_cast<int>(g.nodes.size()); id-- > 0;) {
    Node& n = g.node(id);
    if (n.dead) continue;
    const bool used = std::any_of(n.outputs.begin(), n.outputs.end(),
                                  [&](int v) { return needed[static_cast<std::size_t>(v)] != 0; });
    if (!used) n.dead = true;
    else for (int v : n.reads()) needed[static_cast<std::size_t>(v)] = 1;
  }
}

Graph convert_model(const onnx::ModelProto& model, const OnnxOptions& options) {
  ImportState st;
  st.opset = default_opset(model);
  const auto& g = model.graph();
  st.graph.name = g.name();
  bind_inputs(g, options, st);
  for (int i = 0; i < g.node_size(); ++i) convert_node(st, g.node(i), i);
  mark_outputs(g, st);
  fuse_hardswish(st.graph);
  fold_patterns(st.graph);
  drop_unused(st.graph);
  st.graph.compact();
  infer_shapes(st.graph);
  st.graph.validate();
  return std::move(st.graph);
}

}  // namespace

std::vector<std::string> onnx_supported_ops() {
  std::vector<std::string> names;
  for (const auto* table : {&fold_converters(), &nn_converters(), &resize_converters(), &tensor_converters()})
    for (const Converter& c : *table) names.emplace_back(c.op_type);
  std::sort(names.begin(), names.end());
  return names;
}

bool is_onnx_path(const std::string& path) {
  if (path.size() < 5) return false;
  std::string ext = path.substr(path.size() - 5);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return ext == ".onnx";
}

Graph import_onnx_bytes(const std::string& bytes, const std::string& source, const OnnxOptions& options) {
  try {
    return convert_model(parse_model(bytes), options);
  } catch (const GraphError& e) {
    throw OnnxError(source + ": " + e.what());
  } catch (const std::overflow_error& e) {
    throw OnnxError(source + ": " + e.what());
  }
}

Graph import_onnx(const std::string& path, const OnnxOptions& options) {
  std::string bytes;
  try {  // protobuf parses at most 2 GiB; weights beyond that need external data, which is not supported
    bytes = read_regular_file(path, static_cast<std::uint64_t>(INT32_MAX), "an ONNX model");
  } catch (const FileReadError& e) {
    throw OnnxError(e.what());
  }
  return import_onnx_bytes(bytes, path, options);
}

}  // namespace rs
