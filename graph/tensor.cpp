#include "graph/tensor.h"

#include <stdexcept>

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

std::int64_t checked_mul(std::int64_t a, std::int64_t b, bool* ok) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) {
    *ok = false;
    return 0;
  }
  return r;
}

std::int64_t checked_product(std::initializer_list<std::int64_t> factors, const char* what) {
  std::int64_t p = 1;
  bool ok = true;
  for (std::int64_t f : factors) p = checked_mul(p, f, &ok);
  if (!ok) throw std::overflow_error(fmt::format("{} overflows int64: {}", what, fmt::join(factors, " x ")));
  return p;
}

std::int64_t checked_sum(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) throw std::overflow_error(fmt::format("{} overflows int64: {} + {}", what, a, b));
  return r;
}

std::int64_t numel(const Dims& dims) {
  std::int64_t n = 1;
  bool ok = true;
  for (auto d : dims) n = checked_mul(n, d, &ok);
  if (!ok) throw std::overflow_error("the element count of " + dims_str(dims) + " overflows int64");
  return n;
}

bool broadcasts_to(const Dims& b, const Dims& a) {
  if (b.size() != a.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (b[i] != a[i] && b[i] != 1) return false;
  return true;
}

std::string dims_str(const Dims& dims) {
  constexpr std::size_t kMost = 16;  // a fuzzed "shape" can hold millions of values: messages stay one short line
  if (dims.size() <= kMost) return fmt::format("[{}]", fmt::join(dims, ", "));
  return fmt::format("[{}, ..., {}] ({} values)", fmt::join(dims.begin(), dims.begin() + kMost - 2, ", "),
                     fmt::join(dims.end() - 2, dims.end(), ", "), dims.size());
}

std::int64_t TensorDesc::numel() const { return rs::numel(dims); }
std::int64_t TensorDesc::bytes() const {
  return checked_product({numel(), static_cast<std::int64_t>(dtype_size_bytes(dtype))}, "the byte count");
}

}  // namespace rs
