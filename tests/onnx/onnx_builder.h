// Tiny ONNX models built in C++ with the protobuf classes (for importer tests that need no PyTorch).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

namespace rs::test {

/// A model under construction: one graph, one default-domain opset.
class OnnxBuilder {
 public:
  explicit OnnxBuilder(int opset = 13);

  /// Graph input of FLOAT; a dim < 0 is dynamic (dim_param "d<i>").
  OnnxBuilder& input(const std::string& name, const std::vector<std::int64_t>& dims);
  OnnxBuilder& output(const std::string& name);
  OnnxBuilder& init(const std::string& name, const std::vector<std::int64_t>& dims, const std::vector<float>& data);
  OnnxBuilder& init_i64(const std::string& name, const std::vector<std::int64_t>& dims,
                        const std::vector<std::int64_t>& data);
  /// Adds a node; attributes via the returned proto (see attr_* below).
  onnx::NodeProto& node(const std::string& op_type, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, const std::string& name = "");

  onnx::ModelProto& model() { return model_; }
  std::string bytes() const;

 private:
  onnx::ModelProto model_;
};

void attr_int(onnx::NodeProto& n, const std::string& name, std::int64_t v);
void attr_float(onnx::NodeProto& n, const std::string& name, float v);
void attr_ints(onnx::NodeProto& n, const std::string& name, const std::vector<std::int64_t>& v);
void attr_string(onnx::NodeProto& n, const std::string& name, const std::string& v);

}  // namespace rs::test
