#include "mem_op_check.h"

#include <gtest/gtest.h>

#include "graph/shape.h"
#include "kernel_harness.h"
#include "kernels/dnnl_util.h"

namespace rs::test {

SingleNode single_node(OpKind kind, Attrs attrs, const std::vector<Operand>& operands, std::uint32_t seed) {
  SingleNode t;
  std::vector<int> ids;
  for (std::size_t i = 0; i < operands.size(); ++i) {
    const Operand& op = operands[i];
    const std::string name = "in" + std::to_string(i);
    if (op.constant) {
      ids.push_back(t.graph.add_constant(name, op.dims, *op.constant));
    } else {
      ids.push_back(t.graph.add_input(name, op.dims));
      t.activations.push_back(random_tensor(op.dims, seed + static_cast<std::uint32_t>(i)));
    }
  }
  t.graph.mark_output(t.graph.add_node("op", kind, std::move(attrs), ids));
  t.node_id = static_cast<int>(t.graph.nodes.size()) - 1;
  infer_shapes(t.graph);
  return t;
}

dnnl::memory::desc blocked8_or_plain(const Dims& dims) {
  if (dims.size() != 4) return plain_desc(dims);
  return dnnl::memory::desc(to_dnnl(dims), dnnl::memory::data_type::f32, dnnl::memory::format_tag::nChw8c);
}

namespace {
/// Reorders `src` into a new memory of `desc` (returns src itself when the descs are equal).
dnnl::memory to_layout(dnnl::memory src, const dnnl::memory::desc& desc, dnnl::stream& stream) {
  if (src.get_desc() == desc) return src;
  dnnl::memory dst(desc, src.get_engine());
  dnnl::reorder(src, dst).execute(stream, src, dst);
  return dst;
}
}  // namespace

HostTensor run_kernel_with(const SingleNode& t, const std::vector<dnnl::memory::desc>& have, std::string* impl) {
  KernelEnv env;
  dnnl::stream stream(env.engine);
  auto kernel = create_kernel(t.graph, t.graph.node(t.node_id), have, env);
  if (impl) *impl = kernel->impl_info();
  std::vector<dnnl::memory> srcs;
  std::vector<void*> src_ptrs;
  for (std::size_t i = 0; i < t.activations.size(); ++i) {
    const HostTensor& a = t.activations[i];
    dnnl::memory plain(plain_desc(a.dims), env.engine, const_cast<float*>(a.data.data()));
    srcs.push_back(to_layout(to_layout(plain, have.at(i), stream), kernel->src_descs().at(i), stream));
    src_ptrs.push_back(srcs.back().get_data_handle());
  }
  dnnl::memory dst(kernel->dst_descs().at(0), env.engine);
  std::vector<char> scratch(kernel->scratchpad_bytes() + 64);
  kernel->bind(src_ptrs, {dst.get_data_handle()}, kernel->scratchpad_bytes() ? scratch.data() : nullptr);
  kernel->execute(stream);
  const Dims out_dims = t.graph.value(t.graph.node(t.node_id).outputs.at(0)).desc.dims;
  HostTensor out{out_dims, std::vector<float>(static_cast<std::size_t>(numel(out_dims)))};
  dnnl::memory out_plain(plain_desc(out_dims), env.engine, out.data.data());
  dnnl::reorder(dst, out_plain).execute(stream, dst, out_plain);
  stream.wait();
  return out;
}

void expect_matches_reference(const SingleNode& t, double tol, bool blocked) {
  const HostTensor ref = run_reference(t.graph, t.node_id, t.activations);
  EXPECT_LE(relative_l2(run_kernel(t.graph, t.node_id, t.activations), ref), tol) << "plain producers";
  if (!blocked) return;
  std::vector<dnnl::memory::desc> blocked8;
  for (const auto& a : t.activations) blocked8.push_back(blocked8_or_plain(a.dims));
  std::string impl;
  const HostTensor got8 = run_kernel_with(t, blocked8, &impl);
  ::testing::Test::RecordProperty("impl_blocked", impl);
  EXPECT_LE(relative_l2(got8, ref), tol) << "nChw8c producers, impl " << impl;
}

}  // namespace rs::test
