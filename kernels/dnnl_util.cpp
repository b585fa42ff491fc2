#include "kernels/dnnl_util.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace rs {

using tag = dnnl::memory::format_tag;

dnnl::memory::dims to_dnnl(const Dims& dims) { return dnnl::memory::dims(dims.begin(), dims.end()); }
Dims from_dnnl(const dnnl::memory::dims& dims) { return Dims(dims.begin(), dims.end()); }

namespace {
tag plain_tag(std::size_t rank) {
  switch (rank) {
    case 1: return tag::a;
    case 2: return tag::ab;
    case 3: return tag::abc;
    case 4: return tag::abcd;
    case 5: return tag::abcde;
    case 6: return tag::abcdef;
  }
  throw KernelError(fmt::format("tensors of rank {} are not supported (1..6)", rank));
}
}  // namespace

dnnl::memory::desc plain_desc(const Dims& dims) {
  return dnnl::memory::desc(to_dnnl(dims), dnnl::memory::data_type::f32, plain_tag(dims.size()));
}

dnnl::memory::desc any_desc(const Dims& dims) {
  return dnnl::memory::desc(to_dnnl(dims), dnnl::memory::data_type::f32, tag::any);
}

bool is_plain(const dnnl::memory::desc& desc) { return desc == plain_desc(from_dnnl(desc.dims())); }

std::string layout_name(const dnnl::memory::desc& desc) {
  const auto dims = desc.dims();
  static const std::pair<tag, const char*> known4[] = {
      {tag::nchw, "nchw"},         {tag::nhwc, "nhwc"},         {tag::nChw8c, "nChw8c"},
      {tag::nChw16c, "nChw16c"},   {tag::OIhw8i8o, "OIhw8i8o"}, {tag::Goihw8g, "Goihw8g"},
      {tag::OIhw16i16o, "OIhw16i16o"}};
  if (dims.size() == 4)
    for (const auto& [t, name] : known4) {
      try {
        if (desc == dnnl::memory::desc(dims, desc.data_type(), t)) return name;
      } catch (const dnnl::error&) {  // a tag of another rank (Goihw8g is 5-D)
      }
    }
  if (is_plain(desc)) {
    static const char* names[] = {"", "a", "nc", "ncw", "nchw", "ncdhw", "abcdef"};
    return dims.size() < 7 ? names[dims.size()] : "plain";
  }
  return "blocked";
}

std::vector<DnnlEltwise> to_dnnl_eltwise(const EltwiseAttrs& a) {
  using alg = dnnl::algorithm;
  switch (a.alg) {
    case EltwiseAlg::Relu: return {{alg::eltwise_relu, 0.f, 0.f}};
    case EltwiseAlg::Clip: return {{alg::eltwise_clip_v2, a.alpha, a.beta}};
    case EltwiseAlg::LeakyRelu: return {{alg::eltwise_relu, a.alpha, 0.f}};
    case EltwiseAlg::Sigmoid: return {{alg::eltwise_logistic, 0.f, 0.f}};
    case EltwiseAlg::Tanh: return {{alg::eltwise_tanh, 0.f, 0.f}};
    case EltwiseAlg::HardSigmoid: return {{alg::eltwise_linear, a.alpha, a.beta}, {alg::eltwise_clip_v2, 0.f, 1.f}};
    case EltwiseAlg::HardSwish: return {{alg::eltwise_hardswish, 0.f, 0.f}};
    case EltwiseAlg::SiLU: return {{alg::eltwise_swish, 1.f, 0.f}};
    case EltwiseAlg::GeluErf: return {{alg::eltwise_gelu_erf, 0.f, 0.f}};
    case EltwiseAlg::Sqrt: return {{alg::eltwise_sqrt, 0.f, 0.f}};
    case EltwiseAlg::Pow: return {{alg::eltwise_pow, 1.f, a.alpha}};  // oneDNN: alpha * x ^ beta
    case EltwiseAlg::Softplus: return {{alg::eltwise_soft_relu, 0.f, 0.f}};  // 2.6: log(1 + exp(x))
    case EltwiseAlg::Mish: return {{alg::eltwise_mish, 0.f, 0.f}};
    case EltwiseAlg::Erf: throw KernelError("Erf has no oneDNN eltwise (it runs as a host loop, never a post-op)");
    case EltwiseAlg::kCount: break;
  }
  throw KernelError("unknown eltwise algorithm");
}

