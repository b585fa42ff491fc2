// What the op families of graph/ops/ share: the checks their shape functions make (every error names the node, its
// op, the shapes and what was expected) and the terms their costs are built from (seed 001 §I: every input read
// once, every output written once, 2 FLOPs per MAC). Internal to graph/.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "graph/cost.h"

namespace rs::ops {

/// Throws GraphError "node 'x' (Kind): <what>".
[[noreturn]] void fail(const Node& n, const std::string& what);
/// Dims of input i; fails if the node has fewer inputs.
const Dims& in_dims(const Graph& g, const Node& n, std::size_t i);
/// Fails unless the node has lo to hi inputs.
void expect_inputs(const Node& n, std::size_t lo, std::size_t hi);
void expect_rank(const Node& n, const Dims& d, std::size_t rank, const char* what);
void expect_positive(const Node& n, const Dims& d, const char* what);
void expect_dims(const Node& n, const Dims& got, const Dims& want, const char* what);
/// Spatial output dims {H_out, W_out} of a window op over src [N, C, H, W] (window_out_size() per axis); kernel k,
/// stride s, dilation dil {H, W}, pads p {top, left, bottom, right}. Fails unless k, s, dil >= 1 and p >= 0, or when
/// the (dilated) kernel does not fit the padded input.
std::array<std::int64_t, 2> window_out(const Node& n, const Dims& src, const std::array<std::int64_t, 2>& k,
                                       const std::array<std::int64_t, 2>& s, const std::array<std::int64_t, 4>& p,
                                       const std::array<std::int64_t, 2>& dil, bool ceil_mode);
/// axis in [-rank, rank) as an index in [0, rank); fails outside.
int normalize_axis(const Node& n, int axis, std::size_t rank);
/// One src with positive dims -> dst of the same dims (Eltwise, Reorder).
Dims same_shape(const Graph& g, const Node& n);

/// Elements of a value.
std::int64_t elems(const Graph& g, int value_id);
/// Elements of the node's dst.
std::int64_t dst_elems(const Graph& g, const Node& n);
/// Elements of the constant inputs (weights, bias) from input index `from` on.
std::int64_t constant_elems(const Graph& g, const Node& n, std::size_t from);
/// `flops` FLOPs, no MACs or params; bytes: every value the node reads (post-op operands included) and its outputs,
/// x sizeof(f32).
OpCost io_cost(const Graph& g, const Node& n, std::int64_t flops = 0);
/// A weighted op (Conv, Deconv, FC) of `macs` MACs: FLOPs = 2 * MACs (the bias add is not counted, as torchvision-
/// style MAC counters), params = weights + bias (its constants from input 1 on), bytes as io_cost().
OpCost weighted_cost(const Graph& g, const Node& n, std::int64_t macs);
/// A data-movement op (Concat, Reshape, Transpose, Pad, Reorder): 0 FLOPs, bytes as io_cost().
OpCost movement_cost(const Graph& g, const Node& n);

}  // namespace rs::ops
