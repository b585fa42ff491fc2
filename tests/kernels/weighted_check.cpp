#include "weighted_check.h"

#include <gtest/gtest.h>

#include "graph/shape.h"
#include "kernel_harness.h"
#include "kernels/dnnl_util.h"

namespace rs::test {

void PrintTo(const ConvCase& c, std::ostream* os) { *os << c.name; }

ConvAttrs conv_case_attrs(const ConvCase& c) {
  ConvAttrs a;
  a.out_channels = c.out_channels;
  a.groups = c.groups;
  a.kernel = c.kernel;
  a.stride = c.stride;
  a.dilation = c.dilation;
  a.pads = c.pads;
  a.output_padding = c.output_padding;
  a.has_bias = c.bias;
  return a;
}

SingleNode conv_case_node(OpKind kind, const ConvCase& c, const Dims& weights, std::uint32_t seed) {
  std::vector<Operand> operands{{c.src, {}}, {weights, random_data(numel(weights), seed + 100)}};
  if (c.bias) operands.push_back({{c.out_channels}, random_data(c.out_channels, seed + 200)});
  return single_node(kind, conv_case_attrs(c), operands, seed);
}

void expect_rejects_input_weights(const std::string& name, OpKind kind, const Attrs& attrs, const Dims& src,
                                  const Dims& weights) {
  Graph g;
  const int x = g.add_input("x", src);
  const int w = g.add_input("w", weights);
  g.add_node(name, kind, attrs, {x, w});
  infer_shapes(g);
  try {
    create_kernel(g, g.node(0), {plain_desc(src), plain_desc(weights)}, KernelEnv{});
    ADD_FAILURE() << "expected KernelError";
  } catch (const KernelError& e) {
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("constant"), std::string::npos) << e.what();
  }
}

}  // namespace rs::test
