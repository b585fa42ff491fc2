// Op kinds and their attributes; their facts (name, shape, cost, colour) live in graph/op_registry.h (STYLE.md §3).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "graph/tensor.h"

namespace rs {

/// Every op kind the IR knows; each has one row in graph/op_registry.cpp, in this order (checked at compile time).
/// Input order per kind (value ids in Node::inputs; constants are graph values holding data):
///   Conv           src [N,C_in,H,W], weights [C_out, C_in/groups, KH, KW], bias [C_out] (optional)
///   Deconv         src [N,C_in,H,W], weights [C_in, C_out/groups, KH, KW] (PyTorch/ONNX layout), bias [C_out]
///   FullyConnected src [N,K], weights [M,K], bias [M] (optional)            -> dst [N,M]
///   BatchNorm      src [N,C,...], scale [C], shift [C], mean [C], var [C]   (inference: running statistics)
///   Eltwise        src                                                        -> dst same shape
///   Binary         a [N,C,H,W], b same shape, [N,C,1,1], [1,C,1,1] or [1]     -> dst shape of a
///   MaxPool/AvgPool src [N,C,H,W]; GlobalAvgPool src [N,C,H,W] -> [N,C,1,1]
///   Concat         srcs... along ConcatAttrs::axis
///   Softmax        src, along SoftmaxAttrs::axis
///   Reshape        src -> ReshapeAttrs::shape (Flatten is a Reshape)
///   Transpose      src -> dims permuted by TransposeAttrs::perm
///   Slice          src -> dst = src[begin[d] : end[d]] along every axis d, step 1 (ONNX Slice; Split is N Slices)
///   Pad            src -> dst with PadAttrs::begin[d] / end[d] elements of PadAttrs::value before / after axis d
///   Resize         src [N,C,H,W] -> [N,C,ResizeAttrs::size[0],size[1]], nearest or linear (ONNX Resize on H, W)
///   LayerNorm      src, [scale], [shift] (dims src[begin_axis:end_axis], present per LayerNormAttrs::has_*)
///   InstanceNorm   src [N,C,...], scale [C], shift [C] (statistics per sample and channel; BatchNormAttrs::epsilon)
///   ReduceMean     src -> mean over ReduceAttrs::axes (size 1 there, or dropped without keepdims)
///   Reorder        src -> same dims, another physical layout; inserted by the runtime only, never by a model
enum class OpKind {
  Conv,
  Deconv,
  FullyConnected,
  BatchNorm,
  Eltwise,
  Binary,
  MaxPool,
  AvgPool,
  GlobalAvgPool,
  Concat,
  Softmax,
  Reshape,
  Transpose,
  Slice,
  Pad,
  Resize,
  LayerNorm,
  InstanceNorm,
  ReduceMean,
  Reorder,
  kCount
};
constexpr int kNumOpKinds = static_cast<int>(OpKind::kCount);
const char* op_kind_name(OpKind kind);  ///< op_info(kind).name; "?" outside the enum

/// Unary element-wise algorithms. Parameters live in EltwiseAttrs::alpha/beta:
///   Relu          max(x, 0)
///   Clip          min(max(x, alpha), beta)           (ReLU6: alpha = 0, beta = 6)
///   LeakyRelu     x >= 0 ? x : alpha * x
///   Sigmoid       1 / (1 + exp(-x))
///   Tanh          tanh(x)
///   HardSigmoid   max(0, min(1, alpha * x + beta))   (PyTorch: alpha = 1/6, beta = 0.5; ONNX default 0.2, 0.5)
///   HardSwish     x * max(0, min(1, x / 6 + 0.5))
///   SiLU          x * sigmoid(x)                     (a.k.a. Swish)
///   GeluErf       0.5 * x * (1 + erf(x / sqrt(2)))   (GELU, exact form; torch's nn.GELU())
///   Erf           erf(x)                             (no oneDNN eltwise: a host loop, never a post-op)
///   Sqrt          sqrt(x)
///   Pow           x ^ alpha                          (ONNX Pow by a constant scalar exponent)
///   Softplus      log(1 + exp(x))
///   Mish          x * tanh(softplus(x))
enum class EltwiseAlg { Relu, Clip, LeakyRelu, Sigmoid, Tanh, HardSigmoid, HardSwish, SiLU, GeluErf, Erf, Sqrt, Pow,
                        Softplus, Mish, kCount };
const char* eltwise_alg_name(EltwiseAlg alg);
/// True if oneDNN runs `alg` as an eltwise primitive and post-op (every algorithm but Erf).
bool eltwise_is_onednn(EltwiseAlg alg);

/// Binary element-wise algorithms, dst = a (op) b with b broadcast over H, W (and N) where its dims are 1.
enum class BinaryAlg { Add, Mul, Sub, Div, kCount };
const char* binary_alg_name(BinaryAlg alg);

/// 2-D convolution / deconvolution. Spatial fields are {H, W}; pads are {top, left, bottom, right}.
struct ConvAttrs {
  std::int64_t out_channels = 0;
  std::int64_t groups = 1;
  std::array<std::int64_t, 2> kernel{1, 1};
  std::array<std::int64_t, 2> stride{1, 1};
  std::array<std::int64_t, 2> dilation{1, 1};  ///< 1 = dense kernel (PyTorch/ONNX convention)
  std::array<std::int64_t, 4> pads{0, 0, 0, 0};
  std::array<std::int64_t, 2> output_padding{0, 0};  ///< Deconv only
  bool has_bias = false;
};

struct FcAttrs {
  std::int64_t out_features = 0;
  bool has_bias = false;
};

struct BatchNormAttrs {
  float epsilon = 1e-5f;
};

struct EltwiseAttrs {
  EltwiseAlg alg = EltwiseAlg::Relu;
  float alpha = 0.f;
  float beta = 0.f;
};

struct BinaryAttrs {
  BinaryAlg alg = BinaryAlg::Add;
};

/// Max/Avg pooling. pads {top, left, bottom, right}; ceil_mode as PyTorch; count_include_pad for AvgPool.
struct PoolAttrs {
  std::array<std::int64_t, 2> kernel{1, 1};
  std::array<std::int64_t, 2> stride{1, 1};
  std::array<std::int64_t, 4> pads{0, 0, 0, 0};
  bool ceil_mode = false;
  bool count_include_pad = false;
};

struct ConcatAttrs {
  int axis = 1;
};

struct SoftmaxAttrs {
  int axis = 1;
};

/// Target shape; as ONNX Reshape: 0 copies the input dim, one -1 is inferred.
struct ReshapeAttrs {
  Dims shape;
};

struct TransposeAttrs {
  std::vector<int> perm;
};

/// One window of src per axis, in elements: dst dim d = end[d] - begin[d], 0 <= begin[d] < end[d] <= src dim d.
/// Full rank (one entry per src axis).
struct SliceAttrs {
  Dims begin;
  Dims end;
};

/// Constant padding, in elements per axis (full rank, >= 0): dst dim d = begin[d] + src dim d + end[d]; the added
/// elements hold `value` (ONNX Pad mode "constant").
struct PadAttrs {
  Dims begin;
  Dims end;
  float value = 0.f;
};

/// Resize (ONNX Resize, opset 11+) of H and W. For dst index x on an axis of src length `in`, dst length `out` and
/// scale s (ResizeAttrs::scale), the source coordinate x_src is (ResizeCoord):
///   HalfPixel         (x + 0.5) / s - 0.5
///   PytorchHalfPixel  out > 1 ? (x + 0.5) / s - 0.5 : 0
///   AlignCorners      out > 1 ? x * (in - 1) / (out - 1) : 0
///   Asymmetric        x / s
/// Nearest takes src[clamp(nearest(x_src), 0, in - 1)] with `nearest` as ResizeNearest (RoundPreferFloor: halves
/// down, RoundPreferCeil: halves up, Floor, Ceil); Linear interpolates between src[clamp(floor(x_src))] and
/// src[clamp(floor(x_src) + 1)] with weights 1 - f and f, f = x_src - floor(x_src), separably on H and W (ONNX's
/// edge padding: a coordinate outside [0, in - 1] takes the edge value).
enum class ResizeMode { Nearest, Linear };
enum class ResizeCoord { HalfPixel, PytorchHalfPixel, AlignCorners, Asymmetric };
enum class ResizeNearest { RoundPreferFloor, RoundPreferCeil, Floor, Ceil };
const char* resize_mode_name(ResizeMode m);      ///< "nearest", "linear" (ONNX's names)
const char* resize_coord_name(ResizeCoord c);    ///< "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"
const char* resize_nearest_name(ResizeNearest n);  ///< "round_prefer_floor", "round_prefer_ceil", "floor", "ceil"

struct ResizeAttrs {
  ResizeMode mode = ResizeMode::Nearest;
  ResizeCoord coord = ResizeCoord::HalfPixel;
  ResizeNearest nearest = ResizeNearest::RoundPreferFloor;  ///< ONNX's default; used by Nearest only
  std::array<std::int64_t, 2> size{1, 1};  ///< dst {H, W}, > 0
  /// {H, W} scales of the coordinate transform, > 0: ONNX's `scales` input when given (dst = floor(src * scale)),
  /// else size / src.
  std::array<double, 2> scale{1.0, 1.0};
};

/// Layer normalization (Ba et al. 2016; ONNX LayerNormalization) over the axes [begin_axis, end_axis) of src: for
/// each index of the other axes, dst = (x - mean) / sqrt(var + epsilon) * scale + shift with mean and (biased) var
/// over the normalized axes; scale and shift have the normalized axes' dims. ONNX's axis a is [a, rank); a channels-
/// first LayerNorm of an NCHW tensor (convnext's, exported channels-last) is [1, 2).
struct LayerNormAttrs {
  int begin_axis = 1;
  int end_axis = 2;
  float epsilon = 1e-5f;
  bool has_scale = false;  ///< input 1 is scale; else scale = 1
  bool has_shift = false;  ///< the next input is shift; else shift = 0
};

/// Mean over `axes` (ascending, distinct, in [0, rank)); keepdims keeps them with size 1 (ONNX ReduceMean).
struct ReduceAttrs {
  std::vector<int> axes;
  bool keepdims = true;
};

using Attrs = std::variant<std::monostate, ConvAttrs, FcAttrs, BatchNormAttrs, EltwiseAttrs, BinaryAttrs, PoolAttrs,
                           ConcatAttrs, SoftmaxAttrs, ReshapeAttrs, TransposeAttrs, SliceAttrs, PadAttrs, ResizeAttrs,
                           LayerNormAttrs, ReduceAttrs>;

/// An op fused into the node that precedes it, applied to its dst in order (oneDNN post-ops).
///   Eltwise: dst = eltwise(dst)            (eltwise set)
///   Binary:  dst = dst (alg) value         (binary set; operand is a graph value id, e.g. the residual)
struct PostOp {
  enum class Kind { Eltwise, Binary } kind = Kind::Eltwise;
  EltwiseAttrs eltwise;
  BinaryAttrs binary;
  int operand = -1;  ///< value id of the second operand of a Binary post-op
  std::string name;  ///< name of the node this post-op came from
};

}  // namespace rs
