// The op registry (STYLE.md §3, §7): every op kind's facts in one row of graph/op_registry.cpp (name, attribute
// type, shape function, cost function, chart colour), its code in its family's file under graph/ops/. A row per
// kind, in enum order, every field set: checked at compile time, so a new OpKind without a row does not build.
#pragma once
#include <cstddef>

#include "graph/cost.h"
#include "graph/graph.h"

namespace rs {

/// What the IR knows about one op kind.
struct OpKindInfo {
  OpKind kind;
  const char* name;          ///< "Conv", "GlobalAvgPool", ...: node labels, errors, tables, the trace's category
  const char* chart_colour;  ///< "#rrggbb" of the kind's dots in the roofline SVG, the same in every report
  /// True if `attrs` holds the kind's attribute type (std::monostate for a kind without attributes).
  bool (*attrs_match)(const Attrs& attrs);
  /// dst dims from the node's input dims (all known). Throws GraphError naming the node, its op, the input shapes
  /// and what was expected; see each function in graph/ops/ops.h.
  Dims (*shape)(const Graph& graph, const Node& node);
  /// Static cost of the node without its fused post-ops (op_cost() adds those); dims must be inferred.
  OpCost (*cost)(const Graph& graph, const Node& node);
  /// Conv, Deconv, FullyConnected: weights at input 1, MACs > 0, and the op eltwise/binary post-ops fuse into.
  bool weighted;
};

/// The row of `kind`. Throws std::out_of_range for a value outside [0, kNumOpKinds).
const OpKindInfo& op_info(OpKind kind);

/// Compile-time check of a table with one row per OpKind (rows with a `kind` member; the registry, the kernel
/// families): the index of the first row that is not OpKind i or fails `complete(row)`; -1 if none, kNumOpKinds if
/// the table has another size.
template <typename Row, std::size_t N>
constexpr int first_bad_kind_row(const Row (&rows)[N], bool (*complete)(const Row&)) {
  if (N != static_cast<std::size_t>(kNumOpKinds)) return kNumOpKinds;
  for (int i = 0; i < kNumOpKinds; ++i)
    if (static_cast<int>(rows[i].kind) != i || !complete(rows[i])) return i;
  return -1;
}

/// static_assert(KindRowsComplete<first_bad_kind_row(...)>::value): a failure names the bad row in the template
/// argument, e.g. "KindRowsComplete<7>" for the row of OpKind 7 (16 = kNumOpKinds: a row missing or extra).
template <int FirstBadRow>
struct KindRowsComplete {
  static_assert(FirstBadRow == -1, "a table indexed by OpKind has a bad row; its index is the template argument");
  static constexpr bool value = true;
};

}  // namespace rs
