// Helpers shared by the experiment definitions: graph builders for single-op arms, interval views of arms.
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "graph/shape.h"
#include "profiler/experiments/experiment_defs.h"

namespace rs::experiment_set {

namespace {

/// SplitMix64 (Steele, Lea, Flood 2014): a fixed, library-independent generator.
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// n values uniform in [-bound, bound); never exactly 0.
std::vector<float> uniform(std::int64_t n, double bound, std::uint64_t seed) {
  std::vector<float> v(static_cast<std::size_t>(n));
  std::uint64_t state = seed;
  for (float& x : v) {
    const double u = static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;  // [0, 1)
    x = static_cast<float>((2 * u - 1) * bound);
    if (x == 0.f) x = static_cast<float>(bound * 1e-3);
  }
  return v;
}

}  // namespace

HostTensor random_tensor(const Dims& dims, std::uint64_t seed) { return {dims, uniform(numel(dims), 1.0, seed)}; }

ConvAttrs ConvShape::attrs() const {
  ConvAttrs a;
  a.out_channels = c_out;
  a.groups = groups;
  a.kernel = {kernel, kernel};
  a.stride = {stride, stride};
  a.dilation = {dilation, dilation};
  a.pads = {pad, pad, pad, pad};
  return a;
}

std::string ConvShape::label() const {
  std::string s = fmt::format("{}x{} s{} p{}", kernel, kernel, stride, pad);
  if (dilation != 1) s += fmt::format(" d{}", dilation);
  if (groups != 1) s += fmt::format(" g{}", groups);
  return s;
}

std::int64_t input_size_for_output(std::int64_t out, std::int64_t kernel, std::int64_t stride, std::int64_t pad,
                                   std::int64_t dilation) {
  const std::int64_t in = (out - 1) * stride + dilation * (kernel - 1) + 1 - 2 * pad;
  if (in < 1)
    throw std::invalid_argument(fmt::format("no input gives output {} with kernel {}, stride {}, pad {}, dilation {}",
                                            out, kernel, stride, pad, dilation));
  return in;
}

Graph conv_graph(const std::string& name, const ConvShape& s, std::uint64_t seed) {
  Graph g;
  g.name = name;
  const int src = g.add_input("src", {s.n, s.c_in, s.h, s.w});
  const std::int64_t fan_in = s.c_in / s.groups * s.kernel * s.kernel;
  const Dims wdims = {s.c_out, s.c_in / s.groups, s.kernel, s.kernel};
  // He-uniform bound sqrt(6 / fan_in): activations keep their scale through the layer (values do not matter for
  // speed, but denormals or overflow would).
  const int weights = g.add_constant("conv.weight", wdims, uniform(numel(wdims), std::sqrt(6.0 / fan_in), seed));
  const int dst = g.add_node("conv", OpKind::Conv, s.attrs(), {src, weights});
  g.mark_output(dst);
  infer_shapes(g);
  return g;
}

Graph eltwise_graph(const std::string& name, const Dims& dims, const EltwiseAttrs& attrs) {
  Graph g;
  g.name = name;
  const int src = g.add_input("src", dims);
  g.mark_output(g.add_node("eltwise", OpKind::Eltwise, attrs, {src}));
  infer_shapes(g);
  return g;
}

ArmSpec graph_arm(std::string name, std::string detail, Graph graph, std::string focus) {
  ArmSpec a;
  a.name = std::move(name);
  a.detail = std::move(detail);
  a.graph = std::move(graph);
  a.focus_node = std::move(focus);
  return a;
}

const ArmResult& arm(const ExperimentResult& r, const std::string& name) {
  for (const ArmResult& a : r.arms)
    if (a.name == name) return a;
  throw std::logic_error(fmt::format("experiment {}: no arm named '{}'", r.name, name));
}

Interval time_s(const ArmResult& a) { return a.ci.interval; }

Interval ps_per_flop(const ArmResult& a) {
  return a.cost.flops > 0 ? a.ci.interval.scaled(1e12 / static_cast<double>(a.cost.flops)) : Interval{};
}

Interval efficiency(const ArmResult& a) { return a.ci.interval.reciprocal(a.t_roof_measured_s); }

Comparison faster(const ExperimentResult& r, const std::string& a, const std::string& b) {
  return compare("t(" + a + ")", time_s(arm(r, a)), Direction::Less, "t(" + b + ")", time_s(arm(r, b)), "s");
}

void add_column(ExperimentResult& r, Column column, const std::function<Cell(const ArmResult&)>& value) {
  r.extra_columns.push_back(std::move(column));
  for (ArmResult& a : r.arms) a.extra.push_back(value(a));
}

void add_ps_per_flop_column(ExperimentResult& r) {
  add_column(r, {"time_per_flop_ps", "ps/FLOP", ColumnKind::Real, 2},
             [](const ArmResult& a) -> Cell { return ps_per_flop(a).point; });
}

Verdict combined(const ExperimentResult& r) {
  std::vector<Verdict> vs;
  for (const Comparison& c : r.comparisons) vs.push_back(c.verdict);
  return combine(vs);
}

void decide(ExperimentResult& r, std::string explanation) {
  r.verdict = combined(r);
  r.explanation = std::move(explanation);
}

std::string by_verdict(Verdict v, std::string holds, std::string does_not_hold, std::string inconclusive) {
  return v == Verdict::Holds ? holds : v == Verdict::DoesNotHold ? does_not_hold : inconclusive;
}

std::string fixed(double x, int decimals) {
  return std::isfinite(x) ? fmt::format("{:.{}f}", x, decimals) : "n/a";
}

std::string sig3(double x) { return std::isfinite(x) ? fmt::format("{:.3g}", x) : "n/a"; }

std::string times(double ratio) { return std::isfinite(ratio) ? fmt::format("{:.3g}x", ratio) : "n/a"; }

std::string percent(double fraction) {
  return std::isfinite(fraction) ? fmt::format("{:.1f}%", 100 * fraction) : "n/a";
}

}  // namespace rs::experiment_set
