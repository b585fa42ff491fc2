#include "kernels/post_ops.h"

#include <algorithm>
#include <cassert>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "kernels/dnnl_util.h"

namespace rs {

dnnl::primitive_attr make_attr(const dnnl::post_ops& ops) {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  attr.set_post_ops(ops);
  return attr;
}

namespace {

// Dims the operand is read with: its own, or all ones of dst's rank for a scalar ([1] -> [1, 1, 1, 1]).
// Throws KernelError when it does not broadcast to dst (same rank, each dim equal to dst's or 1).
Dims operand_dims(const Graph& graph, const Node& node, const PostOp& p, const Dims& dst) {
  const Dims& d = dims_of(graph, p.operand);
  if (numel(d) == 1) return Dims(dst.size(), 1);
  if (!broadcasts_to(d, dst))
    throw KernelError(fmt::format("{}: post-op '{}' ({}) operand '{}' {} does not broadcast to dst {}",
                                  node_label(node), p.name, binary_alg_name(p.binary.alg), graph.value(p.operand).name,
                                  dims_str(d), dims_str(dst)));
  return d;
}

// Index, in activation_inputs() order, of the first Binary operand: the non-constant node inputs come first.
int first_operand_activation(const Graph& graph, const Node& node) {
  int n = 0;
  for (int id : node.inputs) n += graph.value(id).is_constant() ? 0 : 1;
  return n;
}

PostOpOperand make_operand(const Graph& graph, const Node& node, const PostOp& p, const Dims& dims, int activation,
                           const std::vector<dnnl::memory::desc>& have, const dnnl::memory::desc& dst,
                           const KernelEnv& env) {
  PostOpOperand o;
  const Value& v = graph.value(p.operand);
  const bool same_shape = dims == from_dnnl(dst.dims());
  if (v.is_constant()) {
    o.desc = same_shape ? dst : plain_desc(dims);
    o.owned = make_owned(plain_desc(dims), *v.data, o.desc, env);
    return o;
  }
  if (static_cast<std::size_t>(activation) >= have.size())
    throw KernelError(fmt::format("{}: {} input layouts given, post-op '{}' operand is activation input {}",
                                  node_label(node), have.size(), p.name, activation));
  o.activation = activation;
  const dnnl::memory::desc& h = have[static_cast<std::size_t>(activation)];
  if (same_shape) o.desc = dst;
  else o.desc = h.dims() == to_dnnl(dims) ? h : plain_desc(dims);  // a scalar [1] is read as [1, 1, 1, 1]
  o.layout = h.dims() == to_dnnl(dims) ? o.desc : h;
  return o;
}

std::string post_ops_str(const Graph& graph, const Node& node) {
  std::string s;
  for (const auto& p : node.post_ops) {
    s += s.empty() ? " with post-ops " : ", ";
    if (p.kind == PostOp::Kind::Eltwise) s += eltwise_alg_name(p.eltwise.alg);
    else s += fmt::format("{} {}", binary_alg_name(p.binary.alg), dims_str(dims_of(graph, p.operand)));
  }
  return s;
}

// Index in node.post_ops of the residual: the node's only Binary post-op, when it is an Add of an activation with
// dst's dims; -1 otherwise.
int residual_post_op(const Graph& graph, const Node& node) {
  int found = -1;
  for (std::size_t i = 0; i < node.post_ops.size(); ++i) {
    if (node.post_ops[i].kind != PostOp::Kind::Binary) continue;
    if (found >= 0) return -1;
    found = static_cast<int>(i);
  }
  if (found < 0) return -1;
  const PostOp& p = node.post_ops[static_cast<std::size_t>(found)];
  if (p.binary.alg != BinaryAlg::Add || p.operand < 0 || p.operand >= static_cast<int>(graph.values.size()) ||
      graph.value(p.operand).is_constant() || dims_of(graph, p.operand) != dims_of(graph, node.outputs.at(0)))
    return -1;
  return found;
}

// The Eltwise post-ops node.post_ops[begin, end) appended to ops.
void append_eltwise(dnnl::post_ops& ops, const Node& node, std::size_t begin, std::size_t end) {
  for (std::size_t i = begin; i < end; ++i)
    if (node.post_ops[i].kind == PostOp::Kind::Eltwise)
      for (const DnnlEltwise& e : to_dnnl_eltwise(node.post_ops[i].eltwise)) ops.append_eltwise(1.f, e.alg, e.alpha, e.beta);
}

bool is_reference(const std::string& impl) { return impl.rfind("ref", 0) == 0; }

}  // namespace

dnnl::primitive_desc detach(const dnnl::primitive_desc& pd) {
  dnnl_primitive_desc_t c = nullptr;
  dnnl::error::wrap_c_api(dnnl_primitive_desc_clone(&c, pd.get()), "could not clone a primitive descriptor");
  dnnl::primitive_desc out;
  out.reset(c);
  return out;
}

namespace {

// How the residual of a candidate runs; None: no residual (post-ops as they are).
enum class Residual { None, Sum, Binary, Unfused };
const char* residual_name(Residual r) {
  static const char* names[] = {"fused", "sum", "binary", "unfused"};
  return names[static_cast<int>(r)];
}

// What one candidate is made of, held by value until it is created.
struct Parts {
  dnnl::primitive_desc pd;
  dnnl::primitive_desc binary_pd;  ///< Residual::Unfused: dst = dst + residual
  std::vector<PostOpOperand> operands;
  Residual residual = Residual::None;
  std::vector<dnnl::primitive_desc> eltwise_pds;  ///< Residual::Unfused: the eltwise post-ops after it, in place
};

// The primitive (src = activation 0, owned weights and bias, dst, Binary post-op operands); Residual::Sum
// accumulates into dst (activation 1 is dst's buffer, Kernel::inplace_src()); Residual::Unfused runs the binary
// primitive after it, in place on dst.
class WeightedKernel : public PostOpKernel {
 public:
  WeightedKernel(const Parts& p, const dnnl::memory& weights, const dnnl::memory& bias) {
    const dnnl::primitive_desc& pd = p.pd;
    src_descs_ = {pd.src_desc()};
    dst_descs_ = {pd.dst_desc()};
    std::vector<Arg> args = {src_arg(DNNL_ARG_SRC, 0, pd.src_desc()), owned_arg(DNNL_ARG_WEIGHTS, weights),
                             dst_arg(DNNL_ARG_DST, 0, pd.dst_desc())};
    if (bias) args.push_back(owned_arg(DNNL_ARG_BIAS, bias));
    for (Arg& a : operand_args(p.operands)) args.push_back(std::move(a));
    if (p.residual == Residual::Sum) {
      inplace_src_ = static_cast<int>(src_descs_.size());
      src_descs_.push_back(pd.dst_desc());
    }
    add_step(dnnl::primitive(pd), pd, std::move(args));
    if (p.residual == Residual::Unfused) {
      const dnnl::memory::desc dst = pd.dst_desc();
      src_descs_.push_back(p.binary_pd.src_desc(1));
      add_step(dnnl::primitive(p.binary_pd), p.binary_pd,
               {dst_arg(DNNL_ARG_SRC_0, 0, dst), src_arg(DNNL_ARG_SRC_1, 1, p.binary_pd.src_desc(1)),
                dst_arg(DNNL_ARG_DST, 0, dst)});
      for (const auto& e : p.eltwise_pds)
        add_step(dnnl::primitive(e), e, {dst_arg(DNNL_ARG_SRC, 0, dst), dst_arg(DNNL_ARG_DST, 0, dst)});
    }
  }
};

}  // namespace

std::vector<Kernel::Arg> PostOpKernel::operand_args(const std::vector<PostOpOperand>& operands) {
  std::vector<Arg> args;
  for (const auto& o : operands) {
    if (o.owned) {
      args.push_back(owned_arg(o.dnnl_arg, o.owned));
      continue;
    }
    // Activation operands follow src in activation_inputs() order, as make_post_ops() numbered them.
    assert(o.activation == static_cast<int>(src_descs_.size()));
    args.push_back(src_arg(o.dnnl_arg, o.activation, o.desc));
    src_descs_.push_back(o.layout);
  }
  return args;
}

namespace {

// Collects the candidates of one weighted node: walks oneDNN's implementations per post-op arrangement.
class CandidateSet {
 public:
  CandidateSet(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have,
               const KernelEnv& env, const WeightedOp& op)
      : graph_(graph), node_(node), have_(have), env_(env), op_(op) {}

