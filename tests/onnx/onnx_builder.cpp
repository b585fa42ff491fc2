#include "onnx_builder.h"

namespace rs::test {

OnnxBuilder::OnnxBuilder(int opset) {
  model_.set_ir_version(8);
  model_.set_producer_name("roofscope tests");
  auto* o = model_.add_opset_import();
  o->set_domain("");
  o->set_version(opset);
  model_.mutable_graph()->set_name("test");
}

OnnxBuilder& OnnxBuilder::input(const std::string& name, const std::vector<std::int64_t>& dims) {
  auto* vi = model_.mutable_graph()->add_input();
  vi->set_name(name);
  auto* t = vi->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto_DataType_FLOAT);
  auto* shape = t->mutable_shape();
  for (std::size_t i = 0; i < dims.size(); ++i) {
    auto* d = shape->add_dim();
    if (dims[i] < 0) d->set_dim_param("d" + std::to_string(i));
    else d->set_dim_value(dims[i]);
  }
  return *this;
}

OnnxBuilder& OnnxBuilder::output(const std::string& name) {
  auto* vi = model_.mutable_graph()->add_output();
  vi->set_name(name);
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto_DataType_FLOAT);
  return *this;
}

OnnxBuilder& OnnxBuilder::init(const std::string& name, const std::vector<std::int64_t>& dims,
                               const std::vector<float>& data) {
  auto* t = model_.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto_DataType_FLOAT);
  for (auto d : dims) t->add_dims(d);
  for (float v : data) t->add_float_data(v);
  return *this;
}

OnnxBuilder& OnnxBuilder::init_i64(const std::string& name, const std::vector<std::int64_t>& dims,
                                   const std::vector<std::int64_t>& data) {
  auto* t = model_.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto_DataType_INT64);
  for (auto d : dims) t->add_dims(d);
  for (auto v : data) t->add_int64_data(v);
  return *this;
}

onnx::NodeProto& OnnxBuilder::node(const std::string& op_type, const std::vector<std::string>& inputs,
                                   const std::vector<std::string>& outputs, const std::string& name) {
  auto* n = model_.mutable_graph()->add_node();
  n->set_op_type(op_type);
  n->set_name(name);
  for (const auto& i : inputs) n->add_input(i);
  for (const auto& o : outputs) n->add_output(o);
  return *n;
}

std::string OnnxBuilder::bytes() const { return model_.SerializeAsString(); }

namespace {
onnx::AttributeProto& new_attr(onnx::NodeProto& n, const std::string& name, onnx::AttributeProto_AttributeType type) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(type);
  return *a;
}
}  // namespace

void attr_int(onnx::NodeProto& n, const std::string& name, std::int64_t v) {
  new_attr(n, name, onnx::AttributeProto_AttributeType_INT).set_i(v);
}
void attr_float(onnx::NodeProto& n, const std::string& name, float v) {
  new_attr(n, name, onnx::AttributeProto_AttributeType_FLOAT).set_f(v);
}
void attr_ints(onnx::NodeProto& n, const std::string& name, const std::vector<std::int64_t>& v) {
  auto& a = new_attr(n, name, onnx::AttributeProto_AttributeType_INTS);
  for (auto x : v) a.add_ints(x);
}
void attr_string(onnx::NodeProto& n, const std::string& name, const std::string& v) {
  new_attr(n, name, onnx::AttributeProto_AttributeType_STRING).set_s(v);
}

}  // namespace rs::test
