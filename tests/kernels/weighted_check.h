// Test helpers for the weighted op families (test_conv.cpp, test_deconv.cpp, test_fc.cpp): a (de)convolution case
// and its one-node graph, and the check that a weights input which is not a constant is rejected naming the node.
#pragma once
#include <array>
#include <cstdint>
#include <ostream>
#include <string>

#include "graph/graph.h"
#include "mem_op_check.h"

namespace rs::test {

/// One Conv or Deconv case; output_padding is a Deconv attribute (zero for Conv).
struct ConvCase {
  std::string name;
  Dims src;  ///< [N, C_in, H, W]
  std::int64_t out_channels;
  std::int64_t groups;
  std::array<std::int64_t, 2> kernel;
  std::array<std::int64_t, 2> stride{1, 1};
  std::array<std::int64_t, 2> dilation{1, 1};
  std::array<std::int64_t, 4> pads{0, 0, 0, 0};  ///< top, left, bottom, right
  bool bias = true;
  std::array<std::int64_t, 2> output_padding{0, 0};
};
void PrintTo(const ConvCase& c, std::ostream* os);

/// The ConvAttrs of case c.
ConvAttrs conv_case_attrs(const ConvCase& c);

/// A `kind` (Conv or Deconv) node of case c reading an activation src and constant weights of dims `weights` (and
/// bias [out_channels] when c.bias), seeded random data.
SingleNode conv_case_node(OpKind kind, const ConvCase& c, const Dims& weights, std::uint32_t seed);

/// Expects create_kernel() on a `kind` node named `name` (attrs, src dims, weights dims) whose weights are a graph
/// input, not a constant, to throw a KernelError naming the node and "constant".
void expect_rejects_input_weights(const std::string& name, OpKind kind, const Attrs& attrs, const Dims& src,
                                  const Dims& weights);

}  // namespace rs::test
