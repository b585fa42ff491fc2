// ConstTensor, tensor_from_proto and NodeContext of the ONNX importer (see context.h).
#include "graph/onnx/context.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "graph/shape.h"

namespace rs::onnx_detail {

std::vector<std::int64_t> ConstTensor::as_ints() const {
  if (is_int) return i;
  std::vector<std::int64_t> out(f.size());
  // Only finite values inside int64's range convert (anything else is undefined behaviour in C++).
  constexpr float kLimit = 9.2e18f;  // below 2^63, representable as float
  std::transform(f.begin(), f.end(), out.begin(), [](float x) {
    if (!std::isfinite(x) || std::fabs(x) >= kLimit)
      throw std::domain_error(fmt::format("the float {} where an integer (a dim, index or count) is expected is "
                                          "not finite or outside int64", x));
    return static_cast<std::int64_t>(x);
  });
  return out;
}

std::vector<float> ConstTensor::as_floats() const {
  if (!is_int) return f;
  std::vector<float> out(i.size());
  std::transform(i.begin(), i.end(), out.begin(), [](std::int64_t x) { return static_cast<float>(x); });
  return out;
}

ConstTensor ConstTensor::ints(Dims dims, std::vector<std::int64_t> data) {
  ConstTensor t;
  t.dims = std::move(dims);
  t.is_int = true;
  t.i = std::move(data);
  return t;
}

ConstTensor ConstTensor::floats(Dims dims, std::vector<float> data) {
  ConstTensor t;
  t.dims = std::move(dims);
  t.f = std::move(data);
  return t;
}

namespace {

/// Bytes per element of the integer types read from raw_data, 0 for types that are not integers.
std::size_t int_type_bytes(int type) {
  switch (type) {
    case onnx::TensorProto_DataType_INT64: return 8;
    case onnx::TensorProto_DataType_INT32: return 4;
    case onnx::TensorProto_DataType_INT16:
    case onnx::TensorProto_DataType_UINT16: return 2;
    case onnx::TensorProto_DataType_INT8:
    case onnx::TensorProto_DataType_UINT8:
    case onnx::TensorProto_DataType_BOOL: return 1;
    default: return 0;
  }
}

/// Sign- or zero-extends one little-endian integer of `bytes` bytes.
std::int64_t read_int(const char* p, int type) {
  switch (type) {
    case onnx::TensorProto_DataType_INT64: { std::int64_t v; std::memcpy(&v, p, 8); return v; }
    case onnx::TensorProto_DataType_INT32: { std::int32_t v; std::memcpy(&v, p, 4); return v; }
    case onnx::TensorProto_DataType_INT16: { std::int16_t v; std::memcpy(&v, p, 2); return v; }
    case onnx::TensorProto_DataType_UINT16: { std::uint16_t v; std::memcpy(&v, p, 2); return v; }
    case onnx::TensorProto_DataType_INT8: return static_cast<std::int8_t>(*p);
    default: return static_cast<std::uint8_t>(*p);  // UINT8, BOOL
  }
}

std::string type_name(int type) {
  return onnx::TensorProto_DataType_IsValid(type)
             ? onnx::TensorProto_DataType_Name(static_cast<onnx::TensorProto_DataType>(type))
             : fmt::format("unknown ({})", type);
}

/// Checks that `t` holds `count` elements of `elem_bytes` each (in raw_data or in the typed field `field_size`
/// elements long) before anything is allocated, so a corrupt dim cannot ask for terabytes.
void check_count(const onnx::TensorProto& t, std::size_t count, std::size_t elem_bytes, int field_size,
                 const char* field, const std::string& what) {
  const Dims dims(t.dims().begin(), t.dims().end());
  if (t.has_raw_data() && t.raw_data().size() != count * elem_bytes)
    throw OnnxError(fmt::format("{}: raw_data holds {} bytes, dims {} need {} ({} elements of {} bytes; truncated "
                                "file?)", what, t.raw_data().size(), dims_str(dims), count * elem_bytes, count,
                                elem_bytes));
  if (!t.has_raw_data() && static_cast<std::size_t>(field_size) != count)
    throw OnnxError(fmt::format("{}: {} holds {} elements, dims {} need {}", what, field, field_size, dims_str(dims),
                                count));
}

std::vector<float> read_floats(const onnx::TensorProto& t, std::size_t count, const std::string& what) {
  const bool dbl = t.data_type() == onnx::TensorProto_DataType_DOUBLE;
  check_count(t, count, dbl ? 8 : 4, dbl ? t.double_data_size() : t.float_data_size(),
              dbl ? "double_data" : "float_data", what);
  std::vector<float> out(count);
  const char* raw = t.raw_data().data();
  for (std::size_t k = 0; k < count; ++k) {
    if (!dbl && t.has_raw_data()) {
      std::memcpy(&out[k], raw + k * 4, 4);
    } else if (dbl && t.has_raw_data()) {
      double v;
      std::memcpy(&v, raw + k * 8, 8);
      out[k] = static_cast<float>(v);
    } else {
      out[k] = dbl ? static_cast<float>(t.double_data(static_cast<int>(k))) : t.float_data(static_cast<int>(k));
    }
  }
  return out;
}

std::vector<std::int64_t> read_ints(const onnx::TensorProto& t, std::size_t count, const std::string& what) {
  const int type = t.data_type();
  const bool i64 = type == onnx::TensorProto_DataType_INT64;
  check_count(t, count, int_type_bytes(type), i64 ? t.int64_data_size() : t.int32_data_size(),
              i64 ? "int64_data" : "int32_data", what);
  std::vector<std::int64_t> out(count);
  for (std::size_t k = 0; k < count; ++k) {
    const int i = static_cast<int>(k);
    out[k] = t.has_raw_data() ? read_int(t.raw_data().data() + k * int_type_bytes(type), type)
                              : (i64 ? t.int64_data(i) : t.int32_data(i));
  }
  return out;
}

}  // namespace

ConstTensor tensor_from_proto(const onnx::TensorProto& t, const std::string& what) {
  if (t.data_location() == onnx::TensorProto_DataLocation_EXTERNAL)
    throw OnnxError(what + ": external data (a separate weights file) is not supported; re-export with the weights "
                           "inside the .onnx");
  Dims dims(t.dims().begin(), t.dims().end());
  std::int64_t n = 1;
  for (auto d : dims) {
    if (d < 0 || (d > 0 && n > (std::int64_t{1} << 40) / d))
      throw OnnxError(fmt::format("{}: invalid dims {}", what, dims_str(dims)));
    n *= d;
  }
  const auto count = static_cast<std::size_t>(n);
  const int type = t.data_type();
  if (type == onnx::TensorProto_DataType_FLOAT || type == onnx::TensorProto_DataType_DOUBLE)
    return ConstTensor::floats(dims, read_floats(t, count, what));
  if (int_type_bytes(type) == 0)
    throw OnnxError(fmt::format("{}: data type {} is not supported (FLOAT, DOUBLE and integer types are)", what,
                                type_name(type)));
  return ConstTensor::ints(dims, read_ints(t, count, what));
}

NodeContext::NodeContext(ImportState& state, const onnx::NodeProto& proto, int index)
    : state_(state), proto_(proto), name_(proto.name().empty() ? fmt::format("{}_{}", proto.op_type(), index)
                                                               : proto.name()) {}

std::string NodeContext::label() const {
  return fmt::format("node '{}' (op_type {}, opset {})", name_, proto_.op_type(), state_.opset);
}

void NodeContext::fail(const std::string& what) const { throw OnnxError(label() + ": " + what); }

void NodeContext::unsupported(const std::string& what) const {
  throw OnnxError(label() + ": " + what + "; supported ops: " + supported_ops_list());
}

bool NodeContext::has_input(std::size_t i) const {
  return i < static_cast<std::size_t>(proto_.input_size()) && !proto_.input(static_cast<int>(i)).empty();
}

const Slot& NodeContext::slot(std::size_t i) const {
  if (!has_input(i)) fail(fmt::format("input {} is missing", i));
  const std::string& name = proto_.input(static_cast<int>(i));
  const auto it = state_.slots.find(name);
  if (it == state_.slots.end())
    fail(fmt::format("input '{}' is not a graph input, an initializer or the output of an earlier node (nodes "
                     "must be in topological order)", name));
  return it->second;
}

bool NodeContext::is_const(std::size_t i) const { return slot(i).constant != nullptr; }

bool NodeContext::all_inputs_const() const {
  for (std::size_t i = 0; i < static_cast<std::size_t>(proto_.input_size()); ++i)
    if (has_input(i) && !is_const(i)) return false;
  return true;
}

const ConstTensor& NodeContext::constant(std::size_t i, const char* what) const {
  const Slot& s = slot(i);
  if (!s.constant)
    fail(fmt::format("input {} ({}, '{}') must be known at load time (an initializer, a Constant or a foldable "
                     "shape computation), but is computed at run time", i, what, proto_.input(static_cast<int>(i))));
  return *s.constant;
}

int NodeContext::value(std::size_t i) {
  const Slot& s = slot(i);
  if (s.value >= 0) return s.value;
  const std::string& name = proto_.input(static_cast<int>(i));
  Dims dims = s.constant->dims;
  if (dims.empty()) dims = {1};  // the IR has no rank-0 tensors
  const int id = add_constant(name, dims, s.constant->as_floats());
  state_.slots[name].value = id;
  return id;
}

int NodeContext::activation(std::size_t i) {
  if (is_const(i))
    fail(fmt::format("input {} ('{}') is known at load time; this op is only supported on tensors computed at run "
                     "time", i, proto_.input(static_cast<int>(i))));
  return value(i);
}

Dims NodeContext::dims(std::size_t i) const {
  const Slot& s = slot(i);
  return s.constant ? s.constant->dims : state_.graph.value(s.value).desc.dims;
}

const onnx::AttributeProto* NodeContext::attr(const std::string& name, int type) const {
  for (const auto& a : proto_.attribute()) {
    if (a.name() != name) continue;
    if (a.type() != type)
      fail(fmt::format("attribute '{}' has type {}, expected {}", name, onnx::AttributeProto_AttributeType_Name(a.type()),
                       onnx::AttributeProto_AttributeType_Name(static_cast<onnx::AttributeProto_AttributeType>(type))));
    return &a;
  }
  return nullptr;
}

bool NodeContext::has_attr(const std::string& name) const {
  return std::any_of(proto_.attribute().begin(), proto_.attribute().end(),
                     [&](const onnx::AttributeProto& a) { return a.name() == name; });
}

std::int64_t NodeContext::attr_int(const std::string& name, std::int64_t fallback) const {
  const auto* a = attr(name, onnx::AttributeProto_AttributeType_INT);
  return a ? a->i() : fallback;
}

float NodeContext::attr_float(const std::string& name, float fallback) const {
  const auto* a = attr(name, onnx::AttributeProto_AttributeType_FLOAT);
  return a ? a->f() : fallback;
}

std::string NodeContext::attr_string(const std::string& name, const std::string& fallback) const {
  const auto* a = attr(name, onnx::AttributeProto_AttributeType_STRING);
  return a ? a->s() : fallback;
}

std::vector<std::int64_t> NodeContext::attr_ints(const std::string& name,
                                                 const std::vector<std::int64_t>& fallback) const {
  const auto* a = attr(name, onnx::AttributeProto_AttributeType_INTS);
  return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end()) : fallback;
}