  /// Calls fn(pd) for each implementation of `make` with `ops`; reference ones are kept aside as a last resort when
  /// may_fall_back (the walk has all of the node's post-ops, so a reference implementation computes the right result).
  template <typename F>
  void walk(const WeightedOp::MakePd& make, const dnnl::post_ops& ops, Residual r, const std::string& variant, F&& fn,
            bool may_fall_back = true) {
    const auto impls = make(make_attr(ops));
    bool has_avx = false;
    for (const auto& pd : impls) has_avx = has_avx || std::string(pd.impl_info_str()).find("avx") != std::string::npos;
    for (const auto& pd : impls) {
      // SSE4.1 kernels (4 lanes) are skipped where an AVX one exists: never faster there, and oneDNN 2.6's
      // jit_dw:sse41 with a sum post-op on nhwc crashes on AVX-512 hosts.
      if (has_avx && std::string(pd.impl_info_str()).find("sse41") != std::string::npos) continue;
      if (!is_reference(pd.impl_info_str())) fn(pd);
      else if (may_fall_back && !fallback_ && r != Residual::Unfused)
        fallback_ = Candidate{key(pd, r, variant), {pd, {}, operands_, r, {}}};
    }
  }

  void add(Parts parts, const std::string& variant) {
    // convolution_auto usually lands on the direct implementations: one candidate each.
    if (!seen_.insert(key(parts.pd, parts.residual, "")).second) return;
    list_.push_back({key(parts.pd, parts.residual, variant), std::move(parts)});
  }

