// What Conv, Deconv and FullyConnected share: node.post_ops as oneDNN post-ops, and the kernel all three are (one
// primitive reading src, with weights and bias owned and reordered once at creation, writing dst, post-ops fused).
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <oneapi/dnnl/dnnl.hpp>

#include "graph/graph.h"
#include "kernels/kernel.h"

namespace rs {

/// primitive_attr with scratchpad_mode::user (every primitive of the runtime uses a planned scratchpad) and `ops`.
dnnl::primitive_attr make_attr(const dnnl::post_ops& ops = dnnl::post_ops());

/// The second operand of a Binary post-op as the primitive reads it.
struct PostOpOperand {
  int dnnl_arg = 0;         ///< DNNL_ARG_ATTR_MULTIPLE_POST_OP(i) | DNNL_ARG_SRC_1, i = index in the oneDNN chain
  dnnl::memory::desc desc;  ///< layout the primitive reads it in (dst's rank; a scalar [1] is read as [1, 1, 1, 1])
  dnnl::memory::desc layout;  ///< activation operands: the kernel's src_descs() entry (the value's own dims)
  int activation = -1;      ///< index in activation_inputs() (and in the kernel's src_descs()); -1 when constant
  dnnl::memory owned;       ///< constant operands only: the data, already in `desc`
};

/// Translates node.post_ops for a primitive whose dst has dims `dst_dims` and is written in layout `dst`:
///   Eltwise -> append_eltwise(1, alg, alpha, beta) for each step of to_dnnl_eltwise() (HardSigmoid takes two);
///   Binary  -> append_binary(to_dnnl_binary(alg), operand desc), the operand in `operands` (post-op order).
/// Operand layouts: a same-shape operand is read in dst's layout (oneDNN 2.6 has no jit path for a plain operand
/// beside a blocked dst: it falls back to gemm, ~2x slower; the runtime reorders the operand instead, if needed); a
/// broadcast operand ([N,C,1,1], [1,C,1,1], [1]) is read in the layout `have` gives for it (no reorder).
/// have: layouts of the node's activation inputs (activation_inputs() order). Throws KernelError naming the node
/// and the post-op when an operand does not broadcast to dst.
dnnl::post_ops make_post_ops(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have,
                             const dnnl::memory::desc& dst, const KernelEnv& env, std::vector<PostOpOperand>* operands);

/// A kernel whose primitives read Binary post-op operands (the weighted families, Resize).
class PostOpKernel : public Kernel {
 protected:
  /// Args of `operands` (owned ones as Owned, activation ones as Src); each activation operand's layout is
  /// appended to src_descs_, so they must come in activation_inputs() order, right after the inputs already there.
  std::vector<Arg> operand_args(const std::vector<PostOpOperand>& operands);
};

/// `pd` detached from its next_impl() iterator: a primitive_desc of the implementation it stands at, valid after
/// the op descriptor and attributes it was made from are gone (the iterator reads them on every next_impl()).
dnnl::primitive_desc detach(const dnnl::primitive_desc& pd);

/// Every implementation oneDNN has for op descriptor `d` with `attr`, in oneDNN's order (the next_impl() walk), each
/// detached; empty where it has none (dnnl_unimplemented). PD: e.g. dnnl::convolution_forward::primitive_desc.
template <typename PD, typename D>
std::vector<dnnl::primitive_desc> all_impls(const D& d, const dnnl::primitive_attr& attr, const dnnl::engine& engine) {
  std::vector<dnnl::primitive_desc> out;
  try {
    PD pd(d, attr, engine);
    do out.push_back(detach(pd));
    while (pd.next_impl());
  } catch (const dnnl::error& e) {
    if (e.status != dnnl_unimplemented) throw;
  }
  return out;
}

/// How a weighted family (conv.cpp, deconv.cpp, fc.cpp) describes its op to weighted_candidates().
struct WeightedOp {
  using MakePd = std::function<std::vector<dnnl::primitive_desc>(const dnnl::primitive_attr& attr)>;
  /// all_impls() of the op with `attr` (src, weights and dst with format_tag::any; bias if any), one entry per
  /// algorithm the op has, named: {"direct", ...}, {"auto", ...} for Conv (convolution_auto may pick Winograd);
  /// one entry named "" for the others.
  std::vector<std::pair<std::string, MakePd>> make_pd;
  dnnl::memory::desc weights_layout;          ///< how the weights constant lies in memory, in the primitive's dims
  const std::vector<float>* weights = nullptr;  ///< graph constant, weights_layout.get_size() bytes
  const std::vector<float>* bias = nullptr;     ///< graph constant [C_out], or nullptr for none
  std::string what;  ///< shapes and attributes for error messages, e.g. "src [1, 3, 224, 224], weights [...]"
};

/// The candidates (kernel_candidates(), kernel.h) of a weighted op: one primitive reading src, with node.post_ops
/// fused and weights (+ bias) reordered once, at creation, into the layouts it wants; src_descs() = {pd.src_desc(),
/// one per activation Binary operand}; dst_descs() = {pd.dst_desc()}. A same-shape residual Add runs as `sum`
/// (in place), `binary` or `unfused`. node.inputs[0] (src) must be an activation. Throws KernelError naming the
/// node when oneDNN has no implementation (with op.what) or the post-ops are malformed.
std::vector<KernelCandidate> weighted_candidates(const Graph& graph, const Node& node,
                                                 const std::vector<dnnl::memory::desc>& have, const KernelEnv& env,
                                                 const WeightedOp& op);

/// Checks the input count of a weighted node (src, weights and, when has_bias, bias) and that its shapes are
/// inferred. Throws KernelError naming the node and what was expected.
void check_weighted_inputs(const Graph& graph, const Node& node, bool has_bias);

/// A WeightedOp with the node's constants filled in: weights = node.inputs[1] and, when has_bias, bias =
/// node.inputs[2] (constant_data(): throws KernelError naming the node when one is not a constant).
WeightedOp weighted_op(const Graph& graph, const Node& node, bool has_bias);

/// The bias of a weighted primitive's desc: any_desc({channels}) when has_bias, else an empty desc (no bias).
dnnl::memory::desc bias_desc(bool has_bias, std::int64_t channels);

/// node.attrs as A; throws KernelError naming the node when it holds another kind of attributes.
template <typename A>
const A& attrs_of(const Node& node, const char* attrs_name) {
  if (const A* a = std::get_if<A>(&node.attrs)) return *a;
  throw KernelError(fmt::format("{}: attributes must be {}", node_label(node), attrs_name));
}

/// Index space of a 2-D convolution, shared by Conv and Deconv: a deconvolution is the adjoint (transpose) of the
/// convolution with the same geometry, and PyTorch's deconv weights [C_in, C_out/G, KH, KW] are exactly the OIHW
/// weights of that convolution. `in` is the padded side (conv src, deconv dst), `out` the strided side (conv dst,
/// deconv src); dims are [N, C, H, W] in elements, all row-major.
struct ConvGeometry {
  std::int64_t batch = 1, groups = 1;
  std::int64_t in_c = 0, in_h = 0, in_w = 0, out_c = 0, out_h = 0, out_w = 0;
  std::int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1, pad_t = 0, pad_l = 0;

