// The oneDNN compute-roof probes; see onednn_probe.h.
#include "profiler/machine/onednn_probe.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <chrono>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

namespace rs {
namespace {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;
using Clock = std::chrono::steady_clock;

/// Memories for every argument the primitive wants, in the layouts it asked for, filled with small values.
std::unordered_map<int, dnnl::memory> make_args(const dnnl::primitive_desc& pd, const dnnl::engine& eng,
                                                const std::vector<int>& args) {
  std::unordered_map<int, dnnl::memory> out;
  for (int arg : args) {
    dnnl::memory m(pd.query_md(dnnl::query::exec_arg_md, arg), eng);
    auto* p = static_cast<float*>(m.get_data_handle());
    const size_t n = m.get_desc().get_size() / sizeof(float);
    for (size_t i = 0; i < n; ++i) p[i] = 0.001f * static_cast<float>(i % 97);
    out.emplace(arg, m);
  }
  return out;
}

/// Best rate over policy.repetitions runs (after one warm-up) of `prim`; grows to several calls per repetition
/// when one call is shorter than policy.min_rep_seconds.
RateStats time_primitive(const dnnl::primitive& prim, std::unordered_map<int, dnnl::memory>& args, double flop,
                         const RepeatPolicy& policy, const dnnl::engine& eng) {
  dnnl::stream s(eng);
  const auto run = [&](int calls) {
    const auto t0 = Clock::now();
    for (int i = 0; i < calls; ++i) prim.execute(s, args);
    s.wait();
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  const double once = run(1);
  const int calls = once >= policy.min_rep_seconds ? 1 : static_cast<int>(policy.min_rep_seconds / once) + 1;
  std::vector<double> rates;
  for (int r = 0; r < std::max(1, policy.repetitions); ++r) rates.push_back(flop * calls / run(calls) * 1e-9);
  return summarize_rates(rates);
}

template <typename F>
auto with_onednn(const std::string& what, F&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const dnnl::error& e) {
    throw std::runtime_error(fmt::format("{} probe: oneDNN {} (status {})", what, e.what(), int(e.status)));
  }
}

}  // namespace

ProbeResult probe_matmul(std::int64_t n, const RepeatPolicy& policy) {
  if (n < 16) throw std::invalid_argument(fmt::format("matmul probe: n must be >= 16 (got {})", n));
  return with_onednn("matmul", [&] {
    const dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    const dnnl::memory::desc a({n, n}, dt::f32, tag::ab), b({n, n}, dt::f32, tag::any), c({n, n}, dt::f32, tag::ab);
    const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, b, c), eng);
    auto args = make_args(pd, eng, {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST});
    const double flop = 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
    return ProbeResult{"onednn_matmul", fmt::format("{0}x{0}x{0}", n), pd.impl_info_str(),
                       time_primitive(dnnl::matmul(pd), args, flop, policy, eng)};
  });
}

ProbeResult probe_conv3x3(std::int64_t c, std::int64_t hw, const RepeatPolicy& policy) {
  if (c < 4 || hw < 4) throw std::invalid_argument(fmt::format("conv probe: c and hw must be >= 4 (got {}, {})", c, hw));
  return with_onednn("conv3x3", [&] {
    const dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    const dnnl::memory::desc src({1, c, hw, hw}, dt::f32, tag::any), wei({c, c, 3, 3}, dt::f32, tag::any),
        dst({1, c, hw, hw}, dt::f32, tag::any);
    const dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                            src, wei, dst, {1, 1}, {1, 1}, {1, 1});
    const dnnl::convolution_forward::primitive_desc pd(d, eng);
    auto args = make_args(pd, eng, {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST});
    const double flop = 2.0 * static_cast<double>(c * c * 9 * hw * hw);
    return ProbeResult{"onednn_conv3x3", fmt::format("[1, {0}, {1}, {1}] -> {0}, 3x3 pad 1", c, hw),
                       pd.impl_info_str(), time_primitive(dnnl::convolution_forward(pd), args, flop, policy, eng)};
  });
}

}  // namespace rs
