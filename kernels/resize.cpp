// Resize (graph/op.h ResizeAttrs: ONNX Resize of H and W, nearest or linear, four coordinate transforms): on oneDNN
// resampling_forward where its mapping is exactly ONNX's, else a naive kernel on the host.
//   oneDNN 2.6 maps dst index y to the source coordinate (y + 0.5) * in / out - 0.5 (half_pixel with scale out / in):
//   linear interpolates between the clamped floor and ceil of it, nearest takes floor((y + 0.5) * in / out).
//   - Linear runs on oneDNN for half_pixel, and pytorch_half_pixel with out > 1 on both axes, when the scales are
//     out / in (not ONNX `scales` whose product with in is not an integer): the same coordinates, the same weights.
//   - Nearest runs on oneDNN when its index map equals ONNX's on every dst row and column (e.g. half_pixel with
//     round_prefer_ceil; asymmetric + floor, PyTorch's nearest, at integer upscales), checked at creation.
//   - Everything else (align_corners, asymmetric linear, ...) runs naive, impl "naive:resize_<mode>_<coord>":
//     src read plain (the runtime reorders), per-axis indices and weights computed at creation, dst plain.
// src [N, C, H, W] in f32 -> dst [N, C, OH, OW]. Errors (KernelError) name the node.
#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"
#include "kernels/post_ops.h"