dnnl::algorithm to_dnnl_binary(BinaryAlg a) {
  using alg = dnnl::algorithm;
  switch (a) {
    case BinaryAlg::Add: return alg::binary_add;
    case BinaryAlg::Mul: return alg::binary_mul;
    case BinaryAlg::Sub: return alg::binary_sub;
    case BinaryAlg::Div: return alg::binary_div;
    case BinaryAlg::kCount: break;
  }
  throw KernelError("unknown binary algorithm");
}

float eltwise_ref(const EltwiseAttrs& a, float x) {
  auto hsig = [](float v, float alpha, float beta) { return std::max(0.f, std::min(1.f, alpha * v + beta)); };
  auto softplus = [](double v) { return v > 30.0 ? v : std::log1p(std::exp(v)); };  // = v in f32 beyond 30
  switch (a.alg) {
    case EltwiseAlg::Relu: return std::max(x, 0.f);
    case EltwiseAlg::Clip: return std::min(std::max(x, a.alpha), a.beta);
    case EltwiseAlg::LeakyRelu: return x >= 0.f ? x : a.alpha * x;
    case EltwiseAlg::Sigmoid: return 1.f / (1.f + std::exp(-x));
    case EltwiseAlg::Tanh: return std::tanh(x);
    case EltwiseAlg::HardSigmoid: return hsig(x, a.alpha, a.beta);
    case EltwiseAlg::HardSwish: return x * hsig(x, 1.f / 6.f, 0.5f);
    case EltwiseAlg::SiLU: return x / (1.f + std::exp(-x));
    case EltwiseAlg::GeluErf: return static_cast<float>(0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))));
    case EltwiseAlg::Erf: return std::erf(x);
    case EltwiseAlg::Sqrt: return std::sqrt(x);
    case EltwiseAlg::Pow: return std::pow(x, a.alpha);
    case EltwiseAlg::Softplus: return static_cast<float>(softplus(x));
    case EltwiseAlg::Mish: return static_cast<float>(x * std::tanh(softplus(x)));
    case EltwiseAlg::kCount: break;
  }
  throw KernelError("unknown eltwise algorithm");
}

HostTensor binary_ref(BinaryAlg alg, const HostTensor& a, const HostTensor& b) {
  const std::size_t rank = a.dims.size();
  Dims bd = b.dims;
  if (numel(bd) == 1) bd.assign(rank, 1);
  if (!broadcasts_to(bd, a.dims))
    throw KernelError(fmt::format("binary: {} does not broadcast to {}", dims_str(b.dims), dims_str(a.dims)));
  HostTensor out{a.dims, std::vector<float>(a.data.size())};
  std::vector<std::int64_t> idx(rank, 0);
  for (std::size_t i = 0; i < a.data.size(); ++i) {
    std::int64_t bi = 0;
    for (std::size_t d = 0; d < rank; ++d) bi = bi * bd[d] + (bd[d] == 1 ? 0 : idx[d]);
    const float x = a.data[i], y = b.data[static_cast<std::size_t>(bi)];
    switch (alg) {
      case BinaryAlg::Add: out.data[i] = x + y; break;
      case BinaryAlg::Mul: out.data[i] = x * y; break;
      case BinaryAlg::Sub: out.data[i] = x - y; break;
      case BinaryAlg::Div: out.data[i] = x / y; break;
      case BinaryAlg::kCount: break;
    }
    for (std::size_t d = rank; d-- > 0;) {
      if (++idx[d] < a.dims[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

const std::vector<float>& constant_data(const Graph& graph, const Node& node, int value_id) {
  const Value& v = graph.value(value_id);
  if (!v.is_constant())
    throw KernelError(fmt::format("{}: input '{}' must be a constant (weights), but is computed at run time",
                                  node_label(node), v.name));
  return *v.data;
}

void expect_no_post_ops(const Node& node) {
  if (!node.post_ops.empty()) throw KernelError(node_label(node) + ": post-ops are not supported on this op");
}

void expect_one_activation(const Node& node, const std::vector<dnnl::memory::desc>& have, bool only_input) {
  if (have.size() != 1 || (only_input && node.inputs.size() != 1))
    throw KernelError(fmt::format("{}: expects 1 activation input, {} given", node_label(node), have.size()));
}

int normalized_axis(const Node& node, int axis, std::size_t rank) {
  const int r = static_cast<int>(rank);
  if (axis < -r || axis >= r)
    throw KernelError(fmt::format("{}: axis {} out of range for rank {}", node_label(node), axis, rank));
  return axis < 0 ? axis + r : axis;
}

}  // namespace rs
