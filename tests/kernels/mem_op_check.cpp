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


HostTensor run_kernel_with(const SingleNode& t, const std::vector<dnnl::memory::desc>& have, std::string* impl) {
  return run_candidate(t.graph, t.node_id, t.activations, have, 0, impl);
}

void expect_matches_reference(const SingleNode& t, double tol, bool blocked) {
  const HostTensor ref = run_reference(t.graph, t.node_id, t.activations);
  // Every candidate the tuner may pick (every oneDNN implementation, each way to run a residual) must be right.
  std::vector<dnnl::memory::desc> plain;
  for (const auto& a : t.activations) plain.push_back(plain_desc(a.dims));
  const int n = candidate_count(t.graph, t.node_id, plain);
  for (int c = 0; c < n; ++c) {
    std::string key;
    const HostTensor got = run_candidate(t.graph, t.node_id, t.activations, plain, c, &key);
    EXPECT_LE(relative_l2(got, ref), tol) << "plain producers, candidate " << c << " of " << n << ": " << key;
  }
  if (!blocked) return;
  std::vector<dnnl::memory::desc> blocked8;
  for (const auto& a : t.activations) blocked8.push_back(blocked8_or_plain(a.dims));
  std::string impl;
  const HostTensor got8 = run_kernel_with(t, blocked8, &impl);
  ::testing::Test::RecordProperty("impl_blocked", impl);
  EXPECT_LE(relative_l2(got8, ref), tol) << "nChw8c producers, impl " << impl;
}

}  // namespace rs::test
