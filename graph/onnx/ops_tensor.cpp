// ONNX element-wise binaries and layout ops -> IR: Add, Sub, Mul, Div, Concat, Flatten, Reshape, Squeeze,
// Unsqueeze, Transpose, Slice, Split, Pad, Identity, Dropout. Each folds at load time when all its inputs are
// constants (shape arithmetic), and otherwise becomes IR nodes.
#include <algorithm>
#include <numeric>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "graph/onnx/context.h"

namespace rs::onnx_detail {

namespace {

/// The IR value of constant input i as the second operand of a Binary on `a`: numpy's rank alignment (leading 1s)
/// made explicit, so [C, 1, 1] becomes [1, C, 1, 1]; a scalar stays [1].
int constant_operand(NodeContext& c, std::size_t i, const Dims& a) {
  const ConstTensor& t = c.constant(i, "operand");
  if (t.size() == 1) return c.value(i);
  Dims d(a.size() > t.dims.size() ? a.size() - t.dims.size() : 0, 1);
  d.insert(d.end(), t.dims.begin(), t.dims.end());
  if (!broadcasts_to(d, a))
    c.fail(fmt::format("constant operand {} does not broadcast to {}", dims_str(t.dims), dims_str(a)));
  if (d == t.dims) return c.value(i);
  return c.add_constant(c.proto().input(static_cast<int>(i)) + ":broadcast", d, t.as_floats());
}

/// Add / Sub / Mul / Div. The IR broadcasts only its second operand, so commutative ops put the larger operand or
/// the activation first; Sub / Div need the constant (or broadcast) operand second.
void add_binary(NodeContext& c, BinaryAlg alg, char op) {
  if (c.all_inputs_const()) return c.set_output(0, fold_binary(c, c.constant(0, "A"), c.constant(1, "B"), op));
  const bool commutative = alg == BinaryAlg::Add || alg == BinaryAlg::Mul;
  std::size_t first = 0, second = 1;
  const Dims d0 = c.dims(0), d1 = c.dims(1);
  const bool swap = commutative && (c.is_const(0) || (!c.is_const(1) && !broadcasts_to(d1, d0) && broadcasts_to(d0, d1)));
  if (swap) std::swap(first, second);
  if (c.is_const(first))
    c.unsupported(fmt::format("{} with a constant first operand is not supported", binary_alg_name(alg)));
  const Dims a = c.dims(first);
  int b = -1;
  if (c.is_const(second)) {
    b = constant_operand(c, second, a);
  } else {
    const Dims bd = c.dims(second);
    if (!broadcasts_to(bd, a) && numel(bd) != 1)
      c.unsupported(fmt::format("operands {} and {}: only the second operand may broadcast (dims of 1, same rank)",
                                dims_str(d0), dims_str(d1)));
    b = c.value(second);
  }
  c.set_output(0, c.add(OpKind::Binary, BinaryAttrs{alg}, {c.activation(first), b}));
}

void convert_add(NodeContext& c) { add_binary(c, BinaryAlg::Add, '+'); }
void convert_sub(NodeContext& c) { add_binary(c, BinaryAlg::Sub, '-'); }
void convert_mul(NodeContext& c) { add_binary(c, BinaryAlg::Mul, '*'); }
void convert_div(NodeContext& c) { add_binary(c, BinaryAlg::Div, '/'); }

void convert_concat(NodeContext& c) {
  const int n = c.proto().input_size();
  const Dims first = c.dims(0);
  const int axis = normalize_axis(c, c.attr_int("axis", 0), first.size());
  if (c.all_inputs_const()) {
    for (int i = 1; i < n; ++i) {
      Dims d = c.dims(static_cast<std::size_t>(i)), f = first;
      if (d.size() == f.size()) d[static_cast<std::size_t>(axis)] = f[static_cast<std::size_t>(axis)];
      if (d != f)
        c.fail(fmt::format("input {} {} does not match {} on the axes other than {}", i,
                           dims_str(c.dims(static_cast<std::size_t>(i))), dims_str(first), axis));
    }
    std::vector<const ConstTensor*> parts;
    for (int i = 0; i < n; ++i) parts.push_back(&c.constant(static_cast<std::size_t>(i), "input"));
    return c.set_output(0, fold_concat(parts, static_cast<std::size_t>(axis)));
  }
  std::vector<int> inputs;
  for (int i = 0; i < n; ++i) inputs.push_back(c.value(static_cast<std::size_t>(i)));
  c.set_output(0, c.add(OpKind::Concat, ConcatAttrs{axis}, inputs));
}

/// Input 0 with other dims: folded for a constant, an IR Reshape otherwise (a no-op reshape is an alias).
void reshape_to(NodeContext& c, const Dims& dims) {
  if (c.is_const(0)) return c.set_output(0, fold_reshape(c.constant(0, "data"), dims));
  if (dims == c.dims(0)) return c.alias_output(0, 0);
  c.set_output(0, c.add(OpKind::Reshape, ReshapeAttrs{dims}, {c.activation(0)}));
}

/// Flatten(axis): [prod(dims[:axis]), prod(dims[axis:])], axis in [-rank, rank].
void convert_flatten(NodeContext& c) {
  const Dims x = c.dims(0);
  const auto r = static_cast<std::int64_t>(x.size());
  std::int64_t axis = c.attr_int("axis", 1);
  if (axis < -r || axis > r) c.fail(fmt::format("axis {} is out of range for rank {}", axis, r));
  if (axis < 0) axis += r;
  reshape_to(c, {numel(Dims(x.begin(), x.begin() + axis)), numel(Dims(x.begin() + axis, x.end()))});
}

void convert_reshape(NodeContext& c) {
  const auto shape = c.constant(1, "shape").as_ints();
  reshape_to(c, reshape_dims(c, c.dims(0), shape, c.attr_int("allowzero", 0) != 0));
}

/// Squeeze / Unsqueeze axes: the attribute before opset 13, the optional second input from 13 on.
std::vector<std::int64_t> axes_of(const NodeContext& c) {
  if (c.has_attr("axes")) return c.attr_ints("axes", {});
  return c.has_input(1) ? c.constant(1, "axes").as_ints() : std::vector<std::int64_t>{};
}

void convert_squeeze(NodeContext& c) {
  const Dims x = c.dims(0);
  auto axes = axes_of(c);
  for (auto& a : axes) a = normalize_axis(c, a, x.size());
  Dims out;
  for (std::size_t d = 0; d < x.size(); ++d) {
    const bool listed = std::find(axes.begin(), axes.end(), static_cast<std::int64_t>(d)) != axes.end();
    if (listed && x[d] != 1) c.fail(fmt::format("cannot squeeze axis {} of {} (size is not 1)", d, dims_str(x)));
    if (!(listed || (axes.empty() && x[d] == 1))) out.push_back(x[d]);
  }
  reshape_to(c, out);
}

void convert_unsqueeze(NodeContext& c) {
  const Dims x = c.dims(0);
  auto axes = axes_of(c);
  const std::size_t rank = x.size() + axes.size();
  for (auto& a : axes) a = normalize_axis(c, a, rank);
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    c.fail(fmt::format("axes {} repeat an axis", dims_str(Dims(axes.begin(), axes.end()))));
  Dims out;
  std::size_t next = 0;
  for (std::size_t d = 0; d < rank; ++d)
    out.push_back(std::binary_search(axes.begin(), axes.end(), static_cast<std::int64_t>(d)) ? 1 : x.at(next++));
  reshape_to(c, out);
}

void convert_transpose(NodeContext& c) {
  const std::size_t rank = c.dims(0).size();
  std::vector<std::int64_t> dflt(rank);
  std::iota(dflt.rbegin(), dflt.rend(), 0);  // reverse the axes
  const auto p = c.attr_ints("perm", dflt);
  std::vector<int> perm(p.begin(), p.end()), sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  bool ok = sorted.size() == rank;
  for (std::size_t i = 0; ok && i < rank; ++i) ok = sorted[i] == static_cast<int>(i);
  if (!ok) c.fail(fmt::format("perm [{}] is not a permutation of the {} axes", fmt::join(p, ", "), rank));
  if (c.is_const(0)) return c.set_output(0, fold_transpose(c.constant(0, "data"), perm));
  c.set_output(0, c.add(OpKind::Transpose, TransposeAttrs{perm}, {c.activation(0)}));
}

/// A window of input 0 per axis: folded for a constant; an IR Slice (step 1 only) or an alias otherwise.
void slice_to(NodeContext& c, std::size_t output, const Dims& start, const Dims& step, const Dims& count,
              const std::string& suffix) {
  if (c.is_const(0)) return c.set_output(output, fold_slice(c.constant(0, "data"), start, step, count));
  const Dims x = c.dims(0);
  if (count == x) return c.alias_output(output, 0);
  SliceAttrs a{start, start};
  for (std::size_t d = 0; d < x.size(); ++d) {
    if (step[d] != 1) c.unsupported(fmt::format("step {} on axis {} of a computed tensor (only 1)", step[d], d));
    if (count[d] < 1) c.fail(fmt::format("empty window on axis {} of {}", d, dims_str(x)));
    a.end[d] = start[d] + count[d];
  }
  c.set_output(output, c.add(OpKind::Slice, a, {c.activation(0)}, suffix));
}

/// Slice(data, starts, ends, axes, steps) with constant starts / ends / axes / steps.
void convert_slice(NodeContext& c) {
  const Dims x = c.dims(0);
  const auto starts = c.constant(1, "starts").as_ints();
  const auto ends = c.constant(2, "ends").as_ints();
  std::vector<std::int64_t> axes(starts.size()), steps(starts.size(), 1);
  std::iota(axes.begin(), axes.end(), 0);
  if (c.has_input(3)) axes = c.constant(3, "axes").as_ints();
  if (c.has_input(4)) steps = c.constant(4, "steps").as_ints();
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    c.fail("starts, ends, axes and steps must have the same length");
  Dims start(x.size(), 0), step(x.size(), 1), count = x;
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const auto d = static_cast<std::size_t>(normalize_axis(c, axes[k], x.size()));
    if (steps[k] == 0) c.fail("step 0");
    std::tie(start[d], count[d]) = slice_window(x[d], starts[k], ends[k], steps[k]);
    step[d] = steps[k];
  }
  slice_to(c, 0, start, step, count, "");
}

/// Split along `axis` into the sizes of 'split' (attribute before opset 13, input from 13) or equal parts; one
/// Slice per output, named "<node>:<i>".
void convert_split(NodeContext& c) {
  const Dims x = c.dims(0);
  const auto axis = static_cast<std::size_t>(normalize_axis(c, c.attr_int("axis", 0), x.size()));
  const auto n = static_cast<std::int64_t>(c.num_outputs());
  if (n < 1) c.fail("has no outputs");
  std::vector<std::int64_t> split = c.attr_ints("split", {});
  if (split.empty() && c.has_input(1)) split = c.constant(1, "split").as_ints();
  if (split.empty()) {
    if (x[axis] % n != 0) c.fail(fmt::format("axis {} of {} does not split into {} equal parts", axis, dims_str(x), n));
    split.assign(static_cast<std::size_t>(n), x[axis] / n);
  }
  if (static_cast<std::int64_t>(split.size()) != n ||
      std::accumulate(split.begin(), split.end(), std::int64_t{0}) != x[axis] ||
      std::any_of(split.begin(), split.end(), [](std::int64_t s) { return s < 1; }))
    c.fail(fmt::format("split {} must give {} parts of at least 1 summing to {}", dims_str(Dims(split.begin(), split.end())), n, x[axis]));
  Dims start(x.size(), 0), step(x.size(), 1);
  for (std::size_t i = 0; i < split.size(); ++i) {
    Dims count = x;
    count[axis] = split[i];
    if (c.output_used(i)) slice_to(c, i, start, step, count, fmt::format(":{}", i));
    start[axis] += split[i];
  }
}

/// Pad mode 'constant' with constant pads [x1_begin, x2_begin, ..., x1_end, ...] and an optional constant value
/// (inputs 1, 2 from opset 11; attributes pads, value before).
void convert_pad(NodeContext& c) {
  const std::string mode = c.attr_string("mode", "constant");
  if (mode != "constant") c.unsupported(fmt::format("mode '{}' is not supported (only 'constant')", mode));
  if (c.has_input(3)) c.unsupported("the axes input is not supported");
  const Dims x = c.dims(0);
  const bool attrs = c.opset() < 11;  // Pad-2: pads and value as attributes
  if (attrs && !c.has_attr("pads")) c.fail("attribute 'pads' is required (Pad before opset 11)");
  if (!attrs && (c.has_attr("pads") || c.has_attr("value")))
    c.fail(fmt::format("attributes pads / value are the Pad of opsets 2-10; opset {} takes them as inputs", c.opset()));
  const auto pads = attrs ? c.attr_ints("pads", {}) : c.constant(1, "pads").as_ints();
  if (pads.size() != 2 * x.size())
    c.fail(fmt::format("pads {} must have 2 x rank = {} entries", dims_str(pads), 2 * x.size()));
  PadAttrs a{Dims(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(x.size())),
             Dims(pads.begin() + static_cast<std::ptrdiff_t>(x.size()), pads.end()), 0.f};
  if (std::any_of(pads.begin(), pads.end(), [](std::int64_t p) { return p < 0; }))
    c.unsupported(fmt::format("negative pads {} (cropping) are not supported", dims_str(pads)));
  if (attrs) {
    a.value = c.attr_float("value", 0.f);
  } else if (c.has_input(2)) {
    const ConstTensor& v = c.constant(2, "constant_value");
    if (v.size() != 1) c.fail("constant_value must be a scalar");
    a.value = v.as_floats()[0];
  }
  if (std::all_of(pads.begin(), pads.end(), [](std::int64_t p) { return p == 0; })) return c.alias_output(0, 0);
  c.set_output(0, c.add(OpKind::Pad, a, {c.activation(0)}));
}

void convert_identity(NodeContext& c) { c.alias_output(0, 0); }

/// Dropout in inference is the identity; training mode and the mask output are not supported.
void convert_dropout(NodeContext& c) {
  if (c.output_used(1)) c.unsupported("the mask output is not supported");
  if (c.has_input(2) && c.constant(2, "training_mode").as_ints().at(0) != 0)
    c.unsupported("training_mode = true is not supported");
  c.alias_output(0, 0);
}

}  // namespace

const std::vector<Converter>& tensor_converters() {
  static const std::vector<Converter> kConverters{
      {"Add", {}, convert_add},
      {"Sub", {}, convert_sub},
      {"Mul", {}, convert_mul},
      {"Div", {}, convert_div},
      {"Concat", {"axis"}, convert_concat},
      {"Flatten", {"axis"}, convert_flatten},
      {"Reshape", {"allowzero"}, convert_reshape},
      {"Squeeze", {"axes"}, convert_squeeze},
      {"Unsqueeze", {"axes"}, convert_unsqueeze},
      {"Transpose", {"perm"}, convert_transpose},
      {"Slice", {}, convert_slice},
      {"Split", {"axis", "split"}, convert_split},
      {"Pad", {"mode", "pads", "value"}, convert_pad},
      {"Identity", {}, convert_identity},
      {"Dropout", {"ratio", "seed"}, convert_dropout},
  };
  return kConverters;
}

}  // namespace rs::onnx_detail
