// GraphBuilder: initialisation statistics (as torch's), BN statistics, naming, shapes, errors, and seeding.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "models/builder.h"
#include "models/zoo.h"

namespace rs {
namespace {

const std::vector<float>& data_of(const Graph& g, const std::string& name) {
  const int id = g.find_value(name);
  if (id < 0 || !g.value(id).is_constant()) throw std::runtime_error("no constant " + name);
  return *g.value(id).data;
}

double mean_of(const std::vector<float>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); }

double stddev_of(const std::vector<float>& v) {
  const double m = mean_of(v);
  double s = 0;
  for (float x : v) s += (x - m) * (x - m);
  return std::sqrt(s / (v.size() - 1));
}

/// A conv layer's weight statistics.
struct ConvInitCase {
  std::int64_t in_c, out_c, kernel, groups;
};

class ConvInit : public ::testing::TestWithParam<ConvInitCase> {};

/// torch.nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu"): std = sqrt(2 / (w.size(0) * kh * kw)),
/// with no division by groups (torch's _calculate_fan_in_and_fan_out). Every case has >= 20k samples, so the
/// sample std is within ~0.5% (1 sigma) of the truth; tolerance 4%; |mean| within 5 standard errors.
/// Bias: nn.Conv2d's default U(-b, b), b = 1/sqrt(C_in/groups * kh * kw).
TEST_P(ConvInit, WeightsAreKaimingNormalFanOutAndBiasIsTorchDefault) {
  const ConvInitCase& c = GetParam();
  GraphBuilder b("t", 7);
  const int x = b.input("input", {1, c.in_c, 8, 8});
  const Graph g = b.finish(b.conv(x, c.out_c, c.kernel, 1, c.kernel / 2, c.groups, true, "conv"));
  const auto& w = data_of(g, "conv.weight");
  ASSERT_EQ(static_cast<std::int64_t>(w.size()), c.out_c * c.in_c / c.groups * c.kernel * c.kernel);
  const double want = std::sqrt(2.0 / static_cast<double>(c.out_c * c.kernel * c.kernel));
  EXPECT_NEAR(stddev_of(w) / want, 1.0, 0.04);
  EXPECT_LT(std::abs(mean_of(w)), 5 * want / std::sqrt(static_cast<double>(w.size())));
  const auto& bias = data_of(g, "conv.bias");
  const double bound = 1.0 / std::sqrt(static_cast<double>(c.in_c / c.groups * c.kernel * c.kernel));
  double max_abs = 0;
  for (float v : bias) max_abs = std::max(max_abs, std::abs(static_cast<double>(v)));
  EXPECT_LE(max_abs, bound);
  EXPECT_GT(max_abs, 0.5 * bound);  // P(all of >= 64 draws in half the range) <= 2^-64
}

INSTANTIATE_TEST_SUITE_P(Shapes, ConvInit,
                         ::testing::Values(ConvInitCase{64, 128, 3, 1},        // dense 3x3
                                           ConvInitCase{256, 512, 1, 1},       // pointwise
                                           ConvInitCase{1024, 1024, 5, 1024},  // depthwise: fan_out = 1024 * 25
                                           ConvInitCase{128, 256, 3, 4}));     // grouped

/// BN statistics are non-trivial so that folding is tested: gamma, running_var ~ U(0.5, 1.5); beta, running_mean
/// ~ N(0, 0.1^2). 4096 channels: the sample std of the normal ones is within ~1.1% (1 sigma); tolerance 10%.
TEST(Builder, BatchNormStatisticsAreNonTrivial) {
  GraphBuilder b("t", 3);
  const int x = b.input("input", {1, 4096, 1, 1});
  const Graph g = b.finish(b.bn(x, "bn"));
  for (const char* uniform_name : {"bn.weight", "bn.running_var"}) {
    const auto& v = data_of(g, uniform_name);
    EXPECT_GE(*std::min_element(v.begin(), v.end()), 0.5f) << uniform_name;
    EXPECT_LE(*std::max_element(v.begin(), v.end()), 1.5f) << uniform_name;
    EXPECT_NEAR(stddev_of(v), 1.0 / std::sqrt(12.0), 0.1 / std::sqrt(12.0)) << uniform_name;
  }
  for (const char* normal_name : {"bn.bias", "bn.running_mean"})
    EXPECT_NEAR(stddev_of(data_of(g, normal_name)), 0.1, 0.01);
  const Node& n = g.node(0);
  EXPECT_EQ(n.kind, OpKind::BatchNorm);
  EXPECT_FLOAT_EQ(n.attr<BatchNormAttrs>().epsilon, 1e-5f);
}

/// nn.Linear default: weight and bias ~ U(-1/sqrt(in), 1/sqrt(in)); variance bound^2 / 3 within 3% (131k samples:
/// ~0.25% at 1 sigma).
TEST(Builder, FcIsTorchLinearDefault) {
  GraphBuilder b("t", 5);
  const int x = b.input("input", {2, 256});
  const Graph g = b.finish(b.fc(x, 512, "fc"));
  const double bound = 1.0 / 16.0;
  const auto& w = data_of(g, "fc.weight");
  ASSERT_EQ(w.size(), 512u * 256u);
  for (const auto* v : {&w, &data_of(g, "fc.bias")}) {
    EXPECT_GE(*std::min_element(v->begin(), v->end()), -bound);
    EXPECT_LE(*std::max_element(v->begin(), v->end()), bound);
  }
  EXPECT_NEAR(stddev_of(w) * stddev_of(w) / (bound * bound / 3), 1.0, 0.03);
  EXPECT_EQ(g.value(g.outputs[0]).desc.dims, (Dims{2, 512}));
}

struct ActCase {
  Act act;
  EltwiseAlg alg;
  float alpha, beta;
};

class Activation : public ::testing::TestWithParam<ActCase> {};

TEST_P(Activation, MapsToThePyTorchDefinition) {
  GraphBuilder b("t", 0);
  const Graph g = b.finish(b.act(b.input("input", {1, 4, 2, 2}), GetParam().act, "act"));
  const auto& a = g.node(0).attr<EltwiseAttrs>();
  EXPECT_EQ(a.alg, GetParam().alg);
  EXPECT_FLOAT_EQ(a.alpha, GetParam().alpha);
  EXPECT_FLOAT_EQ(a.beta, GetParam().beta);
}

INSTANTIATE_TEST_SUITE_P(Kinds, Activation,
                         ::testing::Values(ActCase{Act::Relu, EltwiseAlg::Relu, 0.f, 0.f},
                                           ActCase{Act::Relu6, EltwiseAlg::Clip, 0.f, 6.f},
                                           ActCase{Act::HardSwish, EltwiseAlg::HardSwish, 0.f, 0.f},
                                           ActCase{Act::HardSigmoid, EltwiseAlg::HardSigmoid, 1.f / 6.f, 0.5f},
                                           ActCase{Act::Sigmoid, EltwiseAlg::Sigmoid, 0.f, 0.f}));

TEST(Builder, ReusedActivationNamesGetOnnxSuffixes) {
  GraphBuilder b("t", 0);
  int x = b.input("input", {1, 4, 2, 2});
  for (int i = 0; i < 3; ++i) x = b.act(x, Act::Relu, "block.relu");
  const Graph g = b.finish(x);
  EXPECT_EQ(g.nodes[0].name, "block.relu");
  EXPECT_EQ(g.nodes[1].name, "block.relu_1");
  EXPECT_EQ(g.nodes[2].name, "block.relu_2");
}

TEST(Builder, ConvBnActUsesSamePaddingAndTorchvisionNames) {
  GraphBuilder b("t", 0);
  const int x = b.input("input", {1, 8, 9, 9});
  const int y = b.conv_bn_act(x, 16, 5, 2, 1, Act::Relu6, seq_names("features.0"));
  const int z = b.conv_bn_act(y, 16, 1, 1, 1, Act::None, {"conv", "bn", "unused"});
  const Graph g = b.finish(z);
  ASSERT_EQ(g.nodes.size(), 5u);
  EXPECT_EQ(g.nodes[0].name, "features.0.0");
  EXPECT_EQ(g.nodes[1].name, "features.0.1");
  EXPECT_EQ(g.nodes[2].name, "features.0.2");
  EXPECT_EQ(g.nodes[0].attr<ConvAttrs>().pads, (std::array<std::int64_t, 4>{2, 2, 2, 2}));
  EXPECT_FALSE(g.nodes[0].attr<ConvAttrs>().has_bias);
  EXPECT_EQ(g.nodes[4].name, "bn");
  EXPECT_EQ(g.value(z).desc.dims, (Dims{1, 16, 5, 5}));
}

TEST(Builder, FlattenAndConcatShapes) {
  GraphBuilder b("t", 0);
  const int x = b.input("input", {3, 4, 5, 6});
  EXPECT_EQ(b.dims(b.flatten(x, "flatten")), (Dims{3, 120}));
  EXPECT_EQ(b.dims(b.concat({x, x}, "cat")), (Dims{3, 8, 5, 6}));
  EXPECT_EQ(b.dims(b.global_avgpool(x, "pool")), (Dims{3, 4, 1, 1}));
}

TEST(Builder, AdaptiveAvgPoolIsIdentityOrExactAvgPoolOrAnError) {
  GraphBuilder b("t", 0);
  const int x7 = b.input("a", {1, 2, 7, 7});
  const int x21 = b.input("b", {1, 2, 21, 21});
  const int x5 = b.input("c", {1, 2, 5, 5});
  EXPECT_EQ(b.adaptive_avgpool(x7, 7, "p7"), x7);
  const int y = b.adaptive_avgpool(x21, 7, "p21");
  EXPECT_EQ(b.dims(y), (Dims{1, 2, 7, 7}));
  try {
    b.adaptive_avgpool(x5, 7, "p5");
    FAIL() << "no exception";
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("'p5'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[1, 2, 5, 5]"), std::string::npos) << e.what();
  }
}

