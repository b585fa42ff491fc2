// Pooling: MaxPool, AvgPool (PoolAttrs) and GlobalAvgPool on oneDNN pooling_forward (forward_inference), src in the
// producer's layout (blocked OK), dst in the layout oneDNN picks. Semantics follow PyTorch max_pool2d/avg_pool2d
// (aten/src/ATen/native/cpu/AvgPoolKernel.cpp) with pads {top, left, bottom, right} allowed to differ (ONNX).
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"

namespace rs {

namespace {

/// Pooling windows along H and W (index 0, 1), in elements.
struct Window {
  std::int64_t kernel[2];
  std::int64_t stride[2];
  std::int64_t pad_begin[2];  ///< top, left
  std::int64_t pad_end[2];    ///< bottom, right, as declared (PyTorch counts these in count_include_pad)
  std::int64_t pad_run[2];    ///< bottom, right given to oneDNN: >= pad_end so that ceil_mode yields `out`
  std::int64_t in[2];
  std::int64_t out[2];
  bool is_max;
  bool include_pad;

  /// Start (may be negative) and end (exclusive, clipped to in + pad_end) of output position o along axis a.
  std::int64_t begin(int a, std::int64_t o) const { return o * stride[a] - pad_begin[a]; }
  std::int64_t end(int a, std::int64_t o) const { return std::min(begin(a, o) + kernel[a], in[a] + pad_end[a]); }
  /// True when some window reaches into the extra padding ceil_mode adds (PyTorch does not count it).
  bool has_ceil_extra() const { return pad_run[0] > pad_end[0] || pad_run[1] > pad_end[1]; }
};

/// Window of a pool node with src dims [N,C,H,W] and inferred dst dims [N,C,OH,OW].
Window make_window(const Node& node, const Dims& src, const Dims& dst) {
  Window w{};
  for (int a = 0; a < 2; ++a) {
    w.in[a] = src[2 + a];
    w.out[a] = dst[2 + a];
  }
  if (node.kind == OpKind::GlobalAvgPool) {
    for (int a = 0; a < 2; ++a) {
      w.kernel[a] = w.in[a];
      w.stride[a] = 1;
    }
    return w;
  }
  const PoolAttrs& p = node.attr<PoolAttrs>();
  w.is_max = node.kind == OpKind::MaxPool;
  w.include_pad = p.count_include_pad;
  for (int a = 0; a < 2; ++a) {
    w.kernel[a] = p.kernel[a];
    w.stride[a] = p.stride[a];
    w.pad_begin[a] = p.pads[a];
    w.pad_end[a] = p.pads[2 + a];
    // oneDNN requires (in + pad_begin + pad_run - kernel) / stride + 1 == out, which floor mode already satisfies.
    const std::int64_t needed = (w.out[a] - 1) * w.stride[a] + w.kernel[a] - w.in[a] - w.pad_begin[a];
    w.pad_run[a] = std::max(w.pad_end[a], needed);
  }
  return w;
}

dnnl::algorithm pool_algorithm(const Window& w) {
  if (w.is_max) return dnnl::algorithm::pooling_max;
  return w.include_pad ? dnnl::algorithm::pooling_avg_include_padding : dnnl::algorithm::pooling_avg_exclude_padding;
}

/// Per-position factor kh*kw / (window size clipped to in + pad_end), [1, 1, OH, OW]: turns oneDNN's
/// include-padding average (always divided by kh*kw) into PyTorch's where ceil_mode windows overhang.
std::vector<float> ceil_mode_correction(const Window& w) {
  std::vector<float> f;
  f.reserve(static_cast<std::size_t>(w.out[0] * w.out[1]));
  for (std::int64_t oh = 0; oh < w.out[0]; ++oh)
    for (std::int64_t ow = 0; ow < w.out[1]; ++ow) {
      const std::int64_t size = (w.end(0, oh) - w.begin(0, oh)) * (w.end(1, ow) - w.begin(1, ow));
      f.push_back(static_cast<float>(w.kernel[0] * w.kernel[1]) / static_cast<float>(std::max<std::int64_t>(size, 1)));
    }
  return f;
}

class PoolKernel : public Kernel {
 public:
  PoolKernel(const Window& w, const dnnl::memory::desc& src, const Dims& dst_dims, const KernelEnv& env) {
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    // Avg with count_include_pad whose ceil_mode windows overhang: multiply by a correction as a binary post-op
    // (oneDNN then runs ref:any; the case is rare: PyTorch models use ceil_mode mostly with MaxPool).
    dnnl::memory correction;
    if (!w.is_max && w.include_pad && w.has_ceil_extra()) {
      const Dims cdims{1, 1, w.out[0], w.out[1]};
      correction = make_owned(plain_desc(cdims), ceil_mode_correction(w), plain_desc(cdims), env);
      dnnl::post_ops po;
      po.append_binary(dnnl::algorithm::binary_mul, correction.get_desc());
      attr.set_post_ops(po);
    }
    const dnnl::pooling_forward::desc desc(dnnl::prop_kind::forward_inference, pool_algorithm(w), src,
                                           any_desc(dst_dims), {w.stride[0], w.stride[1]},
                                           {w.kernel[0], w.kernel[1]}, {w.pad_begin[0], w.pad_begin[1]},
                                           {w.pad_run[0], w.pad_run[1]});
    const dnnl::pooling_forward::primitive_desc pd(desc, attr, env.engine);
    src_descs_ = {src};
    dst_descs_ = {pd.dst_desc()};
    std::vector<Arg> args{src_arg(DNNL_ARG_SRC, 0, src), dst_arg(DNNL_ARG_DST, 0, pd.dst_desc())};
    if (correction) args.push_back(owned_arg(DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1, correction));
    add_step(dnnl::pooling_forward(pd), pd, std::move(args));
  }
};

/// Reference value of one output position of one [H, W] plane.
float pool_point(const Window& w, const float* plane, std::int64_t oh, std::int64_t ow) {
  const std::int64_t h0 = std::max<std::int64_t>(w.begin(0, oh), 0), h1 = std::min(w.end(0, oh), w.in[0]);
  const std::int64_t w0 = std::max<std::int64_t>(w.begin(1, ow), 0), w1 = std::min(w.end(1, ow), w.in[1]);
  float best = -std::numeric_limits<float>::infinity();
  double sum = 0;
  for (std::int64_t h = h0; h < h1; ++h)
    for (std::int64_t x = w0; x < w1; ++x) {
      best = std::max(best, plane[h * w.in[1] + x]);
      sum += plane[h * w.in[1] + x];
    }
  if (w.is_max) return best;
  const std::int64_t count = w.include_pad ? (w.end(0, oh) - w.begin(0, oh)) * (w.end(1, ow) - w.begin(1, ow))
                                           : (h1 - h0) * (w1 - w0);
  return static_cast<float>(sum / static_cast<double>(std::max<std::int64_t>(count, 1)));
}

}  // namespace

std::unique_ptr<Kernel> create_pool(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have,
                                    const KernelEnv& env) {
  expect_no_post_ops(node);
  const Dims& src = graph.value(node.inputs.at(0)).desc.dims;
  const Dims& dst = graph.value(node.outputs.at(0)).desc.dims;
  if (have.size() != 1 || src.size() != 4 || dst.size() != 4)
    throw KernelError(fmt::format("{}: expects one [N,C,H,W] activation input, got {} inputs, src {}",
                                  node_label(node), have.size(), dims_str(src)));
  return std::make_unique<PoolKernel>(make_window(node, src, dst), have[0], dst, env);
}

HostTensor ref_pool(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const HostTensor& src = *reads.at(0);
  const Dims& dst_dims = graph.value(node.outputs.at(0)).desc.dims;
  const Window w = make_window(node, src.dims, dst_dims);
  HostTensor out{dst_dims, {}};
  out.data.reserve(static_cast<std::size_t>(numel(dst_dims)));
  const std::int64_t planes = src.dims[0] * src.dims[1];
  for (std::int64_t p = 0; p < planes; ++p) {
    const float* plane = src.data.data() + p * w.in[0] * w.in[1];
    for (std::int64_t oh = 0; oh < w.out[0]; ++oh)
      for (std::int64_t ow = 0; ow < w.out[1]; ++ow) out.data.push_back(pool_point(w, plane, oh, ow));
  }
  return out;
}

}  // namespace rs