namespace rs {

namespace {

/// One axis of the resize: for dst index x, value = (1 - w[x]) * src[i0[x]] + w[x] * src[i1[x]] (nearest: w = 0).
struct AxisMap {
  std::vector<std::int64_t> i0, i1;
  std::vector<float> w;
};

/// ONNX's source coordinate of dst index x (graph/op.h ResizeAttrs).
double source_coord(ResizeCoord coord, std::int64_t x, std::int64_t in, std::int64_t out, double scale) {
  switch (coord) {
    case ResizeCoord::HalfPixel: return (double(x) + 0.5) / scale - 0.5;
    case ResizeCoord::PytorchHalfPixel: return out > 1 ? (double(x) + 0.5) / scale - 0.5 : 0.0;
    case ResizeCoord::AlignCorners: return out > 1 ? double(x) * double(in - 1) / double(out - 1) : 0.0;
    case ResizeCoord::Asymmetric: return double(x) / scale;
  }
  return 0.0;
}

std::int64_t nearest_index(ResizeNearest mode, double c) {
  switch (mode) {
    case ResizeNearest::RoundPreferFloor: return static_cast<std::int64_t>(std::ceil(c - 0.5));
    case ResizeNearest::RoundPreferCeil: return static_cast<std::int64_t>(std::floor(c + 0.5));
    case ResizeNearest::Floor: return static_cast<std::int64_t>(std::floor(c));
    case ResizeNearest::Ceil: return static_cast<std::int64_t>(std::ceil(c));
  }
  return 0;
}

AxisMap axis_map(const ResizeAttrs& a, int axis, std::int64_t in) {
  const std::int64_t out = a.size[static_cast<std::size_t>(axis)];
  const double scale = a.scale[static_cast<std::size_t>(axis)];
  auto clamp = [in](std::int64_t i) { return std::min(std::max(i, std::int64_t{0}), in - 1); };
  AxisMap m;
  for (std::int64_t x = 0; x < out; ++x) {
    const double c = source_coord(a.coord, x, in, out, scale);
    if (a.mode == ResizeMode::Nearest) {
      m.i0.push_back(clamp(nearest_index(a.nearest, c)));
      m.i1.push_back(m.i0.back());
      m.w.push_back(0.f);
      continue;
    }
    const double f = std::floor(c);
    m.i0.push_back(clamp(static_cast<std::int64_t>(f)));
    m.i1.push_back(clamp(static_cast<std::int64_t>(f) + 1));
    m.w.push_back(static_cast<float>(c - f));
  }
  return m;
}

struct Geometry {
  Dims src, dst;
  AxisMap h, w;
};

Geometry geometry(const Graph& graph, const Node& node) {
  const auto& a = attrs_of<ResizeAttrs>(node, "ResizeAttrs");
  Geometry g{dims_of(graph, node.inputs.at(0)), dims_of(graph, node.outputs.at(0)), {}, {}};
  if (g.src.size() != 4 || g.dst.size() != 4 || g.dst[2] != a.size[0] || g.dst[3] != a.size[1] ||
      numel(g.src) <= 0)
    throw KernelError(fmt::format("{}: src {} and dst {} must be [N, C, H, W] with dst H, W = {}x{}",
                                  node_label(node), dims_str(g.src), dims_str(g.dst), a.size[0], a.size[1]));
  g.h = axis_map(a, 0, g.src[2]);
  g.w = axis_map(a, 1, g.src[3]);
  return g;
}

/// dst planes from src planes (plain [N, C, H, W]) through the axis maps: the naive kernel and the reference.
void resize_planes(const Geometry& g, const float* src, float* dst) {
  const std::int64_t planes = g.src[0] * g.src[1], ih = g.src[2], iw = g.src[3], oh = g.dst[2], ow = g.dst[3];
#pragma omp parallel for schedule(static)
  for (std::int64_t p = 0; p < planes; ++p) {
    const float* s = src + p * ih * iw;
    float* d = dst + p * oh * ow;
    for (std::int64_t y = 0; y < oh; ++y) {
      const float* r0 = s + g.h.i0[static_cast<std::size_t>(y)] * iw;
      const float* r1 = s + g.h.i1[static_cast<std::size_t>(y)] * iw;
      const float wy = g.h.w[static_cast<std::size_t>(y)];
      for (std::int64_t x = 0; x < ow; ++x) {
        const auto xi = static_cast<std::size_t>(x);
        const float top = r0[g.w.i0[xi]] + g.w.w[xi] * (r0[g.w.i1[xi]] - r0[g.w.i0[xi]]);
        const float bottom = r1[g.w.i0[xi]] + g.w.w[xi] * (r1[g.w.i1[xi]] - r1[g.w.i0[xi]]);
        d[y * ow + x] = top + wy * (bottom - top);
      }
    }
  }
}

/// oneDNN's nearest index of dst y (resampling_utils: floor((y + 0.5) * in / out), in float), clamped.
std::int64_t onednn_nearest(std::int64_t y, std::int64_t in, std::int64_t out) {
  const float c = (static_cast<float>(y) + 0.5f) * static_cast<float>(in) / static_cast<float>(out);
  return std::min(static_cast<std::int64_t>(c), in - 1);
}

/// True when oneDNN's resampling computes exactly the ONNX semantics of this node (see the file comment).
bool onednn_matches(const ResizeAttrs& a, const Geometry& g) {
  const std::int64_t in[2] = {g.src[2], g.src[3]};
  const AxisMap* maps[2] = {&g.h, &g.w};
  for (std::size_t i = 0; i < 2; ++i) {
    const std::int64_t out = a.size[i];
    if (a.mode == ResizeMode::Linear) {
      const bool half_pixel = a.coord == ResizeCoord::HalfPixel || (a.coord == ResizeCoord::PytorchHalfPixel && out > 1);
      if (!half_pixel || std::abs(a.scale[i] * double(in[i]) - double(out)) > 1e-9 * double(out)) return false;
      continue;
    }
    for (std::int64_t y = 0; y < out; ++y)
      if (maps[i]->i0[static_cast<std::size_t>(y)] != onednn_nearest(y, in[i], out)) return false;
  }
  return true;
}

/// The resampling primitive reading src in `have` with `ops` fused (dst in `dst`, or as oneDNN likes when zero), or
/// nothing where oneDNN has no implementation for it but its reference one.
std::optional<dnnl::resampling_forward::primitive_desc> onednn_resampling(const ResizeAttrs& a, const Geometry& g,
                                                                          const dnnl::memory::desc& have,
                                                                          const dnnl::post_ops& ops,
                                                                          const dnnl::memory::desc& dst,
                                                                          const KernelEnv& env) {
  const auto alg = a.mode == ResizeMode::Linear ? dnnl::algorithm::resampling_linear
                                                : dnnl::algorithm::resampling_nearest;
  try {
    const dnnl::resampling_forward::desc d(dnnl::prop_kind::forward_inference, alg, have,
                                           dst.is_zero() ? any_desc(g.dst) : dst);
    dnnl::resampling_forward::primitive_desc pd(d, make_attr(ops), env.engine);
    if (std::string(pd.impl_info_str()).rfind("ref", 0) == 0) return std::nullopt;  // the naive loop is as good
    return pd;
  } catch (const dnnl::error& e) {
    if (e.status != dnnl_unimplemented) throw;
    return std::nullopt;
  }
}

/// oneDNN's resampling where its mapping is ONNX's, else the naive host loop (src and dst plain). The node's
/// post-ops (graph/passes.cpp fuse_post_ops) are fused into the resampling primitive where oneDNN takes them; else
/// one in-place eltwise_linear(1, 0) primitive after it carries them (one pass over dst instead of one per op).
class ResizeKernel : public PostOpKernel {
 public:
  ResizeKernel(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have, Geometry g,
               const KernelEnv& env) {
    const auto& a = attrs_of<ResizeAttrs>(node, "ResizeAttrs");
    bool fused = node.post_ops.empty();
    std::optional<dnnl::resampling_forward::primitive_desc> pd;
    if (onednn_matches(a, g)) pd = onednn_resampling(a, g, have[0], {}, {}, env);
    std::vector<PostOpOperand> operands;
    // oneDNN 2.6's resampling computes wrong results with post-ops on a blocked dst (nChw8c / nChw16c: relative L2
    // ~1 in ResizePostOps): fused only on plain ones.
    if (pd && !fused && pd->dst_desc().data.format_desc.blocking.inner_nblks == 0) {
      const dnnl::post_ops ops = make_post_ops(graph, node, have, pd->dst_desc(), env, &operands);
      if (auto with = onednn_resampling(a, g, have[0], ops, pd->dst_desc(), env)) {
        pd = with;
        fused = true;
      } else {
        operands.clear();
      }
    }
    if (pd) {
      src_descs_ = {pd->src_desc()};
      dst_descs_ = {pd->dst_desc()};
      std::vector<Arg> args{src_arg(DNNL_ARG_SRC, 0, pd->src_desc()), dst_arg(DNNL_ARG_DST, 0, pd->dst_desc())};
      for (Arg& o : operand_args(operands)) args.push_back(std::move(o));
      add_step(dnnl::resampling_forward(*pd), *pd, std::move(args));
    } else {
      add_naive(std::move(g), fmt::format("naive:resize_{}_{}", resize_mode_name(a.mode), resize_coord_name(a.coord)),
                env);
    }
    if (!fused) add_post_op_pass(graph, node, have, env);
  }

