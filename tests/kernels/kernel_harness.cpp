#include "kernel_harness.h"

#include <cmath>
#include <random>
#include <stdexcept>

#include "kernels/dnnl_util.h"

namespace rs::test {

std::vector<float> random_data(std::int64_t n, std::uint32_t seed, float lo, float hi) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(static_cast<std::size_t>(n));
  for (auto& x : v) x = dist(gen);
  return v;
}

HostTensor random_tensor(const Dims& dims, std::uint32_t seed) { return {dims, random_data(numel(dims), seed)}; }

HostTensor run_kernel(const Graph& graph, int node_id, const std::vector<HostTensor>& activations) {
  const Node& node = graph.node(node_id);
  KernelEnv env;
  dnnl::stream stream(env.engine);
  std::vector<dnnl::memory::desc> have;
  for (const auto& t : activations) have.push_back(plain_desc(t.dims));
  auto kernel = create_kernel(graph, node, have, env);
  // Reorder each plain input into the layout the kernel wants.
  std::vector<dnnl::memory> srcs;
  std::vector<void*> src_ptrs;
  for (std::size_t i = 0; i < activations.size(); ++i) {
    dnnl::memory plain(have[i], env.engine, const_cast<float*>(activations[i].data.data()));
    dnnl::memory want(kernel->src_descs().at(i), env.engine);
    dnnl::reorder(plain, want).execute(stream, plain, want);
    srcs.push_back(want);
    src_ptrs.push_back(want.get_data_handle());
  }
  std::vector<dnnl::memory> dsts;
  std::vector<void*> dst_ptrs;
  for (const auto& d : kernel->dst_descs()) {
    dsts.emplace_back(d, env.engine);
    dst_ptrs.push_back(dsts.back().get_data_handle());
  }
  std::vector<char> scratch(kernel->scratchpad_bytes() + 64);
  kernel->bind(src_ptrs, dst_ptrs, kernel->scratchpad_bytes() ? scratch.data() : nullptr);
  kernel->execute(stream);
  stream.wait();
  const Dims out_dims = graph.value(node.outputs.at(0)).desc.dims;
  HostTensor out{out_dims, std::vector<float>(static_cast<std::size_t>(numel(out_dims)))};
  dnnl::memory out_plain(plain_desc(out_dims), env.engine, out.data.data());
  dnnl::reorder(dsts.at(0), out_plain).execute(stream, dsts.at(0), out_plain);
  stream.wait();
  return out;
}

HostTensor run_reference(const Graph& graph, int node_id, const std::vector<HostTensor>& activations) {
  const Node& node = graph.node(node_id);
  std::vector<HostTensor> constants;
  constants.reserve(node.reads().size());
  std::vector<const HostTensor*> reads;
  std::size_t next = 0;
  for (int id : node.reads()) {
    const Value& v = graph.value(id);
    if (v.is_constant()) {
      constants.push_back({v.desc.dims, *v.data});
      reads.push_back(&constants.back());
    } else {
      reads.push_back(&activations.at(next++));
    }
  }
  return reference_execute(graph, node, reads);
}

double relative_l2(const HostTensor& a, const HostTensor& b) {
  if (a.dims != b.dims) throw std::invalid_argument("relative_l2: dims differ " + dims_str(a.dims) + " vs " + dims_str(b.dims));
  double num = 0, den = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i) {
    const double d = double(a.data[i]) - double(b.data[i]);
    num += d * d;
    den += double(b.data[i]) * double(b.data[i]);
  }
  return std::sqrt(num) / std::max(std::sqrt(den), 1e-30);
}

double max_abs_diff(const HostTensor& a, const HostTensor& b) {
  if (a.dims != b.dims) throw std::invalid_argument("max_abs_diff: dims differ");
  double m = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i) m = std::max(m, std::fabs(double(a.data[i]) - double(b.data[i])));
  return m;
}

}  // namespace rs::test
