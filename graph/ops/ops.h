// The op families' shape and cost functions, one file each under graph/ops/ (conv.cpp, pool.cpp, ...), which
// graph/op_registry.cpp puts in its table (OpKindInfo::shape, OpKindInfo::cost; same contracts). Shapes are
// {N, C, H, W} dims of f32 values; errors are GraphError naming the node, its op, the shapes and what was expected;
// costs follow seed 001 §I (common.h), post-ops excluded. Kinds without their own function use common.h's
// same_shape / movement_cost.
#pragma once
#include "graph/cost.h"

namespace rs::ops {

// conv.cpp
/// src [N, C_in, H, W], weights [C_out, C_in/groups, KH, KW], bias [C_out] (optional) -> dst [N, C_out, H_out,
/// W_out] (window_out()); fails if groups does not divide C_in and C_out or weights/bias have other dims.
Dims conv_shape(const Graph& g, const Node& n);
/// MACs = N * C_out * H_out * W_out * (C_in / groups) * KH * KW (seed 001 §I.1); weighted_cost().
OpCost conv_cost(const Graph& g, const Node& n);
/// src [N, C_in, H, W], weights [C_in, C_out/groups, KH, KW], bias [C_out] -> dst [N, C_out, H_out, W_out] with
/// H_out = (H - 1) * stride - pad_top - pad_bottom + dilation * (KH - 1) + output_padding + 1 (W alike); fails if
/// groups does not divide C_in and C_out, output_padding is outside [0, max(stride, dilation)), or nothing is left.
Dims deconv_shape(const Graph& g, const Node& n);
/// Every src element scatters into C_out/groups * KH * KW outputs: MACs = N * C_in * H * W * (C_out / groups) * KH
/// * KW; weighted_cost().
OpCost deconv_cost(const Graph& g, const Node& n);

// fc.cpp
/// src [N, K], weights [M, K], bias [M] (optional) -> dst [N, M]; fails on another rank or other weights dims.
Dims fc_shape(const Graph& g, const Node& n);
/// MACs = N * M * K; weighted_cost().
OpCost fc_cost(const Graph& g, const Node& n);

// batchnorm.cpp
/// src [N, C, ...], scale, shift, mean, var [C] -> dst of src's dims.
Dims batchnorm_shape(const Graph& g, const Node& n);
/// 2 FLOPs per dst element (x * scale' + shift' after folding the statistics); params = scale + shift (running
/// statistics are buffers, as torchvision counts).
OpCost batchnorm_cost(const Graph& g, const Node& n);

// eltwise.cpp (shape: same_shape)
/// 1 FLOP per dst element, whatever the algorithm (seed 001 counts Eltwise Sum as N*C*H*W).
OpCost eltwise_cost(const Graph& g, const Node& n);

// binary.cpp
/// a, b -> dst of a's dims; b equals a, broadcasts to it (dims of 1, e.g. [N, C, 1, 1]) or has one element.
Dims binary_shape(const Graph& g, const Node& n);
/// 1 FLOP per dst element; params = constant operands.
OpCost binary_cost(const Graph& g, const Node& n);

// pool.cpp
/// MaxPool/AvgPool: src [N, C, H, W] -> dst [N, C, H_out, W_out] (window_out(), PoolAttrs::ceil_mode); fails if
/// a pad exceeds half the kernel.
Dims pool_shape(const Graph& g, const Node& n);
/// KH * KW FLOPs per dst element (one compare or add per window element).
OpCost pool_cost(const Graph& g, const Node& n);
/// src [N, C, H, W] -> dst [N, C, 1, 1].
Dims global_avg_pool_shape(const Graph& g, const Node& n);
/// H * W FLOPs per dst element (one add per src element).
OpCost global_avg_pool_cost(const Graph& g, const Node& n);

// concat.cpp (cost: movement_cost)
/// srcs... -> dst: srcs equal on every axis but ConcatAttrs::axis, summed along it.
Dims concat_shape(const Graph& g, const Node& n);

// softmax.cpp
/// src -> dst of src's dims; fails if SoftmaxAttrs::axis is outside [-rank, rank).
Dims softmax_shape(const Graph& g, const Node& n);
/// 4 FLOPs per dst element (max, exp of the difference, sum, divide).
OpCost softmax_cost(const Graph& g, const Node& n);

// shape_ops.cpp (cost: movement_cost)
/// src -> ReshapeAttrs::shape (ONNX Reshape: 0 copies src's dim, one -1 is inferred); fails if the element counts
/// differ.
Dims reshape_shape(const Graph& g, const Node& n);
/// src -> dims permuted by TransposeAttrs::perm; fails unless perm is a permutation of src's axes.
Dims transpose_shape(const Graph& g, const Node& n);

// slice_pad.cpp
/// src -> dst dim d = end[d] - begin[d]; fails unless 0 <= begin[d] < end[d] <= src dim d on every axis.
Dims slice_shape(const Graph& g, const Node& n);
/// 0 FLOPs; reads only its window of src: bytes = dst's elements read once and written once.
OpCost slice_cost(const Graph& g, const Node& n);
/// src -> dst dim d = begin[d] + src dim d + end[d]; fails on a negative pad. Cost: movement_cost.
Dims pad_shape(const Graph& g, const Node& n);

// resize.cpp
/// src [N, C, H, W] -> dst [N, C, ResizeAttrs::size[0], size[1]]; fails on another rank, a size or scale <= 0.
Dims resize_shape(const Graph& g, const Node& n);
/// FLOPs per dst element as the interpolation computes them: Nearest 0 (a gather); Linear 6: bilinear is 3 lerps
/// per dst element (2 along W, 1 along H), each a + f * (b - a) = a subtract and a multiply-add = 2 FLOPs, so
/// FLOPs = 6 * N * C * OH * OW (the per-row/column coordinates and weights are O(OH + OW), not counted). No MACs,
/// no params; bytes as io_cost() (src read once, dst written once, x 4).
OpCost resize_cost(const Graph& g, const Node& n);

// norm.cpp
/// src, [scale], [shift] -> dst of src's dims; fails unless [begin_axis, end_axis) is a non-empty range of src's
/// axes and scale / shift hold as many elements as those axes.
Dims layernorm_shape(const Graph& g, const Node& n);
/// 5 FLOPs per dst element (mean: add; variance: subtract, multiply-add; normalize: subtract, multiply), +1 each for
/// scale and shift; params = scale + shift (as torch's LayerNorm counts).
OpCost layernorm_cost(const Graph& g, const Node& n);
/// src [N, C, spatial...], scale [C], shift [C] -> dst of src's dims.
Dims instancenorm_shape(const Graph& g, const Node& n);
/// 7 FLOPs per dst element (layernorm_cost's 5, scale and shift); params = scale + shift.
OpCost instancenorm_cost(const Graph& g, const Node& n);

// reduce.cpp
/// src -> src's dims with ReduceAttrs::axes set to 1 (keepdims) or dropped; fails unless the axes are ascending,
/// distinct and in range, or when nothing would be left (every axis, no keepdims).
Dims reduce_shape(const Graph& g, const Node& n);
/// 1 FLOP per src element (an add; the divide per dst element is not counted).
OpCost reduce_cost(const Graph& g, const Node& n);

}  // namespace rs::ops
