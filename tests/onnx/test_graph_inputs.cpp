// Several graph inputs: named shapes fix dynamic dims other than batch (OnnxOptions::named_shapes,
// `--input-shape name=1,3,H,W`), and `run --input name=x.npy` (repeatable) feeds each input; the unnamed forms still
// mean the first input. Errors name the input.
#include <fstream>

#include <gtest/gtest.h>

#include "graph/onnx/import.h"
#include "onnx_builder.h"
#include "onnx_test_util.h"
#include "../run_command.h"
#include "api/tensor_io.h"

namespace rs::test {
namespace {

/// y = a * b + a, a [1, 2, H, W] and b [1, 2, H, W] with dynamic H, W.
OnnxBuilder two_inputs() {
  OnnxBuilder b(13);
  b.input("a", {1, 2, -1, -1}).input("b", {1, 2, -1, -1}).output("y");
  b.node("Mul", {"a", "b"}, {"m"}, "mul");
  b.node("Add", {"m", "a"}, {"y"}, "add");
  return b;
}

TEST(GraphInputs, NamedShapesFixDynamicDims) {
  OnnxOptions o;
  o.named_shapes = {{"b", {1, 2, 3, 5}}};
  o.input_shape = {1, 2, 3, 5};  // the first input, unnamed
  const Graph g = import_onnx_bytes(two_inputs().bytes(), "two.onnx", o);
  ASSERT_EQ(g.inputs.size(), 2u);
  EXPECT_EQ(g.value(g.inputs[0]).desc.dims, (Dims{1, 2, 3, 5}));
  EXPECT_EQ(g.value(g.inputs[1]).desc.dims, (Dims{1, 2, 3, 5}));
}

TEST(GraphInputs, UnfixedOrUnknownOrTwiceGivenInputsNameTheInput) {
  OnnxOptions o;
  o.named_shapes = {{"a", {1, 2, 3, 5}}};
  try {
    import_onnx_bytes(two_inputs().bytes(), "two.onnx", o);
    FAIL() << "expected OnnxError";
  } catch (const OnnxError& e) {
    EXPECT_NE(std::string(e.what()).find("graph input 'b' has dims [1, 2, ?, ?]"), std::string::npos) << e.what();
  }
  o.named_shapes = {{"a", {1, 2, 3, 5}}, {"b", {1, 2, 3, 5}}, {"c", {1}}};
  try {
    import_onnx_bytes(two_inputs().bytes(), "two.onnx", o);
    FAIL() << "expected OnnxError";
  } catch (const OnnxError& e) {
    EXPECT_NE(std::string(e.what()).find("'c', which is not a graph input"), std::string::npos) << e.what();
  }
  o.named_shapes = {{"a", {1, 2, 3, 5}}};
  o.input_shape = {1, 2, 3, 5};
  EXPECT_THROW(import_onnx_bytes(two_inputs().bytes(), "two.onnx", o), OnnxError);
}

TEST(GraphInputs, RunFeedsEveryNamedInput) {
  const std::string dir = ::testing::TempDir();
  const std::string model = dir + "/two_inputs.onnx", a = dir + "/two_a.npy", b = dir + "/two_b.npy",
                    y = dir + "/two_y.npy";
  std::ofstream(model, std::ios::binary) << two_inputs().bytes();
  HostTensor ta{{1, 2, 3, 5}, std::vector<float>(30)}, tb = ta;
  for (std::size_t i = 0; i < 30; ++i) {
    ta.data[i] = 0.5f * float(i) - 3.f;
    tb.data[i] = 1.f - 0.1f * float(i);
  }
  api::write_npy(a, ta);
  api::write_npy(b, tb);
  const CommandResult r = run_command(std::string(ROOFSCOPE_EXE) + " run " + model +
                                      " --input-shape a=1,2,3,5 --input-shape b=1,2,3,5 --input b=" + b + " --input " +
                                      a + " --output " + y + " --iters 1 --warmup 0 --threads 1 --tune off 2>&1");
  ASSERT_EQ(r.status, 0) << r.out;
  HostTensor want = ta;
  for (std::size_t i = 0; i < 30; ++i) want.data[i] = ta.data[i] * tb.data[i] + ta.data[i];
  EXPECT_LE(rel_l2(api::read_npy(y), want), 1e-6);
  const CommandResult bad = run_command(std::string(ROOFSCOPE_EXE) + " run " + model +
                                        " --input-shape 1,2,3,5 --input-shape b=1,2,3,5 --input c=" + b +
                                        " --iters 1 --warmup 0 --threads 1 --tune off 2>&1");
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.out.find("no graph input 'c' (its inputs: a, b)"), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace rs::test
