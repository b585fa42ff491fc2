// Test helpers for the weighted families (Conv, Deconv, FullyConnected): fused post-op chains, attached to a
// SingleNode (mem_op_check.h) with their Binary operands as new graph inputs.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "graph/graph.h"
#include "graph/shape.h"
#include "kernel_harness.h"
#include "mem_op_check.h"

namespace rs::test {

/// Dims of a Binary post-op operand relative to dst [N, C, ...]: dst's own, dst's with every axis after C set to 1
/// ([N, C, 1, 1]; [1, M] for a 2-D dst), or a scalar [1].
enum class Broadcast { none, channel, scalar };

/// One fused post-op: an eltwise, or a binary whose operand is a new graph input of the given broadcast.
struct PostOpStep {
  PostOp::Kind kind = PostOp::Kind::Eltwise;
  EltwiseAttrs eltwise;
  BinaryAlg alg = BinaryAlg::Add;
  Broadcast broadcast = Broadcast::none;
};

struct PostOpChain {
  std::string name;  ///< gtest-safe name
  std::vector<PostOpStep> steps;
};

inline void PrintTo(const PostOpChain& c, std::ostream* os) { *os << c.name; }

inline PostOpStep eltwise_step(EltwiseAlg alg, float alpha = 0.f, float beta = 0.f) {
  PostOpStep s;
  s.eltwise = {alg, alpha, beta};
  return s;
}

inline PostOpStep binary_step(BinaryAlg alg, Broadcast broadcast) {
  PostOpStep s;
  s.kind = PostOp::Kind::Binary;
  s.alg = alg;
  s.broadcast = broadcast;
  return s;
}

/// The chains every weighted family is checked with: each eltwise the models fuse, the residual Add, the SE-style
/// channel-broadcast Mul, a scalar Mul and the ResNet chain Add -> Relu.
inline std::vector<PostOpChain> standard_post_op_chains() {
  return {
      {"Relu", {eltwise_step(EltwiseAlg::Relu)}},
      {"Clip0_6", {eltwise_step(EltwiseAlg::Clip, 0.f, 6.f)}},
      {"HardSwish", {eltwise_step(EltwiseAlg::HardSwish)}},
      {"HardSigmoid", {eltwise_step(EltwiseAlg::HardSigmoid, 1.f / 6.f, 0.5f)}},
      {"SiLU", {eltwise_step(EltwiseAlg::SiLU)}},
      {"AddSameShape", {binary_step(BinaryAlg::Add, Broadcast::none)}},
      {"MulChannelBroadcast", {binary_step(BinaryAlg::Mul, Broadcast::channel)}},
      {"MulScalar", {binary_step(BinaryAlg::Mul, Broadcast::scalar)}},
      {"AddRelu", {binary_step(BinaryAlg::Add, Broadcast::none), eltwise_step(EltwiseAlg::Relu)}},
      {"HardSwishMulAdd",
       {eltwise_step(EltwiseAlg::HardSwish), binary_step(BinaryAlg::Mul, Broadcast::channel),
        binary_step(BinaryAlg::Add, Broadcast::none)}},
  };
}

/// gtest name of a (case, chain) parameter, "<case.name>_<chain.name>", for INSTANTIATE_TEST_SUITE_P.
struct CaseChainName {
  template <typename Info>
  std::string operator()(const Info& info) const {
    return std::get<0>(info.param).name + "_" + std::get<1>(info.param).name;
  }
};

/// Appends `chain` to t's node (shapes inferred): each Binary operand becomes a graph input with a seeded random
/// activation appended to t.activations (activation_inputs() order). Re-infers shapes.
inline void add_post_ops(SingleNode& t, const PostOpChain& chain, std::uint32_t seed) {
  const Dims dst = t.graph.value(t.graph.node(t.node_id).outputs.at(0)).desc.dims;
  for (std::size_t i = 0; i < chain.steps.size(); ++i) {
    const PostOpStep& s = chain.steps[i];
    PostOp p;
    p.kind = s.kind;
    p.eltwise = s.eltwise;
    p.binary.alg = s.alg;
    p.name = chain.name + "_" + std::to_string(i);
    if (s.kind == PostOp::Kind::Binary) {
      Dims dims = dst;
      if (s.broadcast == Broadcast::scalar) dims = {1};
      if (s.broadcast == Broadcast::channel) {
        if (dims.size() == 2) dims[0] = 1;
        for (std::size_t d = 2; d < dims.size(); ++d) dims[d] = 1;
      }
      p.operand = t.graph.add_input(p.name, dims);
      t.activations.push_back(random_tensor(dims, seed + static_cast<std::uint32_t>(i)));
    }
    t.graph.node(t.node_id).post_ops.push_back(p);
  }
  t.graph.link();
  infer_shapes(t.graph);
}

}  // namespace rs::test
