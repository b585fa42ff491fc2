// Graph passes, each switchable off by the caller (`--no-fuse` runs none).
#pragma once
#include <string>
#include "graph/graph.h"

namespace rs {

/// Folds every BatchNorm whose src is produced by a Conv with no other consumer (and not a graph output) into that
/// Conv's weights and bias: w' = w * g / sqrt(var + eps), b' = (b - mean) * g / sqrt(var + eps) + beta.
/// Conv -> ReLU -> BN stays unfused (seed 001 §IV). Returns the number of BNs folded. Shapes must be inferred.
int fold_batchnorm(Graph& graph);

/// The node producing `value_id` if only node `reader` reads that value and it is not a graph output, else -1
/// (consumers as of the last Graph::link()).
int sole_producer(const Graph& g, int value_id, int reader);

/// Rewrites x * sigmoid(x) (Eltwise Sigmoid s = sigmoid(x), then Binary Mul reading {x, s} in either order) into one
/// Eltwise SiLU reading x, when s has no other consumer and is not a graph output (x may have other consumers). The
/// Mul node becomes the SiLU (its output value and name kept; the sigmoid's name recorded in `fused`); the sigmoid
/// node dies. Returns the number of pairs fused. Run before fuse_post_ops so Conv -> SiLU fuses as a post-op.
int fuse_silu(Graph& graph);

/// Folds a Binary Mul by a constant holding one value per output channel ([C], [C, 1, 1] or [1, C, 1, 1]) into the
/// preceding Conv's weights and bias (w'[c] = w[c] * s_c, b'_c = b_c * s_c): convnext's layer scale. The Conv must
/// have no post-ops and be the Mul's only producer-consumer link. Returns the number of Muls folded.
int fold_channel_scale(Graph& graph);

/// Fuses into the preceding Conv/Deconv/FC or Resize, as oneDNN post-ops: unary eltwise nodes and Binary Add/Mul whose other
/// operand is same-shape or channel-broadcast (the residual Add of ResNet). The fused node's src must be the only
/// consumer of the producer's output, which must not be a graph output. Chains (Conv -> Add -> ReLU) fuse in order.
/// Returns the number of nodes fused.
int fuse_post_ops(Graph& graph);

/// What optimize() did.
struct PassReport {
  int bn_folded = 0;
  int scale_folded = 0;  ///< per-channel constant Muls folded into a Conv (fold_channel_scale)
  int post_ops_fused = 0;
  int silu_fused = 0;
  /// "2 BatchNorm folded, 0 scales folded, 0 SiLU fused, 9 post-ops fused"
  std::string describe() const;
};

/// Runs fold_batchnorm, fold_channel_scale, fuse_silu then fuse_post_ops (when fuse is true), compacts the graph and re-infers shapes.
PassReport optimize(Graph& graph, bool fuse);

}  // namespace rs
