// Load-time folding for the ONNX importer: host algorithms on ConstTensor (numpy/ONNX semantics) and the converters
// of ops that only ever compute constants here: Constant, ConstantOfShape, Shape, Gather, Cast. With a static input
// shape, torch's Shape -> Gather -> Unsqueeze -> Concat -> Reshape chains (flatten, channel shuffle) fold to a
// constant target shape.
#include <algorithm>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "graph/onnx/context.h"

namespace rs::onnx_detail {

namespace {

std::vector<std::int64_t> strides_of(const Dims& dims) {
  std::vector<std::int64_t> s(dims.size(), 1);
  for (std::size_t d = dims.size(); d-- > 1;) s[d - 1] = s[d] * dims[d];
  return s;
}

/// Calls fn(idx) for every multi-index of dims in row-major order.
template <typename F>
void for_each_index(const Dims& dims, F fn) {
  std::vector<std::int64_t> idx(dims.size(), 0);
  for (std::int64_t n = numel(dims); n > 0; --n) {
    fn(idx);
    for (std::size_t d = dims.size(); d-- > 0;) {
      if (++idx[d] < dims[d]) break;
      idx[d] = 0;
    }
  }
}

/// A tensor of `dims` whose k-th element is src's element index[k].
ConstTensor take(const ConstTensor& src, const Dims& dims, const std::vector<std::int64_t>& index) {
  ConstTensor out;
  out.dims = dims;
  out.is_int = src.is_int;
  for (auto k : index) {
    if (src.is_int) out.i.push_back(src.i[static_cast<std::size_t>(k)]);
    else out.f.push_back(src.f[static_cast<std::size_t>(k)]);
  }
  return out;
}

/// Folding may create at most max(2^24, `inputs`) elements: a corrupt shape in a ConstantOfShape or a broadcast
/// must not ask for gigabytes (shape arithmetic is tiny; folded weights are as large as their inputs).
void check_fold_size(const NodeContext& ctx, const Dims& dims, std::int64_t inputs = 0) {
  const std::int64_t limit = std::max(std::int64_t{1} << 24, inputs);
  std::int64_t n = 1;
  for (auto d : dims) {
    if (d < 0 || (d > 0 && n > limit / d))
      ctx.fail(fmt::format("folding would create a constant of dims {} (more than {} elements)", dims_str(dims), limit));
    n *= d;
  }
}

template <typename T>
T apply(const NodeContext& ctx, T x, T y, char op) {
  if constexpr (std::is_integral_v<T>) {  // shape arithmetic: int64 overflow is an error, not a wrapped dim
    T r{};
    const bool over = op == '+' ? __builtin_add_overflow(x, y, &r)
                      : op == '-' ? __builtin_sub_overflow(x, y, &r)
                      : op == '*' ? __builtin_mul_overflow(x, y, &r)
                                  : (y == 0 || (y == -1 && x == std::numeric_limits<T>::min()));
    if (over) ctx.fail(fmt::format("integer {} {} {} overflows or divides by zero while folding constants", x, op, y));
    return op == '/' ? x / y : r;  // integers: truncation toward zero, as onnxruntime
  }
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    default: return x / y;
  }
}

}  // namespace

ConstTensor fold_binary(const NodeContext& ctx, const ConstTensor& a, const ConstTensor& b, char op) {
  const std::size_t rank = std::max(a.dims.size(), b.dims.size());
  Dims da(rank - a.dims.size(), 1), db(rank - b.dims.size(), 1), out(rank);
  da.insert(da.end(), a.dims.begin(), a.dims.end());
  db.insert(db.end(), b.dims.begin(), b.dims.end());
  for (std::size_t d = 0; d < rank; ++d) {
    if (da[d] != db[d] && da[d] != 1 && db[d] != 1)
      ctx.fail(fmt::format("operands {} and {} do not broadcast", dims_str(a.dims), dims_str(b.dims)));
    out[d] = std::max(da[d], db[d]);
  }
  check_fold_size(ctx, out, a.size() + b.size());
  const auto sa = strides_of(da), sb = strides_of(db);
  std::vector<std::int64_t> ia, ib;
  for_each_index(out, [&](const std::vector<std::int64_t>& idx) {
    std::int64_t ka = 0, kb = 0;
    for (std::size_t d = 0; d < rank; ++d) {
      ka += (da[d] == 1 ? 0 : idx[d]) * sa[d];
      kb += (db[d] == 1 ? 0 : idx[d]) * sb[d];
    }
    ia.push_back(ka);
    ib.push_back(kb);
  });
  if (a.is_int && b.is_int) {
    std::vector<std::int64_t> r(ia.size());
    for (std::size_t k = 0; k < r.size(); ++k) r[k] = apply(ctx, a.i[ia[k]], b.i[ib[k]], op);
    return ConstTensor::ints(out, std::move(r));
  }
  const auto fa = a.as_floats(), fb = b.as_floats();
  std::vector<float> r(ia.size());
  for (std::size_t k = 0; k < r.size(); ++k) r[k] = apply(ctx, fa[ia[k]], fb[ib[k]], op);
  return ConstTensor::floats(out, std::move(r));
}