std::vector<float> NodeContext::attr_floats(const std::string& name, const std::vector<float>& fallback) const {
  const auto* a = attr(name, onnx::AttributeProto_AttributeType_FLOATS);
  return a ? std::vector<float>(a->floats().begin(), a->floats().end()) : fallback;
}

const onnx::TensorProto* NodeContext::attr_tensor(const std::string& name) const {
  const auto* a = attr(name, onnx::AttributeProto_AttributeType_TENSOR);
  return a ? &a->t() : nullptr;
}

bool NodeContext::output_used(std::size_t i) const {
  return i < num_outputs() && !proto_.output(static_cast<int>(i)).empty();
}

void NodeContext::set_output(std::size_t i, int value_id) {
  if (output_used(i)) state_.slots[proto_.output(static_cast<int>(i))] = Slot{value_id, nullptr};
}

void NodeContext::set_output(std::size_t i, ConstTensor t) {
  if (output_used(i))
    state_.slots[proto_.output(static_cast<int>(i))] = Slot{-1, std::make_shared<const ConstTensor>(std::move(t))};
}

void NodeContext::alias_output(std::size_t i, std::size_t input) {
  const Slot s = slot(input);
  if (output_used(i)) state_.slots[proto_.output(static_cast<int>(i))] = s;
}

