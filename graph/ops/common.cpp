#include "graph/ops/common.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "graph/shape.h"

namespace rs::ops {

void fail(const Node& n, const std::string& what) { throw GraphError(node_label(n) + ": " + what); }

const Dims& in_dims(const Graph& g, const Node& n, std::size_t i) {
  if (i >= n.inputs.size()) fail(n, fmt::format("expects at least {} inputs, has {}", i + 1, n.inputs.size()));
  return g.value(n.inputs[i]).desc.dims;
}

void expect_inputs(const Node& n, std::size_t lo, std::size_t hi) {
  if (n.inputs.size() < lo || n.inputs.size() > hi)
    fail(n, lo == hi ? fmt::format("expects {} inputs, has {}", lo, n.inputs.size())
                     : fmt::format("expects {} to {} inputs, has {}", lo, hi, n.inputs.size()));
}

void expect_rank(const Node& n, const Dims& d, std::size_t rank, const char* what) {
  if (d.size() != rank) fail(n, fmt::format("{} must have rank {}, got {}", what, rank, dims_str(d)));
}

void expect_positive(const Node& n, const Dims& d, const char* what) {
  for (auto x : d)
    if (x <= 0) fail(n, fmt::format("{} {} has a non-positive dim", what, dims_str(d)));
}

void expect_dims(const Node& n, const Dims& got, const Dims& want, const char* what) {
  if (got != want) fail(n, fmt::format("{} must be {}, got {}", what, dims_str(want), dims_str(got)));
}

std::array<std::int64_t, 2> window_out(const Node& n, const Dims& src, const std::array<std::int64_t, 2>& k,
                                       const std::array<std::int64_t, 2>& s, const std::array<std::int64_t, 4>& p,
                                       const std::array<std::int64_t, 2>& dil, bool ceil_mode) {
  std::array<std::int64_t, 2> out{};
  for (int i = 0; i < 2; ++i) {
    if (k[i] < 1 || s[i] < 1 || dil[i] < 1 || p[i] < 0 || p[i + 2] < 0)
      fail(n, fmt::format("kernel {}, stride {}, dilation {} must be >= 1 and pads {} >= 0", fmt::join(k, "x"),
                          fmt::join(s, "x"), fmt::join(dil, "x"), fmt::join(p, ",")));
    out[i] = window_out_size(src[2 + i], k[i], s[i], p[i], p[i + 2], dil[i], ceil_mode);
    if (out[i] < 1)
      fail(n, fmt::format("kernel {}x{} (dilation {}) is larger than the padded input {} (pads {})", k[0], k[1],
                          dil[i], dims_str(src), fmt::join(p, ",")));
  }
  return out;
}

int normalize_axis(const Node& n, int axis, std::size_t rank) {
  const int r = static_cast<int>(rank);
  if (axis < -r || axis >= r) fail(n, fmt::format("axis {} out of range for rank {}", axis, rank));
  return axis < 0 ? axis + r : axis;
}

Dims same_shape(const Graph& g, const Node& n) {
  expect_inputs(n, 1, 1);
  const Dims& src = in_dims(g, n, 0);
  expect_positive(n, src, "src");
  return src;
}

std::int64_t elems(const Graph& g, int value_id) { return g.value(value_id).desc.numel(); }

std::int64_t dst_elems(const Graph& g, const Node& n) { return elems(g, n.outputs.at(0)); }

std::int64_t constant_elems(const Graph& g, const Node& n, std::size_t from) {
  std::int64_t p = 0;
  for (std::size_t i = from; i < n.inputs.size(); ++i)
    if (g.value(n.inputs[i]).is_constant()) p = checked_sum(p, elems(g, n.inputs[i]), "the parameter count");
  return p;
}

OpCost io_cost(const Graph& g, const Node& n, std::int64_t flops) {
  OpCost c;
  c.flops = flops;
  for (int id : n.reads()) c.bytes = checked_sum(c.bytes, g.value(id).desc.bytes(), "the bytes moved");
  for (int id : n.outputs) c.bytes = checked_sum(c.bytes, g.value(id).desc.bytes(), "the bytes moved");
  return c;
}

OpCost weighted_cost(const Graph& g, const Node& n, std::int64_t macs) {
  OpCost c = io_cost(g, n, checked_product({2, macs}, "the FLOP count"));
  c.macs = macs;
  c.params = constant_elems(g, n, 1);
  return c;
}

OpCost movement_cost(const Graph& g, const Node& n) { return io_cost(g, n); }

}  // namespace rs::ops