ConstTensor fold_transpose(const ConstTensor& t, const std::vector<int>& perm) {
  Dims out(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) out[i] = t.dims[static_cast<std::size_t>(perm[i])];
  const auto s = strides_of(t.dims);
  std::vector<std::int64_t> index;
  for_each_index(out, [&](const std::vector<std::int64_t>& idx) {
    std::int64_t k = 0;
    for (std::size_t i = 0; i < perm.size(); ++i) k += idx[i] * s[static_cast<std::size_t>(perm[i])];
    index.push_back(k);
  });
  return take(t, out, index);
}

ConstTensor fold_slice(const ConstTensor& t, const Dims& start, const Dims& step, const Dims& count) {
  const auto s = strides_of(t.dims);
  std::vector<std::int64_t> index;
  for_each_index(count, [&](const std::vector<std::int64_t>& idx) {
    std::int64_t k = 0;
    for (std::size_t d = 0; d < idx.size(); ++d) k += (start[d] + idx[d] * step[d]) * s[d];
    index.push_back(k);
  });
  return take(t, count, index);
}

ConstTensor fold_concat(const std::vector<const ConstTensor*>& parts, std::size_t axis) {
  const bool ints = std::all_of(parts.begin(), parts.end(), [](const ConstTensor* p) { return p->is_int; });
  Dims out = parts.at(0)->dims;
  out[axis] = 0;
  for (const auto* p : parts) out[axis] += p->dims[axis];
  std::int64_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < axis; ++d) outer *= out[d];
  for (std::size_t d = axis + 1; d < out.size(); ++d) inner *= out[d];
  ConstTensor r = ints ? ConstTensor::ints(out, {}) : ConstTensor::floats(out, {});
  for (std::int64_t o = 0; o < outer; ++o)
    for (const auto* p : parts) {
      const std::int64_t block = p->dims[axis] * inner;
      if (ints) {
        r.i.insert(r.i.end(), p->i.begin() + o * block, p->i.begin() + (o + 1) * block);
      } else {
        const auto f = p->as_floats();
        r.f.insert(r.f.end(), f.begin() + o * block, f.begin() + (o + 1) * block);
      }
    }
  return r;
}

ConstTensor fold_reshape(const ConstTensor& t, const Dims& dims) {
  ConstTensor r = t;
  r.dims = dims;
  return r;
}

std::pair<std::int64_t, std::int64_t> slice_window(std::int64_t dim, std::int64_t start, std::int64_t end,
                                                   std::int64_t step) {
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  if (step > 0) {
    start = std::clamp<std::int64_t>(start, 0, dim);
    end = std::clamp<std::int64_t>(end, 0, dim);
    return {start, end > start ? 1 + (end - start - 1) / step : 0};  // no overflow for any step > 0
  }
  start = std::clamp<std::int64_t>(start, 0, dim - 1);
  end = std::clamp<std::int64_t>(end, -1, dim - 1);
  if (start <= end) return {start, 0};
  // |step| without negating INT64_MIN: a step that large takes one element.
  return {start, step == std::numeric_limits<std::int64_t>::min() ? 1 : 1 + (start - end - 1) / -step};
}

Dims reshape_dims(const NodeContext& ctx, const Dims& src, const std::vector<std::int64_t>& shape, bool allowzero) {
  Dims out(shape.begin(), shape.end());
  int infer_at = -1;
  std::int64_t known = 1;
  bool ok = true;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0 && !allowzero) {
      if (i >= src.size()) ctx.fail(fmt::format("shape {}: 0 at axis {} but src {} has no such axis",
                                                dims_str(out), i, dims_str(src)));
      out[i] = src[i];
    }
    if (out[i] == -1 && infer_at < 0) infer_at = static_cast<int>(i);
    else if (out[i] < 1) ctx.fail(fmt::format("cannot reshape {} into {}", dims_str(src), dims_str(shape)));
    else known = checked_mul(known, out[i], &ok);
  }
  if (!ok) ctx.fail(fmt::format("shape {}: the element count overflows int64", dims_str(shape)));
  if (infer_at >= 0) out[static_cast<std::size_t>(infer_at)] = numel(src) / known;
  if (numel(out) != numel(src))
    ctx.fail(fmt::format("cannot reshape {} ({} elements) into {}", dims_str(src), numel(src), dims_str(shape)));
  return out;
}

