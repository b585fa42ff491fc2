// software-impl: one convolution, three implementations (oneDNN, im2col + Eigen GEMM, naive loops), each measured
// against the same roof (seed 001 §III.3: the software's share of the gap to the roofline).
#include <memory>

#include <fmt/format.h>

#include "graph/cost.h"
#include "profiler/experiments/conv_eigen.h"
#include "profiler/experiments/experiment_defs.h"

namespace rs::experiment_set {

namespace {

ConvShape software_shape(Scale s) {
  const std::int64_t c = by_scale<std::int64_t>(s, 8, 32, 64), hw = by_scale<std::int64_t>(s, 8, 28, 56);
  return {1, c, hw, hw, c, 3, 1, 1, 1, 1};
}

/// The data a non-oneDNN conv arm owns: the same graph (weights) as the oneDNN arm, a random src, a dst buffer.
struct ConvData {
  Graph graph;
  ConvGeometry geometry;
  HostTensor src;
  std::vector<float> dst;

  explicit ConvData(const ConvShape& s)
      : graph(conv_graph("conv", s)),
        geometry(s.attrs(), graph.value(graph.inputs[0]).desc.dims, graph.value(graph.outputs[0]).desc.dims),
        src(random_tensor(graph.value(graph.inputs[0]).desc.dims, 1000)),
        dst(static_cast<std::size_t>(numel(graph.value(graph.outputs[0]).desc.dims))) {}
  const float* weights() const { return graph.value(graph.node(0).inputs[1]).data->data(); }
};

/// A callable arm running `run(data)` on its own ConvData (prepared after thread binding).
template <typename Prepare>
ArmSpec callable_conv_arm(const std::string& name, const std::string& impl, const ConvShape& s, Prepare prepare) {
  ArmSpec a;
  a.name = name;
  a.detail = fmt::format("src [1, {}, {}, {}] {}, plain NCHW", s.c_in, s.h, s.w, s.label());
  a.impl = impl;
  a.kind = OpKind::Conv;
  const Graph g = conv_graph("conv", s);
  a.cost = op_cost(g, g.node(0));
  a.make_callable = [s, prepare]() -> std::function<void()> {
    auto data = std::make_shared<ConvData>(s);
    return prepare(data);
  };
  return a;
}

std::vector<ArmSpec> software_arms(Scale scale) {
  const ConvShape s = software_shape(scale);
  std::vector<ArmSpec> arms;
  arms.push_back(graph_arm("oneDNN", fmt::format("src [1, {}, {}, {}] {}, blocked layout", s.c_in, s.h, s.w,
                                                 s.label()),
                           conv_graph("conv", s), "conv"));
  arms.push_back(callable_conv_arm("Eigen im2col+GEMM", "eigen im2col+gemm", s, [](std::shared_ptr<ConvData> d) {
    auto conv = std::make_shared<Im2colGemmConv>(d->geometry);
    return std::function<void()>([d, conv] { conv->run(d->src.data.data(), d->weights(), nullptr, d->dst.data()); });
  }));
  arms.push_back(callable_conv_arm("naive loops", "naive direct loops", s, [](std::shared_ptr<ConvData> d) {
    return std::function<void()>(
        [d] { conv2d_naive(d->geometry, d->src.data.data(), d->weights(), nullptr, d->dst.data()); });
  }));
  return arms;
}

}  // namespace

Experiment software_impl() {
  Experiment e;
  e.name = "software-impl";
  e.advice = "The software implementation matters: the same conv through an optimized library runs much closer to "
             "the roof than a straightforward implementation (seed 001 §III.3)";
  e.plot = true;
  e.arms = [](const ExperimentContext& ctx) { return software_arms(ctx.scale); };
  e.analyze = [](const ExperimentContext&, ExperimentResult& r) {
    add_ps_per_flop_column(r);
    const ArmResult& dnnl = arm(r, "oneDNN");
    const ArmResult& eigen = arm(r, "Eigen im2col+GEMM");
    const ArmResult& naive = arm(r, "naive loops");
    r.comparisons.push_back(compare("eff(oneDNN)", efficiency(dnnl), Direction::Greater, "eff(Eigen)",
                                    efficiency(eigen), ""));
    r.comparisons.push_back(compare("eff(Eigen)", efficiency(eigen), Direction::Greater, "eff(naive)",
                                    efficiency(naive), ""));
    r.notes.push_back("Same shape, weights and threads; the oneDNN arm times its conv step (blocked layouts chosen "
                      "by oneDNN), the others take and write plain NCHW; all three share one roofline time.");
    decide(r, fmt::format("Against the same {} ms roof, oneDNN reaches {}, Eigen im2col+GEMM {} and naive loops "
                          "{}: oneDNN is {} faster than the naive loops.",
                          sig3(dnnl.t_roof_measured_s * 1e3), percent(dnnl.efficiency), percent(eigen.efficiency),
                          percent(naive.efficiency), times(naive.stats.median / dnnl.stats.median)));
  };
  return e;
}

}  // namespace rs::experiment_set
