// The bad-input catalog (tests/data/bad-inputs/, minimal ONNX reproducers of overflows, undefined behaviour and
// accepted nonsense found by fuzzing): each one gives one clear error naming what is wrong, at import, when counting
// or against the memory budget, never a crash, a wrong number or an allocation.
#include <gtest/gtest.h>

#include "graph/cost.h"
#include "graph/onnx/import.h"

namespace rs {
namespace {

enum class Stage { Import, Cost, Budget };

struct BadInput {
  const char* file;
  Stage stage;      ///< where it must fail
  const char* says; ///< a part of the one-line error
};

const BadInput kCases[] = {
    {"ubsan_onnx_fold_186_reshape_overflow", Stage::Import, "the element count overflows int64"},
    {"ubsan_onnx_context_16_float_cast", Stage::Import, "the float inf where an integer"},
    {"ubsan_onnx_context_16_via_slice", Stage::Import, "the float inf where an integer"},
    {"ubsan_shape_85_deconv_overflow", Stage::Import, "the deconv output size overflows int64"},
    {"deconv_stride_ovf", Stage::Import, "the deconv output size overflows int64"},
    {"fuzz_crash_reshape_shape_ovf", Stage::Import, "overflows int64"},
    {"fuzz_crash_pad_shape_ovf", Stage::Import, "node 'Pad_0' (op_type Pad, opset 13): the padded size overflows int64"},
    {"elems_ovf", Stage::Import, "the element count of [1099511627776, 1099511627776, 1, 1] overflows int64"},
    {"pad_huge", Stage::Import, "node 'pad' (Pad): the element count"},
    {"constofshape_huge", Stage::Import, "folding would create a constant"},
    {"init_huge_dims", Stage::Import, "initializer 'W': invalid dims"},
    {"dup_producer", Stage::Import, "output 'y' is already produced"},
    // a 917512-value pads constant: formatting it all made the error take 12 s under ASan (found by fuzz.sh)
    // a Slice step of -(2^63 - 1): the element count overflowed in slice_window (found by fuzz.sh); the file's
    // other error is what remains
    {"fuzz_slice_huge_step", Stage::Import, "pads [0, 0] must have 2 x rank = 8 entries"},
    // a Resize scale of -1.3e39: the output size was cast to int64 out of range (found by a 1.7 M-input fuzz run)
    {"fuzz_resize_negative_scale", Stage::Import, "elements (not in [0, 2^31)) from [2, 4, 7, 9]"},
    {"fuzz_slow_pad_message", Stage::Import, "(917512 values) must have 2 x rank = 8 entries"},
    {"elems_2p62", Stage::Cost, "node 'r' (Eltwise): the byte count overflows int64"},
    {"elems_2p40", Stage::Budget, "tensor 'x' [1024, 1024, 1024, 1024] needs 4 TiB"},
    {"dims_2p31", Stage::Budget, "more than the memory budget 1 GiB (test)"},
};

std::string error_of(const BadInput& c) {
  const std::string path = std::string(ROOFSCOPE_SOURCE_DIR) + "/tests/data/bad-inputs/" + c.file + ".onnx";
  Graph g;
  try {
    g = import_onnx(path);
  } catch (const OnnxError& e) {
    return c.stage == Stage::Import ? e.what() : std::string("unexpected import error: ") + e.what();
  }
  if (c.stage == Stage::Import) return "imported";
  try {
    (void)graph_cost(g);
  } catch (const GraphError& e) {
    return c.stage == Stage::Cost ? e.what() : std::string("unexpected cost error: ") + e.what();
  }
  if (c.stage == Stage::Cost) return "counted";
  try {
    check_memory_budget(g, std::int64_t{1} << 30, "test");
  } catch (const GraphError& e) {
    return e.what();
  }
  return "fits";
}

class BadInputs : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputs, GiveOneClearError) {
  const std::string e = error_of(GetParam());
  EXPECT_NE(e.find(GetParam().says), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << "one line: " << e;
  EXPECT_EQ(e.find("-9223372036854775808"), std::string::npos) << e;  // no wrapped-around figure
}

INSTANTIATE_TEST_SUITE_P(Catalog, BadInputs, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.file); });

TEST(CheckedArithmetic, ProductsAndSumsThrowInsteadOfWrapping) {
  EXPECT_EQ(checked_product({2, 3, 7}, "x"), 42);
  EXPECT_THROW(checked_product({std::int64_t{1} << 62, 4}, "the byte count"), std::overflow_error);
  EXPECT_THROW(checked_sum(INT64_MAX, 1, "the FLOP count"), std::overflow_error);
  EXPECT_EQ(checked_sum(-5, 3, "x"), -2);
  try {
    checked_product({std::int64_t{1} << 62, 4}, "the byte count");
  } catch (const std::overflow_error& e) {
    EXPECT_STREQ(e.what(), "the byte count overflows int64: 4611686018427387904 x 4");
  }
}

}  // namespace
}  // namespace rs
