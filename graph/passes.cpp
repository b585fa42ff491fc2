#include "graph/passes.h"

#include <cmath>

#include "graph/op_registry.h"
#include "graph/shape.h"

namespace rs {

int sole_producer(const Graph& g, int value_id, int reader) {
  const Value& v = g.value(value_id);
  if (v.producer < 0 || v.is_output || v.consumers.size() != 1 || v.consumers[0] != reader) return -1;
  return v.producer;
}

namespace {

/// Moves `absorbed`'s outputs onto `into`, records its name (after those already fused into it) and kills it.
void absorb(Graph& g, int into, int absorbed) {
  Node& a = g.node(absorbed);
  Node& n = g.node(into);
  n.outputs = a.outputs;
  n.fused.insert(n.fused.end(), a.fused.begin(), a.fused.end());
  n.fused.push_back(a.name);
  a.dead = true;
  g.link();
}

/// Per-output-channel scale s_c and shift t_c folded into the conv: w'[c,...] = w[c,...] * s_c; b'_c = b_c * s_c + t_c.
void fold_into(Graph& g, int conv_id, const std::vector<float>& s, const std::vector<float>& t, const char* what) {
  const Node conv = g.node(conv_id);  // a copy: add_constant grows the value table
  const Value& wv = g.value(conv.inputs[1]);
  const Dims w_dims = wv.desc.dims;
  std::vector<float> w = *wv.data;
  const std::size_t c_out = s.size();
  const std::size_t per_c = w.size() / c_out;
  std::vector<float> b(c_out, 0.f);
  if (conv.inputs.size() == 3) b = *g.value(conv.inputs[2]).data;
  for (std::size_t c = 0; c < c_out; ++c) {
    for (std::size_t i = 0; i < per_c; ++i) w[c * per_c + i] *= s[c];
    b[c] = b[c] * s[c] + t[c];
  }
  const int w_id = g.add_constant(conv.name + ".weight_" + what, w_dims, std::move(w));
  const int b_id = g.add_constant(conv.name + ".bias_" + what, {static_cast<std::int64_t>(c_out)}, std::move(b));
  Node& n = g.node(conv_id);
  n.inputs.resize(3);
  n.inputs[1] = w_id;
  n.inputs[2] = b_id;
  n.attr<ConvAttrs>().has_bias = true;
}

/// BN as a per-channel scale and shift: s_c = gamma_c / sqrt(var_c + eps), t_c = beta_c - mean_c * s_c.
void fold_bn_into(Graph& g, int conv_id, const Node& bn) {
  const auto& gamma = *g.value(bn.inputs[1]).data;
  const auto& beta = *g.value(bn.inputs[2]).data;
  const auto& mean = *g.value(bn.inputs[3]).data;
  const auto& var = *g.value(bn.inputs[4]).data;
  const float eps = bn.attr<BatchNormAttrs>().epsilon;
  std::vector<float> s(gamma.size()), t(gamma.size());
  for (std::size_t c = 0; c < s.size(); ++c) {
    s[c] = gamma[c] / std::sqrt(var[c] + eps);
    t[c] = beta[c] - mean[c] * s[c];
  }
  fold_into(g, conv_id, s, t, "bn_folded");
}

/// A conv with constant weights and no post-ops producing `value` for `reader` alone, or -1.
int foldable_conv(const Graph& g, int value, int reader) {
  const int p = sole_producer(g, value, reader);
  if (p < 0 || g.node(p).kind != OpKind::Conv || !g.node(p).post_ops.empty()) return -1;
  return g.value(g.node(p).inputs[1]).is_constant() ? p : -1;
}

/// True when constant `v` holds one value per channel of an NCHW tensor with `channels` channels.
bool per_channel(const Value& v, std::int64_t channels) {
  if (!v.is_constant() || numel(v.desc.dims) != channels) return false;
  const Dims& d = v.desc.dims;
  return d.size() == 1 || (d.size() == 3 && d[1] == 1 && d[2] == 1) ||
         (d.size() == 4 && d[0] == 1 && d[2] == 1 && d[3] == 1);
}

/// Kinds whose kernels run eltwise / binary post-ops: the weighted ones (Conv, Deconv, FullyConnected) and Resize
/// (kernels/resize.cpp: fused into oneDNN's resampling, else one pass after it).
bool takes_post_ops(OpKind kind) { return op_info(kind).weighted || kind == OpKind::Resize; }

}  // namespace

int fold_batchnorm(Graph& graph) {
  graph.link();
  int folded = 0;
  for (int id : graph.live_nodes()) {
    const Node& bn = graph.node(id);
    if (bn.kind != OpKind::BatchNorm) continue;
    const int p = foldable_conv(graph, bn.inputs[0], id);
    if (p < 0) continue;
    bool constant_stats = true;
    for (std::size_t i = 1; i < 5; ++i) constant_stats = constant_stats && graph.value(bn.inputs[i]).is_constant();
    if (!constant_stats) continue;
    fold_bn_into(graph, p, bn);
    absorb(graph, p, id);
    ++folded;
  }
  return folded;
}

int fold_channel_scale(Graph& graph) {
  graph.link();
  int folded = 0;
  for (int id : graph.live_nodes()) {
    const Node& m = graph.node(id);
    if (m.kind != OpKind::Binary || m.attr<BinaryAttrs>().alg != BinaryAlg::Mul || !m.post_ops.empty()) continue;
    for (int side = 0; side < 2; ++side) {
      const int p = foldable_conv(graph, m.inputs[static_cast<std::size_t>(side)], id);
      const Value& scale = graph.value(m.inputs[static_cast<std::size_t>(1 - side)]);
      if (p < 0 || !per_channel(scale, graph.node(p).attr<ConvAttrs>().out_channels)) continue;
      const std::vector<float> s = *scale.data;  // a copy: fold_into grows the value table
      fold_into(graph, p, s, std::vector<float>(s.size(), 0.f), "scaled");
      absorb(graph, p, id);
      ++folded;
      break;
    }
  }
  return folded;
}

int fuse_silu(Graph& graph) {
  graph.link();
  int fused = 0;
  for (int id : graph.live_nodes()) {
    Node& m = graph.node(id);
    if (m.kind != OpKind::Binary || m.attr<BinaryAttrs>().alg != BinaryAlg::Mul || !m.post_ops.empty()) continue;
    for (int side = 0; side < 2; ++side) {
      const int x = m.inputs[static_cast<std::size_t>(side)];
      const int s = m.inputs[static_cast<std::size_t>(1 - side)];
      const int p = sole_producer(graph, s, id);
      if (p < 0) continue;
      Node& sig = graph.node(p);
      if (sig.kind != OpKind::Eltwise || sig.attr<EltwiseAttrs>().alg != EltwiseAlg::Sigmoid || sig.inputs[0] != x ||
          !sig.post_ops.empty())
        continue;
      m.kind = OpKind::Eltwise;
      m.attrs = EltwiseAttrs{EltwiseAlg::SiLU, 0.f, 0.f};
      m.inputs = {x};
      m.fused.insert(m.fused.end(), sig.fused.begin(), sig.fused.end());
      m.fused.push_back(sig.name);
      sig.dead = true;
      graph.link();
      ++fused;
      break;
    }
  }
  return fused;
}

int fuse_post_ops(Graph& graph) {
  graph.link();
  int fused = 0;
  for (int id : graph.live_nodes()) {
    const Node n = graph.node(id);
    if (n.kind == OpKind::Eltwise) {
      if (!eltwise_is_onednn(n.attr<EltwiseAttrs>().alg)) continue;  // Erf: a host loop, no post-op
      const int p = sole_producer(graph, n.inputs[0], id);
      if (p < 0 || !takes_post_ops(graph.node(p).kind)) continue;
      PostOp op;
      op.kind = PostOp::Kind::Eltwise;
      op.eltwise = n.attr<EltwiseAttrs>();
      op.name = n.name;
      graph.node(p).post_ops.push_back(op);
      absorb(graph, p, id);
      ++fused;
    } else if (n.kind == OpKind::Binary) {
      const BinaryAlg alg = n.attr<BinaryAttrs>().alg;
      if (alg != BinaryAlg::Add && alg != BinaryAlg::Mul) continue;
      for (int side = 0; side < 2; ++side) {
        const int main = n.inputs[static_cast<std::size_t>(side)];
        const int other = n.inputs[static_cast<std::size_t>(1 - side)];
        const int p = sole_producer(graph, main, id);
        if (p < 0 || !takes_post_ops(graph.node(p).kind)) continue;
        const Value& ov = graph.value(other);
        // The operand must exist before the conv runs, be an activation, and broadcast to the conv's dst.
        if (ov.is_constant() || ov.producer >= p || !broadcasts_to(ov.desc.dims, graph.value(main).desc.dims)) continue;
        PostOp op;
        op.kind = PostOp::Kind::Binary;
        op.binary.alg = alg;
        op.operand = other;
        op.name = n.name;
        graph.node(p).post_ops.push_back(op);
        absorb(graph, p, id);
        ++fused;
        break;
      }
    }
  }
  return fused;
}

std::string PassReport::describe() const {
  return std::to_string(bn_folded) + " BatchNorm folded, " + std::to_string(scale_folded) + " scales folded, " +
         std::to_string(silu_fused) + " SiLU fused, " + std::to_string(post_ops_fused) + " post-ops fused";
}

PassReport optimize(Graph& graph, bool fuse) {
  PassReport r;
  if (fuse) {
    r.bn_folded = fold_batchnorm(graph);
    r.scale_folded = fold_channel_scale(graph);
    r.silu_fused = fuse_silu(graph);
    r.post_ops_fused = fuse_post_ops(graph);
  }
  graph.compact();
  infer_shapes(graph);
  return r;
}

}  // namespace rs