namespace {

void convert_constant(NodeContext& c) {
  for (const char* a : {"sparse_value", "value_string", "value_strings"})
    if (c.has_attr(a)) c.unsupported(fmt::format("attribute '{}' is not supported", a));
  if (const auto* t = c.attr_tensor("value")) return c.set_output(0, tensor_from_proto(*t, c.label()));
  if (c.has_attr("value_float")) return c.set_output(0, ConstTensor::floats({}, {c.attr_float("value_float", 0)}));
  if (c.has_attr("value_int")) return c.set_output(0, ConstTensor::ints({}, {c.attr_int("value_int", 0)}));
  if (c.has_attr("value_ints")) {
    auto v = c.attr_ints("value_ints", {});
    return c.set_output(0, ConstTensor::ints({static_cast<std::int64_t>(v.size())}, std::move(v)));
  }
  for (const auto& a : c.proto().attribute())
    if (a.name() == "value_floats") {
      std::vector<float> v(a.floats().begin(), a.floats().end());
      return c.set_output(0, ConstTensor::floats({static_cast<std::int64_t>(v.size())}, std::move(v)));
    }
  c.fail("has no value attribute");
}

void convert_constant_of_shape(NodeContext& c) {
  const auto shape = c.constant(0, "shape").as_ints();
  const Dims dims(shape.begin(), shape.end());
  check_fold_size(c, dims);
  ConstTensor v = ConstTensor::floats({1}, {0.f});
  if (const auto* t = c.attr_tensor("value")) v = tensor_from_proto(*t, c.label());
  if (v.size() != 1) c.fail("attribute 'value' must hold one element");
  const auto n = static_cast<std::size_t>(numel(dims));
  c.set_output(0, v.is_int ? ConstTensor::ints(dims, std::vector<std::int64_t>(n, v.i[0]))
                           : ConstTensor::floats(dims, std::vector<float>(n, v.f[0])));
}

/// Shape of an activation (inferred as the graph is built) or of a constant; opset 15 start / end select a range.
void convert_shape(NodeContext& c) {
  const Dims dims = c.dims(0);
  const auto r = static_cast<std::int64_t>(dims.size());
  const auto [start, count] = slice_window(r, c.attr_int("start", 0), c.attr_int("end", r), 1);
  c.set_output(0, ConstTensor::ints({count}, std::vector<std::int64_t>(dims.begin() + start,
                                                                       dims.begin() + start + count)));
}

/// out = data indexed along `axis` by indices (negative indices count from the end): dims data[:axis] + indices +
/// data[axis+1:].
void convert_gather(NodeContext& c) {
  const ConstTensor& data = c.constant(0, "data");
  const ConstTensor& indices = c.constant(1, "indices");
  const auto axis = static_cast<std::size_t>(normalize_axis(c, c.attr_int("axis", 0), data.dims.size()));
  Dims out(data.dims.begin(), data.dims.begin() + static_cast<std::ptrdiff_t>(axis));
  out.insert(out.end(), indices.dims.begin(), indices.dims.end());
  out.insert(out.end(), data.dims.begin() + static_cast<std::ptrdiff_t>(axis) + 1, data.dims.end());
  const auto s = strides_of(data.dims);
  const auto idx_values = indices.as_ints();
  const std::size_t q = indices.dims.size();
  std::vector<std::int64_t> index;
  for_each_index(out, [&](const std::vector<std::int64_t>& o) {
    std::int64_t flat_idx = 0;
    for (std::size_t k = 0; k < q; ++k) flat_idx = flat_idx * indices.dims[k] + o[axis + k];
    std::int64_t j = idx_values[static_cast<std::size_t>(flat_idx)];
    if (j < 0) j += data.dims[axis];
    if (j < 0 || j >= data.dims[axis])
      c.fail(fmt::format("index {} out of range for axis {} of size {}", idx_values[flat_idx], axis, data.dims[axis]));
    std::int64_t k = j * s[axis];
    for (std::size_t d = 0; d < axis; ++d) k += o[d] * s[d];
    for (std::size_t d = axis + 1; d < data.dims.size(); ++d) k += o[d + q - 1] * s[d];
    index.push_back(k);
  });
  c.set_output(0, take(data, out, index));
}

/// Casts a constant; a computed float tensor cast to a float type is itself (the IR is f32 throughout).
void convert_cast(NodeContext& c) {
  const auto to = c.attr_int("to", 0);
  const bool to_float = to == onnx::TensorProto_DataType_FLOAT || to == onnx::TensorProto_DataType_DOUBLE ||
                        to == onnx::TensorProto_DataType_FLOAT16;
  if (!c.is_const(0)) {
    if (!to_float) c.unsupported(fmt::format("Cast of a computed tensor to data type {}", to));
    return c.alias_output(0, 0);
  }
  const ConstTensor& t = c.constant(0, "input");
  if (to_float) return c.set_output(0, ConstTensor::floats(t.dims, t.as_floats()));
  auto v = t.as_ints();
  if (to == onnx::TensorProto_DataType_BOOL)
    for (auto& x : v) x = x != 0;
  c.set_output(0, ConstTensor::ints(t.dims, std::move(v)));
}

}  // namespace

const std::vector<Converter>& fold_converters() {
  static const std::vector<Converter> kConverters{
      {"Constant", {"value", "value_float", "value_floats", "value_int", "value_ints", "sparse_value", "value_string",
                    "value_strings"}, convert_constant},
      {"ConstantOfShape", {"value"}, convert_constant_of_shape},
      {"Shape", {"start", "end"}, convert_shape},
      {"Gather", {"axis"}, convert_gather},
      {"Cast", {"to", "saturate"}, convert_cast},
  };
  return kConverters;
}

}  // namespace rs::onnx_detail