TEST(Builder, LayerErrorsNameTheLayer) {
  GraphBuilder b("t", 0);
  const int x = b.input("input", {1, 6, 4, 4});
  EXPECT_THROW(b.conv(x, 8, 3, 1, 1, 4, false, "bad_groups"), GraphError);
  try {
    b.conv(x, 8, 7, 1, 0, 1, false, "too_big");
    FAIL() << "no exception";
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("'too_big'"), std::string::npos) << e.what();
  }
}

/// All constant data of a graph, in value order.
std::vector<std::vector<float>> constants(const Graph& g) {
  std::vector<std::vector<float>> out;
  for (const Value& v : g.values)
    if (v.is_constant()) out.push_back(*v.data);
  return out;
}

class Seeding : public ::testing::TestWithParam<const char*> {};

TEST_P(Seeding, SameSeedSameWeightsOtherSeedOtherWeights) {
  ModelOptions o;
  o.size = 64;  // weights do not depend on the input size; small activations keep the test quick
  o.seed = 11;
  const auto a = constants(build_model(GetParam(), o));
  const auto same = constants(build_model(GetParam(), o));
  o.seed = 12;
  const auto other = constants(build_model(GetParam(), o));
  ASSERT_EQ(a.size(), other.size());
  EXPECT_TRUE(a == same);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NE(a[i], other[i]) << "constant #" << i;
}

INSTANTIATE_TEST_SUITE_P(Models, Seeding, ::testing::Values("resnet18", "mobilenet_v3_small", "squeezenet1_1"));

}  // namespace
}  // namespace rs

namespace rs {
namespace {

/// shapes_only (predict): no draws, every constant at its distribution's mean (BN variance 1, Kaiming weights 0),
/// and the same graph otherwise: node for node, the same dims, the same costs.
TEST(Builder, ShapesOnlyDrawsNothingAndKeepsTheGraph) {
  ModelOptions drawn, means;
  means.shapes_only = true;
  const Graph a = build_model("resnet18", drawn), b = build_model("resnet18", means);
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  ASSERT_EQ(a.values.size(), b.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) EXPECT_EQ(a.values[i].desc.dims, b.values[i].desc.dims);
  for (const char* name : {"bn1.running_var", "bn1.weight"})
    for (float x : data_of(b, name)) ASSERT_FLOAT_EQ(x, 1.0f) << name;
  for (float x : data_of(b, "conv1.weight")) ASSERT_EQ(x, 0.0f);
  EXPECT_GT(stddev_of(data_of(a, "conv1.weight")), 0.01);  // the drawn one is not
}

}  // namespace
}  // namespace rs
