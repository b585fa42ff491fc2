// Load-time rewrites of the element-wise subgraphs torch exports for ops ONNX (before opset 17/18) has no node for:
//   LayerNorm  ReduceMean(x) -> Sub -> Pow(2) -> ReduceMean -> Add(eps) -> Sqrt -> Div [-> Mul(gamma) [-> Add(beta)]]
//              (torch 1.13's F.layer_norm at opset 13-16) -> one LayerNorm over the reduced (contiguous) axes
//   GELU       x * 0.5 * (1 + erf(x / sqrt(2))), the product in any association and order (nn.GELU()) -> GeluErf
//   Mish       x * tanh(softplus(x)) -> Mish
//   Linear bias  FullyConnected (a MatMul by a constant) [-> Reshape back to [..., M]] -> Add(constant [M]) -> the
//              FullyConnected with that bias (nn.Linear on a 3-D/4-D input exports MatMul + Add)
//   channels-last chain  Transpose(0,2,3,1) -> {LayerNorm over the last axis, Linear, element-wise}* ->
//              Transpose(0,3,1,2) (convnext's block) -> the same ops on the NCHW tensor, each Linear a 1x1 Conv
//   channels-first LayerNorm  Transpose(0,2,3,1) -> LayerNorm(last axis) -> Transpose(0,3,1,2) -> one LayerNorm over
//              the channel axis of the NCHW tensor (its kernel reads nhwc: no Transpose runs)
// Each intermediate must be read only inside the pattern and not be a graph output; the last node of the pattern
// becomes the new op (its output value, so consumers stay linked) and records the others in Node::fused.
#include <algorithm>
#include <cmath>

#include "graph/onnx/context.h"
#include "graph/passes.h"

