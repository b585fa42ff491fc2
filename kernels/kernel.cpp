#include "kernels/kernel.h"

#include <iterator>

#include <fmt/format.h>

#include "graph/op_registry.h"
#include "kernels/dnnl_util.h"
#include "kernels/families.h"

namespace rs {

namespace {
/// "a" + "b" -> "a+b"; an implementation already named is not repeated.
void append_impl(std::string& info, const std::string& impl) {
  if (info.empty()) info = impl;
  else if (info.find(impl) == std::string::npos) info += "+" + impl;
}
}  // namespace

void Kernel::add_step(const dnnl::primitive& primitive, const dnnl::primitive_desc_base& pd, std::vector<Arg> args) {
  engine_ = pd.get_engine();
  const auto scratch = pd.scratchpad_desc();
  if (scratch.get_size() > 0) {
    scratchpad_bytes_ = std::max(scratchpad_bytes_, scratch.get_size());
    args.push_back({DNNL_ARG_SCRATCHPAD, Role::Scratchpad, 0, scratch, {}});
  }
  const std::string impl = pd.impl_info_str();
  append_impl(impl_info_, impl);
  steps_.push_back({primitive, std::move(args), {}, {}});
}

void Kernel::add_host_step(HostFn fn, const std::string& impl, std::vector<Arg> args, const dnnl::engine& engine) {
  engine_ = engine;
  append_impl(impl_info_, impl);
  steps_.push_back({dnnl::primitive(), std::move(args), {}, std::move(fn)});
}

void Kernel::bind(const std::vector<void*>& src, const std::vector<void*>& dst, void* scratchpad) {
  if (src.size() != src_descs_.size() || dst.size() != dst_descs_.size())
    throw KernelError(fmt::format("kernel bind: {} src / {} dst buffers given, {} / {} expected", src.size(),
                                  dst.size(), src_descs_.size(), dst_descs_.size()));
  for (auto& step : steps_) {
    for (const auto& a : step.args) {
      void* ptr = nullptr;
      switch (a.role) {
        case Role::Src: ptr = src.at(static_cast<std::size_t>(a.index)); break;
        case Role::Dst: ptr = dst.at(static_cast<std::size_t>(a.index)); break;
        case Role::Scratchpad: ptr = scratchpad; break;
        case Role::Owned: step.bound[a.dnnl_arg] = a.owned; continue;
      }
      auto it = step.bound.find(a.dnnl_arg);
      if (it == step.bound.end()) step.bound.emplace(a.dnnl_arg, dnnl::memory(a.desc, engine_, ptr));
      else it->second.set_data_handle(ptr);
    }
  }
}

void Kernel::execute(dnnl::stream& stream) {
  for (auto& step : steps_) {
    if (!step.host) {
      step.primitive.execute(stream, step.bound);
      continue;
    }
    stream.wait();  // earlier primitives' results first
    step.host(step.bound);
  }
}

std::vector<int> activation_inputs(const Graph& graph, const Node& node) {
  std::vector<int> ids;
  for (int id : node.reads())
    if (!graph.value(id).is_constant()) ids.push_back(id);
  return ids;
}

dnnl::memory make_owned(const dnnl::memory::desc& plain, const std::vector<float>& data, const dnnl::memory::desc& want,
                        const KernelEnv& env) {
  dnnl::memory src(plain, env.engine, const_cast<float*>(data.data()));
  dnnl::memory dst(want, env.engine);
  dnnl::stream s(env.engine);
  dnnl::reorder(src, dst).execute(s, src, dst);
  s.wait();
  return dst;
}

namespace {
struct Family {
  OpKind kind;
  CreateFn create;          ///< one kernel, or
  CandidatesFn candidates;  ///< every implementation (weighted families)
  RefFn ref;                ///< the naive reference (run_reference_graph's too)
};
// One row per OpKind, in enum order (checked below: a kind without a kernel and a reference does not build).
constexpr Family kFamilies[] = {
    {OpKind::Conv, nullptr, conv_candidates, ref_conv},
    {OpKind::Deconv, nullptr, deconv_candidates, ref_deconv},
    {OpKind::FullyConnected, nullptr, fc_candidates, ref_fc},
    {OpKind::BatchNorm, create_batchnorm, nullptr, ref_batchnorm},
    {OpKind::Eltwise, create_eltwise, nullptr, ref_eltwise},
    {OpKind::Binary, create_binary, nullptr, ref_binary},
    {OpKind::MaxPool, create_pool, nullptr, ref_pool},
    {OpKind::AvgPool, create_pool, nullptr, ref_pool},
    {OpKind::GlobalAvgPool, create_pool, nullptr, ref_pool},
    {OpKind::Concat, create_concat, nullptr, ref_concat},
    {OpKind::Softmax, create_softmax, nullptr, ref_softmax},
    {OpKind::Reshape, create_reshape, nullptr, ref_reshape},
    {OpKind::Transpose, create_transpose, nullptr, ref_transpose},
    {OpKind::Slice, create_slice, nullptr, ref_slice},
    {OpKind::Pad, create_pad, nullptr, ref_pad},
    {OpKind::Resize, create_resize, nullptr, ref_resize},
    {OpKind::LayerNorm, create_layernorm, nullptr, ref_layernorm},
    {OpKind::InstanceNorm, create_instancenorm, nullptr, ref_instancenorm},
    {OpKind::ReduceMean, create_reduce, nullptr, ref_reduce},
    {OpKind::Reorder, nullptr, reorder_candidates, ref_reorder},  // both throw: the runtime inserts reorders
};
/// A row has a reference and exactly one of create / candidates.
constexpr bool complete(const Family& f) { return (f.create == nullptr) != (f.candidates == nullptr) && f.ref != nullptr; }
static_assert(std::size(kFamilies) == kNumOpKinds, "kFamilies must have one row per OpKind");
// GCC does not fold function-pointer comparisons under -fsanitize=undefined: the sanitizer build (same sources)
// relies on the normal build for this check.
#ifndef ROOFSCOPE_SANITIZE
static_assert(KindRowsComplete<first_bad_kind_row(kFamilies, complete)>::value,
              "kFamilies: row i must be OpKind i with a reference and a create or candidates");
#endif

const Family& family_of(const Node& node) {
  const int i = static_cast<int>(node.kind);
  if (i < 0 || i >= kNumOpKinds) throw KernelError(fmt::format("{}: no kernel for this op kind", node_label(node)));
  return kFamilies[i];
}
}  // namespace

std::vector<KernelCandidate> kernel_candidates(const Graph& graph, const Node& node,
                                               const std::vector<dnnl::memory::desc>& have, const KernelEnv& env) {
  const Family& f = family_of(node);
  if (f.candidates) return with_node_context(node, [&] { return f.candidates(graph, node, have, env); });
  const CreateFn create = f.create;
  return {{"default", [&graph, &node, have, &env, create] {
             return with_node_context(node, [&] { return create(graph, node, have, env); });
           }}};
}

std::unique_ptr<Kernel> create_kernel(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have,
                                      const KernelEnv& env) {
  auto candidates = kernel_candidates(graph, node, have, env);
  return with_node_context(node, [&] { return candidates.front().create(); });
}

HostTensor reference_execute(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads) {
  const Family& f = family_of(node);
  if (reads.size() != node.reads().size())
    throw KernelError(fmt::format("{}: reference needs {} inputs, {} given", node_label(node), node.reads().size(),
                                  reads.size()));
  HostTensor out = f.ref(graph, node, reads);
  const std::size_t n_inputs = node.inputs.size();
  std::size_t operand = n_inputs;
  for (const auto& p : node.post_ops) {
    if (p.kind == PostOp::Kind::Eltwise) {
      for (float& x : out.data) x = eltwise_ref(p.eltwise, x);
    } else {
      out = binary_ref(p.binary.alg, out, *reads.at(operand++));
    }
  }
  return out;
}

}  // namespace rs