  ConvGeometry(const ConvAttrs& attrs, const Dims& in, const Dims& out);

  /// Calls fn(in_index, out_index, weights_index) (flat row-major indices) for every tap of the convolution:
  /// out[n][oc][oh][ow] += in[n][g*ICg + ic][ih][iw] * weights[oc][ic][y][x], ih = oh*sh - pad_t + y*dh,
  /// iw = ow*sw - pad_l + x*dw (oc in group g = oc / OCg); taps falling in the padding are skipped.
  template <typename F>
  void for_each_tap(F&& fn) const {
    const std::int64_t icg = in_c / groups, ocg = out_c / groups;
    for (std::int64_t n = 0; n < batch; ++n)
      for (std::int64_t oc = 0; oc < out_c; ++oc)
        for (std::int64_t oh = 0; oh < out_h; ++oh)
          for (std::int64_t ow = 0; ow < out_w; ++ow) {
            const std::int64_t out_index = ((n * out_c + oc) * out_h + oh) * out_w + ow;
            for (std::int64_t ic = 0; ic < icg; ++ic)
              for (std::int64_t y = 0; y < kh; ++y) {
                const std::int64_t ih = oh * sh - pad_t + y * dh;
                if (ih < 0 || ih >= in_h) continue;
                for (std::int64_t x = 0; x < kw; ++x) {
                  const std::int64_t iw = ow * sw - pad_l + x * dw;
                  if (iw < 0 || iw >= in_w) continue;
                  const std::int64_t in_c_index = (oc / ocg) * icg + ic;
                  fn(((n * in_c + in_c_index) * in_h + ih) * in_w + iw, out_index, ((oc * icg + ic) * kh + y) * kw + x);
                }
              }
          }
  }
};

/// oneDNN's view of a (de)convolution node: src and dst dims, weights = dnnl_weights_dims() from dst's to src's
/// channels, and of its ConvAttrs: strides, dilates (oneDNN 0 = dense, IR 1 = dense), padding_l {top, left},
/// padding_r {bottom, right}.
struct DnnlConv {
  Dims src, dst;
  dnnl::memory::dims weights, strides, dilates, padding_l, padding_r;
};
/// DnnlConv of `node` after check_weighted_inputs() and a check that src and dst are [N, C, H, W]. Throws
/// KernelError naming the node.
DnnlConv dnnl_conv(const Graph& graph, const Node& node, const ConvAttrs& attrs);

/// oneDNN weights dims of a (de)convolution from oc to ic channels: [OC, IC, KH, KW], or [G, OC/G, IC/G, KH, KW]
/// when groups > 1.
dnnl::memory::dims dnnl_weights_dims(const ConvAttrs& attrs, std::int64_t oc, std::int64_t ic);

/// "groups 2, kernel 3x3, stride 2x2, dilation 1x1, pads {1, 1, 1, 1}" for error messages.
std::string conv_attrs_str(const ConvAttrs& attrs);

/// Checks the reference inputs of a (de)convolution: src rank 4 and weights holding
/// out_c * in_c/groups * KH * KW floats (geometry terms). Throws KernelError naming the node.
void check_conv_reference(const Node& node, const ConvGeometry& geometry, const HostTensor& src,
                          const HostTensor& weights);

/// Reference of a Conv (adjoint false) or Deconv (adjoint true) node without post-ops, accumulated in double over
/// the taps of ConvGeometry: a Deconv is the adjoint of the Conv with the same geometry, from dst (padded side) to
/// src (strided side). reads = {src, weights, bias if has_bias}.
HostTensor conv_reference(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads,
                          bool adjoint);

/// Reference result accumulated in double, rounded to a HostTensor, with bias[c] added along dim 1 when non-null.
HostTensor finish_reference(const Dims& dims, const std::vector<double>& acc, const HostTensor* bias);

/// Dims of value `id` (inferred or given).
inline const Dims& dims_of(const Graph& graph, int id) { return graph.value(id).desc.dims; }

}  // namespace rs
