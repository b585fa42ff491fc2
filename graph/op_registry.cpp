#include "graph/op_registry.h"

#include <iterator>
#include <stdexcept>
#include <variant>

#include <fmt/format.h>

#include "graph/ops/common.h"
#include "graph/ops/ops.h"

namespace rs {

namespace {

template <typename A>
bool holds(const Attrs& attrs) { return std::holds_alternative<A>(attrs); }

using namespace ops;
using None = std::monostate;

// One row per OpKind, in enum order. Colours: Tableau 20, one per kind.
constexpr OpKindInfo kOpKinds[] = {
    // kind                  name              colour     attributes              shape                   cost                  weighted
    {OpKind::Conv,           "Conv",           "#4e79a7", holds<ConvAttrs>,      conv_shape,            conv_cost,            true},
    {OpKind::Deconv,         "Deconv",         "#a0cbe8", holds<ConvAttrs>,      deconv_shape,          deconv_cost,          true},
    {OpKind::FullyConnected, "FullyConnected", "#f28e2b", holds<FcAttrs>,        fc_shape,              fc_cost,              true},
    {OpKind::BatchNorm,      "BatchNorm",      "#ffbe7d", holds<BatchNormAttrs>, batchnorm_shape,       batchnorm_cost,       false},
    {OpKind::Eltwise,        "Eltwise",        "#59a14f", holds<EltwiseAttrs>,   same_shape,            eltwise_cost,         false},
    {OpKind::Binary,         "Binary",         "#8cd17d", holds<BinaryAttrs>,    binary_shape,          binary_cost,          false},
    {OpKind::MaxPool,        "MaxPool",        "#b6992d", holds<PoolAttrs>,      pool_shape,            pool_cost,            false},
    {OpKind::AvgPool,        "AvgPool",        "#f1ce63", holds<PoolAttrs>,      pool_shape,            pool_cost,            false},
    {OpKind::GlobalAvgPool,  "GlobalAvgPool",  "#499894", holds<None>,           global_avg_pool_shape, global_avg_pool_cost, false},
    {OpKind::Concat,         "Concat",         "#86bcb6", holds<ConcatAttrs>,    concat_shape,          movement_cost,        false},
    {OpKind::Softmax,        "Softmax",        "#e15759", holds<SoftmaxAttrs>,   softmax_shape,         softmax_cost,         false},
    {OpKind::Reshape,        "Reshape",        "#ff9d9a", holds<ReshapeAttrs>,   reshape_shape,         movement_cost,        false},
    {OpKind::Transpose,      "Transpose",      "#79706e", holds<TransposeAttrs>, transpose_shape,       movement_cost,        false},
    {OpKind::Slice,          "Slice",          "#bab0ac", holds<SliceAttrs>,     slice_shape,           slice_cost,           false},
    {OpKind::Pad,            "Pad",            "#d37295", holds<PadAttrs>,       pad_shape,             movement_cost,        false},
    {OpKind::Resize,         "Resize",         "#9d7660", holds<ResizeAttrs>,    resize_shape,          resize_cost,          false},
    {OpKind::LayerNorm,      "LayerNorm",      "#fabfd2", holds<LayerNormAttrs>, layernorm_shape,       layernorm_cost,       false},
    {OpKind::InstanceNorm,   "InstanceNorm",   "#d7b5a6", holds<BatchNormAttrs>, instancenorm_shape,    instancenorm_cost,    false},
    {OpKind::ReduceMean,     "ReduceMean",     "#d4a6c8", holds<ReduceAttrs>,    reduce_shape,          reduce_cost,          false},
    {OpKind::Reorder,        "Reorder",        "#b07aa1", holds<None>,           same_shape,            movement_cost,        false},
};

constexpr bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
constexpr bool is_colour(const char* c) {
  if (c == nullptr || c[0] != '#') return false;
  for (int i = 1; i <= 6; ++i)
    if (!is_hex(c[i])) return false;
  return c[7] == '\0';
}
/// A row has a name, a "#rrggbb" colour and every function.
constexpr bool complete(const OpKindInfo& k) {
  return k.name != nullptr && k.name[0] != '\0' && is_colour(k.chart_colour) && k.attrs_match != nullptr &&
         k.shape != nullptr && k.cost != nullptr;
}
static_assert(std::size(kOpKinds) == kNumOpKinds, "kOpKinds must have one row per OpKind");
// GCC does not fold function-pointer comparisons under -fsanitize=undefined: the sanitizer build (same sources)
// relies on the normal build for this check.
#ifndef ROOFSCOPE_SANITIZE
static_assert(KindRowsComplete<first_bad_kind_row(kOpKinds, complete)>::value,
              "kOpKinds: row i must be OpKind i with a name, a #rrggbb colour and every function");
#endif

bool in_range(OpKind kind) { return static_cast<int>(kind) >= 0 && static_cast<int>(kind) < kNumOpKinds; }

}  // namespace

const OpKindInfo& op_info(OpKind kind) {
  if (!in_range(kind))
    throw std::out_of_range(fmt::format("op kind {} is outside [0, {})", static_cast<int>(kind), kNumOpKinds));
  return kOpKinds[static_cast<int>(kind)];
}

const char* resize_mode_name(ResizeMode m) { return m == ResizeMode::Linear ? "linear" : "nearest"; }
const char* resize_coord_name(ResizeCoord c) {
  static const char* names[] = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"};
  return names[static_cast<int>(c)];
}
const char* resize_nearest_name(ResizeNearest n) {
  static const char* names[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
  return names[static_cast<int>(n)];
}

const char* op_kind_name(OpKind kind) { return in_range(kind) ? kOpKinds[static_cast<int>(kind)].name : "?"; }

}  // namespace rs
