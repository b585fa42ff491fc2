// Names of the eltwise and binary algorithms; op kinds are named in graph/op_registry.cpp.
#include "graph/op.h"

namespace rs {

namespace {
constexpr const char* kEltwiseNames[] = {"Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish",
                                         "SiLU", "GeluErf", "Erf", "Sqrt", "Pow", "Softplus", "Mish"};
static_assert(sizeof(kEltwiseNames) / sizeof(kEltwiseNames[0]) == static_cast<int>(EltwiseAlg::kCount),
              "kEltwiseNames must list every EltwiseAlg");

constexpr const char* kBinaryNames[] = {"Add", "Mul", "Sub", "Div"};
static_assert(sizeof(kBinaryNames) / sizeof(kBinaryNames[0]) == static_cast<int>(BinaryAlg::kCount),
              "kBinaryNames must list every BinaryAlg");

template <typename E, std::size_t N>
const char* name_of(const char* const (&names)[N], E e) {
  auto i = static_cast<std::size_t>(e);
  return i < N ? names[i] : "?";
}
}  // namespace

const char* eltwise_alg_name(EltwiseAlg alg) { return name_of(kEltwiseNames, alg); }
const char* binary_alg_name(BinaryAlg alg) { return name_of(kBinaryNames, alg); }
bool eltwise_is_onednn(EltwiseAlg alg) { return alg != EltwiseAlg::Erf; }

}  // namespace rs
