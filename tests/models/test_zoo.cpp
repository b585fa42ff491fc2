// Zoo models against torchvision's published figures: parameter counts (exact), MACs, output dims, naming, errors.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "graph/cost.h"
#include "models/zoo.h"

namespace rs {
namespace {

/// Reference figures. params: sum(p.numel() for p in model.parameters()) of torchvision 0.14 (its model docs list
/// the same numbers); MobileNet v1: the trainable parameters of keras.applications.MobileNet(alpha=1.0).
/// macs: torchvision's "GFLOPS" column (which counts multiply-accumulates of conv and linear layers) for ResNet,
/// MobileNet v2 and VGG at the precision the brief gives; MobileNet v1: the paper's 569M mult-adds (Table 8).
/// mac_rel_tol: allowed relative error of the MACs; 0.1% where the reference is exact, the rounding of the
/// published figure otherwise.
struct ZooCase {
  const char* name;
  std::int64_t params;
  double macs;
  double mac_rel_tol;
};

class ZooModel : public ::testing::TestWithParam<ZooCase> {};

/// One build per check group: under ctest every test is its own process, so each build is paid per test.
TEST_P(ZooModel, MatchesTorchvisionAtBatch1) {
  const ZooCase& c = GetParam();
  const Graph g = build_model(c.name, ModelOptions{});
  const OpCost cost = graph_cost(g);
  EXPECT_EQ(cost.params, c.params);
  const double macs = static_cast<double>(cost.macs);
  EXPECT_LE(std::abs(macs - c.macs) / c.macs, c.mac_rel_tol) << macs << " MACs";
  EXPECT_EQ(g.name, c.name);
  ASSERT_EQ(g.inputs.size(), 1u);
  ASSERT_EQ(g.outputs.size(), 1u);
  EXPECT_EQ(g.value(g.inputs[0]).name, "input");
  EXPECT_EQ(g.value(g.inputs[0]).desc.dims, (Dims{1, 3, 224, 224}));
  EXPECT_EQ(g.value(g.outputs[0]).name, "output");
  EXPECT_EQ(g.value(g.outputs[0]).desc.dims, (Dims{1, 1000}));
  std::set<std::string> names;
  for (const Node& n : g.nodes) {
    EXPECT_TRUE(names.insert(n.name).second) << "duplicate " << n.name;
    for (auto d : g.value(n.outputs[0]).desc.dims) EXPECT_GT(d, 0) << node_label(n);
  }
}

/// Batch scales MACs linearly and leaves params alone.
TEST_P(ZooModel, Batch2DoublesMacsAndKeepsParams) {
  const ZooCase& c = GetParam();
  ModelOptions o;
  o.batch = 2;
  const Graph g = build_model(c.name, o);
  EXPECT_EQ(g.value(g.inputs[0]).desc.dims, (Dims{2, 3, 224, 224}));
  EXPECT_EQ(g.value(g.outputs[0]).desc.dims, (Dims{2, 1000}));
  const OpCost cost = graph_cost(g);
  EXPECT_EQ(cost.params, c.params);
  EXPECT_LE(std::abs(static_cast<double>(cost.macs) - 2 * c.macs) / (2 * c.macs), c.mac_rel_tol);
}

INSTANTIATE_TEST_SUITE_P(Torchvision, ZooModel,
                         ::testing::Values(ZooCase{"resnet18", 11689512, 1814073344.0, 1e-3},
                                           ZooCase{"resnet50", 25557032, 4089184256.0, 1e-3},
                                           ZooCase{"mobilenet_v1", 4231976, 569e6, 1e-3},
                                           ZooCase{"mobilenet_v2", 3504872, 300774272.0, 1e-3},
                                           ZooCase{"mobilenet_v3_small", 2542856, 0.06e9, 0.005e9 / 0.06e9},
                                           ZooCase{"vgg16", 138357544, 15470264320.0, 1e-3},
                                           ZooCase{"squeezenet1_1", 1235496, 0.35e9, 0.005e9 / 0.35e9}),
                         [](const ::testing::TestParamInfo<ZooCase>& info) { return std::string(info.param.name); });

TEST(Zoo, ListsEveryModelOnceInOrder) {
  std::vector<std::string> names;
  for (const ZooEntry& e : zoo()) {
    names.push_back(e.name);
    EXPECT_FALSE(e.description.empty()) << e.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"resnet18", "resnet50", "mobilenet_v1", "mobilenet_v2",
                                             "mobilenet_v3_small", "vgg16", "squeezenet1_1"}));
}

TEST(Zoo, NumClassesSetsTheOutputWidth) {
  ModelOptions o;
  o.num_classes = 10;
  const Graph g = build_model("mobilenet_v3_small", o);
  EXPECT_EQ(g.value(g.outputs[0]).desc.dims, (Dims{1, 10}));
}