  void add_all(const WeightedOp::MakePd& make, const dnnl::post_ops& ops, Residual r, const std::string& variant) {
    operands_.clear();
    walk(make, ops, r, variant, [&](const dnnl::primitive_desc& pd) { add({pd, {}, {}, r, {}}, variant); });
  }

  /// Residual::Unfused: the conv with the post-ops before the residual, then binary_add and each eltwise after it as
  /// primitives of their own, in place on dst (oneDNN 2.6's binary with eltwise post-ops is wrong in place on
  /// padded blocked layouts).
  void add_unfused(const WeightedOp::MakePd& make, std::size_t r, const std::string& variant) {
    dnnl::post_ops before;
    append_eltwise(before, node_, 0, r);
    operands_.clear();
    walk(make, before, Residual::Unfused, variant, [&](const dnnl::primitive_desc& pd) {
      const dnnl::memory::desc dst = pd.dst_desc();
      const dnnl::binary::desc d(dnnl::algorithm::binary_add, dst, dst, dst);
      Parts parts{pd, dnnl::binary::primitive_desc(d, make_attr(), env_.engine), {}, Residual::Unfused, {}};
      if (is_reference(parts.binary_pd.impl_info_str())) return;
      for (std::size_t i = r + 1; i < node_.post_ops.size(); ++i)
        for (const DnnlEltwise& e : to_dnnl_eltwise(node_.post_ops[i].eltwise)) {
          const dnnl::eltwise_forward::desc ed(dnnl::prop_kind::forward_inference, e.alg, dst, e.alpha, e.beta);
          parts.eltwise_pds.push_back(dnnl::eltwise_forward::primitive_desc(ed, make_attr(), env_.engine));
        }
      add(std::move(parts), variant);
    });
  }

  /// Binary operands read in dst layout `dst` (same-shape ones) or as produced (broadcast ones): the first
  /// implementation that writes `dst`, else the first one (right, but reading the operand in another layout).
  void add_binary(const WeightedOp::MakePd& make, const dnnl::memory::desc& dst, Residual r, const std::string& variant) {
    operands_.clear();
    const dnnl::post_ops ops = make_post_ops(graph_, node_, have_, dst, env_, &operands_);
    std::optional<dnnl::primitive_desc> match, first;
    walk(make, ops, r, variant, [&](const dnnl::primitive_desc& pd) {
      if (!first) first = pd;
      if (!match && pd.dst_desc() == dst) match = pd;
    });
    if (match || first) add({match ? *match : *first, {}, operands_, r, {}}, variant);
  }