 private:
  void add_naive(Geometry g, const std::string& impl, const KernelEnv& env) {
    src_descs_ = {plain_desc(g.src)};
    dst_descs_ = {plain_desc(g.dst)};
    const dnnl::memory::desc src = src_descs_[0], dst = dst_descs_[0];
    add_host_step(
        [g = std::move(g)](const std::unordered_map<int, dnnl::memory>& bound) {
          resize_planes(g, static_cast<const float*>(bound.at(DNNL_ARG_SRC).get_data_handle()),
                        static_cast<float*>(bound.at(DNNL_ARG_DST).get_data_handle()));
        },
        impl, {src_arg(DNNL_ARG_SRC, 0, src), dst_arg(DNNL_ARG_DST, 0, dst)}, env.engine);
  }

  void add_post_op_pass(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have,
                        const KernelEnv& env) {
    const dnnl::memory::desc dst = dst_descs_[0];
    std::vector<PostOpOperand> operands;
    const dnnl::post_ops ops = make_post_ops(graph, node, have, dst, env, &operands);
    const dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_linear, dst,
                                        1.f, 0.f);
    const dnnl::eltwise_forward::primitive_desc pd(d, make_attr(ops), env.engine);
    std::vector<Arg> args{dst_arg(DNNL_ARG_SRC, 0, dst), dst_arg(DNNL_ARG_DST, 0, dst)};
    for (Arg& o : operand_args(operands)) args.push_back(std::move(o));
    add_step(dnnl::eltwise_forward(pd), pd, std::move(args));
  }
};

}  // namespace

std::unique_ptr<Kernel> create_resize(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have,
                                      const KernelEnv& env) {
  if (have.empty() || have.size() != activation_inputs(graph, node).size())
    throw KernelError(fmt::format("{}: {} input layouts given for {} activation inputs", node_label(node), have.size(),
                                  activation_inputs(graph, node).size()));
  return std::make_unique<ResizeKernel>(graph, node, have, geometry(graph, node), env);
}

// The reference: each dst element on its own, in double, from source_coord() (the ONNX definition), independent
// of the axis maps and the loop the naive kernel runs.
HostTensor ref_resize(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const auto& a = attrs_of<ResizeAttrs>(node, "ResizeAttrs");
  const Geometry g = geometry(graph, node);
  const HostTensor& src = *reads.at(0);
  if (src.dims != g.src)
    throw KernelError(fmt::format("{}: reference src {} expected, got {}", node_label(node), dims_str(g.src),
                                  dims_str(src.dims)));
  const std::int64_t ih = g.src[2], iw = g.src[3], oh = g.dst[2], ow = g.dst[3];
  // Taps of one axis: {index, weight}, the edge value outside [0, in - 1] (ONNX pads with edge values).
  auto taps = [&](int axis, std::int64_t x, std::int64_t in, std::int64_t out) {
    const double c = source_coord(a.coord, x, in, out, a.scale[static_cast<std::size_t>(axis)]);
    auto at = [in](std::int64_t i) { return i < 0 ? 0 : (i >= in ? in - 1 : i); };
    using Taps = std::vector<std::pair<std::int64_t, double>>;
    if (a.mode == ResizeMode::Nearest) return Taps{{at(nearest_index(a.nearest, c)), 1.0}};
    const double f = std::floor(c);
    const auto i = static_cast<std::int64_t>(f);
    return Taps{{at(i), 1.0 - (c - f)}, {at(i + 1), c - f}};
  };
  HostTensor out{g.dst, std::vector<float>(static_cast<std::size_t>(numel(g.dst)))};
  std::size_t k = 0;
  for (std::int64_t p = 0; p < g.src[0] * g.src[1]; ++p)
    for (std::int64_t y = 0; y < oh; ++y)
      for (std::int64_t x = 0; x < ow; ++x) {
        double v = 0;
        for (const auto& [yi, yw] : taps(0, y, ih, oh))
          for (const auto& [xi, xw] : taps(1, x, iw, ow))
            v += yw * xw * double(src.data[static_cast<std::size_t>((p * ih + yi) * iw + xi)]);
        out.data[k++] = static_cast<float>(v);
      }
  return out;
}

}  // namespace rs
