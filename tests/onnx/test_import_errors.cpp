// The importer's failure paths: every bad file or unsupported construct gives one OnnxError naming the file and
// what is wrong (node, op_type, opset, supported ops), never a crash.
#include <random>
#include <typeinfo>

#include <gtest/gtest.h>

#include "graph/onnx/import.h"
#include "onnx_builder.h"
#include "onnx_test_util.h"

namespace rs::test {
namespace {

/// The OnnxError text of importing `bytes`, or "" when it imports.
std::string import_error(const std::string& bytes, const OnnxOptions& options = {}) {
  try {
    import_onnx_bytes(bytes, "model.onnx", options);
  } catch (const OnnxError& e) {
    return e.what();
  }
  return "";
}

#define EXPECT_CONTAINS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

struct BadBytes {
  const char* name;
  std::string (*make)();
};
void PrintTo(const BadBytes& b, std::ostream* os) { *os << b.name; }

std::string resnet_prefix(double fraction) {
  const std::string all = read_bytes(cache_file("resnet18.onnx"));
  return all.substr(0, static_cast<std::size_t>(static_cast<double>(all.size()) * fraction));
}

std::string random_bytes(std::size_t n) {
  std::mt19937 gen(7);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(gen());
  return s;
}

const BadBytes kBadBytes[] = {
    {"Empty", [] { return std::string(); }},
    {"ThreeBytes", [] { return std::string("\x08\x07\x12", 3); }},
    {"RandomBytes4KiB", [] { return random_bytes(4096); }},
    {"Text", [] { return std::string("hello, this is a text file and not an ONNX model\n"); }},
    {"Png", [] { return read_bytes(cache_file("sample.png")); }},
    {"Npy", [] { return read_bytes(cache_file("resnet18.input.npy")); }},
    {"TruncatedTo20Bytes", [] { return resnet_prefix(20.0 / 46.8e6); }},
    {"TruncatedToHalf", [] { return resnet_prefix(0.5); }},
    {"TruncatedLastByte", [] {
       std::string s = read_bytes(cache_file("resnet18.onnx"));
       s.pop_back();
       return s;
     }},
};

class RejectsMalformed : public ::testing::TestWithParam<BadBytes> {};

TEST_P(RejectsMalformed, WithOneClearError) {
  const std::string err = import_error(GetParam().make());
  ASSERT_FALSE(err.empty()) << "imported";
  EXPECT_EQ(err.rfind("model.onnx: ", 0), 0u) << err;
  const bool clear = err.find("not an ONNX model") != std::string::npos || err.find("truncated") != std::string::npos;
  EXPECT_TRUE(clear) << err;
}

INSTANTIATE_TEST_SUITE_P(Files, RejectsMalformed, ::testing::ValuesIn(kBadBytes),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(OnnxErrors, CorruptedBytesGiveOnnxErrorOrAValidGraph) {
  // 400 seeded corruptions (1-8 random bytes overwritten) of a model with folding, Split, Pad and MatMul: each
  // either still imports (the bytes hit a float) or throws OnnxError; no other exception, no crash.
  const std::string good = read_bytes(cache_file("ops_mix_opset13.onnx"));
  std::mt19937 gen(11);
  int imported = 0, rejected = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::string bytes = good;
    const int flips = 1 + static_cast<int>(gen() % 8);
    for (int f = 0; f < flips; ++f) bytes[gen() % bytes.size()] = static_cast<char>(gen());
    try {
      import_onnx_bytes(bytes, "fuzz.onnx");
      ++imported;
    } catch (const OnnxError&) {
      ++rejected;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "trial " << trial << ": " << typeid(e).name() << ": " << e.what();
    }
  }
  RecordProperty("imported", imported);
  RecordProperty("rejected", rejected);
  EXPECT_GT(rejected, 0);
}

TEST(OnnxErrors, MissingFile) {
  EXPECT_THROW(
      try { import_onnx("/nonexistent/model.onnx"); } catch (const OnnxError& e) {
        EXPECT_CONTAINS(e.what(), "/nonexistent/model.onnx: does not exist");
        throw;
      },
      OnnxError);
}

TEST(OnnxErrors, UnsupportedOpNamesNodeOpTypeOpsetAndSupportedOps) {
  const std::string err = import_error(read_bytes(cache_file("unsupported_einsum.onnx")));
  EXPECT_CONTAINS(err, "node 'mix_einsum' (op_type Einsum, opset 13): unsupported op; supported ops: Add, AveragePool, "
                       "BatchNormalization, Cast, Clip, Concat");
  for (const auto& op : onnx_supported_ops()) EXPECT_CONTAINS(err, op);
}

TEST(OnnxErrors, UnsupportedAttributeValue) {
  const std::string err = import_error(read_bytes(cache_file("unsupported_pad_reflect.onnx")));
  EXPECT_CONTAINS(err, "node 'reflect_pad' (op_type Pad, opset 13): mode 'reflect' is not supported (only 'constant')");
  EXPECT_CONTAINS(err, "supported ops: Add");
}

/// x [1, 2, 4, 4] -> Relu (with attribute `attr` when given) -> y.
std::string relu_model(int opset, const std::string& attr = "", const std::string& domain = "") {
  OnnxBuilder b(opset);
  b.input("x", {1, 2, 4, 4}).output("y");
  auto& n = b.node("Relu", {"x"}, {"y"}, "act");
  if (!attr.empty()) attr_int(n, attr, 1);
  n.set_domain(domain);
  return b.bytes();
}

TEST(OnnxErrors, UnknownAttribute) {
  EXPECT_CONTAINS(import_error(relu_model(13, "inplace")),
                  "node 'act' (op_type Relu, opset 13): attribute 'inplace' is not supported; supported ops:");
}

// Below opset 11 an unknown attribute may be the op's older form (Slice-1's starts / ends): the error says so.
TEST(OnnxErrors, UnknownAttributeOfAnOldOpsetSaysReExport) {
  EXPECT_CONTAINS(import_error(relu_model(9, "inplace")),
                  "attribute 'inplace' is not supported (an opset 9 model: perhaps Relu's older form; re-export with "
                  "opset_version >= 11)");
}

TEST(OnnxErrors, OpsetOutOfRange) {
  EXPECT_CONTAINS(import_error(relu_model(6)), "model.onnx: opset 6 is not supported (opsets 7-17");
  EXPECT_EQ(import_error(relu_model(7)), "");
  EXPECT_EQ(import_error(relu_model(9)), "");
  EXPECT_CONTAINS(import_error(relu_model(18)), "opset 18 is not supported");
  EXPECT_EQ(import_error(relu_model(11)), "");
  EXPECT_EQ(import_error(relu_model(17)), "");
}

TEST(OnnxErrors, OtherDomain) {
  EXPECT_CONTAINS(import_error(relu_model(13, "", "com.microsoft")),
                  "node 'act' (op_type Relu, opset 13): domain 'com.microsoft' is not supported");
}

TEST(OnnxErrors, DynamicDimsNeedAShape) {
  OnnxBuilder b;
  b.input("x", {-1, 2, -1, -1}).output("y");
  b.node("Relu", {"x"}, {"y"});
  EXPECT_CONTAINS(import_error(b.bytes()), "graph input 'x' has dims [1, 2, ?, ?] with a dynamic or invalid dim; "
                                           "fix them with --input-shape");
  OnnxOptions o;
  o.input_shape = {1, 2};
  EXPECT_CONTAINS(import_error(b.bytes(), o), "input shape [1, 2] has rank 2, graph input 'x' [?, 2, ?, ?] has rank 4");
}

TEST(OnnxErrors, ExternalDataAndUnsupportedTypes) {
  OnnxBuilder b;
  b.input("x", {1, 3}).output("y").init("w", {3}, {1, 2, 3});
  b.node("Mul", {"x", "w"}, {"y"});
  onnx::TensorProto& w = *b.model().mutable_graph()->mutable_initializer(0);
  w.set_data_location(onnx::TensorProto_DataLocation_EXTERNAL);
  EXPECT_CONTAINS(import_error(b.bytes()), "initializer 'w': external data");
  w.set_data_location(onnx::TensorProto_DataLocation_DEFAULT);
  w.set_data_type(onnx::TensorProto_DataType_FLOAT16);
  EXPECT_CONTAINS(import_error(b.bytes()), "initializer 'w': data type FLOAT16 is not supported");
  w.set_data_type(onnx::TensorProto_DataType_FLOAT);
  w.add_dims(2);  // [3, 2] but 3 floats
  EXPECT_CONTAINS(import_error(b.bytes()), "initializer 'w': float_data holds 3 elements, dims [3, 2] need 6");
}

TEST(OnnxErrors, ShapeErrorsNameTheNode) {
  OnnxBuilder b;
  b.input("x", {1, 3, 8, 8}).output("y").init("w", {4, 5, 3, 3}, std::vector<float>(180, 0.f));
  b.node("Conv", {"x", "w"}, {"y"}, "conv0");
  EXPECT_CONTAINS(import_error(b.bytes()), "node 'conv0' (op_type Conv, opset 13): node 'conv0' (Conv): weights must "
                                           "be [4, 3, 3, 3], got [4, 5, 3, 3]");
}

TEST(OnnxErrors, DanglingInputAndConstantOutput) {
  OnnxBuilder dangling;
  dangling.input("x", {1, 4}).output("y");
  dangling.node("Add", {"x", "ghost"}, {"y"}, "add");
  EXPECT_CONTAINS(import_error(dangling.bytes()), "input 'ghost' is not a graph input, an initializer or the output");
  OnnxBuilder constant;
  constant.input("x", {1, 4}).output("y").output("c").init("k", {1}, {2.f});
  constant.node("Relu", {"x"}, {"y"});
  constant.node("Identity", {"k"}, {"c"});
  EXPECT_CONTAINS(import_error(constant.bytes()), "graph output 'c' is a constant or a graph input");
}

TEST(OnnxErrors, ComputedWeightsAndConstantFirstSub) {
  OnnxBuilder conv;
  conv.input("x", {1, 2, 4, 4}).input("w", {2, 2, 1, 1}).output("y");
  conv.node("Conv", {"x", "w"}, {"y"}, "conv");
  EXPECT_CONTAINS(import_error(conv.bytes()), "input 1 (weights, 'w') must be known at load time");
  OnnxBuilder sub;
  sub.input("x", {1, 4}).output("y").init("one", {1}, {1.f});
  sub.node("Sub", {"one", "x"}, {"y"}, "rsub");
  EXPECT_CONTAINS(import_error(sub.bytes()), "Sub with a constant first operand is not supported");
}

TEST(OnnxErrors, UnsupportedShapesAndModes) {
  OnnxBuilder conv1d;
  conv1d.input("x", {1, 2, 8}).output("y").init("w", {2, 2, 3}, std::vector<float>(12, 0.f));
  conv1d.node("Conv", {"x", "w"}, {"y"}, "c1d");
  EXPECT_CONTAINS(import_error(conv1d.bytes()), "only 2-D (NCHW) ops are supported; supported ops:");
  OnnxBuilder pow;  // (ReduceMean over any axes is supported now: a per-channel exponent is not)
  pow.input("x", {1, 2, 4, 4}).output("y").init("e", {2, 1, 1}, {2.f, 3.f});
  pow.node("Pow", {"x", "e"}, {"y"}, "pw");
  EXPECT_CONTAINS(import_error(pow.bytes()), "node 'pw' (op_type Pow, opset 13): exponent [2, 1, 1] is not a scalar");
  OnnxBuilder gemm;
  gemm.input("x", {3, 2}).output("y").init("b", {3, 4}, std::vector<float>(12, 1.f));
  attr_int(gemm.node("Gemm", {"x", "b"}, {"y"}, "g"), "transA", 1);
  EXPECT_CONTAINS(import_error(gemm.bytes()), "transA = 1 is not supported");
}

}  // namespace
}  // namespace rs::test
