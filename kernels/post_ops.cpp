#include "kernels/post_ops.h"

#include <cassert>

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
  bool ok = d.size() == dst.size();
  for (std::size_t i = 0; ok && i < d.size(); ++i) ok = d[i] == dst[i] || d[i] == 1;
  if (!ok)
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

// One primitive: src (activation 0), owned weights and bias, dst, and the Binary post-op operands.
class WeightedKernel : public Kernel {
 public:
  WeightedKernel(const dnnl::primitive_desc& pd, const dnnl::memory& weights, const dnnl::memory& bias,
                 const std::vector<PostOpOperand>& operands) {
    src_descs_ = {pd.src_desc()};
    dst_descs_ = {pd.dst_desc()};
    std::vector<Arg> args = {src_arg(DNNL_ARG_SRC, 0, pd.src_desc()), owned_arg(DNNL_ARG_WEIGHTS, weights),
                             dst_arg(DNNL_ARG_DST, 0, pd.dst_desc())};
    if (bias) args.push_back(owned_arg(DNNL_ARG_BIAS, bias));
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
    add_step(dnnl::primitive(pd), pd, std::move(args));
  }
};

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

std::unique_ptr<Kernel> create_weighted_kernel(const Graph& graph, const Node& node,
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
  auto create = [&](const dnnl::primitive_attr& attr) {
    try {
      return op.make_pd(attr);
    } catch (const dnnl::error& e) {
      if (e.status != dnnl_unimplemented) throw;
      throw KernelError(fmt::format("{}: oneDNN has no f32 implementation for {}{}", node_label(node), op.what,
                                    post_ops_str(graph, node)));
    }
  };
  dnnl::primitive_desc pd = create(make_attr());
  std::vector<PostOpOperand> operands;
  // Same-shape operands are read in dst's layout, which the post-ops may change (oneDNN picks another
  // implementation); a second round settles it. Any mismatch left is still correct, only slower.
  for (int round = 0; round < 2 && !node.post_ops.empty(); ++round) {
    const dnnl::memory::desc dst = pd.dst_desc();
    operands.clear();
    pd = create(make_attr(make_post_ops(graph, node, have, dst, env, &operands)));
    if (pd.dst_desc() == dst) break;
  }
  const dnnl::memory weights = make_owned(op.weights_layout, *op.weights, pd.weights_desc(), env);
  dnnl::memory bias;
  if (op.bias) {
    const Dims bias_dims{static_cast<std::int64_t>(op.bias->size())};
    bias = make_owned(plain_desc(bias_dims), *op.bias, pd.weights_desc(1), env);
  }
  return std::make_unique<WeightedKernel>(pd, weights, bias, operands);
}

void check_weighted_inputs(const Graph& graph, const Node& node, bool has_bias) {
  const std::size_t want = has_bias ? 3 : 2;
  if (node.inputs.size() != want)
    throw KernelError(fmt::format("{}: {} inputs, {} expected (src, weights{})", node_label(node), node.inputs.size(),
                                  want, has_bias ? ", bias" : ""));
  if (node.outputs.size() != 1 || dims_of(graph, node.outputs[0]).empty() || dims_of(graph, node.inputs[0]).empty())
    throw KernelError(fmt::format("{}: shapes are not inferred (run infer_shapes first)", node_label(node)));
}

ConvGeometry::ConvGeometry(const ConvAttrs& a, const Dims& in, const Dims& out)
    : batch(in.at(0)), groups(a.groups), in_c(in.at(1)), in_h(in.at(2)), in_w(in.at(3)), out_c(out.at(1)),
      out_h(out.at(2)), out_w(out.at(3)), kh(a.kernel[0]), kw(a.kernel[1]), sh(a.stride[0]), sw(a.stride[1]),
      dh(a.dilation[0]), dw(a.dilation[1]), pad_t(a.pads[0]), pad_l(a.pads[1]) {}

DnnlConvParams dnnl_conv_params(const ConvAttrs& a) {
  return {{a.stride[0], a.stride[1]},
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
