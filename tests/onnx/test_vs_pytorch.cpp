// ONNX models exported from PyTorch (scripts/export_torchvision.py) against PyTorch itself:
//  - outputs on a fixed input equal PyTorch's: relative L2 <= 1e-4, fused and unfused. PyTorch (MKL-DNN / its own
//    kernels) and oneDNN sum in different orders; f32 rounding over ~50 layers measures ~1e-6 here, and any mapping
//    error (a pad, a transposed weight, a wrong split) gives O(1). 1e-4 is the bound of the zoo-vs-reference tests.
//  - per-layer MACs and params of every Conv / FC / BatchNorm equal a forward-hook counter's (exact integers);
//  - the zoo models and their ONNX exports have identical totals (params, MACs, FLOPs), as written and optimized;
//  - Resize in the modes torch does not export against the exporter's numpy definition (ResizeNumpy).
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "graph/cost.h"
#include "graph/onnx/import.h"
#include "graph/passes.h"
#include "models/zoo.h"
#include "onnx_test_util.h"
#include "runtime/executor.h"
#include "runtime/topology.h"
#include "api/tensor_io.h"

namespace rs::test {
namespace {

constexpr double kTolerance = 1e-4;

const std::vector<std::string> kTorchvision{"resnet18", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1",
                                           "shufflenet_v2_x1_0"};
// Exported at 64 x 64 (SMALL_MODELS of scripts/export_torchvision.py): ResNeXt's grouped convs, 4 channels per
// group; FCN's dilated ResNet-50 and its bilinear Resize by sizes back to the input size.
const std::vector<std::string> kSmall{"resnext50_32x4d", "fcn_resnet50"};
// ConvNeXt at 64 x 64 (NEW_ARCH_MODELS): channels-last LayerNorm (decomposed at opset 13, LayerNormalization at 17),
// Linear on [N, H, W, C], GELU, layer scale. Its Linear layers are FullyConnected on [N*H*W, C] with the bias a
// separate Add, so its per-layer counts are not compared with the hooks (LayerCostsMatchHooks).
const std::vector<std::string> kNewArch{"convnext_tiny", "convnext_tiny_opset17"};
// F.interpolate nearest / bilinear, by scale and size, align_corners True / False (ResizeMix).
const std::vector<std::string> kResizeMix{"resize_mix_opset11", "resize_mix_opset13"};
// The Resize modes torch does not export, one node each (onnx.helper), against the exporter's numpy definition
// (RESIZE_CASES, resize_axis_matrix()): the oracle of these is numpy, not PyTorch.
const std::vector<std::string> kResizeNumpy{
    "resize_linear_asymmetric", "resize_linear_pytorch_half_pixel_to1", "resize_linear_half_pixel_scales",
    "resize_linear_align_corners_down", "resize_nearest_half_pixel_round_prefer_floor",
    "resize_nearest_half_pixel_round_prefer_ceil", "resize_nearest_align_corners_ceil",
    "resize_nearest_asymmetric_round_prefer_floor_scales", "resize_nearest_pytorch_half_pixel_floor"};
// OpsMix at opset 9 too: Pad, Split and Clip in their attribute forms.
const std::vector<std::string> kOpsMix{"ops_mix_opset9", "ops_mix_opset11", "ops_mix_opset13", "ops_mix_opset17"};
// F.interpolate nearest as opset 9 exports it (Upsample, scales input) and opset 10 (Resize-10), with ReLU6 as
// Clip by attributes (UpsampleMix); Upsample's other forms (opset 7 scales attribute, linear) against numpy.
const std::vector<std::string> kUpsampleMix{"upsample_mix_opset9", "upsample_mix_opset10"};
const std::vector<std::string> kUpsampleNumpy{"upsample_nearest_opset7", "upsample_linear_opset9"};
// Softplus, Mish (x * tanh(softplus(x)), folded), InstanceNormalization, Softplus(beta) as torch exports them.
const std::vector<std::string> kActMix{"act_mix_opset11", "act_mix_opset13", "act_mix_opset17"};
const auto kName = [](const auto& info) { return info.param; };

struct Oracle {
  Graph graph;
  HostTensor input, output;
};

Oracle load_oracle(const std::string& name) {
  Oracle o;
  o.graph = import_onnx(cache_file(name + ".onnx"));
  o.input = api::read_npy(cache_file(name + ".input.npy"));
  o.output = api::read_npy(cache_file(name + ".output.npy"));
  return o;
}

class MatchesPyTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(MatchesPyTorch, FusedAndUnfused) {
  const Oracle o = load_oracle(GetParam());
  for (const bool fuse : {true, false}) {
    const double err = rel_l2(run_graph(o.graph, o.input, fuse), o.output);
    RecordProperty(fuse ? "rel_l2_fused" : "rel_l2_unfused", ::testing::PrintToString(err));
    EXPECT_LE(err, kTolerance) << (fuse ? "fused" : "unfused");
  }
}

INSTANTIATE_TEST_SUITE_P(Torchvision, MatchesPyTorch, ::testing::ValuesIn(kTorchvision), kName);
INSTANTIATE_TEST_SUITE_P(Small, MatchesPyTorch, ::testing::ValuesIn(kSmall), kName);
INSTANTIATE_TEST_SUITE_P(NewArch, MatchesPyTorch, ::testing::ValuesIn(kNewArch), kName);
INSTANTIATE_TEST_SUITE_P(OpsMix, MatchesPyTorch, ::testing::ValuesIn(kOpsMix), kName);
INSTANTIATE_TEST_SUITE_P(ResizeMix, MatchesPyTorch, ::testing::ValuesIn(kResizeMix), kName);
INSTANTIATE_TEST_SUITE_P(ResizeNumpy, MatchesPyTorch, ::testing::ValuesIn(kResizeNumpy), kName);
INSTANTIATE_TEST_SUITE_P(UpsampleMix, MatchesPyTorch, ::testing::ValuesIn(kUpsampleMix), kName);
INSTANTIATE_TEST_SUITE_P(UpsampleNumpy, MatchesPyTorch, ::testing::ValuesIn(kUpsampleNumpy), kName);
INSTANTIATE_TEST_SUITE_P(ActMix, MatchesPyTorch, ::testing::ValuesIn(kActMix), kName);

// The oracle is only a test while its activations are alive: PyTorch's output neither (near) constant nor blown up
// by the seeded weights (std in [1e-3, 1e4]; measured 0.31 for resnext50_32x4d, 58 for fcn_resnet50, at 64 x 64).
class OracleIsAlive : public ::testing::TestWithParam<std::string> {};

TEST_P(OracleIsAlive, OutputStdNeitherZeroNorHuge) {
  const HostTensor y = api::read_npy(cache_file(GetParam() + ".output.npy"));
  double sum = 0, sq = 0;
  for (float v : y.data) sum += v;
  const double mean = sum / double(y.data.size());
  for (float v : y.data) sq += (v - mean) * (v - mean);
  const double std = std::sqrt(sq / double(y.data.size()));
  RecordProperty("output_std", ::testing::PrintToString(std));
  EXPECT_GT(std, 1e-3);
  EXPECT_LT(std, 1e4);
}

INSTANTIATE_TEST_SUITE_P(Torchvision, OracleIsAlive, ::testing::ValuesIn(kTorchvision), kName);
INSTANTIATE_TEST_SUITE_P(Small, OracleIsAlive, ::testing::ValuesIn(kSmall), kName);
INSTANTIATE_TEST_SUITE_P(NewArch, OracleIsAlive, ::testing::ValuesIn(kNewArch), kName);
INSTANTIATE_TEST_SUITE_P(UpsampleMix, OracleIsAlive, ::testing::ValuesIn(kUpsampleMix), kName);
INSTANTIATE_TEST_SUITE_P(UpsampleNumpy, OracleIsAlive, ::testing::ValuesIn(kUpsampleNumpy), kName);
INSTANTIATE_TEST_SUITE_P(ActMix, OracleIsAlive, ::testing::ValuesIn(kActMix), kName);

// The old forms become the new ops: Upsample and Resize-10 one Resize each (asymmetric, floor), ReLU6 by attributes
// a Clip; torch's Mish subgraph one Mish, its Softplus left only where no Tanh reads it.
TEST(OldForms, UpsampleBecomesResizeAndMishFolds) {
  for (const std::string& name : kUpsampleMix) {
    const Graph g = import_onnx(cache_file(name + ".onnx"));
    int resizes = 0, clips = 0;
    for (int id : g.live_nodes()) {
      const Node& n = g.node(id);
      if (n.kind == OpKind::Resize) {
        ++resizes;
        EXPECT_EQ(n.attr<ResizeAttrs>().coord, ResizeCoord::Asymmetric) << name;
        EXPECT_EQ(n.attr<ResizeAttrs>().nearest, ResizeNearest::Floor) << name;
      }
      clips += n.kind == OpKind::Eltwise && n.attr<EltwiseAttrs>().alg == EltwiseAlg::Clip;
    }
    EXPECT_EQ(resizes, 2) << name;
    EXPECT_EQ(clips, 1) << name;
  }
  for (const std::string& name : kActMix) {
    const Graph g = import_onnx(cache_file(name + ".onnx"));
    int mish = 0, softplus = 0, tanh = 0;
    for (int id : g.live_nodes()) {
      const Node& n = g.node(id);
      if (n.kind != OpKind::Eltwise) continue;
      mish += n.attr<EltwiseAttrs>().alg == EltwiseAlg::Mish;
      softplus += n.attr<EltwiseAttrs>().alg == EltwiseAlg::Softplus;
      tanh += n.attr<EltwiseAttrs>().alg == EltwiseAlg::Tanh;
    }
    EXPECT_EQ(mish, 1) << name;
    EXPECT_EQ(softplus, 2) << name;
    EXPECT_EQ(tanh, 0) << name;
  }
}

// Both exports become the same ops: 23 LayerNorms (stem, 3 downsamplings, 18 blocks, the classifier), 18
// GELUs as one GeluErf each, no ReduceMean, Erf, Pow or Sqrt left, no Transpose.
class ConvNextImport : public ::testing::TestWithParam<std::string> {};

TEST_P(ConvNextImport, LayerNormAndGeluFolded) {
  const Graph g = import_onnx(cache_file(GetParam() + ".onnx"));
  int ln = 0, gelu = 0;
  for (int id : g.live_nodes()) {
    const Node& n = g.node(id);
    EXPECT_NE(n.kind, OpKind::ReduceMean) << n.name;
    ln += n.kind == OpKind::LayerNorm;
    if (n.kind != OpKind::Eltwise) continue;
    const EltwiseAlg alg = n.attr<EltwiseAttrs>().alg;
    gelu += alg == EltwiseAlg::GeluErf;
    EXPECT_TRUE(alg != EltwiseAlg::Erf && alg != EltwiseAlg::Pow && alg != EltwiseAlg::Sqrt) << n.name;
  }
  EXPECT_EQ(ln, 23);
  EXPECT_EQ(gelu, 18);
  // No Transpose left: the 5 channels-first LayerNorms (stem, 3 downsamplings, classifier) fold into channel-axis
  // ones, and each block's channels-last chain (LayerNorm -> Linear -> GELU -> Linear) runs on the NCHW tensor,
  // its Linears as 1x1 Convs with their biases: 36 of them, no Add, no Reshape but the classifier's flatten.
  int transposes = 0, reshapes = 0, pointwise = 0, binaries = 0;
  for (int id : g.live_nodes()) {
    const Node& n = g.node(id);
    transposes += n.kind == OpKind::Transpose;
    reshapes += n.kind == OpKind::Reshape;
    binaries += n.kind == OpKind::Binary;
    pointwise += n.kind == OpKind::Conv && n.attr<ConvAttrs>().kernel[0] == 1 && n.attr<ConvAttrs>().has_bias;
  }
  EXPECT_EQ(transposes, 0);
  EXPECT_EQ(reshapes, 1);
  EXPECT_EQ(pointwise, 2 * 18);
  EXPECT_EQ(binaries, 2 * 18);  // per block: the layer-scale Mul and the residual Add
}

INSTANTIATE_TEST_SUITE_P(NewArch, ConvNextImport, ::testing::ValuesIn(kNewArch), kName);

class LayerCostsMatchHooks : public ::testing::TestWithParam<std::string> {};

TEST_P(LayerCostsMatchHooks, PerConvFcAndBatchNorm) {
  const Graph g = import_onnx(cache_file(GetParam() + ".onnx"));
  std::ifstream in(cache_file(GetParam() + ".layers.json"));
  const auto rows = nlohmann::json::parse(in)["layers"];
  std::vector<const Node*> layers;
  for (int id : g.live_nodes()) {
    const OpKind k = g.node(id).kind;
    if (k == OpKind::Conv || k == OpKind::Deconv || k == OpKind::FullyConnected || k == OpKind::BatchNorm)
      layers.push_back(&g.node(id));
  }
  ASSERT_EQ(layers.size(), rows.size());
  OpCost total;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Node& n = *layers[i];
    const OpCost c = op_cost(g, n);
    total += c;
    EXPECT_EQ(torch_module_of(n.name), rows[i]["name"].get<std::string>()) << "layer " << i;
    EXPECT_EQ(c.macs, rows[i]["macs"].get<std::int64_t>()) << n.name;
    EXPECT_EQ(c.params, rows[i]["params"].get<std::int64_t>()) << n.name;
    EXPECT_EQ(g.value(n.outputs[0]).desc.dims, rows[i]["output_shape"].get<Dims>()) << n.name;
  }
  EXPECT_EQ(total.params, graph_cost(g).params);  // no other op holds parameters
}

INSTANTIATE_TEST_SUITE_P(Torchvision, LayerCostsMatchHooks, ::testing::ValuesIn(kTorchvision), kName);
INSTANTIATE_TEST_SUITE_P(Small, LayerCostsMatchHooks, ::testing::ValuesIn(kSmall), kName);

class ZooEqualsOnnx : public ::testing::TestWithParam<std::string> {};

TEST_P(ZooEqualsOnnx, TotalsAsWrittenAndOptimized) {
  Graph zoo = build_model(GetParam(), {});
  Graph onnx = import_onnx(cache_file(GetParam() + ".onnx"));
  for (const bool optimized : {false, true}) {
    if (optimized) {
      optimize(zoo, true);
      optimize(onnx, true);
    }
    const OpCost z = graph_cost(zoo), o = graph_cost(onnx);
    EXPECT_EQ(o.params, z.params) << (optimized ? "optimized" : "as written");
    EXPECT_EQ(o.macs, z.macs) << (optimized ? "optimized" : "as written");
    EXPECT_EQ(o.flops, z.flops) << (optimized ? "optimized" : "as written");
    EXPECT_EQ(onnx.live_nodes().size(), zoo.live_nodes().size()) << (optimized ? "optimized" : "as written");
  }
}

// The optimized graphs compile to the same steps: op, oneDNN implementation, layouts and shapes, so the ONNX model
// runs as fast as the zoo one (bench/bench_onnx_vs_zoo measures it).
TEST_P(ZooEqualsOnnx, SameExecutionPlan) {
  bind_threads(topology().physical_cores, true);
  Graph zoo = build_model(GetParam(), {});
  Graph onnx = import_onnx(cache_file(GetParam() + ".onnx"));
  optimize(zoo, true);
  optimize(onnx, true);
  const Executor z(std::move(zoo)), o(std::move(onnx));
  ASSERT_EQ(o.steps().size(), z.steps().size());
  for (std::size_t i = 0; i < z.steps().size(); ++i) {
    const ExecStep &a = z.steps()[i], &b = o.steps()[i];
    EXPECT_EQ(b.label, a.label) << "step " << i << ": " << a.name << " / " << b.name;
    EXPECT_EQ(b.impl, a.impl) << "step " << i << ": " << a.name << " / " << b.name;
    EXPECT_EQ(b.src_layouts, a.src_layouts) << "step " << i;
    EXPECT_EQ(b.dst_layout, a.dst_layout) << "step " << i;
    EXPECT_EQ(b.dst_dims, a.dst_dims) << "step " << i;
  }
  EXPECT_EQ(o.memory().arena_bytes, z.memory().arena_bytes);
}

// shufflenet_v2 is not in the zoo.
INSTANTIATE_TEST_SUITE_P(Torchvision, ZooEqualsOnnx,
                         ::testing::Values("resnet18", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1"), kName);

TEST(OnnxImport, TorchvisionResNet18KnownTotals) {
  const OpCost c = graph_cost(import_onnx(cache_file("resnet18.onnx")));
  EXPECT_EQ(c.params, 11689512);  // torchvision's resnet18 parameter count
  EXPECT_EQ(c.macs, 1814073344);  // 1.81 GMACs at 224 x 224
}

TEST(OnnxImport, ShuffleNetFoldsShapeSubgraphsIntoSlices) {
  // torch exports x.chunk(2, dim=1) as Shape -> Gather -> Add -> Div -> Mul -> Slice: the arithmetic folds, only the
  // Slices remain (ShuffleNet has no other Add, Mul or Div).
  const Graph g = import_onnx(cache_file("shufflenet_v2_x1_0.onnx"));
  int slices = 0;
  for (int id : g.live_nodes()) {
    const Node& n = g.node(id);
    EXPECT_NE(n.kind, OpKind::Binary) << n.name;
    if (n.kind == OpKind::Slice) {
      ++slices;
      EXPECT_EQ(n.attr<SliceAttrs>().begin.size(), 4u);
    }
  }
  EXPECT_EQ(slices, 26);  // two channel halves in each of the 13 stride-1 blocks
}

}  // namespace
}  // namespace rs::test