int NodeContext::add(OpKind kind, Attrs attrs, const std::vector<int>& inputs, const std::string& suffix) {
  std::string name = name_ + suffix;
  for (int k = 1; state_.node_names.count(name); ++k) name = fmt::format("{}{}#{}", name_, suffix, k);
  state_.node_names.insert(name);
  Graph& g = state_.graph;
  const int out = g.add_node(name, kind, std::move(attrs), inputs);
  try {
    g.value(out).desc.dims = infer_node_shape(g, g.nodes.back());
  } catch (const GraphError& e) {
    fail(e.what());
  }
  return out;
}

int NodeContext::add_constant(const std::string& name, const Dims& dims, std::vector<float> data) {
  return state_.graph.add_constant(name, dims, std::move(data));
}

Dims nchw_input(const NodeContext& ctx) {
  Dims x = ctx.dims(0);
  if (x.size() != 4) ctx.unsupported(fmt::format("input {} is not rank 4: only 2-D (NCHW) ops are supported", dims_str(x)));
  return x;
}

int normalize_axis(const NodeContext& ctx, std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) ctx.fail(fmt::format("axis {} is out of range for rank {}", axis, rank));
  return static_cast<int>(axis < 0 ? axis + r : axis);
}

}  // namespace rs::onnx_detail
