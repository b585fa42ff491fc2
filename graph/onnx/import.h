// ONNX import: an .onnx file (e.g. exported by torch.onnx) into an rs::Graph, parsed with Debian's ONNX protobuf
// classes (libonnx-dev, libprotobuf-dev). Weights come from the initializers; load-time constant subgraphs (torch's
// Shape -> Gather -> Unsqueeze -> Concat -> Reshape for flatten and channel shuffle) are folded once the input
// shape is static.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "graph/graph.h"

namespace rs {

/// Error loading an ONNX model. Messages start with the file, then name what is wrong:
///   "m.onnx: not an ONNX model (protobuf parse failed; truncated or not a .onnx file?)"
///   "m.onnx: node 'mix_einsum' (op_type Einsum, opset 13): unsupported op; supported ops: Add, AveragePool, ..."
class OnnxError : public GraphError {
 public:
  using GraphError::GraphError;
};

/// How to fix the input dims. The model's own dims are used where nothing overrides them; a dynamic dim (dim_param
/// or missing) that nothing sets is an error naming the input.
struct OnnxOptions {
  Dims input_shape;       ///< full dims of the first graph input (same rank as the model's); empty = the model's
  /// Full dims of the named graph inputs (same rank as the model's), e.g. {"image", {1, 3, 480, 640}}; a name that
  /// is no graph input is an error. The first input's entry here and input_shape must not both be given.
  std::vector<std::pair<std::string, Dims>> named_shapes;
  std::int64_t batch = 0; ///< > 0: dim 0 of every graph input; 0: the model's (a dynamic dim 0 becomes 1)
  std::int64_t size = 0;  ///< > 0: dims 2 and 3 (H = W) of every rank-4 graph input; 0: the model's
};

/// Reads and converts `path`. The graph is as written (BatchNorm kept, nothing fused; run optimize() for that) with
/// shapes inferred; node names are the ONNX node names ("/layer1/layer1.0/conv1/Conv"), or "<op_type>_<index>" for
/// unnamed nodes; graph outputs keep their ONNX names. Opsets 7-17 of the default domain (below 11: the older forms of
/// Clip, Pad, BatchNormalization (spatial = 1), Resize-10 and Upsample; other older forms fail naming the attribute).
/// Canonicalizations at import: Dropout, Identity and no-op Pads disappear; Flatten/Squeeze/Unsqueeze become
/// Reshape; Split becomes one Slice per output; Gemm/MatMul with constant weights become FullyConnected (weights
/// transposed or scaled by alpha/beta as needed); ReduceMean over H, W becomes GlobalAvgPool (+ Reshape without
/// keepdims), over other axes a ReduceMean; x * HardSigmoid(x) (alpha 1/6, beta 0.5: HardSwish below opset 14)
/// becomes HardSwish; torch's decomposed LayerNorm (ReduceMean -> Sub -> Pow(2) -> ReduceMean -> Add(eps) -> Sqrt ->
/// Div [-> Mul(gamma) -> Add(beta)]) becomes LayerNorm, x * 0.5 * (1 + erf(x / sqrt 2)) GeluErf, x * tanh(softplus(x))
/// Mish (graph/onnx/patterns.cpp); MatMul of a rank > 2 tensor by a constant matrix is Reshape -> FullyConnected ->
/// Reshape.
/// Throws OnnxError for an unreadable, malformed, truncated or non-ONNX file, an unsupported opset, op, attribute or
/// data type (naming the node, op_type, opset and listing the supported ops), or dims that cannot be fixed;
/// GraphError-derived OnnxError from shape inference names the node.
Graph import_onnx(const std::string& path, const OnnxOptions& options = {});

/// Same from the bytes of a model in memory; `source` names it in error messages.
Graph import_onnx_bytes(const std::string& bytes, const std::string& source, const OnnxOptions& options = {});

/// The ONNX op_types import_onnx() handles, sorted.
std::vector<std::string> onnx_supported_ops();

/// True if `path` names an ONNX file by its extension (".onnx", any case).
bool is_onnx_path(const std::string& path);

}  // namespace rs
