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

namespace {
dnnl::memory reorder_to(const dnnl::memory& src, const dnnl::memory::desc& want, dnnl::stream& stream) {
  dnnl::memory dst(want, src.get_engine());
  dnnl::reorder(src, dst).execute(stream, const_cast<dnnl::memory&>(src), dst);
  return dst;
}
}  // namespace

int candidate_count(const Graph& graph, int node_id, const std::vector<dnnl::memory::desc>& have) {
  KernelEnv env;
  return static_cast<int>(kernel_candidates(graph, graph.node(node_id), have, env).size());
}

HostTensor run_candidate(const Graph& graph, int node_id, const std::vector<HostTensor>& activations,
                         const std::vector<dnnl::memory::desc>& have, int candidate, std::string* impl) {
  const Node& node = graph.node(node_id);
  KernelEnv env;
  dnnl::stream stream(env.engine);
  auto candidates = kernel_candidates(graph, node, have, env);
  auto kernel = candidates.at(static_cast<std::size_t>(candidate)).create();
  if (impl) *impl = candidates[static_cast<std::size_t>(candidate)].key;
  // Each plain input is produced in have[i], then reordered into the layout the kernel wants.
  std::vector<dnnl::memory> srcs;
  std::vector<void*> src_ptrs;
  for (std::size_t i = 0; i < activations.size(); ++i) {
    dnnl::memory plain(plain_desc(activations[i].dims), env.engine, const_cast<float*>(activations[i].data.data()));
    srcs.push_back(reorder_to(reorder_to(plain, have.at(i), stream), kernel->src_descs().at(i), stream));
    src_ptrs.push_back(srcs.back().get_data_handle());
  }
  std::vector<dnnl::memory> dsts;
  std::vector<void*> dst_ptrs;
  for (const auto& d : kernel->dst_descs()) {
    dsts.emplace_back(d, env.engine);
    dst_ptrs.push_back(dsts.back().get_data_handle());
  }
  if (const int ip = kernel->inplace_src(); ip >= 0) {  // a sum post-op accumulates into dst: it holds the residual
    const auto i = static_cast<std::size_t>(ip);
    dnnl::reorder(srcs.at(i), dsts.at(0)).execute(stream, srcs[i], dsts[0]);
    src_ptrs[i] = dst_ptrs.at(0);
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

HostTensor run_kernel(const Graph& graph, int node_id, const std::vector<HostTensor>& activations, int candidate) {
  std::vector<dnnl::memory::desc> have;
  for (const auto& t : activations) have.push_back(plain_desc(t.dims));
  return run_candidate(graph, node_id, activations, have, candidate, nullptr);
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
