// Slice and Pad: copies between a tensor and a window (box) of another, on oneDNN reorders through sub-memory views
// (memory::desc::submemory_desc), so both are real, timed copies.
//   Slice: dst = src[begin[d] : end[d]] on every axis; one reorder from a view of src into a dense plain dst.
//          src is read in its producer's layout when oneDNN can view the window in it (e.g. nChw8c with channel
//          offsets and sizes that are multiples of 8), else in plain layout (the runtime inserts the reorder).
//   Pad:   dst (plain) = src placed at offset begin, every other element = value. One reorder of src (any layout)
//          into the interior view of dst, plus one reorder per non-empty border slab from an owned constant block
//          holding `value` (the slabs partition the border: slab (d, side) spans the interior on axes < d, the pad
//          on axis d and the whole dst on axes > d). Owned memory = border elements only.
#include <fmt/format.h>

#include "kernels/dnnl_util.h"
#include "kernels/families.h"
#include "kernels/post_ops.h"

namespace rs {

namespace {

class SliceKernel : public Kernel {
 public:
  SliceKernel(const Dims& src_dims, const SliceAttrs& a, const Dims& dst_dims, const dnnl::memory::desc& have,
              const KernelEnv& env) {
    dnnl::memory::desc src = have, view;
    try {
      view = src.submemory_desc(to_dnnl(dst_dims), to_dnnl(a.begin));
    } catch (const dnnl::error&) {  // the window does not fall on the blocks of `have`: read src plain
      src = plain_desc(src_dims);
      view = src.submemory_desc(to_dnnl(dst_dims), to_dnnl(a.begin));
    }
    const dnnl::memory::desc dst = plain_desc(dst_dims);
    const dnnl::reorder::primitive_desc pd(env.engine, view, env.engine, dst, make_attr());
    src_descs_ = {src};
    dst_descs_ = {dst};
    add_step(dnnl::reorder(pd), pd, {src_arg(DNNL_ARG_FROM, 0, view), dst_arg(DNNL_ARG_TO, 0, dst)});
  }
};

class PadKernel : public Kernel {
 public:
  PadKernel(const Dims& src_dims, const PadAttrs& a, const Dims& dst_dims, const dnnl::memory::desc& have,
            const KernelEnv& env) {
    const dnnl::memory::desc dst = plain_desc(dst_dims);
    src_descs_ = {have};
    dst_descs_ = {dst};
    const dnnl::memory::desc interior = dst.submemory_desc(to_dnnl(src_dims), to_dnnl(a.begin));
    copy_step(src_arg(DNNL_ARG_FROM, 0, have), interior, env);
    for (std::size_t d = 0; d < dst_dims.size(); ++d)
      for (int side = 0; side < 2; ++side) {
        Dims box = dst_dims, offset(dst_dims.size(), 0);
        for (std::size_t k = 0; k < d; ++k) {
          box[k] = src_dims[k];
          offset[k] = a.begin[k];
        }
        box[d] = side == 0 ? a.begin[d] : a.end[d];
        offset[d] = side == 0 ? 0 : a.begin[d] + src_dims[d];
        if (box[d] == 0) continue;
        const dnnl::memory::desc block = plain_desc(box);
        const std::vector<float> fill(static_cast<std::size_t>(numel(box)), a.value);
        copy_step(owned_arg(DNNL_ARG_FROM, make_owned(block, fill, block, env)),
                  dst.submemory_desc(to_dnnl(box), to_dnnl(offset)), env);
      }
  }

 private:
  /// One reorder from `from` into the window `to` of dst.
  void copy_step(const Arg& from, const dnnl::memory::desc& to, const KernelEnv& env) {
    const dnnl::reorder::primitive_desc pd(env.engine, from.desc, env.engine, to, make_attr());
    add_step(dnnl::reorder(pd), pd, {from, dst_arg(DNNL_ARG_TO, 0, to)});
  }
};

/// Kernel K (SliceKernel or PadKernel) of a node with attributes A, one input (an activation) and no post-ops;
/// throws KernelError naming the node otherwise.
template <typename K, typename A>
std::unique_ptr<Kernel> box_kernel(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have,
                                   const KernelEnv& env) {
  expect_one_activation(node, have, /*only_input=*/true);
  expect_no_post_ops(node);
  return std::make_unique<K>(graph.value(node.inputs[0]).desc.dims, node.attr<A>(),
                             graph.value(node.outputs.at(0)).desc.dims, have[0], env);
}

/// dst[dst_offset + i] = src[src_offset + i] for every index i of `box` (plain row-major tensors).
void copy_box(const HostTensor& src, const Dims& src_offset, HostTensor& dst, const Dims& dst_offset, const Dims& box) {
  const std::size_t rank = box.size();
  std::vector<std::int64_t> src_stride(rank, 1), dst_stride(rank, 1);
  for (std::size_t d = rank; d-- > 1;) {
    src_stride[d - 1] = src_stride[d] * src.dims[d];
    dst_stride[d - 1] = dst_stride[d] * dst.dims[d];
  }
  std::vector<std::int64_t> idx(rank, 0);
  for (std::int64_t n = numel(box); n > 0; --n) {
    std::int64_t s = 0, t = 0;
    for (std::size_t d = 0; d < rank; ++d) {
      s += (src_offset[d] + idx[d]) * src_stride[d];
      t += (dst_offset[d] + idx[d]) * dst_stride[d];
    }
    dst.data[static_cast<std::size_t>(t)] = src.data[static_cast<std::size_t>(s)];
    for (std::size_t d = rank; d-- > 0;) {
      if (++idx[d] < box[d]) break;
      idx[d] = 0;
    }
  }
}

}  // namespace

std::unique_ptr<Kernel> create_slice(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have,
                                     const KernelEnv& env) {
  return box_kernel<SliceKernel, SliceAttrs>(graph, node, have, env);
}

HostTensor ref_slice(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const Dims& dst_dims = graph.value(node.outputs.at(0)).desc.dims;
  HostTensor out{dst_dims, std::vector<float>(static_cast<std::size_t>(numel(dst_dims)))};
  copy_box(*reads.at(0), node.attr<SliceAttrs>().begin, out, Dims(dst_dims.size(), 0), dst_dims);
  return out;
}

std::unique_ptr<Kernel> create_pad(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have,
                                   const KernelEnv& env) {
  return box_kernel<PadKernel, PadAttrs>(graph, node, have, env);
}

HostTensor ref_pad(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const Dims& dst_dims = graph.value(node.outputs.at(0)).desc.dims;
  const auto& a = node.attr<PadAttrs>();
  HostTensor out{dst_dims, std::vector<float>(static_cast<std::size_t>(numel(dst_dims)), a.value)};
  const HostTensor& src = *reads.at(0);
  copy_box(src, Dims(src.dims.size(), 0), out, a.begin, src.dims);
  return out;
}

}  // namespace rs