namespace rs::onnx_detail {

namespace {

bool is_kind(const Graph& g, int node, OpKind kind) { return node >= 0 && g.node(node).kind == kind; }

bool is_binary(const Graph& g, int node, BinaryAlg alg) {
  return is_kind(g, node, OpKind::Binary) && g.node(node).attr<BinaryAttrs>().alg == alg;
}

bool is_eltwise(const Graph& g, int node, EltwiseAlg alg) {
  return is_kind(g, node, OpKind::Eltwise) && g.node(node).attr<EltwiseAttrs>().alg == alg;
}

bool is_perm(const Graph& g, int node, const std::vector<int>& perm) {
  return is_kind(g, node, OpKind::Transpose) && g.node(node).attr<TransposeAttrs>().perm == perm;
}

/// The value of a one-element constant, or NaN.
float scalar_of(const Graph& g, int value) {
  const Value& v = g.value(value);
  return v.is_constant() && v.data->size() == 1 ? (*v.data)[0] : std::nanf("");
}

bool near(float got, double want) { return std::fabs(got - want) <= 1e-5 * std::max(1.0, std::fabs(want)); }

/// Node `at` takes the name of `op` (a node the rewrite killed whose op it now is, e.g. a MatMul in place of a
/// Transpose), and `op`'s place in the fused list goes to at's old name: reports name the op as the model did.
void take_name(Graph& g, int at, const std::string& op) {
  Node& n = g.node(at);
  std::replace(n.fused.begin(), n.fused.end(), op, n.name);
  n.name = op;
}

/// Makes node `last` the op `kind(inputs)` and kills `dead` (recorded in last's fused list, in order).
void rewrite(Graph& g, int last, OpKind kind, Attrs attrs, std::vector<int> inputs, const std::vector<int>& dead) {
  Node& n = g.node(last);
  std::vector<std::string> names;
  for (int id : dead) {
    Node& d = g.node(id);
    names.insert(names.end(), d.fused.begin(), d.fused.end());
    names.push_back(d.name);
    d.dead = true;
  }
  n.fused.insert(n.fused.begin(), names.begin(), names.end());
  n.kind = kind;
  n.attrs = std::move(attrs);
  n.inputs = std::move(inputs);
  g.link();
}

/// The only consumer of node `id`'s output when it is not a graph output, else -1.
int sole_consumer(const Graph& g, int id) {
  const Value& v = g.value(g.node(id).outputs.at(0));
  return v.is_output || v.consumers.size() != 1 ? -1 : v.consumers[0];
}

/// A constant operand of a Binary that holds one value per element of x's axes [b, e) (1 elsewhere).
bool is_norm_param(const Graph& g, int value, const Dims& x, int b, int e) {
  const Value& v = g.value(value);
  if (!v.is_constant() || v.desc.dims.size() > x.size()) return false;
  const std::size_t lead = x.size() - v.desc.dims.size();
  for (std::size_t d = 0; d < x.size(); ++d) {
    const std::int64_t got = d < lead ? 1 : v.desc.dims[d - lead];
    const bool normalized = static_cast<int>(d) >= b && static_cast<int>(d) < e;
    if (got != (normalized ? x[d] : 1)) return false;
  }
  return true;
}

/// Matches the decomposed LayerNorm ending in the Div `div`; rewrites it (and a following Mul / Add by per-element
/// constants) into a LayerNorm. Returns true if it did.
bool fold_layernorm_at(Graph& g, int div) {
  const Node& dn = g.node(div);
  const int sqrt = sole_producer(g, dn.inputs[1], div);
  if (!is_eltwise(g, sqrt, EltwiseAlg::Sqrt)) return false;
  const int add = sole_producer(g, g.node(sqrt).inputs[0], sqrt);
  if (!is_binary(g, add, BinaryAlg::Add) || std::isnan(scalar_of(g, g.node(add).inputs[1]))) return false;
  const int var = sole_producer(g, g.node(add).inputs[0], add);
  if (!is_kind(g, var, OpKind::ReduceMean)) return false;
  const int pow = sole_producer(g, g.node(var).inputs[0], var);
  if (!is_eltwise(g, pow, EltwiseAlg::Pow) || g.node(pow).attr<EltwiseAttrs>().alpha != 2.f) return false;
  const int d = dn.inputs[0];
  const Value& dv = g.value(d);
  if (g.node(pow).inputs[0] != d || dv.is_output || dv.consumers != std::vector<int>{std::min(pow, div), std::max(pow, div)})
    return false;
  const int sub = dv.producer;
  if (!is_binary(g, sub, BinaryAlg::Sub)) return false;
  const int x = g.node(sub).inputs[0];
  const int mean = sole_producer(g, g.node(sub).inputs[1], sub);
  if (!is_kind(g, mean, OpKind::ReduceMean) || g.node(mean).inputs[0] != x) return false;
  const auto& ra = g.node(mean).attr<ReduceAttrs>();
  const auto& rb = g.node(var).attr<ReduceAttrs>();
  if (!ra.keepdims || !rb.keepdims || ra.axes != rb.axes || ra.axes.back() - ra.axes.front() + 1 != int(ra.axes.size()))
    return false;
  LayerNormAttrs a;
  a.begin_axis = ra.axes.front();
  a.end_axis = ra.axes.back() + 1;
  a.epsilon = scalar_of(g, g.node(add).inputs[1]);
  std::vector<int> dead{mean, sub, pow, var, add, sqrt}, inputs{x};
  int last = div;
  const Dims& xd = g.value(x).desc.dims;
  for (const BinaryAlg alg : {BinaryAlg::Mul, BinaryAlg::Add}) {  // gamma, then beta
    const int next = sole_consumer(g, last);
    if (!is_binary(g, next, alg) || g.node(next).inputs[0] != g.node(last).outputs[0] ||
        !is_norm_param(g, g.node(next).inputs[1], xd, a.begin_axis, a.end_axis))
      break;
    (alg == BinaryAlg::Mul ? a.has_scale : a.has_shift) = true;
    inputs.push_back(g.node(next).inputs[1]);
    dead.push_back(last);
    last = next;
  }
  if (a.has_shift && !a.has_scale) return false;  // Add(beta) right after the Div: not LayerNorm's input order
  rewrite(g, last, OpKind::LayerNorm, a, inputs, dead);
  return true;
}

/// The operand of Binary `node` other than `value` (-1 if `value` is not one of its two inputs).
int other_operand(const Graph& g, int node, int value) {
  const auto& in = g.node(node).inputs;
  if (in.size() != 2) return -1;
  return in[0] == value ? in[1] : in[1] == value ? in[0] : -1;
}

/// Matches GELU around the Erf `erf`: u = x / sqrt(2) (or x * 1/sqrt(2)), a = erf(u) + 1, then x * a * 0.5 as
/// Mul(Mul(x, a), 0.5), Mul(x, Mul(a, 0.5)) or Mul(Mul(x, 0.5), a), any operand order.
bool fold_gelu_at(Graph& g, int erf) {
  const int scale = sole_producer(g, g.node(erf).inputs[0], erf);
  if (scale < 0) return false;
  const Node& sn = g.node(scale);
  const float k = sn.inputs.size() == 2 ? scalar_of(g, sn.inputs[1]) : std::nanf("");
  if (!(is_binary(g, scale, BinaryAlg::Div) && near(k, std::sqrt(2.0))) &&
      !(is_binary(g, scale, BinaryAlg::Mul) && near(k, std::sqrt(0.5))))
    return false;
  const int x = sn.inputs[0];
  const int one = sole_consumer(g, erf);
  if (!is_binary(g, one, BinaryAlg::Add) || !near(scalar_of(g, other_operand(g, one, g.node(erf).outputs[0])), 1.0))
    return false;
  const int a = g.node(one).outputs[0];
  const int m1 = sole_consumer(g, one);
  if (!is_binary(g, m1, BinaryAlg::Mul)) return false;
  const int m1_other = other_operand(g, m1, a);
  std::vector<int> dead{scale, erf, one};
  int last = -1;
  if (m1_other == x || near(scalar_of(g, m1_other), 0.5)) {  // Mul(x, a) or Mul(a, 0.5), then the third factor
    const int m2 = sole_consumer(g, m1);
    const int want = m1_other == x ? -2 : x;  // -2: the half
    const int third = is_binary(g, m2, BinaryAlg::Mul) ? other_operand(g, m2, g.node(m1).outputs[0]) : -1;
    if (third < 0 || (want == -2 ? !near(scalar_of(g, third), 0.5) : third != want)) return false;
    dead.push_back(m1);
    last = m2;
  } else {  // Mul(h, a) with h = Mul(x, 0.5)
    const int h = sole_producer(g, m1_other, m1);
    if (!is_binary(g, h, BinaryAlg::Mul) || other_operand(g, h, x) < 0 || !near(scalar_of(g, other_operand(g, h, x)), 0.5))
      return false;
    dead.push_back(h);
    last = m1;
  }
  rewrite(g, last, OpKind::Eltwise, EltwiseAttrs{EltwiseAlg::GeluErf, 0.f, 0.f}, {x}, dead);
  return true;
}

/// Matches Mul(x, Tanh(Softplus(x))) (either order) at the Softplus `sp`.
bool fold_mish_at(Graph& g, int sp) {
  const int x = g.node(sp).inputs[0];
  const int tanh = sole_consumer(g, sp);
  if (!is_eltwise(g, tanh, EltwiseAlg::Tanh)) return false;
  const int mul = sole_consumer(g, tanh);
  if (!is_binary(g, mul, BinaryAlg::Mul) || other_operand(g, mul, g.node(tanh).outputs[0]) != x) return false;
  rewrite(g, mul, OpKind::Eltwise, EltwiseAttrs{EltwiseAlg::Mish, 0.f, 0.f}, {x}, {sp, tanh});
  return true;
}

/// Matches Transpose(perm 0,2,3,1) -> LayerNorm over the last axis -> Transpose(perm 0,3,1,2) at the first
/// Transpose (torch's channels-first LayerNorm2d in convnext's stem, downsampling and classifier) and makes it one
/// LayerNorm over the channel axis [1, 2) of the NCHW tensor: no Transpose left.
bool fold_channel_layernorm_at(Graph& g, int t1) {
  if (!is_perm(g, t1, {0, 2, 3, 1})) return false;
  const int ln = sole_consumer(g, t1);
  if (!is_kind(g, ln, OpKind::LayerNorm) || g.node(ln).inputs[0] != g.node(t1).outputs[0]) return false;
  LayerNormAttrs a = g.node(ln).attr<LayerNormAttrs>();
  const int t2 = sole_consumer(g, ln);
  if (a.begin_axis != 3 || a.end_axis != 4 || !is_perm(g, t2, {0, 3, 1, 2})) return false;
  a.begin_axis = 1;
  a.end_axis = 2;
  std::vector<int> inputs = g.node(ln).inputs;
  inputs[0] = g.node(t1).inputs[0];
  const std::string ln_name = g.node(ln).name;
  rewrite(g, t2, OpKind::LayerNorm, a, inputs, {t1, ln});
  take_name(g, t2, ln_name);
  return true;
}

/// Matches a bias-less FullyConnected `fc`, an optional Reshape of its output, and an Add of a constant holding M =
/// out_features values along the last axis ([M], [1, M], [1, 1, M], ...); moves the constant into the FC as its bias
/// (a new [M] constant) and drops the Add (the Reshape, if any, takes the Add's place so consumers stay linked).
bool fold_linear_bias_at(Graph& g, int fc) {
  FcAttrs a = g.node(fc).attr<FcAttrs>();
  if (a.has_bias) return false;
  int reshape = sole_consumer(g, fc);
  const int add = is_kind(g, reshape, OpKind::Reshape) ? sole_consumer(g, reshape) : reshape;
  if (!is_kind(g, reshape, OpKind::Reshape)) reshape = -1;
  if (!is_binary(g, add, BinaryAlg::Add)) return false;
  const int via = g.node(reshape >= 0 ? reshape : fc).outputs[0];
  const int b = other_operand(g, add, via);
  if (b < 0) return false;
  const Value& bv = g.value(b);
  const Dims& y = g.value(g.node(add).outputs[0]).desc.dims;
  if (!bv.is_constant() || numel(bv.desc.dims) != a.out_features || y != g.value(via).desc.dims) return false;
  for (std::size_t d = 0; d + 1 < bv.desc.dims.size(); ++d)
    if (bv.desc.dims[d] != 1) return false;
  if (bv.desc.dims.empty() || bv.desc.dims.back() != a.out_features) return false;
  const int bias = g.add_constant(bv.name + ":fc_bias", {a.out_features}, *bv.data);
  a.has_bias = true;
  Node& f = g.node(fc);
  f.attrs = a;
  f.inputs.push_back(bias);
  if (reshape < 0) {
    // The FC's own output now carries the sum: the Add's consumers read it.
    rewrite(g, add, OpKind::FullyConnected, a, f.inputs, {fc});
    return true;
  }
  rewrite(g, add, OpKind::Reshape, g.node(reshape).attrs, {g.node(fc).outputs[0]}, {reshape});
  return true;
}

/// A node the channels-last chain may hold: LayerNorm over the last axis of a rank-4 tensor, a Reshape that keeps
/// the last axis (the Linear's [N*H*W, C] view and back), a FullyConnected, or an element-wise op.
bool chain_link(const Graph& g, int node) {
  const Node& n = g.node(node);
  if (n.kind == OpKind::LayerNorm)
    return n.attr<LayerNormAttrs>().begin_axis == 3 && n.attr<LayerNormAttrs>().end_axis == 4;
  if (n.kind == OpKind::Reshape)
    return g.value(n.inputs[0]).desc.dims.back() == g.value(n.outputs[0]).desc.dims.back();
  return n.kind == OpKind::FullyConnected || n.kind == OpKind::Eltwise;
}

/// `n` re-expressed on the NCHW tensor `x`: LayerNorm over the channel axis, FullyConnected as a 1x1 Conv (its
/// weights [M, K] as a new [M, K, 1, 1] constant), element-wise ops as they are.
void to_channels_first(Graph& g, Node& n, int x) {
  n.inputs[0] = x;
  if (n.kind == OpKind::LayerNorm) {
    LayerNormAttrs a = n.attr<LayerNormAttrs>();
    a.begin_axis = 1;
    a.end_axis = 2;
    n.attrs = a;
  }
  if (n.kind != OpKind::FullyConnected) return;
  const FcAttrs fa = n.attr<FcAttrs>();
  const Value& w = g.value(n.inputs[1]);
  ConvAttrs ca;
  ca.out_channels = fa.out_features;
  ca.has_bias = fa.has_bias;
  const Dims w4{w.desc.dims[0], w.desc.dims[1], 1, 1};
  const std::string name = w.name + ":1x1";
  const std::vector<float> data = *w.data;
  const int w_id = g.add_constant(name, w4, data);
  n.inputs[1] = w_id;
  n.kind = OpKind::Conv;
  n.attrs = ca;
}

/// Matches Transpose(0,2,3,1) -> chain_link()s -> Transpose(0,3,1,2) at the first Transpose, each intermediate
/// read only by the next; runs the chain on the NCHW tensor instead (to_channels_first), without the Transposes and
/// Reshapes. The last op takes the second Transpose's place, so its consumers stay linked.
bool fold_channels_last_chain_at(Graph& g, int t1) {
  if (!is_perm(g, t1, {0, 2, 3, 1})) return false;
  std::vector<int> chain;
  int prev = t1, cur = sole_consumer(g, t1);
  while (cur >= 0 && !is_perm(g, cur, {0, 3, 1, 2})) {
    if (!chain_link(g, cur) || g.node(cur).inputs[0] != g.node(prev).outputs[0]) return false;
    chain.push_back(cur);
    prev = cur;
    cur = sole_consumer(g, cur);
  }
  if (cur < 0 || g.node(cur).inputs[0] != g.node(prev).outputs[0]) return false;
  std::vector<int> kept, dead{t1};
  for (int id : chain) (g.node(id).kind == OpKind::Reshape ? dead : kept).push_back(id);
  if (kept.empty()) return false;
  int x = g.node(t1).inputs[0];
  for (int id : kept) {
    to_channels_first(g, g.node(id), x);
    x = g.node(id).outputs[0];
  }
  const Node last = g.node(kept.back());
  dead.push_back(kept.back());
  rewrite(g, cur, last.kind, last.attrs, last.inputs, dead);
  take_name(g, cur, last.name);
  return true;
}

}  // namespace

void fold_patterns(Graph& g) {
  g.link();
  for (int id : g.live_nodes()) {
    if (g.node(id).dead) continue;
    if (is_binary(g, id, BinaryAlg::Div)) fold_layernorm_at(g, id);
    else if (is_eltwise(g, id, EltwiseAlg::Erf)) fold_gelu_at(g, id);
    else if (is_eltwise(g, id, EltwiseAlg::Softplus)) fold_mish_at(g, id);
  }
  for (int id : g.live_nodes())  // after the LayerNorms above exist
    if (!g.node(id).dead) fold_channel_layernorm_at(g, id);
  for (int id : g.live_nodes())
    if (!g.node(id).dead && is_kind(g, id, OpKind::FullyConnected)) fold_linear_bias_at(g, id);
  for (int id : g.live_nodes())  // after the Linear biases above are in their FCs
    if (!g.node(id).dead) fold_channels_last_chain_at(g, id);
}

}  // namespace rs::onnx_detail