/// Names follow torchvision's modules (state_dict keys for constants), so hooks and ONNX exports can be matched.
TEST(Zoo, NamesFollowTorchvisionModules) {
  const Graph r = build_model("resnet50", ModelOptions{});
  for (const char* v : {"conv1", "bn1", "relu", "maxpool", "layer1.0.conv1", "layer1.0.relu", "layer1.0.relu_1",
                        "layer1.0.relu_2", "layer1.0.downsample.0", "layer1.0.downsample.1", "layer4.2.bn3",
                        "layer2.0.downsample.0.weight", "layer4.2.bn3.running_var", "avgpool", "fc.weight", "fc.bias"})
    EXPECT_GE(r.find_value(v), 0) << v;
  EXPECT_LT(r.find_value("layer1.1.downsample.0"), 0) << "only the first block of a stage downsamples";
  const Graph m = build_model("mobilenet_v2", ModelOptions{});
  for (const char* v :
       {"features.0.0", "features.0.2", "features.1.conv.0.0", "features.1.conv.1", "features.1.conv.2",
        "features.2.conv.0.0", "features.2.conv.3", "features.3.add", "features.18.0", "classifier.1.weight"})
    EXPECT_GE(m.find_value(v), 0) << v;
  const Graph s = build_model("mobilenet_v3_small", ModelOptions{});
  for (const char* v : {"features.1.block.1.fc1", "features.1.block.1.scale_activation", "features.4.block.3.0",
                        "features.5.add", "classifier.0", "classifier.1"})
    EXPECT_GE(s.find_value(v), 0) << v;
}

TEST(ZooErrors, UnknownModelListsTheAvailableOnes) {
  try {
    build_model("resnet19", ModelOptions{});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "unknown model 'resnet19' (available: resnet18, resnet50, mobilenet_v1, mobilenet_v2, "
              "mobilenet_v3_small, vgg16, squeezenet1_1)");
  }
}

struct BadOptionsCase {
  ModelOptions options;
  const char* message;
};

class ZooBadOptions : public ::testing::TestWithParam<BadOptionsCase> {};

TEST_P(ZooBadOptions, AreRejectedWithTheFlagAndValue) {
  try {
    build_model("resnet18", GetParam().options);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), GetParam().message);
  }
}

INSTANTIATE_TEST_SUITE_P(Options, ZooBadOptions,
                         ::testing::Values(BadOptionsCase{{0, 224, 0, 1000}, "--batch must be >= 1 (got 0)"},
                                           BadOptionsCase{{-3, 224, 0, 1000}, "--batch must be >= 1 (got -3)"},
                                           BadOptionsCase{{1, 0, 0, 1000}, "--size must be >= 1 (got 0)"},
                                           BadOptionsCase{{1, 224, 0, 0}, "--num-classes must be >= 1 (got 0)"}));

/// Too-small inputs fail in shape inference at the first layer whose window no longer fits.
struct TooSmallCase {
  const char* model;
  int size;
  const char* layer;  ///< node named in the GraphError
};

class ZooTooSmall : public ::testing::TestWithParam<TooSmallCase> {};

TEST_P(ZooTooSmall, NamesTheLayerThatDoesNotFit) {
  const TooSmallCase& c = GetParam();
  ModelOptions o;
  o.size = c.size;
  try {
    build_model(c.model, o);
    FAIL() << "no exception";
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find(std::string("'") + c.layer + "'"), std::string::npos) << e.what();
  }
}

// vgg16 at 16: 8, 4, 2, 1, then the 5th 2x2 max pool (features.30) gets a 1x1 map. At 160 the features are 5x5,
// which AdaptiveAvgPool2d((7, 7)) would upsample (not built). squeezenet1_1 at 8: 3x3 s2 conv -> 3, pool -> 1,
// the 3x3 pool features.5 does not fit 1x1. Stride-2 convs with padding keep >= 1 pixel, so ResNet and MobileNet
// accept every size >= 1 (as PyTorch does).
INSTANTIATE_TEST_SUITE_P(Sizes, ZooTooSmall,
                         ::testing::Values(TooSmallCase{"vgg16", 16, "features.30"},
                                           TooSmallCase{"vgg16", 160, "avgpool"},
                                           TooSmallCase{"squeezenet1_1", 8, "features.5"},
                                           TooSmallCase{"squeezenet1_1", 2, "features.0"}));

TEST(Zoo, ResNetAndMobileNetAcceptTinyInputs) {
  for (const char* name : {"resnet18", "mobilenet_v2"}) {
    ModelOptions o;
    o.size = 1;
    const Graph g = build_model(name, o);
    EXPECT_EQ(g.value(g.outputs[0]).desc.dims, (Dims{1, 1000})) << name;
  }
}

TEST(Zoo, Vgg16AdaptivePoolIsIdentityAt224AndAnAvgPoolAt448) {
  const Graph g224 = build_model("vgg16", ModelOptions{});
  EXPECT_LT(g224.find_value("avgpool"), 0);
  ModelOptions o;
  o.size = 448;
  const Graph g448 = build_model("vgg16", o);
  const int pool = g448.find_value("avgpool");
  ASSERT_GE(pool, 0);
  const Node& n = g448.node(g448.value(pool).producer);
  EXPECT_EQ(n.kind, OpKind::AvgPool);
  EXPECT_EQ(n.attr<PoolAttrs>().kernel, (std::array<std::int64_t, 2>{2, 2}));
  EXPECT_EQ(g448.value(pool).desc.dims, (Dims{1, 512, 7, 7}));
  EXPECT_EQ(graph_cost(g448).params, 138357544);
}

}  // namespace
}  // namespace rs