  /// Distinct dst layouts of the implementations of `make` without post-ops.
  std::vector<dnnl::memory::desc> dst_layouts(const WeightedOp::MakePd& make) {
    std::vector<dnnl::memory::desc> out;
    operands_.clear();
    walk(make, dnnl::post_ops(), Residual::None, "", [&](const dnnl::primitive_desc& pd) {
      if (std::find(out.begin(), out.end(), pd.dst_desc()) == out.end()) out.push_back(pd.dst_desc());
    }, /*may_fall_back=*/false);
    return out;
  }

  std::vector<KernelCandidate> finish();

 private:
  struct Candidate {
    std::string key;
    Parts parts;
  };
  static std::string key(const dnnl::primitive_desc& pd, Residual r, const std::string& variant) {
    return fmt::format("{} {} {} {}>{}", residual_name(r), variant.empty() ? "-" : variant, pd.impl_info_str(),
                       layout_name(pd.src_desc()), layout_name(pd.dst_desc()));
  }

  const Graph& graph_;
  const Node& node_;
  const std::vector<dnnl::memory::desc>& have_;
  const KernelEnv& env_;
  const WeightedOp& op_;
  std::vector<PostOpOperand> operands_;
  std::vector<Candidate> list_;
  std::optional<Candidate> fallback_;
  std::set<std::string> seen_;
};

std::vector<KernelCandidate> CandidateSet::finish() {
  if (list_.empty() && fallback_) list_.push_back(*fallback_);
  if (list_.empty())
    throw KernelError(fmt::format("{}: oneDNN has no f32 implementation for {}{}", node_label(node_), op_.what,
                                  post_ops_str(graph_, node_)));
  std::vector<KernelCandidate> out;
  const KernelEnv* env = &env_;
  const dnnl::memory::desc weights_layout = op_.weights_layout;
  const std::vector<float>* weights = op_.weights;
  const std::vector<float>* bias = op_.bias;
  // The tuner creates every candidate itself: a oneDNN error while reordering the weights or creating the primitive
  // names the node, its shapes and attributes (groups included) and the implementation.
  const std::string context = fmt::format("{}: {}{}", node_label(node_), op_.what, post_ops_str(graph_, node_));
  for (auto& c : list_) {
    Parts parts = std::move(c.parts);
    out.push_back({c.key, [parts, env, weights_layout, weights, bias, context, key = c.key]() -> std::unique_ptr<Kernel> {
                     try {
                       const dnnl::memory w = make_owned(weights_layout, *weights, parts.pd.weights_desc(), *env);
                       dnnl::memory b;
                       if (bias) {
                         const Dims bias_dims{static_cast<std::int64_t>(bias->size())};
                         b = make_owned(plain_desc(bias_dims), *bias, parts.pd.weights_desc(1), *env);
                       }
                       return std::make_unique<WeightedKernel>(parts, w, b);
                     } catch (const dnnl::error& e) {
                       throw KernelError(fmt::format("{}: oneDNN could not create '{}': {} (status {})", context, key,
                                                     e.what(), int(e.status)));
                     }
                   }});
  }
  return out;
}

}  // namespace

dnnl::post_ops make_post_ops(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have,
                             const dnnl::memory::desc& dst, const KernelEnv& env,
                             std::vector<PostOpOperand>* operands) {
  dnnl::post_ops ops;
  int activation = first_operand_activation(graph, node);
  const Dims dst_dims = from_dnnl(dst.dims());
  for (const PostOp& p : node.post_ops) {
    if (p.kind == PostOp::Kind::Eltwise) {
      for (const DnnlEltwise& e : to_dnnl_eltwise(p.eltwise)) ops.append_eltwise(1.f, e.alg, e.alpha, e.beta);
      continue;
    }
    if (p.operand < 0 || p.operand >= static_cast<int>(graph.values.size()))
      throw KernelError(fmt::format("{}: post-op '{}' has no operand", node_label(node), p.name));
    const Dims dims = operand_dims(graph, node, p, dst_dims);
    const bool constant = graph.value(p.operand).is_constant();
    PostOpOperand o = make_operand(graph, node, p, dims, constant ? -1 : activation, have, dst, env);
    if (!constant) ++activation;
    o.dnnl_arg = DNNL_ARG_ATTR_MULTIPLE_POST_OP(ops.len()) | DNNL_ARG_SRC_1;
    ops.append_binary(to_dnnl_binary(p.binary.alg), o.desc);
    operands->push_back(std::move(o));
  }
  return ops;
}

std::vector<KernelCandidate> weighted_candidates(const Graph& graph, const Node& node,
                                                 const std::vector<dnnl::memory::desc>& have, const KernelEnv& env,
                                                 const WeightedOp& op) {
  if (graph.value(node.inputs.at(0)).is_constant())
    throw KernelError(fmt::format("{}: src '{}' is a constant; it must be computed at run time", node_label(node),
                                  graph.value(node.inputs[0]).name));
  if (have.size() != activation_inputs(graph, node).size())
    throw KernelError(fmt::format("{}: {} input layouts given for {} activation inputs", node_label(node),
                                  have.size(), activation_inputs(graph, node).size()));
  if (op.weights->size() * sizeof(float) != op.weights_layout.get_size())
    throw KernelError(fmt::format("{}: weights hold {} floats, {} expected", node_label(node), op.weights->size(),
                                  op.weights_layout.get_size() / sizeof(float)));
  CandidateSet set(graph, node, have, env, op);
  const int r = residual_post_op(graph, node);
  bool has_binary = false;
  for (const auto& p : node.post_ops) has_binary = has_binary || p.kind == PostOp::Kind::Binary;
  for (const auto& [variant, make] : op.make_pd) {
    if (!has_binary) {
      dnnl::post_ops ops;
      append_eltwise(ops, node, 0, node.post_ops.size());
      set.add_all(make, ops, Residual::None, variant);
      continue;
    }
    const auto layouts = set.dst_layouts(make);
    if (r >= 0) {
      const auto ri = static_cast<std::size_t>(r);
      dnnl::post_ops ops;
      append_eltwise(ops, node, 0, ri);
      ops.append_sum(1.f);
      append_eltwise(ops, node, ri + 1, node.post_ops.size());
      set.add_all(make, ops, Residual::Sum, variant);
    }
    for (const auto& dst : layouts) set.add_binary(make, dst, r >= 0 ? Residual::Binary : Residual::None, variant);
    if (r >= 0) set.add_unfused(make, static_cast<std::size_t>(r), variant);
  }
  return set.finish();
}

void check_weighted_inputs(const Graph& graph, const Node& node, bool has_bias) {
  const std::size_t want = has_bias ? 3 : 2;
  if (node.inputs.size() != want)
    throw KernelError(fmt::format("{}: {} inputs, {} expected (src, weights{})", node_label(node), node.inputs.size(),
                                  want, has_bias ? ", bias" : ""));
  if (node.outputs.size() != 1 || dims_of(graph, node.outputs[0]).empty() || dims_of(graph, node.inputs[0]).empty())
    throw KernelError(fmt::format("{}: shapes are not inferred (run infer_shapes first)", node_label(node)));
}

WeightedOp weighted_op(const Graph& graph, const Node& node, bool has_bias) {
  WeightedOp op;
  op.weights = &constant_data(graph, node, node.inputs[1]);
  op.bias = has_bias ? &constant_data(graph, node, node.inputs[2]) : nullptr;
  return op;
}

dnnl::memory::desc bias_desc(bool has_bias, std::int64_t channels) {
  return has_bias ? any_desc({channels}) : dnnl::memory::desc();
}

ConvGeometry::ConvGeometry(const ConvAttrs& a, const Dims& in, const Dims& out)
    : batch(in.at(0)), groups(a.groups), in_c(in.at(1)), in_h(in.at(2)), in_w(in.at(3)), out_c(out.at(1)),
      out_h(out.at(2)), out_w(out.at(3)), kh(a.kernel[0]), kw(a.kernel[1]), sh(a.stride[0]), sw(a.stride[1]),
      dh(a.dilation[0]), dw(a.dilation[1]), pad_t(a.pads[0]), pad_l(a.pads[1]) {}

DnnlConv dnnl_conv(const Graph& graph, const Node& node, const ConvAttrs& a) {
  check_weighted_inputs(graph, node, a.has_bias);
  const Dims& src = dims_of(graph, node.inputs[0]);
  const Dims& dst = dims_of(graph, node.outputs[0]);
  if (src.size() != 4 || dst.size() != 4)
    throw KernelError(fmt::format("{}: src and dst must be [N, C, H, W], got {} and {}", node_label(node),
                                  dims_str(src), dims_str(dst)));
  return {src,
          dst,
          dnnl_weights_dims(a, dst[1], src[1]),
          {a.stride[0], a.stride[1]},
          {a.dilation[0] - 1, a.dilation[1] - 1},
          {a.pads[0], a.pads[1]},
          {a.pads[2], a.pads[3]}};
}

dnnl::memory::dims dnnl_weights_dims(const ConvAttrs& a, std::int64_t oc, std::int64_t ic) {
  const std::int64_t g = a.groups;
  if (g == 1) return {oc, ic, a.kernel[0], a.kernel[1]};
  return {g, oc / g, ic / g, a.kernel[0], a.kernel[1]};
}

std::string conv_attrs_str(const ConvAttrs& a) {
  return fmt::format("groups {}, kernel {}x{}, stride {}x{}, dilation {}x{}, pads {{{}, {}, {}, {}}}", a.groups,
                     a.kernel[0], a.kernel[1], a.stride[0], a.stride[1], a.dilation[0], a.dilation[1], a.pads[0],
                     a.pads[1], a.pads[2], a.pads[3]);
}

void check_conv_reference(const Node& node, const ConvGeometry& g, const HostTensor& src, const HostTensor& weights) {
  const std::int64_t want = g.out_c * (g.in_c / g.groups) * g.kh * g.kw;
  if (src.dims.size() != 4 || numel(weights.dims) != want)
    throw KernelError(fmt::format("{}: reference needs src [N, C, H, W] and {} weights, got src {} weights {}",
                                  node_label(node), want, dims_str(src.dims), dims_str(weights.dims)));
}

HostTensor conv_reference(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads,
                          bool adjoint) {
  const auto& a = attrs_of<ConvAttrs>(node, "ConvAttrs");
  const HostTensor& src = *reads.at(0);
  const HostTensor& weights = *reads.at(1);
  const Dims& dst = dims_of(graph, node.outputs.at(0));
  // The adjoint conv maps dst (its padded input side) to src (its strided output side).
  const ConvGeometry g = adjoint ? ConvGeometry(a, dst, src.dims) : ConvGeometry(a, src.dims, dst);
  check_conv_reference(node, g, src, weights);
  std::vector<double> acc(static_cast<std::size_t>(numel(dst)), 0.0);
  g.for_each_tap([&](std::int64_t in, std::int64_t out, std::int64_t w) {
    const auto [from, to] = adjoint ? std::pair(out, in) : std::pair(in, out);
    acc[static_cast<std::size_t>(to)] +=
        double(src.data[static_cast<std::size_t>(from)]) * double(weights.data[static_cast<std::size_t>(w)]);
  });
  return finish_reference(dst, acc, a.has_bias ? reads.at(2) : nullptr);
}

HostTensor finish_reference(const Dims& dims, const std::vector<double>& acc, const HostTensor* bias) {
  HostTensor out{dims, std::vector<float>(acc.size())};
  const std::int64_t channels = dims.size() > 1 ? dims[1] : 1;
  std::int64_t inner = 1;
  for (std::size_t d = 2; d < dims.size(); ++d) inner *= dims[d];
  for (std::size_t i = 0; i < acc.size(); ++i) {
    const auto c = static_cast<std::size_t>((static_cast<std::int64_t>(i) / inner) % channels);
    out.data[i] = static_cast<float>(acc[i] + (bias ? double(bias->data[c]) : 0.0));
  }
  return out;
}

}  // namespace rs
