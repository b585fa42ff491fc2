#include "graph/tensor.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace rs {

std::size_t dtype_size_bytes(DType dtype) {
  switch (dtype) {
    case DType::f32: return 4;
  }
  return 0;
}

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::f32: return "f32";
  }
  return "?";
}

std::int64_t numel(const Dims& dims) {
  std::int64_t n = 1;
  for (auto d : dims) n *= d;
  return n;
}

std::string dims_str(const Dims& dims) { return fmt::format("[{}]", fmt::join(dims, ", ")); }

std::int64_t TensorDesc::numel() const { return rs::numel(dims); }
std::int64_t TensorDesc::bytes() const { return numel() * static_cast<std::int64_t>(dtype_size_bytes(dtype)); }

}  // namespace rs
