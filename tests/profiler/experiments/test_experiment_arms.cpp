// The experiments' arms have the exact relationships their claims rest on (no timing): depthwise FLOPs = dense / C,
// equal-FLOPs nets within 1%, matched output shapes, batch-linear FLOPs, ... at every scale; the registry; and the
// non-oneDNN convolutions of software-impl against the naive reference.
#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "graph/cost.h"
#include "graph/passes.h"
#include "profiler/experiments/conv_eigen.h"
#include "profiler/experiments/experiment_defs.h"
#include "test_experiment_util.h"

namespace rs {
namespace {


const MachineProfile& machine() {
  static const MachineProfile m = test_experiment::machine();
  return m;
}

std::vector<ArmSpec> arms_of(const std::string& name, Scale scale) {
  ExperimentContext ctx = test_experiment::tiny_context(machine());
  ctx.scale = scale;
  return find_experiment(name).arms(ctx);
}

const ArmSpec& spec(const std::vector<ArmSpec>& arms, const std::string& name) {
  for (const ArmSpec& a : arms)
    if (a.name == name) return a;
  throw std::logic_error("no arm " + name);
}

/// Cost of the graph as the runner compiles it (optimize(graph, fuse)).
OpCost optimized_cost(const ArmSpec& a) {
  Graph g = a.graph;
  optimize(g, a.fuse);
  return graph_cost(g);
}

const Dims& output_dims(const Graph& g) { return g.value(g.outputs.at(0)).desc.dims; }

int count_kind(const Graph& g, OpKind kind) {
  int n = 0;
  for (int id : g.live_nodes()) n += g.node(id).kind == kind;
  return n;
}

class ArmsAtScale : public ::testing::TestWithParam<Scale> {};

TEST_P(ArmsAtScale, DwconvHasExactlyCTimesFewerFlops) {
  const auto arms = arms_of("dwconv-vs-conv", GetParam());
  const ArmSpec& dense = spec(arms, "conv");
  const ArmSpec& dw = spec(arms, "dwconv");
  const std::int64_t c = dense.graph.value(dense.graph.inputs[0]).desc.dims[1];
  EXPECT_EQ(graph_cost(dense.graph).flops, c * graph_cost(dw.graph).flops);
  EXPECT_EQ(graph_cost(dense.graph).macs, c * graph_cost(dw.graph).macs);
  EXPECT_EQ(output_dims(dense.graph), output_dims(dw.graph));
  EXPECT_EQ(dense.focus_node, "conv");
  EXPECT_EQ(dw.graph.node(0).attr<ConvAttrs>().groups, c);
}

TEST_P(ArmsAtScale, DeepAndWideNetsHaveEqualFlopsWithinOnePercent) {
  const auto arms = arms_of("deep-vs-wide", GetParam());
  ASSERT_GE(arms.size(), 3u);
  const double reference = static_cast<double>(optimized_cost(arms[0]).flops);
  std::set<int> layer_counts;
  for (const ArmSpec& a : arms) {
    EXPECT_NEAR(static_cast<double>(optimized_cost(a).flops) / reference, 1.0, 0.01) << a.name;
    EXPECT_TRUE(a.per_op) << a.name;
    layer_counts.insert(count_kind(a.graph, OpKind::Conv));
  }
  EXPECT_EQ(layer_counts, (std::set<int>{1, 4, 16}));
}

TEST_P(ArmsAtScale, ChannelAlignmentArmsAreOneConvOfTheirChannels) {
  for (const ArmSpec& a : arms_of("channel-alignment", GetParam())) {
    const Dims& src = a.graph.value(a.graph.inputs[0]).desc.dims;
    const std::int64_t c = src[1], hw = src[2];
    EXPECT_EQ(a.name, "c=" + std::to_string(c));
    EXPECT_EQ(graph_cost(a.graph).flops, 2 * c * c * 9 * hw * hw) << a.name;  // 3x3, pad 1: same H, W out
  }
}

TEST_P(ArmsAtScale, KernelShapesShareTheOutputShape) {
  const auto arms = arms_of("kernel-shape", GetParam());
  ASSERT_EQ(arms.size(), 9u);
  for (const ArmSpec& a : arms) EXPECT_EQ(output_dims(a.graph), output_dims(arms[0].graph)) << a.name;
  EXPECT_EQ(spec(arms, "3x3 d2").graph.node(0).attr<ConvAttrs>().dilation, (std::array<std::int64_t, 2>{2, 2}));
  EXPECT_EQ(spec(arms, "3x3 s3").graph.node(0).attr<ConvAttrs>().stride, (std::array<std::int64_t, 2>{3, 3}));
}

TEST_P(ArmsAtScale, FusionOrderFoldsOnlyTheConvBnReluOrder) {
  const auto arms = arms_of("fusion-order", GetParam());
  Graph fused = spec(arms, "conv-bn-relu").graph, kept = spec(arms, "conv-relu-bn").graph;
  optimize(fused, true);
  optimize(kept, true);
  EXPECT_EQ(fused.live_nodes().size(), 1u);  // conv (BN folded, ReLU as post-op)
  EXPECT_EQ(kept.live_nodes().size(), 2u);   // conv+relu, BN
  EXPECT_FALSE(spec(arms, "conv-bn-relu unfused").fuse);
  const OpCost a = graph_cost(fused), b = graph_cost(kept);
  const std::int64_t elements = numel(output_dims(fused));
  EXPECT_EQ(b.flops, a.flops + 2 * elements);  // the BN kept: 2 FLOPs per element
  EXPECT_GT(b.bytes, a.bytes);
}

TEST_P(ArmsAtScale, TranscendentalArmsComeInEqualSizes) {
  const auto arms = arms_of("transcendental-eltwise", GetParam());
  ASSERT_EQ(arms.size(), 10u);
  for (std::size_t i = 0; i < arms.size(); ++i) {
    const std::size_t first = i < 5 ? 0 : 5;
    EXPECT_EQ(graph_cost(arms[i].graph).flops, graph_cost(arms[first].graph).flops) << arms[i].name;
    EXPECT_EQ(graph_cost(arms[i].graph).bytes, graph_cost(arms[first].graph).bytes) << arms[i].name;
  }
  EXPECT_LT(graph_cost(arms[0].graph).bytes, graph_cost(arms[5].graph).bytes);
}

TEST_P(ArmsAtScale, RegimeSweepSpansIntensity) {
  const auto arms = arms_of("roofline-regimes", GetParam());
  double last_conv_ai = 0;
  int eltwise = 0, conv = 0;
  for (const ArmSpec& a : arms) {
    const OpCost c = graph_cost(a.graph);
    if (a.graph.node(0).kind == OpKind::Eltwise) {
      EXPECT_DOUBLE_EQ(c.intensity(), 1.0 / 8) << a.name;  // 1 FLOP per 4-byte read + 4-byte write
      ++eltwise;
    } else {
      EXPECT_GT(c.intensity(), last_conv_ai) << a.name;
      last_conv_ai = c.intensity();
      ++conv;
    }
  }
  EXPECT_GE(eltwise, 3);
  EXPECT_GE(conv, 3);
}

TEST_P(ArmsAtScale, SoftwareImplArmsShareOneCost) {
  const auto arms = arms_of("software-impl", GetParam());
  ASSERT_EQ(arms.size(), 3u);
  const OpCost dnnl = graph_cost(arms[0].graph);
  for (std::size_t i = 1; i < arms.size(); ++i) {
    EXPECT_FALSE(arms[i].is_graph());
    EXPECT_EQ(arms[i].cost.flops, dnnl.flops) << arms[i].name;
    EXPECT_EQ(arms[i].cost.bytes, dnnl.bytes) << arms[i].name;
  }
}

INSTANTIATE_TEST_SUITE_P(Scales, ArmsAtScale, ::testing::Values(Scale::Tiny, Scale::Quick, Scale::Full),
                         [](const auto& info) { return std::string(scale_name(info.param)); });

// Model-level arms: built at Tiny only (zoo weights take seconds to generate; the relationships do not depend on
// the scale).
class ModelArms : public ::testing::TestWithParam<Scale> {};

TEST_P(ModelArms, BatchSizeScalesFlopsExactlyAndRaisesIntensity) {
  const auto arms = arms_of("batch-size", GetParam());
  for (const char* model : {"resnet18", "mobilenet_v2"}) {
    const OpCost one = graph_cost(spec(arms, std::string(model) + " b1").graph);
    double last_ai = 0;
    for (const ArmSpec& a : arms) {
      if (a.name.rfind(model, 0) != 0) continue;
      const std::int64_t batch = a.graph.value(a.graph.inputs[0]).desc.dims[0];
      const OpCost c = graph_cost(a.graph);
      EXPECT_EQ(c.flops, batch * one.flops) << a.name;
      EXPECT_GT(c.intensity(), last_ai) << a.name;  // weights are read once per batch
      last_ai = c.intensity();
    }
  }
}

TEST_P(ModelArms, ZooArmsIncludeThePairsTheClaimNames) {
  const auto arms = arms_of("flops-vs-latency", GetParam());
  std::set<std::string> names;
  for (const ArmSpec& a : arms) names.insert(a.name);
  for (const char* m : {"resnet18", "resnet50", "mobilenet_v2"}) EXPECT_EQ(names.count(m), 1u) << m;
  EXPECT_EQ(names.count("vgg16"), 0u);  // builds only at 224-255 pixels
  EXPECT_GT(graph_cost(spec(arms, "resnet18").graph).flops, 5 * graph_cost(spec(arms, "mobilenet_v2").graph).flops);
}

TEST_P(ModelArms, RuntimeArmsDifferOnlyInTheirOption) {
  const auto pool = arms_of("memory-pool", GetParam());
  ASSERT_EQ(pool.size(), 2u);
  EXPECT_TRUE(spec(pool, "pool").exec.pool);
  EXPECT_FALSE(spec(pool, "no pool").exec.pool);
  const auto bind = arms_of("thread-binding", GetParam());
  ASSERT_EQ(bind.size(), 2u);
  EXPECT_TRUE(spec(bind, "pinned").bind);
  EXPECT_FALSE(spec(bind, "unpinned").bind);
  for (const auto* arms : {&pool, &bind}) {
    EXPECT_EQ(graph_cost((*arms)[0].graph).flops, graph_cost((*arms)[1].graph).flops);
    EXPECT_TRUE((*arms)[0].count_os && (*arms)[1].count_os);
  }
}

INSTANTIATE_TEST_SUITE_P(Scales, ModelArms, ::testing::Values(Scale::Tiny),
                         [](const auto& info) { return std::string(scale_name(info.param)); });

TEST(ExperimentRegistry, TwelveUniqueNamedExperimentsCitingTheSeed) {
  std::set<std::string> names;
  for (const Experiment& e : experiments()) {
    names.insert(e.name);
    EXPECT_NE(e.advice.find("seed 001 §"), std::string::npos) << e.name;
    EXPECT_TRUE(e.arms && e.analyze) << e.name;
  }
  EXPECT_EQ(names.size(), 13u);
  EXPECT_EQ(&find_experiment("kernel-shape"), &experiments()[5]);
  try {
    find_experiment("nope");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown experiment 'nope' (available: flops-vs-latency,"), std::string::npos);
  }
}

TEST(InputSizeForOutput, InvertsTheWindowFormula) {
  EXPECT_EQ(experiment_set::input_size_for_output(28, 3, 2, 1, 1), 55);
  EXPECT_EQ(experiment_set::input_size_for_output(28, 3, 3, 0, 1), 84);
  EXPECT_EQ(experiment_set::input_size_for_output(28, 3, 1, 2, 2), 28);
  EXPECT_THROW(experiment_set::input_size_for_output(1, 1, 1, 3, 1), std::invalid_argument);
}

// software-impl's convolutions against the naive double-precision reference (kernels' reference_execute).
struct SoftConvCase {
  const char* name;
  experiment_set::ConvShape shape;
};
void PrintTo(const SoftConvCase& c, std::ostream* os) { *os << c.name; }

class SoftwareConv : public ::testing::TestWithParam<SoftConvCase> {};

TEST_P(SoftwareConv, EigenAndNaiveMatchTheReference) {
  const auto& s = GetParam().shape;
  const Graph g = experiment_set::conv_graph("conv", s, 5);
  const Node& node = g.node(0);
  const HostTensor src = experiment_set::random_tensor(g.value(g.inputs[0]).desc.dims, 9);
  const HostTensor weights{g.value(node.inputs[1]).desc.dims, *g.value(node.inputs[1]).data};
  const HostTensor ref = reference_execute(g, node, {&src, &weights});
  const ConvGeometry geo(s.attrs(), src.dims, ref.dims);
  std::vector<float> eigen(ref.data.size()), naive(ref.data.size());
  Im2colGemmConv conv(geo);
  conv.run(src.data.data(), weights.data.data(), nullptr, eigen.data());
  conv2d_naive(geo, src.data.data(), weights.data.data(), nullptr, naive.data());
  // f32 accumulation over C_in*KH*KW <= 288 terms of magnitude <= 1: tolerance 1e-4 absolute + 1e-4 relative.
  for (std::size_t i = 0; i < ref.data.size(); ++i) {
    const double tol = 1e-4 + 1e-4 * std::fabs(ref.data[i]);
    ASSERT_NEAR(eigen[i], ref.data[i], tol) << "eigen, element " << i;
    ASSERT_NEAR(naive[i], ref.data[i], tol) << "naive, element " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, SoftwareConv,
    ::testing::Values(SoftConvCase{"3x3_s1_p1", {1, 8, 9, 9, 16, 3, 1, 1, 1, 1}},
                      SoftConvCase{"3x3_s2_p1_batch2", {2, 5, 11, 11, 7, 3, 2, 1, 1, 1}},
                      SoftConvCase{"1x1", {1, 32, 6, 6, 8, 1, 1, 0, 1, 1}},
                      SoftConvCase{"5x5_dilated", {1, 4, 12, 12, 6, 3, 1, 2, 2, 1}},
                      SoftConvCase{"7x7_s3_no_pad", {1, 3, 20, 20, 4, 7, 3, 0, 1, 1}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SoftwareConvErrors, RejectsGroups) {
  experiment_set::ConvShape s{1, 4, 8, 8, 4, 3, 1, 1, 1, 4};
  const Graph g = experiment_set::conv_graph("dw", s);
  const ConvGeometry geo(s.attrs(), g.value(g.inputs[0]).desc.dims, output_dims(g));
  EXPECT_THROW(Im2colGemmConv{geo}, std::invalid_argument);
  EXPECT_THROW(conv2d_naive(geo, nullptr, nullptr, nullptr, nullptr), std::invalid_argument);
}

}  // namespace
}  // namespace rs
