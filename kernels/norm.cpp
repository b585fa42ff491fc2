// LayerNorm and InstanceNorm (formulas in graph/op.h) on oneDNN's normalization primitives, statistics computed at
// run time (forward_inference without use_global_stats):
//   LayerNorm:    layer_normalization_forward on a 2-D [rows, cols] view, cols = the normalized axes, which the kernel
//                 reads innermost (src requested in that layout: nhwc for a channel LayerNorm of an NCHW tensor, so
//                 convnext's channels-last LayerNorm needs no Transpose)
//   InstanceNorm: batch_normalization_forward on [1, N*C, spatial, 1]: the batch statistics of one sample per channel
//                 are its instance statistics (Ulyanov et al. 2016); scale and shift tiled N times
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"
#include "kernels/post_ops.h"

namespace rs {

namespace {

using flags = dnnl::normalization_flags;

/// The layout LayerNorm reads src in: dims `dims`, the axes outside [b, e) outermost (in order), then [b, e); plain
/// when that is the same order up to size-1 axes.
dnnl::memory::desc normalized_last(const Dims& dims, int b, int e) {
  std::vector<int> order;
  for (int d = 0; d < static_cast<int>(dims.size()); ++d)
    if (d < b || d >= e) order.push_back(d);
  for (int d = b; d < e; ++d) order.push_back(d);
  std::vector<int> non_unit;
  for (int d : order)
    if (dims[static_cast<std::size_t>(d)] != 1) non_unit.push_back(d);
  if (std::is_sorted(non_unit.begin(), non_unit.end())) return plain_desc(dims);
  Dims physical;
  for (int d : order) physical.push_back(dims[static_cast<std::size_t>(d)]);
  return plain_desc(physical).permute_axes(order);  // axis k of the physical dims is logical axis order[k]
}

/// A plain [count] memory holding `data`.
dnnl::memory vector_memory(const std::vector<float>& data, const KernelEnv& env) {
  const dnnl::memory::desc d = plain_desc({static_cast<std::int64_t>(data.size())});
  return make_owned(d, data, d, env);
}

/// One normalization primitive reading src and writing dst in `layout` (the primitive sees the bytes as `view`).
class NormKernel : public Kernel {
 protected:
  /// Adds the step: src, dst, the owned scale / shift in `params` ({DNNL_ARG_SCALE, m}, ...) and owned memories for
  /// the statistics the primitive writes where it asks for them (mean / variance descs of non-zero size).
  void add_norm_step(const dnnl::primitive& p, const dnnl::primitive_desc_base& pd, const dnnl::memory::desc& layout,
                     const dnnl::memory::desc& view, const std::vector<std::pair<int, dnnl::memory>>& params,
                     const dnnl::memory::desc& mean, const dnnl::memory::desc& var, const KernelEnv& env) {
    src_descs_ = {layout};
    dst_descs_ = {layout};
    std::vector<Arg> args{src_arg(DNNL_ARG_SRC, 0, view), dst_arg(DNNL_ARG_DST, 0, view)};
    for (const auto& [arg, mem] : params) args.push_back(owned_arg(arg, mem));
    if (mean.get_size() > 0) args.push_back(owned_arg(DNNL_ARG_MEAN, dnnl::memory(mean, env.engine)));
    if (var.get_size() > 0) args.push_back(owned_arg(DNNL_ARG_VARIANCE, dnnl::memory(var, env.engine)));
    add_step(p, pd, std::move(args));
  }
};

class LayerNormKernel : public NormKernel {
 public:
  LayerNormKernel(const Graph& graph, const Node& node, const KernelEnv& env) {
    const auto& a = node.attr<LayerNormAttrs>();
    const Dims& dims = graph.value(node.inputs.at(0)).desc.dims;
    std::int64_t cols = 1;
    for (int d = a.begin_axis; d < a.end_axis; ++d) cols *= dims.at(static_cast<std::size_t>(d));
    const dnnl::memory::desc view = plain_desc({numel(dims) / cols, cols});
    std::vector<std::pair<int, dnnl::memory>> params;
    auto f = static_cast<flags>(0);
    std::size_t next = 1;
    if (a.has_scale) {
      f |= flags::use_scale;
      params.push_back({DNNL_ARG_SCALE, vector_memory(constant_data(graph, node, node.inputs.at(next++)), env)});
    }
    if (a.has_shift) {
      f |= flags::use_shift;
      params.push_back({DNNL_ARG_SHIFT, vector_memory(constant_data(graph, node, node.inputs.at(next++)), env)});
    }
    const dnnl::layer_normalization_forward::desc desc(dnnl::prop_kind::forward_inference, view, a.epsilon, f);
    const dnnl::layer_normalization_forward::primitive_desc pd(desc, make_attr(), env.engine);
    add_norm_step(dnnl::layer_normalization_forward(pd), pd, normalized_last(dims, a.begin_axis, a.end_axis), view,
                  params, pd.mean_desc(), pd.variance_desc(), env);
  }
};

class InstanceNormKernel : public NormKernel {
 public:
  InstanceNormKernel(const Graph& graph, const Node& node, const KernelEnv& env) {
    const Dims& dims = graph.value(node.inputs.at(0)).desc.dims;
    const std::int64_t planes = dims[0] * dims[1];
    const dnnl::memory::desc view = plain_desc({1, planes, numel(dims) / planes, 1});
    std::vector<std::pair<int, dnnl::memory>> params;
    for (const auto& [arg, i] : {std::pair{DNNL_ARG_SCALE, 1}, {DNNL_ARG_SHIFT, 2}}) {
      const std::vector<float>& per_c = constant_data(graph, node, node.inputs.at(static_cast<std::size_t>(i)));
      std::vector<float> tiled;
      for (std::int64_t n = 0; n < dims[0]; ++n) tiled.insert(tiled.end(), per_c.begin(), per_c.end());
      params.push_back({arg, vector_memory(tiled, env)});
    }
    const dnnl::batch_normalization_forward::desc desc(dnnl::prop_kind::forward_inference, view,
                                                       node.attr<BatchNormAttrs>().epsilon,
                                                       flags::use_scale | flags::use_shift);
    const dnnl::batch_normalization_forward::primitive_desc pd(desc, make_attr(), env.engine);
    add_norm_step(dnnl::batch_normalization_forward(pd), pd, plain_desc(dims), view, params, pd.mean_desc(),
                  pd.variance_desc(), env);
  }
};

/// The reference: src viewed as [outer, mid, inner] with the statistics over mid for each (outer, inner); param(m,
/// o) gives the scale or shift of element m of mid in outer row o (-1: none).
struct NormGeometry {
  std::int64_t outer, mid, inner;
};

HostTensor normalize_ref(const HostTensor& src, const NormGeometry& g, double eps, const HostTensor* scale,
                         const HostTensor* shift, bool per_outer) {
  HostTensor out{src.dims, std::vector<float>(src.data.size())};
  for (std::int64_t o = 0; o < g.outer; ++o)
    for (std::int64_t i = 0; i < g.inner; ++i) {
      auto at = [&](std::int64_t m) { return static_cast<std::size_t>((o * g.mid + m) * g.inner + i); };
      double sum = 0, sq = 0;
      for (std::int64_t m = 0; m < g.mid; ++m) sum += src.data[at(m)];
      const double mean = sum / double(g.mid);
      for (std::int64_t m = 0; m < g.mid; ++m) sq += (src.data[at(m)] - mean) * (src.data[at(m)] - mean);
      const double inv_std = 1.0 / std::sqrt(sq / double(g.mid) + eps);
      for (std::int64_t m = 0; m < g.mid; ++m) {
        // LayerNorm: a scale per normalized element; InstanceNorm: per channel (outer index mod C).
        const auto p = static_cast<std::size_t>(per_outer ? o % static_cast<std::int64_t>(scale->data.size()) : m);
        const double s = scale ? scale->data[p] : 1.0, b = shift ? shift->data[p] : 0.0;
        out.data[at(m)] = static_cast<float>((src.data[at(m)] - mean) * inv_std * s + b);
      }
    }
  return out;
}

std::int64_t product(const Dims& d, std::size_t b, std::size_t e) {
  std::int64_t p = 1;
  for (std::size_t i = b; i < e; ++i) p *= d[i];
  return p;
}

}  // namespace

std::unique_ptr<Kernel> create_layernorm(const Graph& graph, const Node& node,
                                         const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  expect_no_post_ops(node);
  for (std::size_t i = 1; i < node.inputs.size(); ++i) constant_data(graph, node, node.inputs[i]);
  expect_one_activation(node, have, /*only_input=*/false);
  return std::make_unique<LayerNormKernel>(graph, node, env);
}

HostTensor ref_layernorm(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const auto& a = node.attr<LayerNormAttrs>();
  const HostTensor& src = *reads.at(0);
  const auto b = static_cast<std::size_t>(a.begin_axis), e = static_cast<std::size_t>(a.end_axis);
  const NormGeometry g{product(src.dims, 0, b), product(src.dims, b, e), product(src.dims, e, src.dims.size())};
  const HostTensor* scale = a.has_scale ? reads.at(1) : nullptr;
  const HostTensor* shift = a.has_shift ? reads.at(a.has_scale ? 2 : 1) : nullptr;
  return normalize_ref(src, g, a.epsilon, scale, shift, false);
}

std::unique_ptr<Kernel> create_instancenorm(const Graph& graph, const Node& node,
                                            const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  expect_no_post_ops(node);
  for (std::size_t i = 1; i < 3; ++i) constant_data(graph, node, node.inputs.at(i));
  expect_one_activation(node, have, /*only_input=*/false);
  return std::make_unique<InstanceNormKernel>(graph, node, env);
}

HostTensor ref_instancenorm(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const HostTensor& src = *reads.at(0);
  const NormGeometry g{src.dims[0] * src.dims[1], product(src.dims, 2, src.dims.size()), 1};
  return normalize_ref(src, g, node.attr<BatchNormAttrs>().epsilon, reads.at(1), reads.at(2), true);
}

}  // namespace rs
